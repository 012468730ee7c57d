"""Reminders (đôn đốc): one digest per department of what is coming due or overdue.

Each thing is reminded once per occasion (a unique key per task, deadline and week, or per
report and period), so `kehoach remind` can run daily from cron: N days before a task's
deadline, the day after it passes and weekly while it stays overdue, and N days before each
reporting deadline. Officers of the department get an e-mail (when SMTP is configured) and
an in-app notification; the synthesizing office reads the log.
"""

from __future__ import annotations

import smtplib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..settings import Settings
from ..store import Database
from ..store.web import Notification, Reminder, iso, now, session
from ..track import Status
from ..vn import fmt_date, fold
from .accounts import Principal, officers_by_agency

KIND_VI = {
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn chưa hoàn thành",
    "report": "Sắp đến hạn báo cáo",
}


@dataclass
class Item:
    key: str
    kind: str
    agency: str
    province: str
    text: str
    due: date | None
    task_id: int | None = None
    duty_id: int | None = None
    period: str | None = None
    also: list[tuple[str, str]] = field(default_factory=list)  # the names the plan gave


@dataclass
class Digest:
    agency: str
    province: str
    items: list[Item] = field(default_factory=list)
    recipients: list[Principal] = field(default_factory=list)

    def subject(self) -> str:
        return f"[kehoach] Đôn đốc {self.agency}: {len(self.items)} việc cần chú ý"

    def body(self, base_url: str) -> str:
        lines = [
            f"Kính gửi {self.agency},",
            "",
            "Hệ thống theo dõi kế hoạch xin nhắc các việc sau:",
            "",
        ]
        for kind in KIND_VI:
            items = [i for i in self.items if i.kind == kind]
            if not items:
                continue
            lines.append(f"{KIND_VI[kind]} ({len(items)}):")
            for i in items:
                link = f" {base_url}/tasks/{i.task_id}" if i.task_id else ""
                lines.append(f"  - hạn {fmt_date(i.due)}: {i.text[:200]}{link}")
            lines.append("")
        lines.append(f"Xem và cập nhật tại {base_url}/tasks/mine")
        return "\n".join(lines)


def _owner_split(owner: str) -> tuple[str, str]:
    """`Sở Tài chính (Vĩnh Long)` → (`Sở Tài chính`, `Vĩnh Long`)."""
    if owner.endswith(")") and " (" in owner:
        name, prov = owner[:-1].rsplit(" (", 1)
        return name, prov
    return owner, ""


def _tasks(db: Database, as_of: date, plan_ids: list[int], chunk: int = 500) -> Iterator[dict]:
    """Every task, a few hundred plans at a time: a country's register is not held at once."""
    for i in range(0, len(plan_ids), chunk):
        yield from db.tasks(as_of=as_of, plans=plan_ids[i : i + chunk])


def due_items(db: Database, as_of: date, days: int = 7) -> list[Item]:
    """Everything to remind of on `as_of`."""
    items: list[Item] = []
    provinces = {p["id"]: p["province"] or "" for p in db.plans()}
    for t in _tasks(db, as_of, sorted(provinces)):
        if t["status"] in (Status.DONE_ON_TIME.value, Status.DONE_LATE.value) or not t["due"]:
            continue
        if t["recurring"]:
            continue
        due = date.fromisoformat(t["due"])
        left = (due - as_of).days
        if 0 <= left <= days:
            kind, key = "due_soon", f"due:{t['id']}:{t['due']}"
        elif left < 0:
            week = (-left - 1) // 7
            kind, key = "overdue", f"overdue:{t['id']}:{t['due']}:{week}"
        else:
            continue
        also = [(fold(n), provinces.get(t["plan_id"], "")) for n in t["lead"]]
        for owner in t["owner_now"]:
            name, prov = _owner_split(owner)
            # the department that holds the duty today reads the reminder, after any merger
            now_name, now_prov, _ = db.registry.resolve(name, prov or None, db.today())
            also = [(fold(now_name), now_prov or ""), *also]
            items.append(Item(f"{key}:{fold(owner)}", kind, name, prov, t["text"], due, t["id"], also=also))
    # the calendar spans periods by their end; a report may fall due before or after it
    for r in db.calendar(as_of - timedelta(days=92), as_of + timedelta(days=days + 92), as_of=as_of):
        left = (date.fromisoformat(r["due"]) - as_of).days
        if r["state"] != "sắp tới" or not 0 <= left <= days:
            continue
        key = f"report:{r['duty_id']}:{r['period']}:{r['agency_id']}"
        text = f"Báo cáo kỳ {r['period']} gửi {r['recipient'] or 'cơ quan tổng hợp'}"
        now_name, now_prov, _ = db.registry.resolve(r["agency"], r["province"], db.today())
        items.append(
            Item(
                key,
                "report",
                r["agency"],
                r["province"] or "",
                text,
                date.fromisoformat(r["due"]),
                None,
                r["duty_id"],
                r["period"],
                also=[(fold(now_name), now_prov or "")],
            )
        )
    return items


