"""The register on real databases: ingest, revisions, progress, conflicts, audit, crash safety."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from conftest import PG_URL, load_plan
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from kehoach import store
from kehoach.store import ConflictError, Database, NotFoundError, ValidationError, data_dir
from kehoach.store.schema import Plan

TRA_VINH = "002_23dbc6410858588b.json"  # 77/QĐ-UBND, Trà Vinh, 83 tasks, 99 indicator targets
BINH_DUONG = "000_9b195ff9d1fb2156.json"  # no number, Bình Dương, 75 tasks


def test_ingest_stores_a_plan_once(db: Database) -> None:
    plan = load_plan(TRA_VINH)
    first = db.ingest(plan, source_text_hash="abc")
    again = db.ingest(copy.deepcopy(plan))
    same_source = db.ingest(plan | {"source": "renamed.txt"}, source_text_hash="abc")
    assert first.created and first.tasks == 83
    assert not again.created and not same_source.created
    assert again.plan_id == same_source.plan_id == first.plan_id
    assert [p["tasks"] for p in db.plans()] == [83]
    assert len(db.plan(first.plan_id)["versions"]) == 1
    assert db.plans()[0]["indicators"] == 99


def test_tasks_keep_the_document_agencies_and_deadlines(db: Database) -> None:
    db.ingest(load_plan(TRA_VINH))
    t = db.tasks(text="truoc ngay 31/01/2025")[0]
    assert t["lead"] == ["Các sở, ban, ngành", "Ủy ban nhân dân cấp huyện"]
    assert t["monitor"] == ["Văn phòng Ủy ban nhân dân tỉnh"]
    assert (t["deadline_text"], t["due"]) == ("Trước ngày 31/01/2025", "2025-01-31")


def _revise(plan: dict) -> dict:
    new = copy.deepcopy(plan)
    tasks = new["tasks"]
    removed = tasks.pop(0)
    tasks[2]["lead"] = ["Sở Tài chính"]  # reassigned from Sở Kế hoạch và Đầu tư
    deadline = next(t for t in tasks if (t["deadline"] or {}).get("due") == "2025-01-31")
    deadline["deadline"] = {
        "text": "Trước ngày 28/02/2025",
        "due": "2025-02-28",
        "recurring": False,
        "condition": None,
    }
    tasks.append(
        {
            "section": "TỔ CHỨC THỰC HIỆN",
            "text": "Sở Tài chính tổng hợp kết quả sáp nhập.",
            "lead": ["Sở Tài chính"],
            "coordinate": [],
            "monitor": [],
            "deadline": None,
        }
    )
    return new | {"_removed": removed["text"]}


def test_revision_diffs_and_carries_progress_over(db: Database) -> None:
    plan = load_plan(TRA_VINH)
    v1 = db.ingest(plan)
    kept = db.tasks(text="Đẩy mạnh các hoạt động đối ngoại")[0]
    db.update_task(kept["id"], actor="Nguyễn Văn A", state="đang thực hiện", percent=40, on=date(2025, 3, 1))
    revised = _revise(plan)
    removed_text = revised.pop("_removed")
    v2 = db.ingest(revised)
    assert (v2.plan_id, v2.version, v2.created) == (v1.plan_id, 2, True)
    diff = db.plan(v1.plan_id)["versions"][1]["diff"]
    assert [e["text"] for e in diff["removed"]] == [removed_text]
    assert [e["text"] for e in diff["added"]] == ["Sở Tài chính tổng hợp kết quả sáp nhập."]
    assert diff["reassigned"][0]["before"] == ["Sở Kế hoạch và Đầu tư"]
    assert diff["reassigned"][0]["after"] == ["Sở Tài chính"]
    assert diff["deadline_moved"][0]["before"] == "2025-01-31"
    assert diff["deadline_moved"][0]["after"] == "2025-02-28"
    assert len(db.tasks()) == 83
    carried = db.task(kept["id"])
    assert (carried["percent"], carried["updates"][0]["actor"]) == (40, "Nguyễn Văn A")
    assert not db.tasks(text=removed_text[:60])
    # ingesting version 1 again changes nothing: its content is known
    assert not db.ingest(plan).created


def test_update_needs_evidence_to_be_done(db: Database) -> None:
    db.ingest(load_plan(TRA_VINH))
    task = db.tasks()[0]
    with pytest.raises(ValidationError, match="sản phẩm"):
        db.update_task(task["id"], actor="A", state="hoàn thành", on=date(2025, 5, 1))
    with pytest.raises(ValidationError, match="Tỷ lệ hoàn thành"):
        db.update_task(task["id"], actor="A", percent=120)
    with pytest.raises(ValidationError, match="Số văn bản sản phẩm"):
        db.update_task(task["id"], actor="A", state="done", product_number="quyết định ngày 5")
    with pytest.raises(ValidationError, match="Tình trạng"):
        db.update_task(task["id"], actor="A", state="xong rồi")
    with pytest.raises(NotFoundError):
        db.update_task(999999, actor="A", percent=10)
    done = db.update_task(task["id"], actor="A", state="hoàn thành", product_number="123/QĐ-UBND", on=date(2025, 5, 1))
    assert (done["state"], done["percent"], done["done_on"]) == ("done", 100.0, "2025-05-01")


def test_conflicting_updates_one_gets_a_clear_error(db_url: str, db: Database) -> None:
    db.ingest(load_plan(TRA_VINH))
    task_id = db.tasks()[0]["id"]
    read_by_a = db.task(task_id)["version"]
    other = Database.open(db_url)
    try:
        other.update_task(task_id, actor="B", percent=30, expected_version=read_by_a)
        with pytest.raises(ConflictError, match="người khác"):
            db.update_task(task_id, actor="A", percent=50, expected_version=read_by_a)
    finally:
        other.close()
    assert db.task(task_id)["percent"] == 30
    assert [u["actor"] for u in db.task(task_id)["updates"]] == ["B"]


def test_simultaneous_updates_never_lose_one(db_url: str, db: Database) -> None:
    db.ingest(load_plan(TRA_VINH))
    task_id = db.tasks()[0]["id"]
    version = db.task(task_id)["version"]
    results: list[str] = []
    barrier = threading.Barrier(4)

    def officer(n: int) -> None:
        mine = Database(db_url)
        try:
            barrier.wait()
            mine.update_task(task_id, actor=f"officer {n}", percent=10 * n, expected_version=version)
            results.append("ok")
        except ConflictError:
            results.append("conflict")
        finally:
            mine.close()

    threads = [threading.Thread(target=officer, args=(n,)) for n in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    landed = db.task(task_id)["updates"]
    assert results.count("ok") == len(landed) == 1
    assert results.count("conflict") == 3


def test_every_change_is_audited(db: Database) -> None:
    plan_id = db.ingest(load_plan(TRA_VINH)).plan_id
    task_id = db.tasks(text="truoc ngay 31/01/2025")[0]["id"]
    db.update_task(task_id, actor="Trần Thị B", percent=20, on=date(2025, 2, 1))
    db.extend_deadline(
        task_id,
        date(2025, 3, 31),
        granted_by="Chủ tịch UBND tỉnh",
        actor="Trần Thị B",
        granted_on=date(2025, 1, 25),
    )
    log = db.audit(entity="task", entity_id=task_id)
    assert [e["action"] for e in log] == ["update", "extend"]
    assert log[0]["actor"] == "Trần Thị B"
    assert (log[0]["before"]["percent"], log[0]["after"]["percent"]) == (None, 20)
    assert (log[1]["before"]["due"], log[1]["after"]["due"]) == ("2025-01-31", "2025-03-31")
    assert db.audit(entity="plan", entity_id=plan_id)[0]["action"] == "ingest"


def test_unknown_ids_and_bad_values_are_clear_errors(db: Database) -> None:
    db.ingest(load_plan(TRA_VINH))
    with pytest.raises(NotFoundError, match="không có nhiệm vụ id 424242") as missing:
        db.task(424242)
    assert missing.value.what == "task" and "kehoach" not in str(missing.value)  # no command line on a page
    with pytest.raises(NotFoundError):
        db.record_value(424242, "2025-Q1", 1.0, actor="A")
    ind = db.indicators()[0]["id"]
    with pytest.raises(ValidationError, match="Kỳ báo cáo.*quý phải từ I đến IV"):
        db.record_value(ind, "Quý V/2025", 1.0, actor="A")
    with pytest.raises(ValidationError, match="Giá trị"):
        db.record_value(ind, "2025-Q1", "bảy", actor="A")
    with pytest.raises(ValidationError, match="Văn bản|document"):
        db.ingest({"format": "plan/v1", "tasks": []})
    with pytest.raises(ValidationError, match="ngày"):
        db.update_task(db.tasks()[0]["id"], actor="A", percent=1, on="31/02/2025")


def test_successor_owns_the_task_with_history(db: Database) -> None:
    plan = {
        "format": "plan/v1",
        "document": {
            "doc_type": "KẾ HOẠCH",
            "number": "12/KH-UBND",
            "issuer": "Ủy ban nhân dân tỉnh Bình Dương",
            "province": "Bình Dương",
            "issued_date": "2025-01-10",
            "title": "Cải cách hành chính năm 2025",
        },
        "tasks": [
            {
                "section": "Nhiệm vụ",
                "text": "Xây dựng kế hoạch đầu tư công năm 2025.",
                "lead": ["Sở Kế hoạch và Đầu tư"],
                "coordinate": [],
                "monitor": [],
                "deadline": {
                    "text": "Quý IV/2025",
                    "due": "2025-12-31",
                    "recurring": False,
                    "condition": None,
                },
            }
        ],
    }
    db.ingest(plan)
    task = db.tasks()[0]
    assert db.task(task["id"], as_of=date(2025, 1, 20))["owner_now"] == ["Sở Kế hoạch và Đầu tư (Bình Dương)"]
    assert db.task(task["id"], as_of=date(2025, 4, 1))["owner_now"] == ["Sở Tài chính (Bình Dương)"]
    assert db.task(task["id"], as_of=date(2026, 1, 1))["owner_now"] == ["Sở Tài chính (Thành phố Hồ Chí Minh)"]
    assert task["lead"] == ["Sở Kế hoạch và Đầu tư"]  # the document's assignment is kept
    kh = db.find_agency("so ke hoach va dau tu", province="Bình Dương")[0]
    assert [(h["name"], h["province"], h["succeeded_on"]) for h in db.agency_history(kh["id"])] == [
        ("Sở Kế hoạch và Đầu tư", "Bình Dương", "2025-03-01"),
        ("Sở Tài chính", "Bình Dương", "2025-07-01"),
        ("Sở Tài chính", "Thành phố Hồ Chí Minh", None),
    ]
    owned = {a["name"] + "/" + (a["province"] or ""): a["tasks_owned"] for a in db.agencies(date(2026, 1, 1))}
    assert owned["Sở Tài chính/Thành phố Hồ Chí Minh"] == 1 and owned["Sở Kế hoạch và Đầu tư/Bình Dương"] == 0


def test_agency_filter_follows_mergers(db: Database) -> None:
    db.ingest(load_plan(TRA_VINH))
    kh = {t["id"] for t in db.tasks(agency="Sở Kế hoạch và Đầu tư", as_of=date(2025, 2, 1))}
    # 1/8/2025: Sở Kế hoạch và Đầu tư → Sở Tài chính (1/3), Trà Vinh → Vĩnh Long (1/7)
    now = db.tasks(agency="Sở Tài chính", province="Vĩnh Long", as_of=date(2025, 8, 1))
    assert kh and kh <= {t["id"] for t in now}
    assert all("Sở Tài chính (Vĩnh Long)" in t["owner_now"] for t in now)
    assert db.tasks(agency="Sở Tài chính", province="Vĩnh Long", as_of=date(2025, 2, 1)) == []


def test_agency_filter_knows_abbreviations(db: Database) -> None:
    db.ingest(load_plan(TRA_VINH))
    full = [t["id"] for t in db.tasks(agency="Sở Kế hoạch và Đầu tư")]
    assert full and [t["id"] for t in db.tasks(agency="KH&ĐT")] == full


def test_same_plan_ingested_at_once_is_stored_once(db_url: str, db: Database) -> None:
    plan = load_plan(TRA_VINH)
    results = []
    barrier = threading.Barrier(3)

    def ingest() -> None:
        mine = Database(db_url)
        try:
            barrier.wait()
            results.append(mine.ingest(plan))
        finally:
            mine.close()

    threads = [threading.Thread(target=ingest) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.created for r in results) == [False, False, True]
    assert len({r.plan_id for r in results}) == 1 and len(db.tasks()) == 83


def test_text_search_ignores_diacritics(db: Database) -> None:
    db.ingest(load_plan(TRA_VINH))
    plain = db.tasks(text="cai cach hanh chinh")
    marked = db.tasks(text="CẢI CÁCH hành chính")
    assert plain and [t["id"] for t in plain] == [t["id"] for t in marked]


_KILL_SCRIPT = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from kehoach.store import Database

    url, plan_path, marker = sys.argv[1:4]
    db = Database.open(url)
    original = Database._add_task
    calls = 0

    def slow_add_task(self, *args, **kwargs):
        global calls
        calls += 1
        if calls == 40:  # half the plan is in the open transaction
            self_session = args[0]
            self_session.flush()
            Path(marker).write_text("mid-ingest")
            time.sleep(600)
        return original(self, *args, **kwargs)

    Database._add_task = slow_add_task
    db.ingest(json.loads(Path(plan_path).read_text("utf-8")))
""")


