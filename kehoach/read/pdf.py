"""PDF reader: the text layer through pdfium, pages without one through OCR.

Characters come with their boxes from pdfium (fast: a 30-page plan reads in about a
second); words keep their positions so `layout` can rebuild reading order: the heading
block's columns, ruled tables as TAB rows (cells found from the page's drawn lines with
pdfplumber's table geometry), paragraphs joined, running headers and page numbers
dropped. Words in `.VnTime`/`VNI-` fonts are converted to Unicode.

Annotations that draw something (a signature's form fields holding the number and the
day, FreeText notes) are flattened into the page first, so their text reads where it shows.

Limits: `MAX_PAGES` pages, `MAX_CHARS` characters; streams that inflate past
`read.bounds`' limits are refused before pdfium decodes them; an encrypted PDF that needs a
password is refused. A page without text is skipped and reported in the warnings.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable, Iterator

from ..errors import ReadError
from .bounds import check_pdf_streams
from .layout import Page, Word, edge, layout_lines, ruled_tables
from .legacy import convert_span, font_encoding, repair_text
from .model import LineInfo, Progress, Reading, no_progress

MAX_PAGES = 500
MAX_CHARS = 2_500_000  # a 500-page plan has ~2 million characters
MIN_CHARS_PER_PAGE = 20  # fewer characters than this on a page with an image: a scan
THIN = 3.0  # a filled box this thin (pt) is a drawn rule

def _open(name: str, data: bytes) -> object:
    """Open with pdfium, refusing encrypted, corrupt and overlong PDFs with a clear message."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise ReadError(name, "tệp PDF được đặt mật khẩu: hãy mở bằng trình đọc PDF, gỡ mật "
                                  "khẩu (in ra PDF mới) rồi đọc lại") from e
        raise ReadError(name, "tệp PDF bị hỏng, không mở được: hãy tải lại bản gốc hoặc in ra "
                              "PDF mới") from e
    n = len(doc)
    if n == 0:
        doc.close()
        raise ReadError(name, "tệp PDF không có trang nào")
    if n > MAX_PAGES:
        doc.close()
        raise ReadError(name, f"tệp PDF có {n} trang, quá giới hạn {MAX_PAGES} trang của một kế "
                              "hoạch: hãy tách phần kế hoạch ra tệp riêng")
    return doc


class _Frame:
    """PDF user space (origin bottom left) → the page as shown (origin top left, /Rotate applied)."""

    def __init__(self, page: object) -> None:
        self.rotation = page.get_rotation() % 360  # type: ignore[attr-defined]
        w, h = page.get_size()  # type: ignore[attr-defined]  # as shown
        self.w, self.h = (h, w) if self.rotation in (90, 270) else (w, h)  # user space

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.rotation == 90:
            return y, x
        if self.rotation == 180:
            return self.w - x, y
        if self.rotation == 270:
            return self.h - y, self.w - x
        return x, self.h - y

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float,
                                                                                float, float]:
        """(x0, top, x1, bottom) as shown."""
        ax, ay = self.point(left, bottom)
        bx, by = self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _clean_font(fontname: str | None) -> str | None:
    if not fontname:
        return None
    return fontname.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", fontname) else fontname


def _font_name(textpage: object, index: int) -> str | None:
    import pypdfium2.raw as raw

    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    n = raw.FPDFText_GetFontInfo(textpage, index, buf, len(buf), ctypes.byref(flags))
    return _clean_font(buf.value.decode("utf-8", "replace")) if n else None


def _char_boxes(frame: _Frame) -> Callable[[float, float, float, float],
                                           tuple[float, float, float, float]]:
    """PDF box (left, bottom, right, top) → (x0, top, x1, bottom) as shown, for this page."""
    if frame.rotation == 0:
        h = frame.h
        return lambda left, bottom, right, top: (left, h - top, right, h - bottom)
    return frame.box


