"""PDF structure beyond the text layer's words: raised digits, cells spanning rows, what a
signature's form fields draw, pages that hold no text, where each line came from, streams
that would inflate past their bounds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docgen import FONT, SHARED, make_pdf, make_scan, seed_blocks, seed_text
from hostile_files import _fix_xref, pdf_bytes, text_page

from kehoach.errors import ReadError
from kehoach.read import read_bytes, read_path
from kehoach.read.bounds import _lzw_count, check_pdf_streams

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="tesseract-ocr is not installed")


def _fpdf():  # type: ignore[no-untyped-def]
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.set_auto_page_break(False)
    pdf.add_font("dv", fname=str(FONT))
    pdf.add_page()
    pdf.set_font("dv", size=12)
    return pdf


def _write(pdf, *parts: str) -> None:  # type: ignore[no-untyped-def]
    """Write text; parts in ^...^ are raised (superscript)."""
    for part in parts:
        raised = part.startswith("^")
        pdf.char_vpos = "SUP" if raised else "LINE"
        pdf.write(16, part.strip("^"))
    pdf.char_vpos = "LINE"


def test_superscripts_kept_footnote_markers_recognised(tmp_path: Path) -> None:
    pdf = _fpdf()
    _write(pdf, "Trạm bơm Yên Sở (120 m", "^3^", "/s), hồ 5 km", "^2^", ", tốc độ 2 m/s", "^2^",
           " theo Luật", "^1^", " đã ban hành.")
    pdf.set_xy(56, 790)
    pdf.set_font("dv", size=8)
    pdf.write(10, "1 Luật Địa chất và khoáng sản số 54/2024/QH15.")
    pdf.output(str(tmp_path / "mu.pdf"))
    src = read_path(tmp_path / "mu.pdf")
    assert src.text.splitlines() == [
        "Trạm bơm Yên Sở (120 m³/s), hồ 5 km², tốc độ 2 m/s² theo Luật[1] đã ban hành.",
        "[1] Luật Địa chất và khoáng sản số 54/2024/QH15.",
    ]
    assert [(i.page, i.kind) for i in src.lines] == [(1, "text"), (1, "footnote")]


def test_cells_spanning_rows_repeat_on_each_row(tmp_path: Path) -> None:
    pdf = _fpdf()
    with pdf.table(col_widths=(1, 3, 2, 2), first_row_as_headings=False) as t:
        r = t.row()
        for x in ("TT", "Nhiệm vụ", "Chủ trì", "Thời hạn"):
            r.cell(x)
        r = t.row()
        r.cell("1")
        r.cell("Rà soát quy hoạch")
        r.cell("Sở Nông nghiệp và Môi trường", rowspan=2)
        r.cell("Quý II/2026", rowspan=3)
        r = t.row()
        r.cell("2")
        r.cell("Cấp phép khai thác")
        r = t.row()
        r.cell("3")
        r.cell("Kiểm tra")
        r.cell("Công an tỉnh")
    pdf.output(str(tmp_path / "gop.pdf"))
    src = read_path(tmp_path / "gop.pdf")
    assert src.text.splitlines() == [
        "TT\tNhiệm vụ\tChủ trì\tThời hạn",
        "1\tRà soát quy hoạch\tSở Nông nghiệp và Môi trường\tQuý II/2026",
        "2\tCấp phép khai thác\tSở Nông nghiệp và Môi trường\tQuý II/2026",
        "3\tKiểm tra\tCông an tỉnh\tQuý II/2026",
    ]
    assert {i.kind for i in src.lines} == {"table"}


# --- what a signature's form fields draw -----------------------------------------------------
def _signed_pdf(path: Path) -> Path:
    """`Số: /KH-UBND` and `ngày tháng` in the page text; the number and the day drawn by
    signature widgets (appearance streams), as a signing service stamps them."""
    page = text_page(["UBND TINH LAO CAI", "So:       /KH-UBND", "Lao Cai, ngay      thang 3 nam 2026",
                      "KE HOACH", "Trien khai thuc hien nhiem vu nam 2026"], size=12, leading=20)
    appearance = [b"BT /F1 12 Tf 2 4 Td (115) Tj ET", b"BT /F1 12 Tf 2 4 Td (05) Tj ET"]
    # the widgets sit over the blanks: after "So:" (x 56 + 4 chars) and after "ngay"
    rects = [(80, 776, 110, 792), (112, 756, 134, 772)]
    extra = []
    for ap in appearance:
        extra.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 40 16] /Resources << /Font "
                     b"<< /F1 3 0 R >> >> /Length %d >>\nstream\n" % len(ap) + ap + b"\nendstream")
    base = 5  # objects 1-4: catalog, pages, font, content; 5: the page
    for k, (x0, y0, x1, y1) in enumerate(rects):
        extra.append(b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature%d) /F 4 "
                     b"/Rect [%d %d %d %d] /P 5 0 R /AP << /N %d 0 R >> >>"
                     % (k + 1, x0, y0, x1, y1, base + 1 + k))
    data = pdf_bytes([page], extra=extra)
    data = data.replace(b"/Contents 4 0 R", b"/Contents 4 0 R /Annots [8 0 R 9 0 R]", 1)
    path.write_bytes(_fix_xref(data))
    return path


def test_signature_fields_read_where_they_show(tmp_path: Path) -> None:
    src = read_path(_signed_pdf(tmp_path / "ky-so.pdf"))
    lines = src.text.splitlines()
    assert "So: 115/KH-UBND" in lines
    assert any(x.startswith("Lao Cai, ngay 05 thang 3 nam 2026") for x in lines)
    assert any("2 form field(s)" in n for n in src.notes)


REAL_SIGNED = {
    "gialai-snnmt-kh115-2026.pdf": ["Số: 115/KH-SNNMT", "Gia Lai, ngày 04 tháng 8 năm 2026"],
    "hanoi-kh173-festival-2026.pdf": ["Số: 173/KH-UBND", "Hà Nội, ngày 28 tháng 4 năm 2026"],
    "hanoi-qd2280-thoat-nuoc-2026.pdf": ["Số: 2280/QĐ-UBND", "Hà Nội, ngày 29 tháng 4 năm 2026"],
}


@pytest.mark.skipif(not (SHARED / "docs").exists(), reason="../shared/docs not present")
@pytest.mark.parametrize("name", list(REAL_SIGNED))
def test_real_signed_pdfs_number_and_day(name: str) -> None:
    """The number and the day the signing service drew, as the answer keys have them."""
    import json

    src = read_path(SHARED / "docs" / name)
    lines = src.text.splitlines()
    for want in REAL_SIGNED[name]:
        assert want in lines[:12]
    gold = json.loads((SHARED / "eval" / "gold" / name.replace(".pdf", ".json"))
                      .read_text(encoding="utf-8"))
    assert f"Số: {gold['document']['number']}" in lines


# --- pages without text ----------------------------------------------------------------------
def _excerpt(tmp_path: Path) -> Path:
    blocks = seed_blocks(seed_text("003_230a64e200d485dd.txt"))
    blocks.body = [b for b in blocks.body if b[0] == "p"][:6]
    return make_pdf(blocks, tmp_path / "trich.pdf")


def _scan_with_blanks(pdf: Path, out: Path, blank_after: list[int]) -> Path:
    """A scan whose back pages are blank: a white page after each listed page."""
    from PIL import Image

    make_scan(pdf, out.with_suffix(".tmp.pdf"), dpi=200)
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(out.with_suffix(".tmp.pdf")))
    images = []
    for i in range(len(doc)):
        images.append(doc[i].render(scale=200 / 72, grayscale=True).to_pil().convert("L"))
        if i in blank_after:
            blank = Image.new("L", images[-1].size, 255)
            blank.putpixel((40, 40), 0)  # a speck of dust
            images.append(blank)
    doc.close()
    images[0].save(str(out), save_all=True, append_images=images[1:], resolution=200)
    return out


@needs_tesseract
def test_scan_with_blank_back_pages_is_read_and_reports_them(tmp_path: Path) -> None:
    path = _scan_with_blanks(_excerpt(tmp_path), tmp_path / "hai-mat.pdf", blank_after=[0])
    calls: list[tuple[int, int, str]] = []
    src = read_path(path, progress=lambda d, t, s: calls.append((d, t, s)))
    assert src.reader == "ocr" and src.pages == 2
    assert "trang 2" in src.warnings[0] and "trắng" in src.warnings[0]
    assert "KẾ HOẠCH" in src.text
    assert {i.page for i in src.lines} == {1}
    assert calls[:2] == [(1, 2, "đọc"), (2, 2, "đọc")]
    assert calls[-1] == (2, 2, "OCR")


@needs_tesseract
def test_scan_of_blank_pages_only_is_refused_naming_them(tmp_path: Path) -> None:
    from PIL import Image

    blank = Image.new("L", (1654, 2339), 255)
    blank.save(str(tmp_path / "trang.pdf"), save_all=True, append_images=[blank], resolution=200)
    with pytest.raises(ReadError, match=r"trang 1, 2 .*trắng"):
        read_path(tmp_path / "trang.pdf")


def test_text_pdf_with_a_blank_page_reports_it(tmp_path: Path) -> None:
    pages = [text_page(["KE HOACH", "Trien khai nhiem vu nam 2026"]), b"", text_page(["Het."])]
    src = read_bytes("kh.pdf", pdf_bytes(pages))
    assert src.warnings == ["trang 2 không có chữ (trang trắng): đã bỏ qua"]
    assert [(t, i.page) for t, i in zip(src.text.splitlines(), src.lines, strict=True)] == [
        ("KE HOACH", 1), ("Trien khai nhiem vu nam 2026", 1), ("Het.", 3)]


def test_progress_per_page(tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    pages = [text_page([w]) for w in ("Ke hoach", "Nhiem vu", "To chuc thuc hien")]
    read_bytes("kh.pdf", pdf_bytes(pages), progress=lambda d, t, s: calls.append((d, t, s)))
    assert calls == [(1, 3, "đọc"), (2, 3, "đọc"), (3, 3, "đọc")]


def test_lines_know_their_pages(tmp_path: Path) -> None:
    seed = "002_23dbc6410858588b.txt"
    src = read_path(make_pdf(seed_blocks(seed_text(seed)), tmp_path / "kh.pdf"))
    lines = src.text.split("\n")[:-1]
    assert len(src.lines) == len(lines)
    pages = [i.page for i in src.lines if i.kind != "footnote"]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == src.pages
    assert all((i.kind == "table") == ("\t" in x) for x, i in zip(lines, src.lines, strict=True))


# --- streams past their bounds ---------------------------------------------------------------
def _lzw_encode(data: bytes) -> bytes:
    """LZW as PDF writes it (EarlyChange 1, 9 to 12 bit codes, a clear code before the table
    fills): the code width follows the decoder's table, one entry behind the encoder's."""
    bits = nbits = 0
    width, dec_next, first = 9, 258, True

    def emit(code: int) -> None:
        nonlocal bits, nbits, width, dec_next, first
        bits, nbits = (bits << width) | code, nbits + width
        if code == 256:
            width, dec_next, first = 9, 258, True
            return
        if not first:
            dec_next += 1
        first = False
        if dec_next + 1 >= (1 << width) and width < 12:
            width += 1

    table = {bytes([i]): i for i in range(256)}
    emit(256)
    w = b""
    for byte in data:
        wc = w + bytes([byte])
        if wc in table:
            w = wc
            continue
        emit(table[w])
        table[wc] = len(table) + 2
        if len(table) + 2 >= 4093:
            emit(256)
            table = {bytes([i]): i for i in range(256)}
        w = bytes([byte])
    emit(table[w])
    emit(257)
    pad = (-nbits) % 8
    return (bits << pad).to_bytes((nbits + pad) // 8, "big")


def test_lzw_stream_counted_as_pdfium_decodes_it() -> None:
    import pypdfium2 as pdfium

    content = text_page([f"Dong so {i} cua ke hoach" for i in range(40)]) * 3
    encoded = _lzw_encode(content)
    assert _lzw_count(encoded, 10**9) == len(content)
    stream = b"<< /Length %d /Filter /LZWDecode >>\nstream\n" % len(encoded) + encoded + \
        b"\nendstream"
    data = pdf_bytes([b"q Q"], extra=[stream]).replace(b"/Contents 4 0 R", b"/Contents 6 0 R")
    doc = pdfium.PdfDocument(_fix_xref(data))
    assert "Dong so 39 cua ke hoach" in doc[0].get_textpage().get_text_range()
    bomb = _lzw_encode(b"\0" * 1_000_000)  # 1 MB of zeros in ~2 KB: ratio ~500:1
    assert len(bomb) < 5_000
    assert _lzw_count(bomb, 10**9) == 1_000_000
    assert 200_000 < _lzw_count(bomb, 200_000) < 210_000  # stops just past its limit


def test_image_larger_than_the_pixel_limit_refused() -> None:
    image = (b"<< /Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace "
             b"/DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length 4 >>\nstream\n"
             b"\xff\xd8\xff\xd9\nendstream")
    data = _fix_xref(pdf_bytes([text_page(["KE HOACH"])], extra=[image]))
    with pytest.raises(ReadError, match="60000×60000 điểm ảnh"):
        check_pdf_streams("anh.pdf", data)
    with pytest.raises(ReadError, match="megapixel"):
        read_bytes("anh.pdf", data)


def test_ordinary_pdfs_pass_the_stream_check(tmp_path: Path) -> None:
    seed = "003_230a64e200d485dd.txt"
    path = make_pdf(seed_blocks(seed_text(seed)), tmp_path / "kh.pdf")
    assert 0 < check_pdf_streams("kh.pdf", path.read_bytes()) < 5_000_000
    for real in sorted((SHARED / "docs").glob("*.pdf")) if (SHARED / "docs").exists() else []:
        assert check_pdf_streams(real.name, real.read_bytes()) >= 0, real.name
    assert not re.search(r"bom", "".join(read_path(path).notes))