def send(settings: Settings, digest: Digest) -> list[str]:
    """E-mail the digest to the department's officers; the addresses it went to."""
    to = [u.email for u in digest.recipients if u.email]
    if not settings.smtp_host or not to:
        return []
    msg = EmailMessage()
    msg["Subject"] = digest.subject()
    msg["From"] = settings.mail_from
    msg["To"] = ", ".join(to)
    msg.set_content(digest.body(settings.base_url))
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(msg)
    return to


def run(db: Database, settings: Settings, as_of: date | None = None) -> dict:
    """Send what is due and not yet sent: one digest per department. Returns a summary."""
    as_of = as_of or db.today()
    with session(db) as s:
        sent = set(s.scalars(select(Reminder.key)))
    officers = officers_by_agency(db)
    digests: dict[tuple[str, str], Digest] = {}
    for item in due_items(db, as_of, settings.remind_days):
        if item.key in sent:
            continue
        sent.add(item.key)
        k = (fold(item.agency), item.province)
        dg = digests.setdefault(k, Digest(item.agency, item.province))
        dg.items.append(item)
        if not dg.recipients:
            for alt in [k, *item.also]:
                dg.recipients = officers.get(alt, [])
                if dg.recipients:
                    break
    out = []
    for dg in digests.values():
        dg.items.sort(key=lambda i: (list(KIND_VI).index(i.kind), i.due or date.max))
        with session(db) as s:  # claimed first: another process running at once sends none of these
            claimed = _claim(s, dg, as_of)
        dg.items = [i for i in dg.items if i.key in claimed]
        if not dg.items:
            continue
        try:
            emailed = send(settings, dg)
        except Exception:  # not sent: given back, for the next run to send
            with session(db) as s:
                s.execute(delete(Reminder).where(Reminder.key.in_(claimed)))
            raise
        with session(db) as s:
            for u in dg.recipients:
                s.add(
                    Notification(
                        user_id=u.id,
                        subject=dg.subject(),
                        body=dg.body(settings.base_url),
                        link="/tasks/mine",
                        created_at=now(),
                    )
                )
            if emailed:
                s.execute(update(Reminder).where(Reminder.key.in_(claimed)).values(emailed_to=emailed))
        out.append(
            {
                "agency": dg.agency,
                "province": dg.province or None,
                "items": len(dg.items),
                "emailed_to": emailed,
                "notified": len(dg.recipients),
            }
        )
    return {"as_of": as_of.isoformat(), "digests": out, "items": sum(d["items"] for d in out)}


def _claim(s: Session, dg: Digest, as_of: date) -> set[str]:
    """Record the digest's reminders as sent, each unless its key is there already (another
    process claimed it); the keys this call claimed."""
    rows = [
        {
            "key": i.key,
            "agency": i.agency,
            "province": i.province or None,
            "kind": i.kind,
            "task_id": i.task_id,
            "duty_id": i.duty_id,
            "period": i.period,
            "due": i.due,
            "text": i.text[:2000],
            "on": as_of,
            "emailed_to": [],
            "notified": len(dg.recipients),
            "sent_at": now(),
        }
        for i in dg.items
    ]
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(Reminder).values(rows).on_conflict_do_nothing(index_elements=["key"]).returning(Reminder.key)
    return set(s.scalars(stmt))


def log(db: Database, provinces: set[str] | None = None, limit: int = 500) -> list[dict]:
    """Who was reminded of what, newest first (provinces: those the reader may see)."""
    q = select(Reminder).order_by(Reminder.id.desc()).limit(limit)
    if provinces is not None:  # in SQL: in a country's log, a province's are a few in many
        named = Reminder.province.in_(sorted(provinces))
        q = q.where(or_(named, Reminder.province.is_(None)) if "" in provinces else named)
    with session(db) as s:
        rows = list(s.scalars(q))
    return [
        {
            "id": r.id,
            "agency": r.agency,
            "province": r.province,
            "kind": r.kind,
            "kind_vi": KIND_VI.get(r.kind, r.kind),
            "task_id": r.task_id,
            "duty_id": r.duty_id,
            "period": r.period,
            "due": iso(r.due),
            "text": r.text,
            "on": iso(r.on),
            "emailed_to": r.emailed_to,
            "notified": r.notified,
            "sent_at": iso(r.sent_at),
        }
        for r in rows
    ]


def digests_by_agency(items: list[Item]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for i in items:
        counts[i.agency] += 1
    return dict(counts)
