"""Fuzzing the read → repair → structure → extract path: random and mutated documents
never crash it; each gives a plan/v1 dict or a clear NoPlanError/ReadError."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kehoach.errors import KehoachError
from kehoach.extract import extract_plan
from kehoach.read import Source, read_bytes

SAMPLES = Path(__file__).resolve().parents[1] / "kehoach" / "data" / "samples"
SEED = (SAMPLES / "002_23dbc6410858588b.txt").read_text("utf-8")
PIECES = [
    "I. ",
    "II- ",
    "1. ",
    "1.1. ",
    "a) ",
    "đ) ",
    "- ",
    "+ ",
    "(1) ",
    "\t",
    "\n",
    "\n\n",
    "Sở Tài chính ",
    "chủ trì, phối hợp với ",
    "các sở, ban, ngành",
    ": ",
    "Quý II/2026",
    "Thời gian thực hiện: ",
    "Phụ lục",
    "KẾ HOẠCH",
    "TỔ CHỨC THỰC HIỆN",
    "NHIỆM VỤ",
    "đạt 7,0 - 7,5%",
    "trên 98%",
    "¹",
    "ñ",
    "  ",
    "<p>",
    "**",
    "Số: 12/KH-UBND",
    "Nơi nhận:",
    "107.27",
    "STT\tNội dung\tCơ quan thực hiện",
]


def _check(plan: dict) -> None:
    assert plan["format"] == "plan/v1"
    json.dumps(plan, ensure_ascii=False)  # serialisable
    for t in plan["tasks"]:
        assert isinstance(t["text"], str) and isinstance(t["lead"], list)
        if t["deadline"] is not None:
            assert t["deadline"]["due"] is None or len(t["deadline"]["due"]) == 10


def _extract(text: str) -> None:
    try:
        plan = extract_plan(Source("fuzz.txt", text))
    except KehoachError as e:
        assert "fuzz.txt" in str(e)
        return
    _check(plan)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=12), max_size=80))
def test_random_documents(parts: list[str]) -> None:
    _extract("".join(parts))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_seed(data: st.DataObject) -> None:
    lines = SEED.splitlines()
    for _ in range(data.draw(st.integers(0, 30))):
        op = data.draw(st.sampled_from(["delete", "duplicate", "swap", "cut", "insert"]))
        i = data.draw(st.integers(0, len(lines) - 1))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            k = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:k]
        else:
            lines.insert(i, data.draw(st.sampled_from(PIECES)))
    _extract("\n".join(lines))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_are_read_or_refused_clearly(data: bytes) -> None:
    try:
        source = read_bytes("upload.bin", data)
    except KehoachError as e:
        assert "upload.bin" in str(e)
        return
    _extract(source.text)
