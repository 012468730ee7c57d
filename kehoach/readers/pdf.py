"""PDF reader: the text layer through pdfplumber, pages without one through OCR.

Words keep their positions so `layout` can rebuild reading order: the heading block's
columns, ruled tables (pdfplumber's table finder) as TAB rows, paragraphs joined, running
headers and page numbers dropped. Words in `.VnTime`/`VNI-` fonts are converted to Unicode.

Limits: `MAX_PAGES` pages; an encrypted PDF that needs a password is refused.
"""

from __future__ import annotations

import io
import re
import warnings

from ..errors import ReadError
from ..legacy import convert_span, font_encoding, repair_text
from .layout import Page, Word, layout_text

MAX_PAGES = 500
MIN_CHARS_PER_PAGE = 20  # fewer characters than this on a page with an image: a scan


def _open_checked(name: str, data: bytes) -> int:
    """Count pages with pdfium (fast, also for huge files) and refuse encrypted/corrupt ones."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        msg = str(e).lower()
        if "password" in msg:
            raise ReadError(name, "tệp PDF được đặt mật khẩu: hãy mở bằng trình đọc PDF, gỡ mật "
                                  "khẩu (in ra PDF mới) rồi đọc lại") from e
        raise ReadError(name, "tệp PDF bị hỏng, không mở được: hãy tải lại bản gốc hoặc in ra "
                              "PDF mới") from e
    try:
        n = len(doc)
    finally:
        doc.close()
    if n == 0:
        raise ReadError(name, "tệp PDF không có trang nào")
    if n > MAX_PAGES:
        raise ReadError(name, f"tệp PDF có {n} trang, quá giới hạn {MAX_PAGES} trang của một kế "
                              "hoạch: hãy tách phần kế hoạch ra tệp riêng")
    return n


def _clean_font(fontname: str | None) -> str | None:
    if not fontname:
        return None
    return fontname.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", fontname) else fontname


def _page_words(page: object, encodings: dict[str, int]) -> list[Word]:
    words = []
    for w in page.extract_words(keep_blank_chars=False, use_text_flow=False,  # type: ignore[attr-defined]
                                extra_attrs=["fontname", "size"]):
        text = " ".join(w["text"].split())
        if not text:
            continue
        font = _clean_font(w.get("fontname"))
        if font_encoding(font):
            text, enc = convert_span(text, font=font)
            if enc:
                encodings[enc] = encodings.get(enc, 0) + 1
        words.append(Word(text, float(w["x0"]), float(w["x1"]), float(w["top"]),
                          float(w["bottom"]), float(w.get("size") or 12)))
    return words


def _ruling(obj: dict) -> bool:
    """Keep what can draw a table's rules; drop filled boxes (highlight, white background)."""
    if obj.get("object_type") != "rect" or obj.get("stroke"):
        return True
    return min(float(obj.get("width", 0)), float(obj.get("height", 0))) <= 3


def _cell_text(text: str | None) -> str:
    """A cell's lines joined with spaces; a number or word broken at the cell's edge is rejoined."""
    out = ""
    for line in (text or "").split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        if out and (re.search(r"\d[.,]$", out) and line[:1].isdigit()):
            out += line
        elif out and re.search(r"\w-$", out) and line[:1].islower():
            out = out[:-1] + line
        else:
            out = f"{out} {line}" if out else line
    return out


def _page_tables(page: object) -> list[tuple[tuple[float, float, float, float], list[list[str]]]]:
    out: list[tuple[tuple[float, float, float, float], list[list[str]]]] = []
    if not (page.lines or page.rects):  # type: ignore[attr-defined]
        return out
    ruled = page.filter(_ruling)  # type: ignore[attr-defined]
    for t in ruled.find_tables():
        rows = [[_cell_text(c) for c in row] for row in t.extract()]
        rows = [r for r in rows if any(r)]
        if not rows or len(rows[0]) < 2:
            continue  # a framed box, not a table: let its text flow
        out.append((tuple(t.bbox), rows))
    return out


def read_pdf(name: str, data: bytes) -> tuple[str, list[str], str]:
    """(text, notes, reader) where reader is 'pdf', 'ocr' (a scan) or 'pdf+ocr'."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    n_pages = _open_checked(name, data)
    pages: list[Page] = []
    scanned: list[int] = []
    encodings: dict[str, int] = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for i, page in enumerate(pdf.pages):
                    if len(page.chars) < MIN_CHARS_PER_PAGE and page.images:
                        scanned.append(i)
                        pages.append(Page(i, float(page.width), float(page.height), []))
                        continue
                    pages.append(Page(i, float(page.width), float(page.height),
                                      _page_words(page, encodings), _page_tables(page)))
                    page.flush_cache()
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise ReadError(name, "tệp PDF được mã hóa, không đọc được: hãy gỡ mật khẩu rồi đọc "
                              "lại") from e
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
        raise ReadError(name, f"tệp PDF bị hỏng ({e.__class__.__name__}): hãy tải lại bản gốc "
                              "hoặc in ra PDF mới") from e
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
