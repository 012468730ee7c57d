"""OCR: scanned PDFs and images through Tesseract's Vietnamese model."""

from __future__ import annotations

import difflib
import fcntl
import io
import pickle
import shutil
from pathlib import Path

import pytest
from docgen import (
    SAMPLES,
    SHARED,
    gold_plan,
    key_scores,
    load_score,
    make_pdf,
    make_scan,
    seed_blocks,
    seed_text,
    words,
)

from kehoach.errors import ReadError
from kehoach.read import Source, read_bytes, read_path

SEED = "000_9b195ff9d1fb2156.txt"  # prose only: a scan keeps no table structure

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="tesseract-ocr is not installed")


@pytest.fixture(scope="session")
def scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Source]:
    """A 16-page scan and what OCR read of it: made once per run, shared by the test workers
    (each would spend half a minute reading it again)."""
    shared = tmp_path_factory.getbasetemp().parent / "scan"  # the run's folder, above each worker's
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        path, read = shared / "000-scan.pdf", shared / "000-scan.pickle"
        if not read.exists():
            pdf = make_pdf(seed_blocks(seed_text(SEED)), shared / "000.pdf")
            make_scan(pdf, path, dpi=200)
            read.write_bytes(pickle.dumps(read_path(path)))
        return path, pickle.loads(read.read_bytes())


@needs_tesseract
def test_scanned_pdf_is_ocred(scan: tuple[Path, Source]) -> None:
    _, src = scan
    assert src.reader == "ocr"
    assert any("tesseract -l vie" in n for n in src.notes)
    ratio = difflib.SequenceMatcher(None, words(seed_text(SEED)), words(src.text),
                                    autojunk=False).ratio()
    assert ratio > 0.98


@needs_tesseract
def test_scanned_pdf_layout(scan: tuple[Path, Source]) -> None:
    _, src = scan
    lines = src.text.splitlines()
    assert lines[0] == "KẾ HOẠCH"
    assert "I. QUAN ĐIỂM" in lines
    # paragraphs joined: far fewer lines than the printed lines of 16 pages
    assert len(lines) < 200


@needs_tesseract
def test_plan_from_scan_scores_like_clean_text(scan: tuple[Path, Source]) -> None:
    score = load_score()
    gold = gold_plan(SEED)
    if score is None or gold is None:
        pytest.skip("../shared/eval (score.py, gold) not present")
    from kehoach.extract import extract_path, extract_source

    clean = key_scores(score, gold, extract_path(SAMPLES / SEED))
    got = key_scores(score, gold, extract_source(scan[1]))
    for metric, value in clean.items():
        assert got[metric] >= value - 0.02, (metric, got[metric], value)


@needs_tesseract
def test_image_file(scan: tuple[Path, Source]) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(scan[0]))
    img = doc[0].render(scale=1).to_pil()
    doc.close()
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(200, 200))
    src = read_bytes("trang-1.png", buf.getvalue())
    assert src.reader == "ocr"
    assert "Nghị quyết số 154/NQ-CP" in src.text


@needs_tesseract
def test_image_without_text() -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (1200, 1600), color=255).save(buf, format="PNG")
    with pytest.raises(ReadError, match="không có chữ"):
        read_bytes("trang-trang.png", buf.getvalue())


def test_corrupt_image() -> None:
    with pytest.raises(ReadError):
        read_bytes("hong.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)


def test_missing_tesseract_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    monkeypatch.setenv("PATH", "/nonexistent")
    buf = io.BytesIO()
    Image.new("L", (100, 100), color=255).save(buf, format="PNG")
    with pytest.raises(ReadError, match="tesseract-ocr-vie"):
        read_bytes("anh.png", buf.getvalue())


REAL_SCAN = SHARED / "docs" / "qd-707-ttg-2026-scan.pdf"


@needs_tesseract
@pytest.mark.skipif(not REAL_SCAN.exists(), reason="../shared/docs not present")
def test_real_scan_first_pages() -> None:
    from kehoach.read.layout import layout_text
    from kehoach.read.ocr import ocr_pdf_pages

    pages, notes, blank = ocr_pdf_pages(REAL_SCAN.name, REAL_SCAN.read_bytes(), [0, 1])
    assert not blank
    text, _ = layout_text(pages, superscripts=False)
    # a real scan: a stamp and handwriting over the heading, the number written by hand
    assert "THỦ TƯỚNG CHÍNH PHỦ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "QUYẾT ĐỊNH" in text
    assert "rửa tiền" in text


@needs_tesseract
def test_scanned_table_rebuilt_from_its_rules(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    seed = "003_230a64e200d485dd.txt"
    pdf = make_pdf(seed_blocks(seed_text(seed)), tmp_path / "003.pdf")
    doc = pdfium.PdfDocument(str(pdf))
    first = next(i for i in range(len(doc)) if "Tên nhiệm vụ" in
                 doc[i].get_textpage().get_text_range())
    doc.close()
    one = pdfium.PdfDocument.new()
    one.import_pages(pdfium.PdfDocument(str(pdf)), [first + 1])  # a page full of table
    one.save(str(tmp_path / "table-page.pdf"))
    src = read_path(make_scan(tmp_path / "table-page.pdf", tmp_path / "table-scan.pdf", dpi=300))
    rows = [ln.split("\t") for ln in src.text.splitlines() if "\t" in ln]
    assert len(rows) >= 5
    assert all(len(r) == 6 for r in rows)
    assert sum("Đảng ủy UBND tỉnh" in r[2] for r in rows) >= 3


@needs_tesseract
def test_docx_holding_a_scan(scan: tuple[Path, Source], tmp_path: Path) -> None:
    """A scan pasted into Word: no text, one picture per page; the pictures are OCRed."""
    import docx
    import pypdfium2 as pdfium
    from docx.shared import Cm

    pdf = pdfium.PdfDocument(str(scan[0]))
    document = docx.Document()
    for i in range(2):
        png = tmp_path / f"page-{i}.png"
        pdf[i].render(scale=200 / 72).to_pil().save(png)  # saved without a resolution
        document.add_picture(str(png), width=Cm(17))
    pdf.close()
    document.save(str(tmp_path / "scan.docx"))
    src = read_path(tmp_path / "scan.docx")
    assert src.reader == "docx"
    assert any("OCR" in n for n in src.notes)
    assert src.text.splitlines()[0] == "KẾ HOẠCH"
    assert "Nghị quyết số 154/NQ-CP" in src.text


def test_image_past_the_pixel_limit_refused_from_its_header(tmp_path: Path) -> None:
    """121 megapixels declared (between PIL's own warning and error thresholds): refused by
    our limit, before anything is decoded, naming the size."""
    from hostile_files import huge_png

    path = huge_png(tmp_path / "anh.png", 11_000, 11_000)
    with pytest.raises(ReadError, match="11000×11000 điểm ảnh, quá giới hạn 100 megapixel"):
        read_path(path)
