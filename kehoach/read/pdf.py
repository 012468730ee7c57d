"""PDF reader: the text layer through pdfium, pages without one through OCR.

Characters come with their boxes from pdfium (fast: a 30-page plan reads in about a
second); words keep their positions so `layout` can rebuild reading order: the heading
block's columns, ruled tables as TAB rows (cells found from the page's drawn lines with
pdfplumber's table geometry), paragraphs joined, running headers and page numbers
dropped. Words in `.VnTime`/`VNI-` fonts are converted to Unicode.

Limits: `MAX_PAGES` pages; an encrypted PDF that needs a password is refused.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator

from ..errors import ReadError
from .layout import Page, Word, edge, layout_text, ruled_tables
from .legacy import convert_span, font_encoding, repair_text

MAX_PAGES = 500
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


def _page_words(page: object, frame: _Frame, encodings: dict[str, int]) -> list[Word]:
    """Words with their boxes (top-down coordinates) from the page's text layer."""
    import pypdfium2.raw as raw

    tp = page.get_textpage()  # type: ignore[attr-defined]
    try:
        n = tp.count_chars()
        text = tp.get_text_range(0, n) if n else ""
        if len(text) != n:  # characters outside the BMP: read them one by one
            text = "".join(chr(raw.FPDFText_GetUnicode(tp.raw, i)) for i in range(n))
        words: list[Word] = []
        chars: list[str] = []
        box = [0.0, 0.0, 0.0, 0.0]  # x0, x1, top, bottom
        start = 0
        first_h = 0.0  # the first character's height: a superscript is smaller

        def flush() -> None:
            if not chars:
                return
            word = "".join(chars)
            size = raw.FPDFText_GetFontSize(tp.raw, start) or 12.0
            if any("\x80" <= c <= "\xff" for c in word):
                font = _font_name(tp.raw, start)
                if font_encoding(font):
                    word, enc = convert_span(word, font=font)
                    if enc:
                        encodings[enc] = encodings.get(enc, 0) + 1
            words.append(Word(word, box[0], box[1], box[2], box[3], float(size)))
            chars.clear()

        for i, ch in enumerate(text):
            if ch.isspace() or ch == "\x00":
                flush()
                continue
            x0, top, x1, bottom = frame.box(*tp.get_charbox(i, loose=True))
            if chars and (x0 - box[1] > 0.25 * (box[3] - box[2]) or x0 < box[0] - 1
                          or abs(top - box[2]) > 0.6 * (box[3] - box[2])
                          or abs((bottom - top) - first_h) > 0.2 * first_h):
                flush()  # a gap, a step back, another line or another size: a new word
            if not chars:
                start = i
                first_h = bottom - top
                box = [x0, x1, top, bottom]
            else:
                box[1] = max(box[1], x1)
                box[2] = min(box[2], top)
                box[3] = max(box[3], bottom)
            chars.append("-" if ch in "\x02\ufffe" else ch)  # pdfium marks a line-end hyphen
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


def read_pdf(name: str, data: bytes) -> tuple[str, list[str], str]:
    """(text, notes, reader) where reader is 'pdf', 'ocr' (a scan) or 'pdf+ocr'."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = _open(name, data)
    pages: list[Page] = []
    scanned: list[int] = []
    encodings: dict[str, int] = {}
    try:
        n_pages = len(doc)  # type: ignore[arg-type]
        for i in range(n_pages):
            page = doc[i]  # type: ignore[index]
            try:
                width, height = page.get_size()
                frame = _Frame(page)
                words = _page_words(page, frame, encodings)
                if sum(len(w.text) for w in words) < MIN_CHARS_PER_PAGE and any(
                        True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE])):
                    scanned.append(i)
                    pages.append(Page(i, width, height, []))
                    continue
                tables = ruled_tables(_page_edges(page, frame), words, i)
                pages.append(Page(i, float(width), float(height), words, tables))
            finally:
                page.close()
    except pdfium.PdfiumError as e:
        raise ReadError(name, f"tệp PDF bị hỏng ({e}): hãy tải lại bản gốc hoặc in ra PDF "
                              "mới") from e
    finally:
        doc.close()  # type: ignore[attr-defined]
    notes = [f"reader pdf ({n_pages} pages, text layer)"]
    reader = "pdf"
    if scanned:
        from .ocr import ocr_pdf_pages

        ocr_pages, ocr_notes = ocr_pdf_pages(name, data, scanned)
        for p in ocr_pages:
            pages[p.number] = p
        notes += ocr_notes
        reader = "ocr" if len(scanned) == n_pages else "pdf+ocr"
        if reader == "ocr":
            notes[0] = f"reader pdf ({n_pages} pages, no text layer: scanned)"
    text, layout_notes = layout_text(pages, superscripts=reader != "ocr")
    notes += layout_notes
    if reader == "pdf":  # OCR output is Unicode already; only a text layer can be legacy
        text, counts = repair_text(text)
        for enc, n in counts.items():
            encodings[enc] = encodings.get(enc, 0) + n
    for enc, n in sorted(encodings.items()):
        notes.append(f"legacy encoding {enc} converted to Unicode ({n} words/lines)")
    return text, notes, reader

