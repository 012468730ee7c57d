"""The tracking commands, run in process against a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehoach.cli import app
from kehoach.vn import fold

PLANS = sorted((Path(__file__).parent / "data" / "plans").glob("*.json"))


@pytest.fixture
def run(db_url: str):
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True) -> str:
        result = runner.invoke(app, [*args, "--db", db_url], env={"COLUMNS": "200", "KEHOACH_USER": "Tester"})
        assert (result.exit_code == 0) is ok, result.output
        return result.output

    return invoke


def as_json(output: str) -> list[dict]:
    rows = json.loads(output)
    assert isinstance(rows, list) and all("id" in r for r in rows)
    return rows


def test_ingest_twice_then_list(run) -> None:
    first = as_json(run("ingest", *map(str, PLANS), "--json"))
    again = as_json(run("ingest", str(PLANS[0].parent), "--json"))  # a folder: its files
    assert [r["created"] for r in first] == [True] * 3
    assert [r["created"] for r in again] == [False] * 3
    plans = as_json(run("plans", "--json"))
    assert [p["tasks"] for p in plans] == [75, 83, 125]
    assert "77/QĐ-UBND" in run("plans")


def test_tasks_filters(run) -> None:
    run("ingest", *map(str, PLANS))
    by_agency = as_json(run("tasks", "--agency", "so ke hoach va dau tu", "--as-of", "2025-02-01", "--json"))
    assert by_agency and all(any("Kế hoạch và Đầu tư" in a for a in t["lead"]) for t in by_agency)
    overdue = as_json(run("tasks", "--status", "quá hạn", "--as-of", "2025-02-15", "--plan", "2", "--json"))
    assert [t["deadline_text"] for t in overdue] == ["Trước ngày 31/01/2025"]
    found = as_json(run("tasks", "-q", "chuyen doi so", "--json"))
    # "chuyên đổi số", the document's typo, is found too: diacritics are ignored
    assert found and all("chuyen doi so" in fold(t["text"]) for t in found)
    assert as_json(run("tasks", "--due-before", "2025-02-01", "--json"))[0]["due"] == "2025-01-31"
    soon = as_json(run("tasks", "-s", "sắp", "--soon-days", "30", "--as-of", "2025-01-05", "--plan", "2", "--json"))
    assert [t["due"] for t in soon] == ["2025-01-31"]
    assert "không hợp lệ" in run("tasks", "--status", "xong", ok=False)


def test_update_value_and_errors(run) -> None:
    run("ingest", str(PLANS[1]))
    task = as_json(run("tasks", "--json"))[0]
    out = as_json(
        run(
            "update",
            str(task["id"]),
            "--status",
            "đang thực hiện",
            "--percent",
            "40",
            "--on",
            "2025-03-01",
            "--json",
        )
    )
    assert (out[0]["percent"], out[0]["version"]) == (40, 2)
    stale = run("update", str(task["id"]), "--percent", "50", "--version", "1", ok=False)
    assert "người khác" in stale
    assert "sản phẩm" in run("update", str(task["id"]), "--status", "hoàn thành", ok=False)
    assert "percent" in run("update", str(task["id"]), "--percent", "140", ok=False)
    assert "kehoach tasks" in run("update", "999999", "--percent", "5", ok=False)
    done = as_json(
        run(
            "update",
            str(task["id"]),
            "--status",
            "hoàn thành",
            "--product",
            "88/KH-SKHĐT",
            "--on",
            "2025-04-01",
            "--json",
        )
    )
    assert done[0]["product_number"] == "88/KH-SKHĐT"
    grdp = as_json(run("indicators", "-q", "tang truong grdp", "--json"))[0]
    value = as_json(run("value", str(grdp["id"]), "2025-H1", "7.1", "--cumulative", "--json"))
    assert value[0]["latest"]["value"] == 7.1
    assert "quý phải từ I đến IV" in run("value", str(grdp["id"]), "Quý V", "7", ok=False)


def test_calendar_agencies_stats(run) -> None:
    run("ingest", *map(str, PLANS))
    rows = as_json(
        run(
            "calendar",
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--as-of",
            "2025-02-10",
            "--json",
        )
    )
    assert rows and {r["state"] for r in rows} <= {"quá hạn", "sắp tới"}
    duties = as_json(run("calendar", "--duties", "--json"))
    quarterly = next(d for d in duties if d["frequency"] == "quarterly" and d["day"] == 15)
    sent = as_json(
        run(
            "submit",
            str(quarterly["id"]),
            "2025-Q3",
            "--agency",
            "sở y tế",  # a group duty ("các sở, ban, ngành") is owed by each of the plan's lead agencies
            "--on",
            "2025-09-12",
            "--json",
        )
    )
    assert sent[0]["period"] == "2025-Q3"
    rates = as_json(run("calendar", "--rates", "--as-of", "2025-10-01", "--json"))
    assert any(r["on_time"] == 1 for r in rates)
    edited = as_json(run("duty", str(quarterly["id"]), "--day", "10", "--dates", "2025-11-10", "--json"))
    assert (edited[0]["day"], edited[0]["extra_dates"]) == (10, ["2025-11-10"])
    assert "tùy chọn --frequency" in run("duty", str(quarterly["id"]), "--frequency", "weekly", ok=False)
    agencies = as_json(run("agencies", "-q", "ke hoach va dau tu", "--as-of", "2026-01-01", "--json"))
    assert agencies[0]["current"] == "Sở Tài chính (Vĩnh Long)"
    ranking = as_json(run("stats", "--as-of", "2026-01-15", "--json"))
    assert ranking[0]["total"] >= 1 and "on_time_rate" in ranking[0]
    assert {r["id"] for r in as_json(run("stats", "--by-plan", "--json"))} == {1, 2, 3}


def test_demo_ingests_the_samples_and_summarises(run) -> None:
    out = run("demo")
    assert "Sổ theo dõi" in out and "Nhiệm vụ theo cơ quan chủ trì" in out
    summary = json.loads(run("demo", "--json", "--as-of", "2025-08-01"))
    assert len(summary["plans"]) == 3  # the second run stores nothing new
    assert summary["tasks"] > 0 and sum(summary["statuses"].values()) == summary["tasks"]


def test_update_extends_and_marks_events(run) -> None:
    run("ingest", *map(str, PLANS))
    task = as_json(run("tasks", "-q", "truoc ngay 31/01/2025", "--json"))[0]
    assert "Người cho gia hạn" in run("update", str(task["id"]), "--extend", "2025-03-31", ok=False)
    out = as_json(
        run(
            "update",
            str(task["id"]),
            "--extend",
            "2025-03-31",
            "--granted-by",
            "Chủ tịch UBND tỉnh",
            "--on",
            "2025-01-20",
            "--json",
        )
    )
    assert out[0]["due"] == "2025-03-31"
    waiting = as_json(run("tasks", "--status", "chờ", "--json"))[0]
    marked = as_json(run("update", str(waiting["id"]), "--event-on", "2026-02-01", "--json"))
    assert marked[0]["condition_met_on"] == "2026-02-01" and marked[0]["due"] == "2026-03-03"
