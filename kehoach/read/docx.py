"""DOCX reader: WordprocessingML straight from the zip, in document order.

Paragraphs become lines (with their automatic numbering label), tables one row per line
with TAB between cells, the two-column heading and signature tables one column after the
other, text boxes after their paragraph, footnotes as `[n] text` at the end (endnotes
after them as `[i] text`). Runs typed in
TCVN3 or VNI fonts are converted to Unicode (see `kehoach.read.legacy`).

Limits: the zip's directory is checked before anything is inflated (`MAX_UNZIPPED_BYTES` in
total, `MAX_RATIO` uncompressed/compressed, `MAX_ENTRIES` members) and, since those sizes are
the file's own claims, every member is inflated through a counting reader that stops at
`MAX_XML_BYTES` per XML part, `MAX_IMAGE_BYTES` per picture and `MAX_UNZIPPED_BYTES` in all,
whatever the headers say. The XML parser resolves no entities and fetches nothing.
Automatic numbering is written as Word shows it (see `_Numbering`); a cell merged down a
column repeats its text on each row it covers; raised digits are `m³` after a unit and `[n]`
elsewhere, as footnote references are.
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
from .bounds import LimitedReader
from .legacy import convert_span, font_encoding, repair_text
from .model import FOOTNOTE, TABLE, TEXT, LineInfo, Progress, Reading, no_progress, superscript
from .tables import table_lines

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 5000
MAX_XML_BYTES = 50 * 1024 * 1024  # one XML part (the text of a plan is a few MB at most)
MAX_IMAGE_BYTES = 50 * 1024 * 1024  # one picture of a scan pasted into Word

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _attr(el: etree._Element | None, name: str) -> str | None:
    return None if el is None else el.get(_w(name))


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          remove_comments=True, load_dtd=False)



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


def _level(lvl: etree._Element) -> dict:
    restart = _attr(lvl.find(_w("lvlRestart")), "val")
    legal = lvl.find(_w("isLgl"))
    return {
        "fmt": _attr(lvl.find(_w("numFmt")), "val") or "decimal",
        "text": _attr(lvl.find(_w("lvlText")), "val") or "",
        "start": int(_attr(lvl.find(_w("start")), "val") or 1),
        "restart": int(restart) if restart and restart.isdigit() else None,
        "legal": legal is not None and _attr(legal, "val") not in ("0", "false"),
    }


class _Numbering:
    """Computes the visible label of automatically numbered paragraphs, in document order.

    As Word does: a list is counted per abstract definition (another `w:num` of the same list
    continues it unless it restarts it with `startOverride`); a level restarts after a higher
    level is used (or after the level `lvlRestart` names, or never for 0); `lvlOverride` may
    replace a level; `isLgl` shows every level of the label in decimal; a definition linked to
    a numbering style (`numStyleLink`) takes that style's list; bullets are written `-`."""

    def __init__(self, root: etree._Element | None,
                 styles: dict[str, etree._Element] | None = None) -> None:
        self.abstract: dict[str, dict[int, dict]] = {}
        self.links: dict[str, str] = {}  # abstract id → numbering style it takes its list from
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, dict]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.used: set[str] = set()
        self.styles = styles or {}
        if root is None:
            return
        for an in root.iter(_w("abstractNum")):
            aid = _attr(an, "abstractNumId") or ""
            self.abstract[aid] = {int(_attr(lvl, "ilvl") or 0): _level(lvl)
                                  for lvl in an.iter(_w("lvl"))}
            link = _attr(an.find(_w("numStyleLink")), "val")
            if link:
                self.links[aid] = link
        for num in root.iter(_w("num")):
            starts, levels = {}, {}
            for ov in num.iter(_w("lvlOverride")):
                k = int(_attr(ov, "ilvl") or 0)
                so = ov.find(_w("startOverride"))
                if so is not None:
                    starts[k] = int(_attr(so, "val") or 1)
                lvl = ov.find(_w("lvl"))
                if lvl is not None:
                    levels[k] = _level(lvl)
                    if so is None:
                        starts[k] = levels[k]["start"]
            self.nums[_attr(num, "numId") or ""] = (
                _attr(num.find(_w("abstractNumId")), "val") or "", starts, levels)

    def _abstract_id(self, num_id: str, depth: int = 0) -> str:
        abstract_id = self.nums[num_id][0]
        link = self.links.get(abstract_id)
        if link and depth < 5 and link in self.styles:
            ppr = self.styles[link].find(_w("pPr"))
            num_pr = ppr.find(_w("numPr")) if ppr is not None else None
            linked = _attr(num_pr.find(_w("numId")), "val") if num_pr is not None else None
            if linked in self.nums and linked != num_id:
                return self._abstract_id(linked, depth + 1)
        return abstract_id

    def label(self, num_id: str, ilvl: int) -> str:
        if num_id not in self.nums or not 0 <= ilvl < 10:
            return ""
        abstract_id = self._abstract_id(num_id)
        _, starts, overrides = self.nums[num_id]
        levels = {**self.abstract.get(abstract_id, {}), **overrides}
        lvl = levels.get(ilvl)
        if lvl is None:
            return ""
        counters = self.counters.setdefault(abstract_id, [None] * 10)
        if num_id not in self.used:  # a restart applies at the list's first paragraph
            self.used.add(num_id)
            for k in starts:
                if 0 <= k < 10:
                    counters[k] = None
        cur = counters[ilvl]
        counters[ilvl] = starts.get(ilvl, lvl["start"]) if cur is None else cur + 1
        for deeper in range(ilvl + 1, 10):
            restart = levels.get(deeper, {}).get("restart")
            if restart is None or restart and ilvl < restart:
                counters[deeper] = None
        if lvl["fmt"] == "bullet":
            return "-"

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            info = levels.get(k, {"fmt": "decimal", "start": 1})
            value = counters[k] if counters[k] is not None else starts.get(k, info["start"])
            fmt = "decimal" if lvl["legal"] and info["fmt"] != "none" else info["fmt"]
            return _format(value, fmt)

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
Piece = tuple[str, str | None, bool]  # (text, font, raised)


