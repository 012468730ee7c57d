"""Shared setup for the web tests (no tests here): a small two-province register, accounts, a logged-in client."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kehoach.store import Database
from kehoach.web import Settings, accounts, create_app

PASSWORD = "mat-khau-thu"
AS_OF = "2025-06-20"


def _task(text: str, lead: list[str], coordinate: list[str], due: str | None) -> dict:
    deadline = {"text": due, "due": due, "recurring": False, "condition": None} if due else None
    return {
        "section": "Nhiệm vụ trọng tâm",
        "text": text,
        "lead": lead,
        "coordinate": coordinate,
        "monitor": [],
        "deadline": deadline,
    }


TRA_VINH_PLAN: dict[str, Any] = {
    "format": "plan/v1",
    "source": "kh-1.txt",
    "document": {
        "doc_type": "KẾ HOẠCH",
        "number": "1/KH-UBND",
        "issuer": "Ủy ban nhân dân tỉnh Trà Vinh",
        "province": "Trà Vinh",
        "issued_date": "2025-01-10",
        "title": "Thực hiện nhiệm vụ năm 2025",
    },
    "tasks": [
        _task(
            "Đẩy nhanh tiến độ giải ngân vốn đầu tư công năm 2025.", ["Sở Tài chính"], ["Sở Công Thương"], "2025-06-30"
        ),
        _task("Phát triển thương mại điện tử, mở rộng thị trường xuất khẩu.", ["Sở Công Thương"], [], "2025-09-30"),
        _task(
            "Rà soát cơ chế hỗ trợ doanh nghiệp công nghiệp hỗ trợ.", ["Sở Công Thương"], ["Sở Tài chính"], "2025-06-25"
        ),
        _task("Tổng kết thực hiện kế hoạch.", ["Văn phòng Ủy ban nhân dân tỉnh"], [], "2025-03-31"),
    ],
    "indicators": [
        {
            "group": "Chỉ tiêu kinh tế",
            "text": "Thu ngân sách đạt 7.000 tỷ đồng",
            "agency": ["Sở Tài chính"],
            "year": "2025",
            "targets": [
                {
                    "name": "Thu ngân sách đạt",
                    "comparator": ">=",
                    "value": 7000,
                    "min": None,
                    "max": None,
                    "unit": "tỷ đồng",
                }
            ],
        },
        {
            "group": "Chỉ tiêu kinh tế",
            "text": "Kim ngạch xuất khẩu đạt 1.500 triệu USD",
            "agency": ["Sở Công Thương"],
            "year": "2025",
            "targets": [
                {
                    "name": "Kim ngạch xuất khẩu đạt",
                    "comparator": ">=",
                    "value": 1500,
                    "min": None,
                    "max": None,
                    "unit": "triệu USD",
                }
            ],
        },
    ],
    "scenarios": [],
    "reporting": [
        {
            "reporters": ["Sở Tài chính", "Sở Công Thương"],
            "recipient": "Văn phòng Ủy ban nhân dân tỉnh",
            "frequency": "monthly",
            "deadlines": [],
            "text": "Định kỳ hằng tháng báo cáo kết quả thực hiện.",
        },
    ],
}

AN_GIANG_PLAN: dict[str, Any] = copy.deepcopy(TRA_VINH_PLAN) | {"source": "kh-2.txt"}
AN_GIANG_PLAN["document"] = TRA_VINH_PLAN["document"] | {
    "number": "2/KH-UBND",
    "issuer": "Ủy ban nhân dân tỉnh An Giang",
    "province": "An Giang",
}

# (username, role, province, agency)
USERS = (
    ("admin", "admin", None, None),
    ("office_vl", "office", "Vĩnh Long", None),
    ("office_ag", "office", "An Giang", None),
    ("leader_vl", "leader", "Vĩnh Long", None),
    ("tc_vl", "officer", "Vĩnh Long", "Sở Tài chính"),
    ("ct_vl", "officer", "Vĩnh Long", "Sở Công Thương"),
    ("tc_ag", "officer", "An Giang", "Sở Tài chính"),
)


@dataclass
class Site:
    db: Database
    app: Any
    tra_vinh: int
    an_giang: int
    tasks: dict[str, int] = field(default_factory=dict)
    indicators: dict[str, int] = field(default_factory=dict)
    duties: dict[str, int] = field(default_factory=dict)

    def client(self, username: str | None = None) -> TestClient:
        c = TestClient(self.app)
        if username:
            login(c, username)
        return c


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    r = client.post("/api/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    token = r.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return token


def make_site(db: Database, monkeypatch: pytest.MonkeyPatch, **settings: Any) -> Site:
    monkeypatch.setattr(accounts, "_N", 2**10)  # cheap hashes: the tests make many accounts
    tv = db.ingest(copy.deepcopy(TRA_VINH_PLAN)).plan_id
    ag = db.ingest(copy.deepcopy(AN_GIANG_PLAN)).plan_id
    for username, role, province, agency in USERS:
        accounts.create_user(
            db, username, PASSWORD, role=role, province=province, agency=agency, email=f"{username}@example.gov.vn"
        )
    app = create_app(db, Settings(secret_key="test-secret", **settings))
    site = Site(db, app, tv, ag)
    by_text = {t["text"]: t["id"] for t in db.tasks(as_of=AS_OF, plan=tv)}
    site.tasks = {
        "tc": by_text[TRA_VINH_PLAN["tasks"][0]["text"]],
        "ct": by_text[TRA_VINH_PLAN["tasks"][1]["text"]],
        "ct_coord_tc": by_text[TRA_VINH_PLAN["tasks"][2]["text"]],
        "office": by_text[TRA_VINH_PLAN["tasks"][3]["text"]],
        "ag_tc": db.tasks(plan=ag, as_of=AS_OF)[0]["id"],
    }
    inds = db.indicators(plan=tv)
    site.indicators = {
        "tc": next(i["id"] for i in inds if i["agency"] == ["Sở Tài chính"]),
        "ct": next(i["id"] for i in inds if i["agency"] == ["Sở Công Thương"]),
        "ag_tc": db.indicators(plan=ag)[0]["id"],
    }
    site.duties = {"tv": db.duties(plan=tv)[0]["id"], "ag": db.duties(plan=ag)[0]["id"]}
    return site
