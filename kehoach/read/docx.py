"""DOCX reader: WordprocessingML straight from the zip, in document order.

Paragraphs become lines (with their automatic numbering label), tables one row per line
with TAB between cells, the two-column heading and signature tables one column after the
other, text boxes after their paragraph, footnotes as `[n] text` at the end (endnotes
after them as `[i] text`). Runs typed in
TCVN3 or VNI fonts are converted to Unicode (see `kehoach.read.legacy`).

Limits: the zip is checked before any XML is parsed (`MAX_UNZIPPED_BYTES` in total,
`MAX_RATIO` uncompressed/compressed, `MAX_ENTRIES` members, `MAX_XML_BYTES` per XML part
parsed), and the XML parser resolves no entities and fetches nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from ..errors import ReadError
from .legacy import convert_span, font_encoding, repair_text

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 5000
MAX_XML_BYTES = 50 * 1024 * 1024  # one XML part (the text of a plan is a few MB at most)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _attr(el: etree._Element | None, name: str) -> str | None:
    return None if el is None else el.get(_w(name))


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          remove_comments=True, load_dtd=False)

# Markers of the two-column layout tables (issuer | national motto; recipients | signature).
_LAYOUT_MARKERS = re.compile(
    r"CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI|Độc lập|Nơi nhận|^Số:|\bTM\.|\bKT\.|CHỦ TỊCH|GIÁM ĐỐC",
    re.M,
)


@dataclass
class _Ctx:
    styles: dict[str, etree._Element]
    default_font: str | None
    numbering: _Numbering
    footnote_ids: dict[str, int] = field(default_factory=dict)
    endnote_ids: dict[str, int] = field(default_factory=dict)
    encodings: dict[str, int] = field(default_factory=dict)


# --- numbering -----------------------------------------------------------------------------
def _roman(n: int) -> str:
    vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
            (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def _letter(n: int) -> str:
    # Word repeats the letter past z: aa, bb, ...
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


class _Numbering:
    """Computes the visible label of automatically numbered paragraphs, in document order."""

    def __init__(self, root: etree._Element | None) -> None:
        self.abstract: dict[str, dict[int, dict]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()
        if root is None:
            return
        for an in root.iter(_w("abstractNum")):
            levels = {}
            for lvl in an.iter(_w("lvl")):
                levels[int(_attr(lvl, "ilvl") or 0)] = {
                    "fmt": _attr(lvl.find(_w("numFmt")), "val") or "decimal",
                    "text": _attr(lvl.find(_w("lvlText")), "val") or "",
                    "start": int(_attr(lvl.find(_w("start")), "val") or 1),
                }
            self.abstract[_attr(an, "abstractNumId") or ""] = levels
        for num in root.iter(_w("num")):
            starts = {}
            for ov in num.iter(_w("lvlOverride")):
                so = ov.find(_w("startOverride"))
                if so is not None:
                    starts[int(_attr(ov, "ilvl") or 0)] = int(_attr(so, "val") or 1)
            self.nums[_attr(num, "numId") or ""] = (
                _attr(num.find(_w("abstractNumId")), "val") or "", starts)

    def label(self, num_id: str, ilvl: int) -> str:
        if num_id not in self.nums:
            return ""
        abstract_id, starts = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        lvl = levels.get(ilvl)
        if lvl is None:
            return ""
        if lvl["fmt"] == "bullet":
            return "-"
        # Word counts per abstract list: another w:num of the same list continues it,
        # unless it overrides the start (a "restart numbering"), applied at its first use
        counters = self.counters.setdefault(abstract_id, [None] * 10)
        if num_id not in self.used:
            self.used.add(num_id)
            for k in starts:
                counters[k] = None
        start = starts.get(ilvl, lvl["start"])
        cur = counters[ilvl]
        counters[ilvl] = start if cur is None else cur + 1
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = None

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            info = levels.get(k, {"fmt": "decimal", "start": 1})
            value = counters[k] if counters[k] is not None else starts.get(k, info["start"])
            return _format(value, info["fmt"])

        return re.sub(r"%(\d)", sub, lvl["text"]).strip()


# --- styles and fonts ----------------------------------------------------------------------
def _run_font(rpr: etree._Element | None) -> str | None:
    if rpr is None:
        return None
    fonts = rpr.find(_w("rFonts"))
    return _attr(fonts, "hAnsi") or _attr(fonts, "ascii")


def _style_chain(ctx: _Ctx, style_id: str | None) -> Iterator[etree._Element]:
    seen = set()
    while style_id and style_id in ctx.styles and style_id not in seen:
        seen.add(style_id)
        st = ctx.styles[style_id]
        yield st
        style_id = _attr(st.find(_w("basedOn")), "val")


def _font_for(ctx: _Ctx, rpr: etree._Element | None, pstyle: str | None) -> str | None:
    font = _run_font(rpr)
    if font:
        return font
    rstyle = _attr(rpr.find(_w("rStyle")), "val") if rpr is not None else None
    for sid in (rstyle, pstyle):
        for st in _style_chain(ctx, sid):
            font = _run_font(st.find(_w("rPr")))
            if font:
                return font
    return ctx.default_font


def _num_pr(ctx: _Ctx, ppr: etree._Element | None, pstyle: str | None) -> tuple[str, int] | None:
    num_pr = ppr.find(_w("numPr")) if ppr is not None else None
    if num_pr is None:
        for st in _style_chain(ctx, pstyle):
            spr = st.find(_w("pPr"))
            num_pr = spr.find(_w("numPr")) if spr is not None else None
            if num_pr is not None:
                break
    if num_pr is None:
        return None
    num_id = _attr(num_pr.find(_w("numId")), "val")
    if not num_id or num_id == "0":
        return None
    return num_id, int(_attr(num_pr.find(_w("ilvl")), "val") or 0)


# --- paragraphs ----------------------------------------------------------------------------
def _paragraph(ctx: _Ctx, p: etree._Element) -> tuple[str, list[str]]:
    """(text of the paragraph, lines of the text boxes anchored in it)."""
    ppr = p.find(_w("pPr"))
    pstyle = _attr(ppr.find(_w("pStyle")), "val") if ppr is not None else None
    pieces: list[tuple[str, str | None]] = []  # (text, font)
    boxes: list[str] = []

    def walk(el: etree._Element, font: str | None) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == f"{{{MC}}}Fallback" or tag in (_w("del"), _w("delText"), _w("instrText"),
                                                      _w("moveFrom"), _w("pPr"), _w("rPr")):
                continue
            if tag == _w("txbxContent"):
                for block in child:
                    boxes.extend(_block_lines(ctx, block))
                continue
            if tag == _w("r"):
                walk(child, _font_for(ctx, child.find(_w("rPr")), pstyle))
            elif tag == _w("t"):
                pieces.append((child.text or "", font))
            elif tag in (_w("tab"), _w("ptab")):
                pieces.append((" ", None))
            elif tag in (_w("br"), _w("cr")):
                if _attr(child, "type") not in ("page", "column"):
                    pieces.append(("\n", None))
            elif tag == _w("noBreakHyphen"):
                pieces.append(("-", None))
            elif tag == _w("footnoteReference"):
                fid = _attr(child, "id") or ""
                n = ctx.footnote_ids.setdefault(fid, len(ctx.footnote_ids) + 1)
                pieces.append((f"[{n}]", None))
            elif tag == _w("endnoteReference"):  # Word numbers endnotes i, ii, iii
                fid = _attr(child, "id") or ""
                n = ctx.endnote_ids.setdefault(fid, len(ctx.endnote_ids) + 1)
                pieces.append((f"[{_roman(n)}]", None))
            else:
                walk(child, font)

    walk(p, None)
    text = _convert_pieces(ctx, pieces)
    num = _num_pr(ctx, ppr, pstyle)
    if num and text.strip():
        label = ctx.numbering.label(*num)
        if label:
            text = f"{label} {text.lstrip()}"
    return text, boxes


def _convert_pieces(ctx: _Ctx, pieces: list[tuple[str, str | None]]) -> str:
    """Join runs, converting those in legacy fonts; runs without a font hint go by detection."""
    groups: list[tuple[str, str | None]] = []
    for text, font in pieces:
        enc = font_encoding(font)
        key = f"{enc}:{font}" if enc else None
        if groups and groups[-1][1] == key:
            groups[-1] = (groups[-1][0] + text, key)
        else:
            groups.append((text, key))
    out = []
    for text, key in groups:
        if key is None:
            fixed, counts = repair_text(text)
            for enc, n in counts.items():
                ctx.encodings[enc] = ctx.encodings.get(enc, 0) + n
        else:
            fixed, enc = convert_span(text, font=key.split(":", 1)[1])
            if enc:
                ctx.encodings[enc] = ctx.encodings.get(enc, 0) + 1
        out.append(fixed)
    return "".join(out)


# --- tables --------------------------------------------------------------------------------
def _cell_paragraphs(ctx: _Ctx, tc: etree._Element) -> list[str]:
    lines: list[str] = []
    for block in tc:
        lines.extend(_block_lines(ctx, block, in_cell=True))
    return lines


def _table_grid(ctx: _Ctx, tbl: etree._Element) -> list[list[list[str]]]:
    """Rows of cells, each cell a list of its paragraph lines; spans give empty cells."""
    rows = []
    for tr in tbl.iterchildren(_w("tr")):
        row: list[list[str]] = []
        trpr = tr.find(_w("trPr"))
        before = int(_attr(trpr.find(_w("gridBefore")), "val") or 0) if trpr is not None else 0
        row.extend([] for _ in range(before))
        for tc in _cells(tr):
            tcpr = tc.find(_w("tcPr"))
            span = int(_attr(tcpr.find(_w("gridSpan")), "val") or 1) if tcpr is not None else 1
            vmerge = tcpr.find(_w("vMerge")) if tcpr is not None else None
            cont = vmerge is not None and _attr(vmerge, "val") in (None, "continue")
            row.append([] if cont else _cell_paragraphs(ctx, tc))
            row.extend([] for _ in range(span - 1))
        rows.append(row)
    return rows


def _cells(tr: etree._Element) -> Iterator[etree._Element]:
    for child in tr:
        if child.tag == _w("tc"):
            yield child
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent"))
            yield from _cells(content if content is not None else child)


def _table_lines(ctx: _Ctx, tbl: etree._Element) -> list[str]:
    grid = _table_grid(ctx, tbl)
    if not grid:
        return []
    width = max(len(r) for r in grid)
    text = "\n".join(line for row in grid for cell in row for line in cell)
    if width <= 3 and len(grid) <= 6 and _LAYOUT_MARKERS.search(text) or width == 1:
        # a layout table: each column's lines, left column first
        lines = []
        for col in range(width):
            for row in grid:
                for para in row[col] if col < len(row) else []:
                    lines.extend(" ".join(x.split()) for x in para.split("\n"))
        return [x for x in lines if x]
    out = []
    for row in grid:
        cells = [" ".join(" ".join(cell).split()) for cell in row]
        cells += [""] * (width - len(cells))
        if any(cells):
            out.append("\t".join(cells))
    return out


def _block_lines(ctx: _Ctx, el: etree._Element, in_cell: bool = False) -> list[str]:
    tag = el.tag
    if tag == _w("p"):
        text, boxes = _paragraph(ctx, el)
        lines = [" ".join(x.split()) for x in text.split("\n")] if not in_cell else [text]
        return [x for x in lines if x] + boxes
    if tag == _w("tbl"):
        if in_cell:  # a nested table: its rows' text, one line per row
            return [" ".join(r.split("\t")) for r in _table_lines(ctx, el)]
        return _table_lines(ctx, el)
    if tag in (_w("sdt"), _w("customXml"), _w("sdtContent"), f"{{{MC}}}AlternateContent",
               f"{{{MC}}}Choice", _w("ins"), _w("smartTag")):
        out = []
        for child in el:
            out.extend(_block_lines(ctx, child, in_cell))
        return out
    return []


# --- the zip -------------------------------------------------------------------------------
def check_zip(name: str, zf: zipfile.ZipFile, compressed_size: int) -> None:
    """Refuse zip bombs before anything is decompressed."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ReadError(name, f"tệp DOCX có {len(infos)} thành phần (tối đa {MAX_ENTRIES}): "
                              "tệp hỏng hoặc không phải văn bản Word")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES or total > MAX_RATIO * max(compressed_size, 1) + 10_000_000:
        limit = MAX_UNZIPPED_BYTES // 1_000_000
        raise ReadError(name, f"tệp DOCX giải nén ra {total // 1_000_000} MB từ "
                              f"{compressed_size // 1000} KB (tối đa {limit} MB, tỉ lệ "
                              f"{MAX_RATIO}:1): có thể là bom nén (zip bomb), "
                              "không đọc. Hãy mở bằng Word và lưu lại, hoặc gửi bản PDF")


