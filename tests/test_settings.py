"""Settings: one table, resolved once (defaults < file < environment < flags) and handed down."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehoach.cli import app as cli
from kehoach.errors import SettingsError
from kehoach.settings import SETTINGS, Settings, load
from kehoach.store import Database
from kehoach.web import create_app

PLAN = Path(__file__).parent / "data" / "plans" / "002_23dbc6410858588b.json"


def test_defaults_are_the_tables() -> None:
    s = load(env={"XDG_DATA_HOME": "/srv/data"})
    for row in SETTINGS:
        if row.shown is None:
            assert getattr(s, row.name) == row.default, row.name
    assert s.data_dir == Path("/srv/data/kehoach")
    assert s.files_dir == Path("/srv/data/kehoach/files")
    assert s.database_url == "sqlite:////srv/data/kehoach/kehoach.db"
    assert s.user  # the login name
    assert Settings(data_dir=Path("/x")).files_dir == Path("/x/files")


@pytest.mark.parametrize(
    ("file", "env", "flags", "expected"),
    [
        ("", {}, {}, 7),
        ("soon_days = 10", {}, {}, 10),
        ("[register]\nsoon_days = 10", {}, {}, 10),
        ("soon_days = 10", {"KEHOACH_SOON_DAYS": "20"}, {}, 20),
        ("soon_days = 10", {"KEHOACH_SOON_DAYS": "20"}, {"soon_days": 30}, 30),
        ("soon_days = 10", {"KEHOACH_SOON_DAYS": ""}, {"soon_days": None}, 10),  # empty and None: not given
    ],
)
def test_order_defaults_file_environment_flags(
    tmp_path: Path, file: str, env: dict, flags: dict, expected: int
) -> None:
    config = tmp_path / "kehoach.toml"
    config.write_text(file, "utf-8")
    assert load(config, env=env, **flags).soon_days == expected
    assert load(env=env | {"KEHOACH_CONFIG": str(config)}, **flags).soon_days == expected


def test_the_web_table_of_an_older_file_still_reads(tmp_path: Path) -> None:
    config = tmp_path / "kehoach.toml"
    config.write_text('[web]\nsmtp_host = "mail.tinh.gov.vn"\nhttps_only = true\n', "utf-8")
    s = load(config, env={})
    assert (s.smtp_host, s.https_only) == ("mail.tinh.gov.vn", True)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KEHOACH_SOON_DAYS": "bảy"}, r"KEHOACH_SOON_DAYS = 'bảy' \(biến môi trường\): cần một số nguyên từ 0"),
        ({"KEHOACH_WORKERS": "0"}, "KEHOACH_WORKERS = '0'.*từ 1 trở lên"),
        ({"KEHOACH_HTTPS_ONLY": "maybe"}, "KEHOACH_HTTPS_ONLY = 'maybe'.*true hoặc false"),
        ({"KEHOACH_CONFIG": "/no/such/kehoach.toml"}, "tệp cấu hình /no/such/kehoach.toml: không đọc được"),
    ],
)
def test_a_bad_value_names_the_setting_and_where_it_came_from(env: dict, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load(env=env)


def test_a_bad_file_names_the_file_and_the_key(tmp_path: Path) -> None:
    config = tmp_path / "kehoach.toml"
    config.write_text("soon_dayz = 3\n", "utf-8")
    with pytest.raises(SettingsError, match=f"{config}: không có thiết lập 'soon_dayz'"):
        load(config, env={})
    config.write_text("soon_days = \n", "utf-8")
    with pytest.raises(SettingsError, match="không phải TOML hợp lệ"):
        load(config, env={})
    config.write_text('soon_days = "ba"\n', "utf-8")
    with pytest.raises(SettingsError, match=r"KEHOACH_SOON_DAYS = 'ba' \(tệp"):
        load(config, env={})


@pytest.mark.parametrize(("text", "value"), [("1", True), ("true", True), ("có", True), ("0", False), ("off", False)])
def test_booleans(text: str, value: bool) -> None:
    assert load(env={"KEHOACH_SMTP_STARTTLS": text}).smtp_starttls is value


def test_the_store_takes_its_url_and_folder_from_the_settings_handed_down(tmp_path: Path) -> None:
    handed = Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}", data_dir=tmp_path / "data", soon_days=12)
    db = Database(settings=handed)
    assert (db.url, db.soon_days) == (handed.database_url, 12)
    assert Database(f"sqlite:///{tmp_path / 'b.db'}", settings=handed).url.endswith("b.db")  # a URL given wins


def _due_in(db: Database, days: int) -> int:
    """A task of the plan made due `days` from today; its id."""
    task = next(t for t in db.tasks() if not t["recurring"] and not t["condition"])
    db.extend_deadline(task["id"], db.today() + timedelta(days=days), granted_by="UBND tỉnh", actor="t")
    return task["id"]


def test_soon_days_from_the_environment_reaches_the_register(
    db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`KEHOACH_SOON_DAYS` was documented but never read: a task due in 20 days stayed "in term"."""
    monkeypatch.setenv("KEHOACH_SOON_DAYS", "30")
    db = Database.open(db_url)
    db.ingest(json.loads(PLAN.read_text("utf-8")), actor="t")
    task = _due_in(db, 20)
    assert db.soon_days == 30
    assert db.task(task)["status"] == "sắp đến hạn"
    # the web application over that register (as `kehoach serve` opens it) counts it too
    app = create_app(db, load(secret_key="s"))
    assert app.state.db.soon_days == 30
    # and the command line, which reads the same settings
    out = CliRunner().invoke(cli, ["tasks", "--json", "--db", db_url], env={"KEHOACH_SOON_DAYS": "30"})
    assert next(t for t in json.loads(out.output) if t["id"] == task)["status"] == "sắp đến hạn"
    out = CliRunner().invoke(cli, ["tasks", "--json", "--db", db_url], env={"KEHOACH_SOON_DAYS": "5"})
    assert next(t for t in json.loads(out.output) if t["id"] == task)["status"] != "sắp đến hạn"
    db.close()


def test_the_acting_user_comes_from_the_settings(db_url: str) -> None:
    run = CliRunner()
    assert run.invoke(cli, ["ingest", str(PLAN), "--db", db_url]).exit_code == 0
    tasks = json.loads(run.invoke(cli, ["tasks", "--json", "--db", db_url]).output)
    update = ["update", str(tasks[0]["id"]), "--percent", "5", "--db", db_url]
    done = run.invoke(cli, update, env={"KEHOACH_USER": "Lan"})
    assert done.exit_code == 0, done.output
    with Database.open(db_url) as db:
        assert db.audit(entity="task", entity_id=tasks[0]["id"])[-1]["actor"] == "Lan"
    bad = run.invoke(cli, ["tasks", "--db", db_url], env={"KEHOACH_SOON_DAYS": "nhiều"})
    assert bad.exit_code == 1 and "KEHOACH_SOON_DAYS = 'nhiều'" in bad.output

