"""PDF reader: text-layer PDFs made from the seeds (DejaVuSans, ruled tables, page numbers)."""

from __future__ import annotations

import contextlib
import difflib
import re
from pathlib import Path

import pytest
from docgen import SHARED, gold_plan, key_scores, load_score, make_pdf, seed_blocks, seed_text, words
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach.errors import ReadError
from kehoach.read import read_bytes, read_path
from kehoach.read.layout import Line, Word, join_paragraphs

SEEDS = ["000_9b195ff9d1fb2156.txt", "002_23dbc6410858588b.txt", "003_230a64e200d485dd.txt"]


@pytest.fixture(scope="session")
def pdf_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    return {seed: make_pdf(seed_blocks(seed_text(seed)), out / f"{seed[:3]}.pdf")
            for seed in SEEDS}


@pytest.fixture(scope="session")
def pdf_texts(pdf_files: dict[str, Path]) -> dict[str, str]:
    return {seed: read_path(path).text for seed, path in pdf_files.items()}


@pytest.mark.parametrize("seed", SEEDS)
def test_pdf_text_matches_seed(pdf_texts: dict[str, str], seed: str) -> None:
    ratio = difflib.SequenceMatcher(None, words(seed_text(seed)), words(pdf_texts[seed]),
                                    autojunk=False).ratio()
    assert ratio > 0.995


@pytest.mark.parametrize("seed", SEEDS)
def test_pdf_paragraphs_joined_one_per_line(pdf_texts: dict[str, str], seed: str) -> None:
    """Each seed paragraph comes back as one line, though the PDF wrapped it."""
    got = set(pdf_texts[seed].splitlines())
    paragraphs = [b for kind, b in seed_blocks(seed_text(seed)).body if kind == "p"]
    found = sum(1 for p in paragraphs if " ".join(str(p).split()) in got)
    assert found >= 0.97 * len(paragraphs)


@pytest.mark.parametrize("seed", ["002_23dbc6410858588b.txt", "003_230a64e200d485dd.txt"])
def test_pdf_tables_are_tab_rows(pdf_texts: dict[str, str], seed: str) -> None:
    got = {" ".join(x.split()) for x in pdf_texts[seed].splitlines() if "\t" in x}
    rows = [ln for ln in seed_text(seed).splitlines() if "\t" in ln and ln.strip()]
    found = sum(1 for r in rows if " ".join(r.split()) in got)
    assert found >= 0.9 * len(rows)


@pytest.mark.parametrize("seed", SEEDS)
def test_pdf_page_numbers_dropped(pdf_texts: dict[str, str], seed: str) -> None:
    assert not [ln for ln in pdf_texts[seed].splitlines() if re.fullmatch(r"\d{1,3}", ln.strip())]


def test_pdf_heading_columns(pdf_texts: dict[str, str]) -> None:
    lines = pdf_texts["002_23dbc6410858588b.txt"].splitlines()
    assert lines[:2] == ["Số: 77/QĐ-UBND", "Trà Vinh, ngày 18 tháng 01 năm 2025"]


def test_pdf_explains_what_it_did(pdf_files: dict[str, Path]) -> None:
    src = read_path(pdf_files["002_23dbc6410858588b.txt"])
    assert src.reader == "pdf"
    assert src.notes[0].startswith("reader pdf")
    assert any("page numbers" in n for n in src.notes)


def _line(text: str, x0: float, x1: float, top: float) -> Line:
    parts = text.split()
    step = (x1 - x0) / len(parts)
    return Line([Word(p, x0 + i * step, x0 + (i + 1) * step - 3, top, top + 12, 12)
                 for i, p in enumerate(parts)], page=0)