_HIGH = re.compile("[\x80-\xff]")
# a TCVN3 (.VnTime) or VNI font named anywhere in the file; fonts inside compressed object
# streams cannot be seen, so a file with object streams is looked up word by word
_LEGACY_FONT = re.compile(rb"/(?:[A-Z]{6}\+)?(?:\.|#2[Ee])Vn|/(?:[A-Z]{6}\+)?VNI(?:-|#2[Dd])|TCVN3"
                          rb"|/ObjStm")


class _TooManyChars(Exception):
    """A page would take the document past `MAX_CHARS` (checked before its words are built)."""


def _page_words(page: object, frame: _Frame, encodings: dict[str, int] | None,
                fields_from: int | None = None, max_chars: int = MAX_CHARS) -> list[Word]:
    """Words with their boxes (top-down coordinates) from the page's text layer.

    A word ends at a space, a gap, a step back, another line or another size; words from
    character `fields_from` on were drawn by form fields (flattened in, so they come last).
    `encodings` is None when the document has no legacy font: no word's font is looked up."""
    import pypdfium2.raw as raw

    tp = page.get_textpage()  # type: ignore[attr-defined]
    try:
        n = tp.count_chars()
        if n > max_chars:
            raise _TooManyChars
        text = tp.get_text_range(0, n) if n else ""
        if len(text) != n:  # characters outside the BMP: read them one by one
            text = "".join(chr(raw.FPDFText_GetUnicode(tp.raw, i)) for i in range(n))
        words: list[Word] = []
        chars: list[str] = []
        x0 = x1 = top = bottom = first_h = 0.0
        start = 0
        rect = raw.FS_RECTF()
        ref = ctypes.byref(rect)
        get_box, tpr, box = raw.FPDFText_GetLooseCharBox, tp.raw, _char_boxes(frame)

        def flush() -> None:
            word = "".join(chars)
            size = raw.FPDFText_GetFontSize(tpr, start) or 12.0
            if encodings is not None and _HIGH.search(word):
                font = _font_name(tpr, start)
                if font_encoding(font):
                    word, enc = convert_span(word, font=font)
                    if enc:
                        encodings[enc] = encodings.get(enc, 0) + 1
            field = fields_from is not None and start >= fields_from
            words.append(Word(word, x0, x1, top, bottom, float(size), field=field))
            chars.clear()

        for i, ch in enumerate(text):
            if ch.isspace() or ch == "\x00":
                if chars:
                    flush()
                continue
            get_box(tpr, i, ref)
            cx0, ctop, cx1, cbottom = box(rect.left, rect.bottom, rect.right, rect.top)
            if chars:
                height = bottom - top
                if (cx0 - x1 > 0.25 * height or cx0 < x0 - 1 or abs(ctop - top) > 0.6 * height
                        or abs((cbottom - ctop) - first_h) > 0.2 * first_h):
                    flush()  # a gap, a step back, another line or another size: a new word
            if not chars:
                start = i
                first_h = cbottom - ctop
                x0, x1, top, bottom = cx0, cx1, ctop, cbottom
            else:
                x1 = max(x1, cx1)
                top = min(top, ctop)
                bottom = max(bottom, cbottom)
            chars.append("-" if ch in "\x02\ufffe" else ch)  # pdfium marks a line-end hyphen
        if chars:
            flush()
        return words
    finally:
        tp.close()


# --- ruled tables ---------------------------------------------------------------------------
def _form_matrix(obj: object) -> object:
    """Form XObject space → page space: the matrices of the forms the object sits in."""
    import pypdfium2 as pdfium

    m = pdfium.PdfMatrix()
    c = getattr(obj, "container", None)
    while c is not None:
        m = m.multiply(c.get_matrix())
        c = getattr(c, "container", None)
    return m


