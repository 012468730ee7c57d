"""The demonstration: the bundled sample plans, some progress, figures and accounts."""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from .. import DATA
from ..errors import KehoachError
from ..extract import extract_path
from ..store import Database
from ..track import ValidationError
from ..track.growth import parse_scenario
from ..vn import Period, fold
from . import accounts
from .summary import growth_indicators

SAMPLES = DATA / "samples"
PASSWORD = "demo-kehoach"
ACCOUNTS = (
    ("quantri", "admin", "Quản trị hệ thống", None, None),
    ("vanphong.vinhlong", "office", "Văn phòng UBND tỉnh Vĩnh Long", "Vĩnh Long", None),
    ("lanhdao.vinhlong", "leader", "Lãnh đạo UBND tỉnh Vĩnh Long", "Vĩnh Long", None),
    ("taichinh.vinhlong", "officer", "Cán bộ Sở Tài chính", "Vĩnh Long", "Sở Tài chính"),
    ("congthuong.vinhlong", "officer", "Cán bộ Sở Công Thương", "Vĩnh Long", "Sở Công Thương"),
    ("vanphong.angiang", "office", "Văn phòng UBND tỉnh An Giang", "An Giang", None),
)
# Quarterly growth (%) entered for the Trà Vinh plan's growth indicators: Q1..Q4 and the year.
GROWTH = {
    "tong san pham": [6.9, 7.2, 7.4, 7.8, 7.35],
    "nong nghiep": [2.1, 2.5, 2.6, 2.9, 2.5],
    "cong nghiep": [11.8, 9.1, 10.2, 11.5, 10.6],
    "dich vu": [6.8, 7.6, 7.9, 8.1, 7.6],
}


def ingest_samples(db: Database, actor: str = "demo") -> list[dict]:
    """Extract and store each sample; a sample that fails is reported, not fatal."""
    out = []
    for path in sorted(SAMPLES.glob("*.txt")):
        try:
            plan = extract_path(path)
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            r = db.ingest(plan, source_text_hash=digest, source_name=path.name, actor=actor)
        except KehoachError as e:
            out.append({"source": path.name, "created": False, "error": str(e)})
            continue
        out.append(r.as_dict() | {"source": path.name})
    return out


def _progress(db: Database, plan_id: int, today: date) -> None:
    """Deterministic progress on a plan's tasks, as departments would have reported it."""
    rnd = random.Random(plan_id)
    for t in db.tasks(plan=plan_id, as_of=today):
        if t["recurring"] or not t["lead"]:
            continue
        due = date.fromisoformat(t["due"]) if t["due"] else today
        roll = rnd.random()
        start = min(due, today) - timedelta(days=rnd.randint(60, 120))
        try:
            db.update_task(
                t["id"],
                actor="demo",
                state="in_progress",
                percent=float(rnd.choice((20, 30, 40, 50))),
                on=start,
                narrative="Đã xây dựng kế hoạch triển khai, phân công thực hiện.",
            )
            if roll < 0.45:
                on = min(due, today) - timedelta(days=rnd.randint(0, 20))
                db.update_task(
                    t["id"],
                    actor="demo",
                    state="done",
                    on=on,
                    product_number=f"{rnd.randint(10, 999)}/BC-STC",
                    narrative="Đã hoàn thành, có văn bản báo cáo kết quả.",
                )
            elif roll < 0.6:
                on = min(due + timedelta(days=rnd.randint(5, 40)), today)
                db.update_task(
                    t["id"],
                    actor="demo",
                    state="done",
                    on=on,
                    product_number=f"{rnd.randint(10, 999)}/QĐ-UBND",
                )
            elif roll < 0.85:
                db.update_task(
                    t["id"],
                    actor="demo",
                    state="in_progress",
                    percent=float(rnd.choice((60, 70, 80, 90))),
                    on=min(start + timedelta(days=45), today),
                    difficulties="Nguồn vốn bố trí chậm.",
                    proposals="Đề nghị Sở Tài chính sớm tham mưu bố trí vốn.",
                )
        except KehoachError:
            continue


def _figures(db: Database, plan_id: int, year: int) -> None:
    scenarios = db.plan_data(plan_id).get("scenarios") or []
    if not scenarios:
        return
    carriers = growth_indicators(db.indicators(plan=plan_id), parse_scenario(scenarios[0]))
    periods = [f"{year}-Q{q}" for q in (1, 2, 3, 4)] + [str(year)]
    for row, ind in carriers.items():
        values = next((v for k, v in GROWTH.items() if fold(row).startswith(k)), None)
        for period, value in zip(periods, values or [], strict=False):
            on = date(year + (period == str(year)), 1, 20) if period == str(year) else None
            db.record_value(
                ind["id"], period, value, actor="demo", kind="official", on=on or cal_end(period) + timedelta(days=20)
            )


def cal_end(period: str) -> date:
    return Period.parse(period).end


def _reports(db: Database, plan_id: int, today: date) -> None:
    """Most monthly reports of the plan's first months sent, a few late, the rest missing."""
    rnd = random.Random(plan_id * 7)
    for r in db.calendar(date(2025, 1, 1), date(2025, 10, 31), plan=plan_id, as_of=today):
        if r["frequency"] != "monthly" or rnd.random() < 0.2:
            continue
        due = date.fromisoformat(r["due"])
        on = (
            due - timedelta(days=rnd.randint(0, 3)) if rnd.random() < 0.75 else due + timedelta(days=rnd.randint(2, 10))
        )
        try:
            db.submit_report(r["duty_id"], r["agency"], r["period"], on, actor="demo")
        except KehoachError:
            continue


def build(db: Database, today: date | None = None) -> dict:
    """Load the samples and demo data once (idempotent); make sure the accounts exist."""
    today = today or db.today()
    results = ingest_samples(db)
    for r in results:
        if r.get("created"):
            plan = db.plan(r["id"])
            _progress(db, r["id"], today)
            _reports(db, r["id"], today)
            if plan["number"] == "77/QĐ-UBND":
                _figures(db, r["id"], 2025)
    made = []
    existing = {u["username"] for u in accounts.users(db)}
    for username, role, name, province, agency in ACCOUNTS:
        if username not in existing:
            try:
                accounts.create_user(
                    db,
                    username,
                    PASSWORD,
                    role=role,
                    name=name,
                    province=province,
                    agency=agency,
                    email=f"{username}@example.gov.vn",
                    actor="demo",
                )
            except ValidationError:
                continue
        made.append(
            {
                "username": username,
                "password": PASSWORD,
                "role": role,
                "province": province,
                "agency": agency,
            }
        )
    return {"plans": results, "accounts": made}