def _raised(ctx: _Ctx, rpr: etree._Element | None) -> bool:
    """A superscript run (directly or through its character style)."""
    if rpr is None:
        return False
    align = _attr(rpr.find(_w("vertAlign")), "val")
    if align is None:
        for st in _style_chain(ctx, _attr(rpr.find(_w("rStyle")), "val")):
            srpr = st.find(_w("rPr"))
            align = _attr(srpr.find(_w("vertAlign")), "val") if srpr is not None else None
            if align is not None:
                break
    return align == "superscript"


def _paragraph(ctx: _Ctx, p: etree._Element, in_cell: bool = False) -> tuple[str, list[str]]:
    """(text of the paragraph, lines of the text boxes anchored in it)."""
    ppr = p.find(_w("pPr"))
    pstyle = _attr(ppr.find(_w("pStyle")), "val") if ppr is not None else None
    pieces: list[Piece] = []
    boxes: list[str] = []

    def walk(el: etree._Element, font: str | None, raised: bool) -> None:
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
                rpr = child.find(_w("rPr"))
                walk(child, _font_for(ctx, rpr, pstyle), _raised(ctx, rpr))
            elif tag == _w("t"):
                pieces.append((child.text or "", font, raised))
            else:
                piece = _special(ctx, child, tag)
                if piece is not None:
                    pieces.append((piece, None, False))
                elif tag not in _SPECIAL:
                    walk(child, font, raised)

    walk(p, None, False)
    text = _convert_pieces(ctx, pieces)
    num = _num_pr(ctx, ppr, pstyle)
    if num:  # an empty numbered paragraph still takes its number, as Word shows it
        label = ctx.numbering.label(*num)
        if label and text.strip():
            text = f"{label} {text.lstrip()}"
        elif label and in_cell:  # a table's number column: the number is the cell's text
            text = label
    return text, boxes


_SPECIAL = {_w(t) for t in ("tab", "ptab", "br", "cr", "noBreakHyphen", "footnoteReference",
                            "endnoteReference")}