def test_killed_ingest_leaves_nothing_half_done(db_url: str, db: Database, tmp_path: Path) -> None:
    script = tmp_path / "ingest.py"
    script.write_text(_KILL_SCRIPT)
    marker = tmp_path / "marker"
    plan_path = Path(__file__).parent / "data" / "plans" / TRA_VINH
    env = os.environ | {"PYTHONPATH": str(Path(__file__).parent.parent)}
    proc = subprocess.Popen([sys.executable, str(script), db_url, str(plan_path), str(marker)], env=env)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the ingest process ended before the marker"
            assert time.monotonic() < deadline, "the ingest process never reached mid-ingest"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    fresh = Database.open(db_url)
    try:
        assert fresh.plans() == [] and fresh.tasks() == [] and fresh.agencies() == []
        assert fresh.ingest(load_plan(TRA_VINH)).tasks == 83
        assert len(fresh.tasks()) == 83
    finally:
        fresh.close()


def _exercise(db: Database, plans: list[dict]) -> dict:
    for p in plans:
        db.ingest(p)
    tasks = db.tasks(as_of=date(2025, 1, 1))
    db.update_task(tasks[0]["id"], actor="A", state="đang thực hiện", percent=50, on=date(2025, 4, 2))
    db.update_task(
        tasks[1]["id"],
        actor="A",
        state="hoàn thành",
        product_number="12/KH-UBND",
        on=date(2025, 6, 30),
    )
    ind = db.indicators(text="Tăng trưởng GRDP")[0]["id"]
    db.record_value(ind, "2025-H1", 7.1, actor="Cục Thống kê", cumulative=True, on=date(2025, 7, 5))
    as_of = date(2025, 9, 30)
    return {
        "plans": db.plans(),
        "tasks": db.tasks(as_of=as_of),
        "indicators": db.indicators(as_of=as_of),
        "stats": db.stats(as_of=as_of),
        "plan_stats": db.stats(as_of=as_of, by="plan"),
        "agencies": db.agencies(as_of=as_of),
        "duties": db.duties(),
        "calendar": db.calendar(date(2025, 1, 1), date(2025, 12, 31), as_of=as_of),
        "summary": db.summary(as_of=as_of),
    }


