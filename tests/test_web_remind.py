"""Reminders against a local SMTP server (aiosmtpd): one digest per department, sent once."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from datetime import date
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from test_web_kit import Site, make_site
from typer.testing import CliRunner

from kehoach.cli import app as cli
from kehoach.store import Database
from kehoach.web import Settings, remind


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def site(db: Database, monkeypatch: pytest.MonkeyPatch) -> Site:
    return make_site(db, monkeypatch)


def _body(m: Message) -> str:
    payload = m.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(m.get_content_charset() or "utf-8")


def test_one_digest_per_department_by_mail_and_in_app(site: Site, smtp: tuple) -> None:
    inbox, port = smtp
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, remind_days=14, base_url="http://kehoach.test")
    result = remind.run(site.db, settings, date(2025, 6, 16))
    by_agency = {(d["agency"], d["province"]): d for d in result["digests"]}
    # Sở Tài chính: its task due 30/06 and its monthly report due 20/06; Sở Công Thương: its
    # task due 25/06 and its report.
    # Trà Vinh's departments are Vĩnh Long's since 1 July 2025: their officers read them.
    assert by_agency["Sở Tài chính", "Trà Vinh"]["emailed_to"] == ["tc_vl@example.gov.vn"]
    assert by_agency["Sở Công Thương", "Trà Vinh"]["emailed_to"] == ["ct_vl@example.gov.vn"]
    assert by_agency["Sở Tài chính", "An Giang"]["emailed_to"] == ["tc_ag@example.gov.vn"]
    to = sorted(m["To"] for m in inbox.messages)
    assert to == ["ct_vl@example.gov.vn", "tc_ag@example.gov.vn", "tc_vl@example.gov.vn"]
    tc = next(m for m in inbox.messages if m["To"] == "tc_vl@example.gov.vn")
    body = _body(tc)
    assert "Sắp đến hạn (1):" in body and "30/06/2025" in body
    assert "giải ngân vốn đầu tư công" in body
    assert f"http://kehoach.test/tasks/{site.tasks['tc']}" in body
    assert "Sắp đến hạn báo cáo (1):" in body and "Báo cáo kỳ 2025-06" in body
    # in the application too
    c = site.client("tc_vl")
    notes = c.get("/api/notifications").json()
    assert notes["unread"] == 1 and "Sở Tài chính" in notes["notifications"][0]["subject"]
    assert site.client("ct_vl").get("/api/notifications").json()["unread"] == 1
    # the synthesizing office sees who was reminded of what
    log = site.client("office_vl").get("/api/reminders").json()["reminders"]
    assert {(r["agency"], r["kind"]) for r in log} >= {
        ("Sở Tài chính", "due_soon"),
        ("Sở Công Thương", "due_soon"),
        ("Sở Tài chính", "report"),
    }
    assert {r["province"] for r in log} == {"Trà Vinh"}
    assert {r["province"] for r in site.client("office_ag").get("/api/reminders").json()["reminders"]} == {"An Giang"}
    # sent once: the same day again sends nothing
    again = remind.run(site.db, settings, date(2025, 6, 16))
    assert again["digests"] == [] and len(inbox.messages) == 3


def test_overdue_is_reminded_the_day_after_and_weekly(site: Site, smtp: tuple) -> None:
    inbox, port = smtp
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, remind_days=3)
    office_task = site.tasks["office"]  # due 31/03/2025, nobody has an account there

    def overdue_keys(day: date) -> list[str]:
        run = remind.run(site.db, settings, day)
        assert run is not None
        return [
            r["text"]
            for r in remind.log(site.db)
            if r["task_id"] == office_task and r["on"] == day.isoformat() and r["kind"] == "overdue"
        ]

    assert overdue_keys(date(2025, 4, 1))
    assert not overdue_keys(date(2025, 4, 3))
    assert overdue_keys(date(2025, 4, 8))
    assert not overdue_keys(date(2025, 4, 9))
    assert inbox.messages == [] or all("Văn phòng" not in m["To"] for m in inbox.messages)


def test_remind_command(site: Site, smtp: tuple, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, port = smtp
    monkeypatch.setenv("KEHOACH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KEHOACH_SMTP_PORT", str(port))
    r = CliRunner().invoke(cli, ["remind", "--db", db_url, "--as-of", "2025-06-16"])
    assert r.exit_code == 0, r.output
    assert "Sở Tài chính" in r.output and "tc_vl@example.gov.vn" in r.output
    assert len(inbox.messages) == 3


def test_two_runs_at_once_send_each_reminder_once(site: Site, smtp: tuple) -> None:
    """Two processes (cron on two servers, say) that both read 'not sent yet' send nothing twice:
    each reminder is claimed in the register before its e-mail goes."""
    inbox, port = smtp
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, remind_days=14)
    due = remind.due_items(site.db, date(2025, 6, 16), settings.remind_days)
    digest = remind.Digest(due[0].agency, due[0].province, items=due)
    with remind.session(site.db) as s:
        first = remind._claim(s, digest, date(2025, 6, 16))
    with remind.session(site.db) as s:
        second = remind._claim(s, digest, date(2025, 6, 16))
    assert first == {i.key for i in due} and second == set()
    # the run that read the same 'not sent' list after the claim sends none of it
    result = remind.run(site.db, settings, date(2025, 6, 16))
    assert result["digests"] == [] and inbox.messages == []


def test_a_failed_mail_gives_its_reminders_back(site: Site) -> None:
    closed = _free_port()  # nothing listens there: the SMTP connection is refused
    settings = Settings(smtp_host="127.0.0.1", smtp_port=closed, remind_days=14)
    with pytest.raises(OSError):
        remind.run(site.db, settings, date(2025, 6, 16))
    assert remind.log(site.db) == []  # nothing recorded as sent: the next run sends it
    assert remind.run(site.db, Settings(remind_days=14), date(2025, 6, 16))["items"] > 0