def test_hyphenation_and_wrapping_undone() -> None:
    lines = [
        _line("Tăng cường công tác kiểm tra, giám sát việc thực hiện kế hoạch phát tri-", 56, 540, 100),
        _line("ển kinh tế; báo cáo theo Kết luận số 226-", 56, 540, 115),
        _line("KL/TW ngày 11/12/2025.", 56, 200, 130),
        _line("b) Nội dung mới bắt đầu ở dòng thụt đầu dòng.", 85, 400, 145),
    ]
    assert join_paragraphs(lines, lambda _: (56, 540)) == [
        "Tăng cường công tác kiểm tra, giám sát việc thực hiện kế hoạch phát triển kinh tế; báo "
        "cáo theo Kết luận số 226-KL/TW ngày 11/12/2025.",
        "b) Nội dung mới bắt đầu ở dòng thụt đầu dòng.",
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_plan_from_pdf_scores_like_clean_text(pdf_files: dict[str, Path], seed: str) -> None:
    score = load_score()
    gold = gold_plan(seed)
    if score is None or gold is None:
        pytest.skip("../shared/eval (score.py, gold) not present")
    from kehoach.extract import extract_path

    clean = key_scores(score, gold, extract_path(Path(__file__).parents[1] / "kehoach" / "data"
                                                 / "samples" / seed))
    got = key_scores(score, gold, extract_path(pdf_files[seed]))
    for metric, value in clean.items():
        assert got[metric] >= value - 0.02, (metric, got[metric], value)


# --- real files ------------------------------------------------------------------------------
REAL_PDF = sorted(p for p in (SHARED / "docs").glob("*.pdf") if "scan" not in p.name) \
    if (SHARED / "docs").exists() else []


@pytest.mark.skipif(not REAL_PDF, reason="../shared/docs not present")
@pytest.mark.parametrize("path", REAL_PDF, ids=lambda p: p.name)
def test_real_pdf(path: Path) -> None:
    src = read_path(path)
    lines = src.text.splitlines()
    assert src.reader == "pdf"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines[:6]
    assert any(ln.startswith("Nơi nhận") for ln in lines)
    assert not [ln for ln in lines if re.fullmatch(r"\d{1,3}", ln.strip())]
    # paragraphs are joined: most lines are longer than a printed line
    assert sum(len(ln) for ln in lines) / len(lines) > 90
    assert not re.search(r"\d - [A-Z]{2}/", src.text)  # codes not split at font changes


# --- bad input -------------------------------------------------------------------------------
def _tiny_pdf(pages: int = 1, password: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for i in range(pages):
        pdf.add_page()
        pdf.cell(0, 10, f"Trang {i + 1}")
    if password:
        pdf.set_encryption(owner_password="chu", user_password=password)
    return bytes(pdf.output())


def test_encrypted_pdf() -> None:
    with pytest.raises(ReadError, match="mật khẩu"):
        read_bytes("mat-khau.pdf", _tiny_pdf(password="bi-mat"))


def test_corrupt_pdf() -> None:
    with pytest.raises(ReadError, match="hỏng"):
        read_bytes("hong.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage\x00\x01")


def test_truncated_pdf(pdf_files: dict[str, Path]) -> None:
    data = pdf_files[SEEDS[0]].read_bytes()
    with pytest.raises(ReadError):
        read_bytes("cut.pdf", data[: len(data) // 3])


def test_pdf_with_too_many_pages() -> None:
    with pytest.raises(ReadError, match="500 trang"):
        read_bytes("qua-dai.pdf", _tiny_pdf(pages=501))


_SMALL_PDF = _tiny_pdf(pages=3)


@settings(max_examples=80, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=20),
       cut=st.floats(0.05, 1.0))
def test_damaged_pdf_never_raises_anything_but_read_error(edits: list[tuple[int, int]],
                                                          cut: float) -> None:
    data = bytearray(_SMALL_PDF)
    for pos, value in edits:
        data[pos % len(data)] = value
    with contextlib.suppress(ReadError):
        read_bytes("hong.pdf", bytes(data[: max(8, int(len(data) * cut))]))


def test_pdf_tables_without_rules(tmp_path: Path) -> None:
    """A table printed without lines comes back as TAB rows, read from its columns."""
    seed = "003_230a64e200d485dd.txt"
    src = read_path(make_pdf(seed_blocks(seed_text(seed)), tmp_path / "no-rules.pdf", rules=False))
    assert any("without rules" in n for n in src.notes)
    got = {" ".join(x.split()) for x in src.text.splitlines() if "\t" in x}
    rows = [ln for ln in seed_text(seed).splitlines() if "\t" in ln and ln.strip()]
    assert sum(1 for r in rows if " ".join(r.split()) in got) >= 0.85 * len(rows)
    # the prose around the tables is untouched
    paragraphs = [str(b) for kind, b in seed_blocks(seed_text(seed)).body if kind == "p"]
    lines = set(src.text.splitlines())
    assert sum(1 for p in paragraphs if " ".join(p.split()) in lines) >= 0.97 * len(paragraphs)


def test_rotated_pages_read_as_shown(pdf_files: dict[str, Path], pdf_texts: dict[str, str],
                                     tmp_path: Path) -> None:
    """Pages stored sideways (/Rotate 90, content turned inside a form) read as displayed."""
    import pypdfium2 as pdfium

    seed = "002_23dbc6410858588b.txt"
    src = pdfium.PdfDocument(str(pdf_files[seed]))
    dst = pdfium.PdfDocument.new()
    for i in range(len(src)):
        width, height = src[i].get_size()
        form = src.page_as_xobject(i, dst).as_pageobject()
        form.set_matrix(pdfium.PdfMatrix(0, 1, -1, 0, height, 0))  # a quarter turn left
        page = dst.new_page(height, width)
        page.insert_obj(form)
        page.gen_content()
        page.set_rotation(90)  # ... shown a quarter turn right: upright again
    path = tmp_path / "rotated.pdf"
    dst.save(str(path))
    assert read_path(path).text == pdf_texts[seed]


def test_pdf_of_a_vni_document(tmp_path: Path) -> None:
    """A PDF printed from a VNI-typed document: its text layer is VNI codes, repaired on reading."""
    seed = "003_230a64e200d485dd.txt"
    src = read_path(make_pdf(seed_blocks(seed_text(seed)), tmp_path / "vni.pdf", encoding="vni"))
    assert any("legacy encoding vni" in n for n in src.notes)
    ratio = difflib.SequenceMatcher(None, words(seed_text(seed)), words(src.text),
                                    autojunk=False).ratio()
    assert ratio > 0.99