def _segments(obj: object) -> Iterator[tuple[float, float, float, float]]:
    """The straight segments of a stroked path, in page coordinates."""
    import pypdfium2.raw as raw

    m = obj.get_matrix().multiply(_form_matrix(obj))  # type: ignore[attr-defined]
    n = raw.FPDFPath_CountSegments(obj.raw)  # type: ignore[attr-defined]
    if n <= 0 or n > 5000:
        return
    x, y = ctypes.c_float(), ctypes.c_float()
    first: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None
    for i in range(n):
        seg = raw.FPDFPath_GetPathSegment(obj.raw, i)  # type: ignore[attr-defined]
        raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        pt = m.on_point(x.value, y.value)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_LINETO and prev is not None:
            yield prev[0], prev[1], pt[0], pt[1]
        if kind == raw.FPDF_SEGMENT_MOVETO:
            first = pt
        prev = pt
        if raw.FPDFPathSegment_GetClose(seg) and first is not None and prev != first:
            yield prev[0], prev[1], first[0], first[1]
            prev = first


def _page_edges(page: object, frame: _Frame) -> list[dict]:
    """Horizontal and vertical rules drawn on the page (lines, thin boxes, box outlines)."""
    import pypdfium2.raw as raw

    edges = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH]):  # type: ignore[attr-defined]
        left, bottom, right, top = obj.get_bounds()
        if getattr(obj, "container", None) is not None:  # inside a form: to page space
            left, bottom, right, top = _form_matrix(obj).on_rect(left, bottom, right, top)
        x0, top, x1, bottom = frame.box(left, bottom, right, top)
        w, h = x1 - x0, bottom - top
        raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
        if (w <= THIN) != (h <= THIN):  # a thin filled box or a single line: one rule
            if max(w, h) > THIN:
                edges.append(edge(x0, top, x1, bottom))
            continue
        if not stroke.value:
            continue  # a filled box (highlight, white background): no rules
        for ax, ay, bx, by in _segments(obj):
            (ax, ay), (bx, by) = frame.point(ax, ay), frame.point(bx, by)
            if abs(bx - ax) < 1 and abs(by - ay) > THIN or abs(by - ay) < 1 and abs(bx - ax) > THIN:
                edges.append(edge(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
    return edges


def _flatten_annotations(page: object) -> tuple[int, int]:
    """Draw the page's annotations (form fields, signature boxes, FreeText) into its content.

    Signed plans often have the number and the day drawn by the signature's widgets, not in
    the page text. Returns (annotations drawn, characters of the page before); the page
    must be reloaded after this."""
    import pypdfium2.raw as raw

    drawn = 0
    for k in range(raw.FPDFPage_GetAnnotCount(page.raw)):  # type: ignore[attr-defined]
        annot = raw.FPDFPage_GetAnnot(page.raw, k)  # type: ignore[attr-defined]
        try:
            if (raw.FPDFAnnot_GetSubtype(annot) != raw.FPDF_ANNOT_LINK
                    and raw.FPDFAnnot_GetObjectCount(annot) > 0):
                drawn += 1
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    if not drawn:
        return 0, 0
    tp = page.get_textpage()  # type: ignore[attr-defined]
    before = tp.count_chars()
    tp.close()
    raw.FPDFPage_Flatten(page.raw, raw.FLAT_NORMALDISPLAY)  # type: ignore[attr-defined]
    return drawn, before


def _read_page(doc: object, i: int, encodings: dict[str, int] | None,
               max_chars: int) -> tuple[Page, bool, int, int]:
    """(page, is a scan, characters, annotations drawn in) for page i."""
    import pypdfium2.raw as raw

    page = doc[i]  # type: ignore[index]
    try:
        frame = _Frame(page)
        fields, before = _flatten_annotations(page)
        if fields:
            page.close()
            page = doc[i]  # type: ignore[index]  # reloaded: the flattened fields are content
        width, height = page.get_size()
        words = _page_words(page, frame, encodings, before if fields else None, max_chars)
        chars = sum(len(w.text) for w in words)
        if chars < MIN_CHARS_PER_PAGE and any(
                True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE])):
            return Page(i, float(width), float(height), []), True, chars, fields
        tables = ruled_tables(_page_edges(page, frame), words, i)
        return Page(i, float(width), float(height), words, tables), False, chars, fields
    finally:
        page.close()


