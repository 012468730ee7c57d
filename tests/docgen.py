"""Make real DOCX/PDF/scan test files from the seed texts (used by the reader tests and bench).

A seed is split into blocks: the heading (issuer | motto, number | place and date) goes
into a two-column table, runs of TAB lines become real tables, every other line a
paragraph. The same blocks are written as DOCX (optionally typed in TCVN3 or VNI fonts),
as a text PDF (DejaVuSans, justified, first-line indent, page numbers) and as a scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "kehoach" / "data" / "samples"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

_VN_LOWER = "aàáảãạăằắẳẵặâầấẩẫậđeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
_VN = set(_VN_LOWER + _VN_LOWER.upper())
_ISSUER = re.compile(r"^(ỦY BAN|UBND|TỈNH|THÀNH PHỐ|SỞ|BỘ|BAN|HUYỆN)\b")
_MOTTO = re.compile(r"^(CỘNG HÒA|CỘNG HOÀ|Độc lập)")
_NUMBER = re.compile(r"^Số:")
_DATE = re.compile(r"^[^,\d]{2,40}, ngày .{0,20}tháng")


@dataclass
class Blocks:
    left: list[str] = field(default_factory=list)
    right: list[str] = field(default_factory=list)
    body: list[tuple[str, object]] = field(default_factory=list)  # ("p", str) | ("table", rows)


def seed_blocks(text: str) -> Blocks:
    """Split a seed's text into heading columns, paragraphs and tables."""
    out = Blocks()
    lines = [ln.replace("**", "").strip("* ").rstrip() if "\t" not in ln else ln.rstrip("\n")
             for ln in text.splitlines()]
    rows: list[list[str]] = []
    for ln in lines:
        if "\t" in ln:
            rows.append([c.strip() for c in ln.split("\t")])
            continue
        if rows:
            out.body.append(("table", _square(rows)))
            rows = []
        s = ln.strip()
        if not s:
            continue
        in_head = not out.body  # the heading comes before any paragraph
        if in_head and (_ISSUER.match(s) and s.isupper() or _NUMBER.match(s)):
            out.left.append(s)
            continue
        if in_head and (_MOTTO.match(s) or _DATE.match(s)):
            out.right.append(s)
            continue
        out.body.append(("p", s))
    if rows:
        out.body.append(("table", _square(rows)))
    out.body = _unwrap(out.body)
    return out


_MARKER = re.compile(r"^([-+•]|\d{1,3}[.)]|[a-zđ]\)|[IVX]{1,5}[.-]|Điều \d|Phụ lục|PHỤ LỤC)")