def _xml(zf: zipfile.ZipFile, member: str, name: str) -> etree._Element | None:
    try:
        info = zf.getinfo(member)
    except KeyError:
        return None
    if info.file_size > MAX_XML_BYTES:  # parsed XML takes ~10× its size in memory
        raise ReadError(name, f"{member} dài {info.file_size // 1_000_000} MB "
                        f"(tối đa {MAX_XML_BYTES // 1_000_000} MB): không phải một kế hoạch "
                        "thông thường; hãy tách tệp hoặc gửi bản PDF")
    return etree.fromstring(zf.read(info), _PARSER)


def is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def read_docx(name: str, data: bytes) -> tuple[str, list[str]]:
    """Text of a DOCX and notes on what was applied."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as e:
        raise ReadError(name, "tệp DOCX bị hỏng (không mở được tệp nén): hãy mở bằng Word và "
                              "lưu lại, hoặc xin bản gốc") from e
    with zf:
        check_zip(name, zf, len(data))
        try:
            doc = _xml(zf, "word/document.xml", name)
            styles_root = _xml(zf, "word/styles.xml", name)
            numbering_root = _xml(zf, "word/numbering.xml", name)
            footnotes_root = _xml(zf, "word/footnotes.xml", name)
            endnotes_root = _xml(zf, "word/endnotes.xml", name)
            images = _page_images(zf, doc, name) if doc is not None and _text_chars(doc) < 50 else []
        except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError,
                ValueError) as e:
            raise ReadError(name, f"tệp DOCX bị hỏng ({e.__class__.__name__}): hãy mở bằng Word "
                                  "và lưu lại, hoặc xin bản gốc") from e
        except RuntimeError as e:  # encrypted zip member
            raise ReadError(name, "tệp DOCX được mã hóa: hãy gỡ mật khẩu rồi đọc lại") from e
    if doc is None:
        raise ReadError(name, "tệp nén không có word/document.xml: không phải văn bản Word")
    styles: dict[str, etree._Element] = {}
    default_font = None
    if styles_root is not None:
        for st in styles_root.iter(_w("style")):
            styles[_attr(st, "styleId") or ""] = st
        dflt = styles_root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
        default_font = _run_font(dflt)
        for st in styles_root.iter(_w("style")):
            if _attr(st, "type") == "paragraph" and _attr(st, "default") == "1":
                default_font = _run_font(st.find(_w("rPr"))) or default_font
    ctx = _Ctx(styles=styles, default_font=default_font, numbering=_Numbering(numbering_root))
    body = doc.find(_w("body"))
    lines: list[str] = []
    for block in body if body is not None else []:
        lines.extend(_block_lines(ctx, block))
    notes = ["reader docx"]
    if ctx.footnote_ids and footnotes_root is not None:
        lines.extend(_note_lines(ctx, footnotes_root, "footnote", ctx.footnote_ids, str))
        notes.append(f"{len(ctx.footnote_ids)} footnotes appended as [n]")
    if ctx.endnote_ids and endnotes_root is not None:
        lines.extend(_note_lines(ctx, endnotes_root, "endnote", ctx.endnote_ids, _roman))
        notes.append(f"{len(ctx.endnote_ids)} endnotes appended as [i]")
    for enc, n in sorted(ctx.encodings.items()):
        notes.append(f"legacy encoding {enc} converted to Unicode ({n} runs)")
    if images:  # a scan pasted into Word: its pictures are the pages
        from .ocr import read_images

        text, ocr_notes = read_images(name, images)
        lines.append(text)
        notes += [f"no text, {len(images)} picture(s): OCR", *ocr_notes]
    return "\n".join(lines) + "\n", notes


def _text_chars(doc: etree._Element) -> int:
    return sum(len(t.text or "") for t in doc.iter(_w("t")))


R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def _page_images(zf: zipfile.ZipFile, doc: etree._Element, name: str) -> list[bytes]:
    """The pictures of a document without text, in document order (DrawingML and VML)."""
    rels = _xml(zf, "word/_rels/document.xml.rels", name)
    if rels is None:
        return []
    targets = {r.get("Id"): r.get("Target") or "" for r in rels.iter(f"{{{REL}}}Relationship")
               if (r.get("Type") or "").endswith("/image")}
    out = []
    for el in doc.iter():
        rid = el.get(f"{{{R}}}embed") or el.get(f"{{{R}}}id")
        target = targets.pop(rid, None) if rid else None
        if target:
            member = target.lstrip("/") if target.startswith("/") else f"word/{target}"
            try:
                out.append(zf.read(member))
            except KeyError:
                continue
    return out[:500]


def _note_lines(ctx: _Ctx, root: etree._Element, kind: str, ids: dict[str, int],
                label: Callable[[int], str]) -> list[str]:
    by_id = {_attr(fn, "id"): fn for fn in root.iter(_w(kind))}
    out = []
    for fid, n in sorted(ids.items(), key=lambda kv: kv[1]):
        fn = by_id.get(fid)
        if fn is None:
            continue
        parts = []
        for block in fn:
            parts.extend(_block_lines(ctx, block, in_cell=True))
        out.append(f"[{label(n)}] " + " ".join(" ".join(parts).split()))
    return out