def _special(ctx: _Ctx, child: etree._Element, tag: str) -> str | None:
    """The text of a tab, break, hyphen or note reference; None for other elements."""
    if tag in (_w("tab"), _w("ptab")):
        return " "
    if tag in (_w("br"), _w("cr")):
        return "" if _attr(child, "type") in ("page", "column") else "\n"
    if tag == _w("noBreakHyphen"):
        return "-"
    if tag == _w("footnoteReference"):
        n = ctx.footnote_ids.setdefault(_attr(child, "id") or "", len(ctx.footnote_ids) + 1)
        return f"[{n}]"
    if tag == _w("endnoteReference"):  # Word numbers endnotes i, ii, iii
        n = ctx.endnote_ids.setdefault(_attr(child, "id") or "", len(ctx.endnote_ids) + 1)
        return f"[{_roman(n)}]"
    return None


def _convert_pieces(ctx: _Ctx, pieces: list[Piece]) -> str:
    """Join runs, converting those in legacy fonts (runs without a font hint go by detection);
    a raised number is an exponent after a unit (`m³`) or a footnote marker (`[1]`)."""
    groups: list[tuple[list[str], str | None, bool]] = []
    for text, font, raised in pieces:
        enc = font_encoding(font)
        key = f"{enc}:{font}" if enc else None
        if groups and groups[-1][1] == key and groups[-1][2] == raised:
            groups[-1][0].append(text)
        else:
            groups.append(([text], key, raised))
    out: list[str] = []
    for parts, key, raised in groups:
        text = "".join(parts)
        if key is None:
            fixed, counts = repair_text(text)
            for enc, n in counts.items():
                ctx.encodings[enc] = ctx.encodings.get(enc, 0) + n
        else:
            fixed, enc = convert_span(text, font=key.split(":", 1)[1])
            if enc:
                ctx.encodings[enc] = ctx.encodings.get(enc, 0) + 1
        if raised:
            before = out[-1] if out else ""
            fixed = superscript(before, fixed) or fixed
        out.append(fixed)
    return "".join(out)


# --- tables --------------------------------------------------------------------------------
def _cell_paragraphs(ctx: _Ctx, tc: etree._Element) -> list[str]:
    lines: list[str] = []
    for block in tc:
        lines.extend(_block_lines(ctx, block, in_cell=True))
    return lines


Cell = tuple[list[str], bool]  # (paragraph lines, continues a cell merged down from above)


def _table_grid(ctx: _Ctx, tbl: etree._Element) -> list[list[Cell]]:
    """Rows of cells; a span gives empty cells after its own; a cell merged down a column
    (`vMerge`) carries the text of the cell it continues, flagged as such."""
    rows = []
    above: dict[int, list[str]] = {}  # grid column → text of the last cell starting there
    for tr in tbl.iterchildren(_w("tr")):
        row: list[Cell] = []
        trpr = tr.find(_w("trPr"))
        before = int(_attr(trpr.find(_w("gridBefore")), "val") or 0) if trpr is not None else 0
        row.extend(([], False) for _ in range(min(before, 64)))
        for tc in _cells(tr):
            tcpr = tc.find(_w("tcPr"))
            span = int(_attr(tcpr.find(_w("gridSpan")), "val") or 1) if tcpr is not None else 1
            vmerge = tcpr.find(_w("vMerge")) if tcpr is not None else None
            col = len(row)
            if vmerge is not None and _attr(vmerge, "val") in (None, "continue"):
                row.append((above.get(col, []), True))
            else:
                lines = _cell_paragraphs(ctx, tc)
                above[col] = lines
                row.append((lines, False))
            row.extend(([], False) for _ in range(min(span, 64) - 1))
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
    return table_lines([[cell for cell, _ in row] for row in grid],
                       [[m for _, m in row] for row in grid])


def _block_lines(ctx: _Ctx, el: etree._Element, in_cell: bool = False) -> list[str]:
    tag = el.tag
    if tag == _w("p"):
        text, boxes = _paragraph(ctx, el, in_cell)
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


class _Budget:
    """What may still be inflated from this zip, whatever its headers declare."""

    def __init__(self) -> None:
        self.left = MAX_UNZIPPED_BYTES

    def read(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limit: int) -> bytes:
        reader = LimitedReader(zf.open(info), min(limit, self.left), name, info.filename)
        try:
            return reader.read_all()
        finally:
            self.left -= reader.count