@pytest.mark.skipif(not PG_URL, reason="KEHOACH_TEST_DATABASE_URL is not set")
def test_sqlite_and_postgresql_give_identical_results(tmp_path: Path, plans: list[dict]) -> None:
    name = f"kehoach_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        lite = Database.open(f"sqlite:///{tmp_path / 'a.db'}")
        pg = Database.open(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
        a, b = _exercise(lite, plans), _exercise(pg, plans)
        lite.close()
        pg.close()
        for key in a:
            assert json.dumps(a[key], ensure_ascii=False, sort_keys=True) == json.dumps(
                b[key], ensure_ascii=False, sort_keys=True
            ), key
        assert a["summary"]["tasks"] == 75 + 83 + 125
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_run_once_and_are_named(db_url: str, db: Database) -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(Path(store.__file__).parent / "migrations"))
    with db.engine.connect() as conn:
        current = conn.execute(text("select version_num from alembic_version")).scalar()
    assert current == scripts.get_current_head()
    assert "0001_initial" in {r.revision for r in scripts.walk_revisions()}
    Database.open(db_url).close()  # opening again is a no-op


def test_transaction_lands_whole_or_not_at_all(db: Database) -> None:
    db.ingest(load_plan(TRA_VINH))
    a, b = (t["id"] for t in db.tasks()[:2])
    with pytest.raises(ValidationError), db.transaction() as tx:
        tx.update_task(a, actor="A", percent=10, on=date(2025, 3, 1))
        tx.update_task(b, actor="A", percent=200, on=date(2025, 3, 1))
    assert db.task(a)["updates"] == [] and db.audit(entity="task") == []
    with db.transaction() as tx:
        tx.update_task(a, actor="A", percent=10, on=date(2025, 3, 1))
        tx.update_task(b, actor="A", percent=20, on=date(2025, 3, 1))
    assert (db.task(a)["percent"], db.task(b)["percent"]) == (10, 20)


