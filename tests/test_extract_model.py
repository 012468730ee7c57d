"""The typed plan (kehoach.model): plan/v1 written and read back, every rule a field must keep
named in Vietnamese with the field's place, and the review vocabulary the extractor uses."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from kehoach.errors import ValidationError
from kehoach.extract import extract
from kehoach.model import REVIEW, Plan
from kehoach.read import Source

ROOT = Path(__file__).resolve().parents[1]

PLAN = {
    "format": "plan/v1",
    "source": "kh-12.txt",
    "document": {
        "doc_type": "KẾ HOẠCH",
        "number": "12/KH-UBND",
        "issuer": "Ủy ban nhân dân xã Hòa An",
        "province": None,
        "issued_date": "2026-03-05",
        "title": "Phòng, chống dịch bệnh năm 2026",
        "implements": [],
        "signer_name": "Lê Thị Hoa",
        "signer_title": "Chủ tịch",
        "growth_target": None,
    },
    "tasks": [
        {
            "section": "NHIỆM VỤ",
            "text": "Phun thuốc khử trùng chuồng trại.",
            "lead": ["Phòng Kinh tế"],
            "coordinate": ["Công an xã"],
            "monitor": [],
            "deadline": {"text": "Quý II/2026", "due": "2026-06-30", "recurring": False, "condition": None},
            "review": ["lead_unknown"],
            "source": {"line": 9, "line_end": 10, "page": 1},
        },
        {
            "section": "NHIỆM VỤ",
            "text": "Giám sát ổ dịch.",
            "lead": [],
            "coordinate": [],
            "monitor": [],
            "deadline": None,
        },
    ],
    "indicators": [
        {
            "group": "Chỉ tiêu",
            "text": "Tỷ lệ hộ được tuyên truyền đạt 100%",
            "agency": [],
            "year": "2026",
            "targets": [
                {
                    "name": "Tỷ lệ hộ được tuyên truyền",
                    "comparator": "=",
                    "value": 100,
                    "min": None,
                    "max": None,
                    "unit": "%",
                }
            ],
        }
    ],
    "scenarios": [
        {
            "title": "Kịch bản",
            "columns": ["Quý I", "Quý II"],
            "rows": [{"code": "1", "name": "GRDP", "values": [6.5, 7.0]}],
        }
    ],
    "reporting": [
        {
            "reporters": ["Phòng Kinh tế"],
            "recipient": "Ủy ban nhân dân xã",
            "frequency": "monthly",
            "deadlines": [],
            "text": "Báo cáo trước ngày 25 hằng tháng.",
        }
    ],
    "warnings": [{"line": 12, "message": "sau mục 2 là mục 5: không thấy mục 3"}],
}


def test_a_plan_reads_back_as_it_was_written() -> None:
    plan = Plan.from_dict(PLAN)
    assert plan.tasks[0].deadline is not None and plan.tasks[0].deadline.due.isoformat() == "2026-06-30"
    assert plan.as_dict() == PLAN


def test_plain_plan_v1_leaves_the_review_keys_out() -> None:
    plain = Plan.from_dict(PLAN).as_dict(extras=False)
    assert "warnings" not in plain
    assert all("review" not in t and "source" not in t for t in plain["tasks"])
    expected = copy.deepcopy(PLAN)
    del expected["warnings"]
    for t in expected["tasks"]:
        t.pop("review", None)
        t.pop("source", None)
    assert plain == expected


def _broken(path: str, value: object) -> dict:
    """PLAN with the value at `path` (`tasks.0.deadline.due`) replaced; `...` deletes it."""
    plan = copy.deepcopy(PLAN)
    *parents, last = [int(k) if k.isdigit() else k for k in path.split(".")]
    node = plan
    for k in parents:
        node = node[k]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return plan


@pytest.mark.parametrize(
    ("path", "value", "field", "rule"),
    [
        ("format", "plan/v2", "format", "chỉ nhận định dạng plan/v1"),
        ("document", ..., "document", "plan/v1 cần mục document"),
        ("tasks", {"text": "x"}, "tasks", "phải là một danh sách"),
        ("tasks.1.text", " ", "tasks[1].text", "mỗi nhiệm vụ cần nội dung"),
        ("tasks.0.lead", "Phòng Kinh tế", "tasks[0].lead", "phải là một danh sách tên"),
        ("tasks.0.deadline.due", "30/6/2026", "tasks[0].deadline.due", "ngày phải có dạng YYYY-MM-DD"),
        ("tasks.0.review", ["xem_lai"], "tasks[0].review", "mã cần xem lại phải là một trong"),
        (
            "tasks.0.source",
            {"line": 10, "line_end": 9},
            "tasks[0].source.line_end",
            "dòng cuối phải từ dòng đầu trở đi",
        ),
        ("indicators.0.targets.0.comparator", "≥", "indicators[0].targets[0].comparator", "phải là một trong"),
        ("indicators.0.targets.0.value", "7,5%", "indicators[0].targets[0].value", "phải là một số"),
        ("scenarios.0.rows.0.values", "6.5; 7.0", "scenarios[0].rows[0].values", "phải là một danh sách số"),
        ("reporting.0.frequency", "hằng tháng", "reporting[0].frequency", "phải là một trong"),
        ("reporting.0.deadlines", ["25/12"], "reporting[0].deadlines[0]", "YYYY-MM-DD"),
        ("warnings.0.line", "mười hai", "warnings[0].line", "phải là một số nguyên"),
    ],
)
def test_a_broken_field_is_named_with_its_place(path: str, value: object, field: str, rule: str) -> None:
    with pytest.raises(ValidationError) as e:
        Plan.from_dict(_broken(path, value))
    assert e.value.field == field
    assert rule in e.value.rule


def test_every_review_code_the_extractor_gives_is_in_the_vocabulary() -> None:
    """Codes are written in one place with their Vietnamese label; the extractor uses no other."""
    used = set()
    for path in (ROOT / "kehoach" / "extract").glob("*.py"):
        used |= set(re.findall(r"(?:flag|review\.append)\(\"([a-z_]+)\"\)", path.read_text("utf-8")))
    assert used and used <= set(REVIEW)
    assert all(label and label[0].isupper() for label in REVIEW.values())


def test_an_extracted_plan_validates_and_round_trips() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nXÃ HÒA AN\nKẾ HOẠCH\nTổ chức Lễ hội năm 2026\nIII. TỔ CHỨC THỰC HIỆN\n"
        "1. Văn phòng HĐND và UBND xã\n- Tham mưu tổ chức lễ khai mạc.\n"
        "2. Đồng chí Phó Chủ tịch UBND xã phụ trách văn hóa - xã hội\n- Chỉ đạo chung công tác tổ chức lễ hội.\n"
        "3. Các thôn báo cáo kết quả về UBND xã.\n"
    )
    plan = extract(Source("le-hoi.txt", text))
    data = plan.as_dict()
    assert Plan.from_dict(data).as_dict() == data
    reviews = [t["review"] for t in data["tasks"]]
    # work given to a person names no agency: a person should look, and knows why
    assert reviews[1] == ["lead_is_person", "no_lead"]
    [duty] = data["reporting"]
    assert duty["frequency"] == "periodic" and duty["review"] == ["frequency_guessed"]


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("tasks.0.deadline.due", "31/6/2026", "tasks[0].deadline.due"),
        ("reporting.0.frequency", "hằng tháng", "reporting[0].frequency"),
        ("indicators.0.targets.0.value", "7,5%", "indicators[0].targets[0].value"),
    ],
)
def test_the_store_ingests_only_a_valid_plan_and_names_what_breaks(db, path: str, value: object, field: str) -> None:
    """The store validates with the same model: a broken plan is refused whole, naming the field."""
    with pytest.raises(ValidationError) as e:
        db.ingest(_broken(path, value))
    assert e.value.field == field
    assert db.plans() == []  # nothing half-written
    result = db.ingest(copy.deepcopy(PLAN))
    assert result.created and len(db.tasks(plan=result.plan_id)) == 2
