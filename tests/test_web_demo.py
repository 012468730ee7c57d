"""The demonstration database, the serve command and the English catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kehoach.cli import app as cli
from kehoach.store import Database
from kehoach.web import Settings, accounts, create_app, demo, i18n

TEMPLATES = Path(__file__).parent.parent / "kehoach" / "web" / "templates"


def test_demo_loads_samples_progress_figures_and_accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_N", 2**10)
    db = Database.open(f"sqlite:///{tmp_path / 'demo.db'}")
    first = demo.build(db)
    again = demo.build(db)  # idempotent: nothing new the second time
    loaded = [p["source"] for p in first["plans"] if "error" not in p]
    assert "002_23dbc6410858588b.txt" in loaded  # the plan with a growth scenario
    assert all(p["created"] for p in first["plans"] if "error" not in p)
    assert not any(p["created"] for p in again["plans"])
    assert {a["role"] for a in first["accounts"]} == {"admin", "office", "officer", "leader"}
    c = TestClient(create_app(db, Settings(secret_key="demo")))
    r = c.post("/api/login", json={"username": "vanphong.vinhlong", "password": demo.PASSWORD})
    assert r.status_code == 200
    dash = c.get("/api/dashboard").json()
    assert dash["tasks"] > 50 and dash["totals"]["hoàn thành đúng hạn"] > 0
    growth = dash["growth"][0]
    total = growth["rows"][0]
    assert [p["period"] for p in total["periods"]] == ["Quý I", "Quý II", "Quý III", "Quý IV", "Cả năm"]
    assert (total["periods"][0]["planned"], total["periods"][0]["actual"]) == (7.27, 6.9)
    assert any(p["actual"] is not None for r in growth["rows"][1:] for p in r["periods"])
    assert '<svg class="chart"' in c.get("/dashboard").text
    c2 = TestClient(create_app(db, Settings(secret_key="demo")))
    c2.post("/api/login", json={"username": "taichinh.vinhlong", "password": demo.PASSWORD})
    assert c2.get("/api/tasks/mine").json()["tasks"]
    db.close()


def test_serve_and_remind_are_documented() -> None:
    for command in ("serve", "remind", "user"):
        r = CliRunner().invoke(cli, [command, "--help"])
        assert r.exit_code == 0 and "--db" in r.output
    assert "--demo" in CliRunner().invoke(cli, ["serve", "--help"]).output


def test_user_command_adds_an_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_N", 2**10)
    url = f"sqlite:///{tmp_path / 'k.db'}"
    args = ["user", "quantri", "--role", "admin", "--db", url]
    r = CliRunner().invoke(cli, args, input="mat-khau-dai\nmat-khau-dai\n")
    assert r.exit_code == 0, r.output
    assert "Quản trị hệ thống" in r.output
    with Database.open(url) as db:
        assert accounts.authenticate(db, "quantri", "mat-khau-dai").role == "admin"
    r = CliRunner().invoke(cli, args, input="mat-khau-dai\nmat-khau-dai\n")
    assert r.exit_code == 1 and "đã có" in r.output


def test_every_interface_string_has_an_english_translation() -> None:
    english = i18n.catalogue("en")
    found = {
        msg if isinstance(msg, str) else msg[0]
        for _, _, msg, _, _ in extract_from_dir(
            str(TEMPLATES),
            method_map=[("**.html", "jinja2.ext:babel_extract")],
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
        )
    }
    assert found and not sorted(found - set(english))
