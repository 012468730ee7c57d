"""Fuzzing the read → repair → structure → extract path: random and mutated documents (text,
DOCX XML, PDF bytes) never crash it; each gives a plan/v1 dict or a clear NoPlanError/ReadError."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kehoach.errors import KehoachError
from kehoach.extract import extract
from kehoach.model import Plan
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


def _check(found: Plan, lines: int) -> None:
    plan = found.as_dict()
    assert plan["format"] == "plan/v1"
    # serialisable, and what extraction gives always passes the model's validation, unchanged
    assert Plan.from_dict(json.loads(json.dumps(plan, ensure_ascii=False))).as_dict() == plan
    for t in found.tasks:
        assert t.text.strip() and isinstance(t.lead, list)
        # every task says where it stands, within the text the reader gave
        assert t.source is not None and 1 <= t.source.line <= t.source.line_end <= max(lines, 1)


def _extract(text: str) -> None:
    try:
        plan = extract(Source("fuzz.txt", text))
    except KehoachError as e:
        assert "fuzz.txt" in str(e)
        return
    _check(plan, len(text.splitlines()))


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


def _containers(tmp: Path) -> dict[str, bytes]:
    from docgen import make_docx, make_pdf, seed_blocks

    blocks = seed_blocks("\n".join(SEED.splitlines()[:120]))
    return {
        "plan.docx": make_docx(blocks, tmp / "plan.docx").read_bytes(),
        "plan.pdf": make_pdf(blocks, tmp / "plan.pdf").read_bytes(),
    }


@pytest.fixture(scope="module")
def containers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return _containers(tmp_path_factory.mktemp("fuzz"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["plan.docx", "plan.pdf"]), st.data())
def test_mutated_docx_and_pdf_are_read_or_refused_clearly(
    containers: dict[str, bytes], name: str, data: st.DataObject
) -> None:
    whole = containers[name]
    raw = bytearray(_part(whole, "word/document.xml") if name.endswith(".docx") else whole)
    for _ in range(data.draw(st.integers(1, 12))):
        i = data.draw(st.integers(0, len(raw) - 1))
        op = data.draw(st.sampled_from(["flip", "cut", "zero"]))
        if op == "flip":
            raw[i] ^= data.draw(st.integers(1, 255))
        elif op == "cut":
            del raw[i:]
            if not raw:
                raw = bytearray(b"%")
        else:
            raw[i : i + 64] = bytes(min(64, len(raw) - i))
    mutated = _with_part(whole, "word/document.xml", bytes(raw)) if name.endswith(".docx") else bytes(raw)
    try:
        source = read_bytes(name, mutated)
    except KehoachError as e:
        assert name in str(e)
        return
    _extract(source.text)


def _part(docx: bytes, part: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read(part)


def _with_part(docx: bytes, part: str, content: bytes) -> bytes:
    """The DOCX with one part replaced: a well-formed zip around mutated XML."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == part else src.read(info))
    return out.getvalue()