def test_user_succession_file_and_refresh(db_url: str, db: Database) -> None:
    db.ingest(load_plan(TRA_VINH))
    (data_dir() / "succession.csv").write_text(
        "predecessor,successor,effective,province,note\n"
        "Ban Quản lý Khu kinh tế,Sở Công Thương,2025-10-01,Vĩnh Long,Quyết định của tỉnh (ví dụ)\n",
        "utf-8",
    )
    fresh = Database.open(db_url)  # reads the user's file
    try:
        assert fresh.refresh_succession(actor="Quản trị") >= 1
        ban = next(
            a
            for a in fresh.agencies(as_of=date(2026, 1, 1))
            if a["name"] == "Ban Quản lý Khu kinh tế" and a["province"] == "Trà Vinh"
        )
        assert ban["current"] == "Sở Công Thương (Vĩnh Long)"
        assert fresh.audit(entity="agency")[-1]["actor"] == "Quản trị"
    finally:
        fresh.close()


def test_agencies_have_their_known_aliases(db: Database) -> None:
    db.ingest(load_plan(TRA_VINH))
    found = db.find_agency("SKHĐT")
    assert [(a["name"], a["province"]) for a in found] == [("Sở Kế hoạch và Đầu tư", "Trà Vinh")]
    assert db.find_agency("ubnd cac huyen")[0]["name"] == "Ủy ban nhân dân cấp huyện"


