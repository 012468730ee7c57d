"""Hostile files against the readers, each in a child process under a memory and time ceiling.

Each attack must end in a clean `ReadError` (or a correct reading) well inside its ceiling;
`tests/hostile.py` runs the child and reports its peak memory (figures: bench/RESULTS.md).
"""

from __future__ import annotations

from pathlib import Path

from hostile import run_limited
from hostile_files import (
    dense_pdf,
    flate_bomb_pdf,
    huge_png,
    lying_docx,
    many_pages_pdf,
    pdf_bytes,
    prose_lines,
    text_page,
)


def _allocate(mb: int) -> int:
    block = bytearray(mb * 1024 * 1024)
    return len(block)


def test_harness_reports_value_error_and_peak() -> None:
    r = run_limited("result = sum(range(10))", memory_mb=512, seconds=30)
    assert r.finished and r.value == 45 and r.error_type is None, r.describe()
    r = run_limited("from kehoach.errors import ReadError\nraise ReadError('a.pdf', 'hỏng')",
                    memory_mb=512, seconds=30)
    assert r.error_type == "ReadError" and r.error_attrs["reason"] == "hỏng", r.describe()
    r = run_limited(_allocate, args=(100,), memory_mb=512, seconds=30)
    assert r.value == 100 * 1024 * 1024 and r.peak_mb >= 100, r.describe()


def test_harness_holds_the_memory_ceiling() -> None:
    r = run_limited(_allocate, args=(900,), memory_mb=400, seconds=30)
    assert r.out_of_memory and r.error_type == "MemoryError", r.describe()
    assert r.peak_mb < 400


def test_harness_holds_the_time_ceiling() -> None:
    r = run_limited("import time\ntime.sleep(60)", memory_mb=256, seconds=1.5)
    assert r.timed_out and not r.finished and r.seconds < 10, r.describe()


# --- attacks on the readers ---------------------------------------------------------------------
# The address-space ceiling: what the interpreter, pdfium, lxml and numpy map (~400 MB of
# address space, little of it resident) plus room for an honest reading; the resident peak
# an attack may reach is asserted separately, far below what the attacks took before
# (2.3 GB for the flate bomb and the lying DOCX, 3 GB for the 500-page PDF).
CEILING_MB = 1200
PEAK_MB = 400


def _read(path: str) -> tuple[int, str, list[str], int | None]:
    """Read a file in the child: (characters, reader, warnings, pages)."""
    from kehoach.read import read_path

    src = read_path(path)
    return len(src.text), src.reader, src.warnings, src.pages


def _refused(result: object, *words: str) -> None:
    r = result
    assert r.finished, r.describe()  # type: ignore[attr-defined]
    assert r.error_type == "ReadError", r.describe()  # type: ignore[attr-defined]
    for w in words:
        assert w in r.error_attrs["reason"], r.describe()  # type: ignore[attr-defined]
    assert r.peak_mb < PEAK_MB, r.describe()  # type: ignore[attr-defined]


def _read_whole(path: Path, pages: int, chars: int) -> None:
    """The file is read (not refused, not hung) within the memory ceiling."""
    r = run_limited(_read, args=(str(path),), memory_mb=CEILING_MB, seconds=300)
    assert r.finished and r.error_type is None, r.describe()
    got_chars, reader, _, got_pages = r.value
    assert reader == "pdf" and got_pages == pages and got_chars > chars
    assert r.peak_mb < PEAK_MB, r.describe()


def test_flate_bomb_pdf_refused_before_it_inflates(tmp_path: Path) -> None:
    path = flate_bomb_pdf(tmp_path / "bom.pdf", inflated_mb=512)
    assert path.stat().st_size < 1_000_000
    r = run_limited(_read, args=(str(path),), memory_mb=CEILING_MB, seconds=120)
    _refused(r, "bom nén", "64 MB")
    assert "bom.pdf" in r.error_attrs["path"]


def test_lying_docx_refused_while_inflating(tmp_path: Path) -> None:
    """word/document.xml declares 5,000 bytes and inflates to 512 MB."""
    path = lying_docx(tmp_path / "noi-doi.docx", inflated_mb=512, declared=5000)
    r = run_limited(_read, args=(str(path),), memory_mb=CEILING_MB, seconds=120)
    _refused(r, "kích thước")
    assert "noi-doi.docx" in r.error_attrs["path"]


def test_huge_image_refused_from_its_header(tmp_path: Path) -> None:
    path = huge_png(tmp_path / "anh.png", 60_000, 60_000)
    r = run_limited(_read, args=(str(path),), memory_mb=CEILING_MB, seconds=60)
    _refused(r, "megapixel")


def test_dense_pdf_read_in_linear_time(tmp_path: Path) -> None:
    """A 6 KB page of 0.8 pt type, one paragraph of ~800,000 characters: read, not hung."""
    path = dense_pdf(tmp_path / "day-dac.pdf", size=0.8, lines=900, per_line=200)
    assert path.stat().st_size < 10_000
    _read_whole(path, pages=1, chars=700_000)


def test_500_page_pdf_read_within_the_ceiling(tmp_path: Path) -> None:
    """500 ordinary pages sharing one content stream (an 80 KB file), no paragraph break."""
    path = many_pages_pdf(tmp_path / "500-trang.pdf", 500)
    assert path.stat().st_size < 100_000
    _read_whole(path, pages=500, chars=1_500_000)


def test_too_many_characters_refused(tmp_path: Path) -> None:
    """Dense pages by the hundred: refused at the character limit, naming the page reached."""
    from kehoach.read.pdf import MAX_CHARS

    path = tmp_path / "qua-nhieu-chu.pdf"
    page = text_page(prose_lines(900, 200), size=0.8, leading=0.92, top=830, left=10, width=575)
    path.write_bytes(pdf_bytes([page] * 8))
    r = run_limited(_read, args=(str(path),), memory_mb=CEILING_MB, seconds=240)
    _refused(r, "ký tự", "trang ")
    assert f"{MAX_CHARS:,}".replace(",", ".") in r.error_attrs["reason"]