def _unwrap(body: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """A hard-wrapped seed (pdftotext output) → real paragraphs, as the document had them.

    Same rule as a reader of plain text: a line continues the paragraph when it starts in
    lower case, or when the line before filled the width and did not end with a colon.
    """
    paras = [str(v) for k, v in body if k == "p"]
    lengths = sorted(len(p) for p in paras)
    if len(lengths) < 20 or lengths[int(0.9 * len(lengths))] > 130:
        return body
    width = lengths[int(0.9 * len(lengths))]
    out: list[tuple[str, object]] = []
    last = ""  # the previous seed line (not the paragraph built so far)
    for kind, value in body:
        text = str(value)
        if kind == "p" and out and out[-1][0] == "p" and last:
            full = len(last) >= 0.8 * width
            lower = text[:1].islower()
            m = _MARKER.match(text)
            if m:
                join = m.group(0) in "-+•" and full and text[1:].strip()[:1].islower()
            else:
                join = lower or (full and not last.endswith(":"))
            if join:
                out[-1] = ("p", f"{out[-1][1]} {text}")
                last = text
                continue
        out.append((kind, value))
        last = text if kind == "p" else ""
    return out


def _square(rows: list[list[str]]) -> list[list[str]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def seed_text(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


# --- DOCX ----------------------------------------------------------------------------------
def _runs(paragraph: object, text: str, encoding: str | None) -> None:
    """Add `text` as runs; legacy encodings use their fonts (capitals via `.VnTimeH`)."""
    from kehoach.read.legacy import unicode_to_tcvn3, unicode_to_vni

    if encoding is None:
        paragraph.add_run(text)  # type: ignore[attr-defined]
        return
    # TCVN3 (VN3) has no capital toned letters: typists switch such letters to .VnTimeH;
    # symbols the 8-bit font lacks (¹, °, “) come in a Unicode font, as Word inserts them
    pieces: list[tuple[str, str]] = []
    for ch in text:
        if not (ch.isascii() or ch in _VN):
            font, piece = "Times New Roman", ch
        elif encoding == "vni":
            font, piece = "VNI-Times", unicode_to_vni(ch)
        else:
            enc = unicode_to_tcvn3(ch)
            capital = ch.isupper() and (ord(enc) < 0x20 or 0x80 <= ord(enc) < 0xA0)
            font = ".VnTimeH" if capital else ".VnTime"
            piece = unicode_to_tcvn3(ch.lower()) if capital else enc
        if pieces and pieces[-1][1] == font:
            pieces[-1] = (pieces[-1][0] + piece, font)
        else:
            pieces.append((piece, font))
    for piece, font in pieces:
        run = paragraph.add_run(piece)  # type: ignore[attr-defined]
        run.font.name = font


def make_docx(blocks: Blocks, path: Path, encoding: str | None = None) -> Path:
    import docx
    from docx.shared import Pt

    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    if blocks.left or blocks.right:
        t = doc.add_table(rows=1, cols=2)
        for cell, lines in zip(t.rows[0].cells, (blocks.left, blocks.right), strict=True):
            cell.paragraphs[0].text = ""
            for j, line in enumerate(lines):
                p = cell.paragraphs[0] if j == 0 else cell.add_paragraph()
                _runs(p, line, encoding)
    for kind, value in blocks.body:
        if kind == "p":
            text = str(value)
            if text.startswith("- ") and encoding is None:
                p = doc.add_paragraph(style="List Bullet")
                _runs(p, text[2:], encoding)
            else:
                _runs(doc.add_paragraph(), text, encoding)
        else:
            rows = value  # type: ignore[assignment]
            t = doc.add_table(rows=len(rows), cols=len(rows[0]))
            t.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, cell_text in enumerate(row):
                    cell = t.cell(r, c)
                    _runs(cell.paragraphs[0], cell_text, encoding)
    doc.save(str(path))
    return path


# --- PDF -----------------------------------------------------------------------------------
def _legacy_text(text: str, encoding: str | None) -> str:
    """What a PDF made from a TCVN3/VNI document holds: the 8-bit codes as Latin-1 letters."""
    from kehoach.read.legacy import unicode_to_tcvn3, unicode_to_vni

    if encoding == "vni":
        return unicode_to_vni(text)
    if encoding == "tcvn3":  # capitals VN3 lacks are drawn from the small-letter slots
        return "".join(unicode_to_tcvn3(c.lower()) if unicode_to_tcvn3(c) < " " or
                       "\x80" <= unicode_to_tcvn3(c) < "\xa0" else unicode_to_tcvn3(c)
                       for c in text)
    return text


def make_pdf(blocks: Blocks, path: Path, rules: bool = True, encoding: str | None = None) -> Path:
    """A text PDF; `rules=False` draws the tables without any lines (cells 6 pt apart);
    `encoding` writes the text layer as a PDF made from a TCVN3 or VNI document has it."""
    from fpdf import FPDF
    from fpdf.enums import Align

    class Doc(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("dv", size=10)
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = Doc(format="A4", unit="pt")
    pdf.set_margins(56, 56, 42)
    pdf.set_auto_page_break(True, margin=56)
    pdf.add_font("dv", fname=str(FONT))
    pdf.add_font("dv", style="B", fname=str(FONT_BOLD))
    pdf.add_page()
    pdf.set_font("dv", size=11)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    if blocks.left or blocks.right:
        top = pdf.y
        col = width * 0.42
        pdf.multi_cell(col, 15, _legacy_text("\n".join(blocks.left), encoding), align="C")
        left_end = pdf.y
        pdf.set_xy(pdf.l_margin + width - col * 1.25, top)
        pdf.multi_cell(col * 1.25, 15, _legacy_text("\n".join(blocks.right), encoding),
                       align="C")
        pdf.set_y(max(left_end, pdf.y) + 12)
    for kind, value in blocks.body:
        if kind == "p":
            with (pdf.text_columns(text_align=Align.J, line_height=1.35) as cols,
                  cols.paragraph(first_line_indent=28, bottom_margin=4) as par):
                par.write(_legacy_text(str(value), encoding))
        else:
            rows = value  # type: ignore[assignment]
            n = len(rows[0])
            widths = [0.7] + [1.0] * (n - 1) if n > 2 else [1.0] * n
            if n >= 4:
                widths[1] = 2.5
            pdf.set_font("dv", size=9 if n < 6 else 7)
            with pdf.table(col_widths=widths, first_row_as_headings=False, line_height=12,
                           text_align="LEFT", borders_layout="ALL" if rules else "NONE",
                           padding=(1, 6), v_align="TOP") as table:
                for row in rows:
                    r = table.row()
                    for c in row:
                        r.cell(_legacy_text(c, encoding))
            pdf.set_font("dv", size=11)
            pdf.ln(6)
    pdf.output(str(path))
    return path


def make_scan(pdf_path: Path, path: Path, pages: int | None = None, dpi: int = 200) -> Path:
    """Render a PDF's pages to images and save them as an image-only PDF (a 'scan')."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf_path))
    images = []
    try:
        for i in range(min(len(doc), pages or len(doc))):
            images.append(doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
    finally:
        doc.close()
    images[0].save(str(path), save_all=True, append_images=images[1:], resolution=dpi)
    return path


# --- scoring against the clean text ---------------------------------------------------------
SHARED = Path(__file__).resolve().parents[2] / "shared"
KEY_METRICS = ("task_f1", "lead", "deadline", "target_f1", "scenario")


def load_score() -> object | None:
    """../shared/eval/score.py as a module, or None where ../shared is absent."""
    import importlib.util

    path = SHARED / "eval" / "score.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("kehoach_eval_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def key_scores(score: object, gold: dict, plan: dict) -> dict[str, float]:
    s = score.score_plan(gold, plan)  # type: ignore[attr-defined]
    return {m: score.HEADLINE[m](s) for m in KEY_METRICS}  # type: ignore[attr-defined]


def gold_plan(seed: str) -> dict | None:
    import json

    path = SHARED / "eval" / "gold" / (Path(seed).stem + ".json")
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def words(text: str) -> list[str]:
    """Normalised words, to compare a reader's text with the source text."""
    import unicodedata

    text = unicodedata.normalize("NFC", text.replace("**", "")).casefold()
    return re.findall(r"\w+", text)


# --- Markdown, as the usual converters write a DOCX ----------------------------------------
MARKDOWN_STYLES = ("pandoc", "markitdown", "docling", "mammoth")


def _md_escape(text: str, style: str) -> str:
    """Escapes each converter writes: pandoc and mammoth guard markup characters and a
    number that would start a list; markitdown (markdownify) escapes `*` and `_`; docling
    writes HTML entities."""
    if style == "docling":
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return text.replace("*", "\\*")
    text = text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
    if style in ("pandoc", "mammoth"):
        text = text.replace("[", "\\[").replace("]", "\\]")
        text = re.sub(r"^(\d+)\.", r"\1\\.", text)
        text = re.sub(r"^([-+])", r"\\\1", text)
    return text


def _wrap(text: str, width: int = 72) -> list[str]:
    """pandoc's default: paragraphs hard-wrapped at 72 columns."""
    import textwrap

    out: list[str] = []
    for line in textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False):
        if out and re.match(r"^([-+*]|\d+[.)])(\s|$)", line):
            out[-1] += " " + line  # pandoc never wraps a line to start like a list item
        else:
            out.append(line)
    return out or [""]


def _wrap_mid_sentence(text: str, width: int) -> list[str]:
    """A cell wrapped as a PDF-to-Markdown converter splits it into rows: mid-sentence, so a
    piece after the first goes on with a small letter, a digit or a bracket (not a lone
    figure)."""
    out: list[str] = []
    for line in _wrap(text, width):
        if out and (line[:1].isupper() or re.fullmatch(r"[\d.,%]+", line)):
            out[-1] += " " + line
        else:
            out.append(line)
    return out


def _md_table(rows: list[list[str]], style: str) -> list[str]:
    esc = [[_md_escape(c, style).replace("|", "\\|") for c in r] for r in rows]
    if style == "pandoc":  # a grid table, each cell wrapped inside its column
        wanted = [max(12, min(30, max(len(r[k]) for r in esc))) for k in range(len(esc[0]))]
        wrapped = [[_wrap(c, w) if c else [""] for c, w in zip(r, wanted, strict=True)]
                   for r in esc]
        widths = [max(len(x) for r in wrapped for x in r[k]) for k in range(len(esc[0]))]
        rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        out = [rule]
        for cells in wrapped:
            for k in range(max(len(c) for c in cells)):
                out.append("| " + " | ".join((c[k] if k < len(c) else "").ljust(w)
                                             for c, w in zip(cells, widths, strict=True)) + " |")
            out.append(rule)
        return out
    out = ["| " + " | ".join(esc[0]) + " |", "|" + "|".join("---" for _ in esc[0]) + "|"]
    for r in esc[1:]:
        if style == "mammoth":  # a long cell goes on in continuation rows (first cell empty)
            pieces = [_wrap_mid_sentence(c, 40) if c else [""] for c in r]
            for k in range(max(len(p) for p in pieces)):
                cont = [p[k] if k < len(p) else "" for p in pieces]
                out.append("| " + " | ".join(cont) + " |")
            continue
        out.append("| " + " | ".join(r) + " |")
    return out


def make_markdown(blocks: Blocks, path: Path, style: str) -> Path:
    """The document `make_docx` writes, as `style` (pandoc, markitdown, docling, mammoth)
    converts it: front matter, heading layout table, escapes, wrapping, lists, tables."""
    out: list[str] = []
    if style == "pandoc":
        out += ["---", "title: Kế hoạch", "lang: vi-VN", "---", ""]
    if blocks.left or blocks.right:
        cells = [blocks.left, blocks.right]
        if style == "pandoc":
            out += _md_table([[" ".join(_md_escape(x, style) for x in c) for c in cells]], "x")
        else:
            joined = ["<br>".join(_md_escape(x, style) for x in c) for c in cells]
            out += ["| " + " | ".join(joined) + " |", "|---|---|"]
        out.append("")
    previous = 0  # the number of the paragraph before, when it was numbered
    for kind, value in blocks.body:
        if kind == "table":
            out += _md_table(value, style) + [""]  # type: ignore[arg-type]
            previous = 0
            continue
        text = str(value)
        if text.startswith("- "):
            marker = {"pandoc": "-   ", "markitdown": "* ", "docling": "- ", "mammoth": "- "}
            body = _md_escape(text[2:], style)
            lines = _wrap(body, 68) if style == "pandoc" else [body]
            out += [marker[style] + lines[0], *("    " + x for x in lines[1:]), ""]
            continue
        m = re.match(r"^(\d+)\. (.*)$", text)
        n = int(m.group(1)) if m else 0
        if m and style == "mammoth" and (previous == 0 or n == previous + 1):
            # a list: mammoth writes the first item's number, then `1.` for every item
            out += [f"{n if previous == 0 else 1}. {_md_escape(m.group(2), style)}", ""]
            previous = n
            continue
        previous = 0
        body = _md_escape(text, style)
        if text.isupper() and len(text) < 80:
            body = {"pandoc": f"**{body}**", "markitdown": f"**{body}**",
                    "docling": f"## {body}", "mammoth": f"__{body}__"}[style]
        out += (_wrap(body) if style == "pandoc" else [body]) + [""]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def plan_of(source: object) -> dict:
    """The plan/v1 dictionary extracted from a reader's Source."""
    from kehoach.extract.plan import extract_plan

    plan = extract_plan(source)  # type: ignore[arg-type]
    return plan.as_dict() if hasattr(plan, "as_dict") else plan


# --- raw WordprocessingML, for what python-docx cannot write (numbering, merges, raised runs) --
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def raw_docx(path: Path, body: str, numbering: str = "", styles: str = "",
             footnotes: str = "") -> Path:
    """A DOCX whose `w:body` is `body` (XML, `w:` prefix bound); optional numbering, styles
    and footnotes parts (their inner XML)."""
    import zipfile

    w = f'xmlns:w="{W_NS}"'
    rels = ['<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/numbering" Target="numbering.xml"/>',
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/styles" Target="styles.xml"/>',
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/footnotes" Target="footnotes.xml"/>']
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.'
                               'org/package/2006/content-types"><Default Extension="xml" '
                               'ContentType="application/xml"/></Types>',
        "word/_rels/document.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                                        'openxmlformats.org/package/2006/relationships">'
                                        + "".join(rels) + "</Relationships>",
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>'
                             f"{body}</w:body></w:document>",
    }
    if numbering:
        parts["word/numbering.xml"] = f"<w:numbering {w}>{numbering}</w:numbering>"
    if styles:
        parts["word/styles.xml"] = f"<w:styles {w}>{styles}</w:styles>"
    if footnotes:
        parts["word/footnotes.xml"] = f"<w:footnotes {w}>{footnotes}</w:footnotes>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in parts.items():
            zf.writestr(name, xml.encode("utf-8"))
    return path


def w_p(text: str, num: tuple[int, int] | None = None, style: str | None = None) -> str:
    """A paragraph, optionally numbered (numId, ilvl) or in a paragraph style."""
    ppr = ""
    if num or style:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + (
            f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
            if num else "") + "</w:pPr>"
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f"<w:p>{ppr}{run}</w:p>"


def w_lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>')


def w_table(rows: list[list[str]]) -> str:
    """A table from rows of cell XML (each cell's inner XML: paragraphs, with `tcPr` first)."""
    return "<w:tbl>" + "".join(
        "<w:tr>" + "".join(f"<w:tc>{c}</w:tc>" for c in row) + "</w:tr>" for row in rows
    ) + "</w:tbl>"