def _xml(zf: zipfile.ZipFile, member: str, name: str,
         budget: _Budget) -> etree._Element | None:
    try:
        info = zf.getinfo(member)
    except KeyError:
        return None
    if info.file_size > MAX_XML_BYTES:  # parsed XML takes ~10× its size in memory
        raise ReadError(name, f"{member} dài {info.file_size // 1_000_000} MB "
                        f"(tối đa {MAX_XML_BYTES // 1_000_000} MB): không phải một kế hoạch "
                        "thông thường; hãy tách tệp hoặc gửi bản PDF")
    # the declared size may lie: the member is inflated through a counting reader
    return etree.fromstring(budget.read(zf, info, name, MAX_XML_BYTES), _PARSER)


def is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def read_docx(name: str, data: bytes, progress: Progress = no_progress) -> Reading:
    """Text of a DOCX, line by line, and notes on what was applied."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as e:
        raise ReadError(name, "tệp DOCX bị hỏng (không mở được tệp nén): hãy mở bằng Word và "
                              "lưu lại, hoặc xin bản gốc") from e
    with zf:
        check_zip(name, zf, len(data))
        budget = _Budget()
        try:
            doc = _xml(zf, "word/document.xml", name, budget)
            styles_root = _xml(zf, "word/styles.xml", name, budget)
            numbering_root = _xml(zf, "word/numbering.xml", name, budget)
            footnotes_root = _xml(zf, "word/footnotes.xml", name, budget)
            endnotes_root = _xml(zf, "word/endnotes.xml", name, budget)
            images = (_page_images(zf, doc, name, budget)
                      if doc is not None and _text_chars(doc) < 50 else [])
        except zipfile.BadZipFile as e:
            if "CRC" not in str(e):
                raise ReadError(name, f"tệp DOCX bị hỏng ({e}): hãy mở bằng Word và lưu lại, "
                                      "hoặc xin bản gốc") from e
            raise ReadError(name, "tệp DOCX bị hỏng: một thành phần giải nén ra khác với kích "
                                  "thước và mã kiểm tra (CRC) nó khai báo (tệp hỏng hoặc bom "
                                  "nén), không đọc. Hãy mở bằng Word và lưu lại, hoặc xin bản "
                                  "gốc") from e
        except (etree.XMLSyntaxError, zlib.error, EOFError, OSError, ValueError) as e:
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
    ctx = _Ctx(styles=styles, default_font=default_font,
               numbering=_Numbering(numbering_root, styles))
    body = doc.find(_w("body"))
    lines: list[tuple[str, LineInfo]] = []
    for block in body if body is not None else []:
        lines.extend((x, LineInfo(None, TABLE if "\t" in x else TEXT))
                     for x in _block_lines(ctx, block))
    notes = ["reader docx"]
    for root, kind, ids, label in ((footnotes_root, "footnote", ctx.footnote_ids, str),
                                   (endnotes_root, "endnote", ctx.endnote_ids, _roman)):
        if ids and root is not None:
            lines.extend((x, LineInfo(None, FOOTNOTE))
                         for x in _note_lines(ctx, root, kind, ids, label))
            notes.append(f"{len(ids)} {kind}s appended as [{label(1)}]")
    for enc, n in sorted(ctx.encodings.items()):
        notes.append(f"legacy encoding {enc} converted to Unicode ({n} runs)")
    reading = Reading(lines, notes, "docx")
    if images:  # a scan pasted into Word: its pictures are the pages
        from .ocr import read_images

        ocr = read_images(name, images, progress)
        reading.lines += ocr.lines
        reading.notes += [f"no text, {len(images)} picture(s): OCR", *ocr.notes]
        reading.warnings += ocr.warnings
        reading.pages = ocr.pages
    else:
        progress(1, 1, "đọc")
    return reading


def _text_chars(doc: etree._Element) -> int:
    return sum(len(t.text or "") for t in doc.iter(_w("t")))


R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def _page_images(zf: zipfile.ZipFile, doc: etree._Element, name: str,
                 budget: _Budget) -> list[bytes]:
    """The pictures of a document without text, in document order (DrawingML and VML)."""
    rels = _xml(zf, "word/_rels/document.xml.rels", name, budget)
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
                out.append(budget.read(zf, zf.getinfo(member), name, MAX_IMAGE_BYTES))
            except KeyError:
                continue
            if len(out) >= 500:
                break
    return out


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