def read_pdf(name: str, data: bytes, progress: Progress = no_progress) -> Reading:
    """Read a PDF: its text layer, and its scanned pages through OCR (reader 'pdf', 'ocr' or
    'pdf+ocr'); `progress(done, total, stage)` is called after each page."""
    import pypdfium2 as pdfium

    check_pdf_streams(name, data)
    doc = _open(name, data)
    pages: list[Page] = []
    scanned: list[int] = []
    encodings: dict[str, int] = {}
    fonts = encodings if _LEGACY_FONT.search(data) else None
    chars = fields = 0
    try:
        n_pages = len(doc)  # type: ignore[arg-type]
        for i in range(n_pages):
            try:
                page, scan, n, f = _read_page(doc, i, fonts, MAX_CHARS - chars)
            except _TooManyChars:
                raise ReadError(name, f"tệp PDF có hơn {MAX_CHARS:,} ký tự đến trang {i + 1} "
                                      "(chữ quá dày đặc hoặc quá nhiều trang): không phải một "
                                      "kế hoạch thông thường; hãy tách phần kế hoạch ra tệp "
                                      "riêng".replace(",", ".")) from None
            chars, fields = chars + n, fields + f
            pages.append(page)
            if scan:
                scanned.append(i)
            progress(i + 1, n_pages, "đọc")
    except pdfium.PdfiumError as e:
        raise ReadError(name, f"tệp PDF bị hỏng ({e}): hãy tải lại bản gốc hoặc in ra PDF "
                              "mới") from e
    finally:
        doc.close()  # type: ignore[attr-defined]
    notes = [f"reader pdf ({n_pages} pages, text layer)"]
    if fields:
        notes.append(f"{fields} form field(s) / annotation(s) drawn into the text")
    warnings: list[str] = []
    reader = "pdf"
    if scanned:
        reader = _ocr_scanned(name, data, pages, scanned, notes, warnings, progress)
    lines, layout_notes = layout_lines(pages, superscripts=reader != "ocr")
    notes += layout_notes
    if reader == "pdf":  # OCR output is Unicode already; only a text layer can be legacy
        lines = _repair_lines(lines, encodings)
    for enc, n in sorted(encodings.items()):
        notes.append(f"legacy encoding {enc} converted to Unicode ({n} words/lines)")
    blank = [p.number + 1 for p in pages if not p.words and p.number not in scanned]
    if blank:
        warnings.append(f"trang {_page_list(blank)} không có chữ (trang trắng): đã bỏ qua")
    return Reading(lines, notes, reader, warnings, n_pages)


def _ocr_scanned(name: str, data: bytes, pages: list[Page], scanned: list[int],
                 notes: list[str], warnings: list[str], progress: Progress) -> str:
    """OCR the scanned pages in place; returns the reader's name."""
    from .ocr import ocr_pdf_pages

    ocr_pages, ocr_notes, blank = ocr_pdf_pages(name, data, scanned, progress)
    for p in ocr_pages:
        pages[p.number] = p
    notes += ocr_notes
    if blank:
        warnings.append(f"trang {_page_list([b + 1 for b in blank])} của bản quét không có chữ "
                        "(trang trắng, mặt sau khi quét hai mặt?): đã bỏ qua")
    if len(scanned) == len(pages):
        notes[0] = f"reader pdf ({len(pages)} pages, no text layer: scanned)"
        return "ocr"
    return "pdf+ocr"


def _page_list(numbers: list[int]) -> str:
    """[1, 2, 3, 7] → '1-3, 7'."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def _repair_lines(lines: list[tuple[str, LineInfo]],
                  encodings: dict[str, int]) -> list[tuple[str, LineInfo]]:
    if not lines:
        return lines
    text, counts = repair_text("\n".join(t for t, _ in lines))
    for enc, n in counts.items():
        encodings[enc] = encodings.get(enc, 0) + n
    return list(zip(text.split("\n"), (info for _, info in lines), strict=True))