def test_models_and_migrations_agree(db: Database) -> None:
    """Every table, the web's and the evidence files' too: the models Alembic sees (it imports
    `kehoach.store` only) are every table the migrations make, and autogenerate finds nothing to do."""
    import importlib
    import pkgutil

    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import inspect

    import kehoach
    from kehoach.store import Base

    seen = subprocess.run(
        [sys.executable, "-c", "import kehoach.store as s; print(' '.join(sorted(s.Base.metadata.tables)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    made = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert {"web_users", "web_drafts", "web_comments", "web_notifications", "web_reminders"} <= made
    assert set(seen) == made, "tables Alembic would not see (or would drop): import their models in kehoach.store"
    for m in pkgutil.walk_packages(kehoach.__path__, "kehoach."):  # whatever else defines a model
        if ".migrations" not in m.name:
            importlib.import_module(m.name)
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == [], "models and migrations differ: write the migration"


def test_unknown_agency_in_a_filter_is_an_error(db: Database) -> None:
    db.ingest(load_plan(TRA_VINH))
    with pytest.raises(NotFoundError, match="không có cơ quan nào tên"):
        db.tasks(agency="Sở Không Tồn Tại")
    with pytest.raises(NotFoundError, match="không có cơ quan nào tên"):
        db.calendar(date(2025, 1, 1), date(2025, 12, 31), agency="Sở Không Tồn Tại")


def test_revision_keeps_indicator_values_and_reports(db: Database) -> None:
    plan = load_plan(TRA_VINH)
    db.ingest(plan)
    grdp = db.indicators(text="Tăng trưởng GRDP")[0]["id"]
    db.record_value(grdp, "2025-H1", 7.1, cumulative=True, actor="Cục Thống kê", on=date(2025, 7, 5))
    monthly = next(d for d in db.duties() if d["reporters"] == ["Sở Kế hoạch và Đầu tư"])
    db.submit_report(monthly["id"], "Sở Kế hoạch và Đầu tư", "2025-01", date(2025, 1, 18), actor="A")
    revised = copy.deepcopy(plan)
    revised["indicators"] = revised["indicators"][:10]  # a shorter table in the new version
    revised["tasks"][0]["text"] += " Báo cáo kết quả trước ngày 15/12/2025."  # reworded
    assert db.ingest(revised).version == 2
    assert db.indicator(grdp, as_of=date(2025, 8, 1))["latest"]["value"] == 7.1
    assert len(db.indicators()) == sum(len(r["targets"]) for r in revised["indicators"])
    cal = db.calendar(date(2025, 1, 1), date(2025, 1, 31), as_of=date(2025, 2, 1), agency="ke hoach va dau tu")
    assert [(c["period"], c["state"]) for c in cal] == [("2025-01", "đúng hạn")]


def test_default_url_and_no_connection_before_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_DATA_DIR", str(tmp_path / "data"))
    assert store.default_url() == f"sqlite:///{tmp_path / 'data' / 'kehoach.db'}"
    monkeypatch.setenv("KEHOACH_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    unreachable = Database()  # constructing connects to nothing
    assert unreachable.url.endswith("/none")
    unreachable.close()


def test_postgresql_connections_do_not_compile_queries(db: Database) -> None:
    """JIT compiling cost a page's short queries tens of milliseconds each over a national
    register (once their estimated cost passed `jit_above_cost`) and saved nothing."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW jit").scalar() == "off"


def test_postgresql_plans_each_query_for_its_values(db: Database) -> None:
    """psycopg prepares a statement run five times; PostgreSQL would then settle on a generic
    plan, blind to the values (a province's counts nationally 9 → 68 ms). Never: each execution
    of a prepared statement is planned for its own values."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with db.engine.connect() as conn:
        for k in range(12):
            conn.execute(select(Plan.id).where(Plan.province == f"Tỉnh {k % 3}")).all()
        prepared = text("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE :s")
        plans = conn.execute(prepared, {"s": "%plans.province%"}).all()
    assert plans, "the statement was prepared"
    assert all(generic == 0 and custom >= 6 for generic, custom in plans), plans
