"""Hostile input files, made byte by byte (used by tests/test_hostile_read.py and bench/bench_read.py).

Each maker writes a small file that attacks one weakness of a reader: text so dense that
a layout step quadratic in a paragraph's length never ends, hundreds of pages sharing one
content stream, a compressed stream that inflates to gigabytes, a DOCX member that lies
about its size, an image whose header declares a huge canvas.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path


def pdf_bytes(contents: list[bytes], *, page_size: tuple[int, int] = (595, 842),
              extra: list[bytes] | None = None, compress: bool = True) -> bytes:
    """A PDF whose pages draw `contents` (identical contents share one stream object) in
    Helvetica as /F1; `extra` objects are appended (numbered after the pages' objects)."""
    objs: list[bytes] = []  # object n is objs[n - 1]

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    def stream(data: bytes, filt: bool) -> bytes:
        if filt:
            data = zlib.compress(data, 9)
            return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + \
                b"\nendstream"
        return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    catalog = add(b"")
    pages = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    streams: dict[bytes, int] = {}
    kids = []
    for content in contents:
        if content not in streams:
            streams[content] = add(stream(content, compress))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>"
                        % (pages, page_size[0], page_size[1], streams[content], font)))
    for body in extra or []:
        add(body)
    objs[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages
    objs[pages - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objs) + 1, catalog, xref))
    return out.getvalue()


def _width(text: str, size: float) -> float:
    """Width of `text` in Helvetica at `size` points."""
    from pdfminer.fontmetrics import FONT_METRICS

    widths = FONT_METRICS["Helvetica"][1]
    return sum(widths.get(c, 556) for c in text) * size / 1000


def text_page(lines: list[str], *, size: float = 11, top: float = 800, leading: float = 14,
              left: float = 56, width: float | None = None) -> bytes:
    """A content stream drawing `lines` one under the other; with `width`, each line is
    justified to it (word spacing), as a paragraph's wrapped lines are."""
    ops = [b"BT /F1 %.2f Tf %.2f TL %.2f %.2f Td" % (size, leading, left, top)]
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        spaces = line.count(" ")
        tw = (width - _width(line, size)) / spaces if width and spaces else 0.0
        ops.append(b"%.3f Tw (" % tw + safe.encode("cp1252", "replace") + b") Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops)


_PROSE = ("the department shall carry out the tasks assigned in this plan and report the results "
          "to the provincial people committee before the deadline set out below")
_WORDS = _PROSE.split()


def prose_lines(n: int, per_line: int, seed: int = 0) -> list[str]:
    """`n` full lines of `per_line` words of prose with no paragraph break."""
    out = []
    k = seed
    for _ in range(n):
        out.append(" ".join(_WORDS[(k + j) % len(_WORDS)] for j in range(per_line)))
        k += per_line
    return out


def dense_pdf(path: Path, *, size: float = 1.0, lines: int = 700, per_line: int = 160) -> Path:
    """One page of tiny type packed edge to edge: hundreds of full lines, one paragraph."""
    page = text_page(prose_lines(lines, per_line), size=size, leading=size * 1.15,
                     top=830, left=10, width=575)
    path.write_bytes(pdf_bytes([page]))
    return path


def many_pages_pdf(path: Path, pages: int, *, lines: int = 50, per_line: int = 14,
                   shared: bool = True) -> Path:
    """`pages` ordinary pages of full lines without a paragraph break (one long paragraph);
    `shared`: every page draws the same content stream (a tiny file)."""
    contents = [text_page(prose_lines(lines, per_line, 0 if shared else i), width=483)
                for i in range(pages)]
    path.write_bytes(pdf_bytes(contents))
    return path


def flate_bomb_pdf(path: Path, inflated_mb: int = 1024) -> Path:
    """A one-page PDF whose content stream is `inflated_mb` MB of zeros in ~1 MB per GB."""
    comp = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    data = b"".join(comp.compress(chunk) for _ in range(inflated_mb)) + comp.flush()
    page = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    pdf = pdf_bytes([b"BT /F1 12 Tf 56 780 Td (Ke hoach) Tj ET"])
    # point the page at the bomb instead of its own content
    pdf = pdf_bytes([b"BT /F1 12 Tf 56 780 Td (Ke hoach) Tj ET"], extra=[page])
    n_bomb = pdf.count(b" 0 obj\n")
    pdf = pdf.replace(b"/Contents 4 0 R", b"/Contents [4 0 R %d 0 R]" % n_bomb, 1)
    path.write_bytes(_fix_xref(pdf))
    return path


def _fix_xref(pdf: bytes) -> bytes:
    """Rewrite the cross-reference table after objects changed length."""
    import re

    body = pdf[:pdf.index(b"xref\n")]
    offsets = [m.start() for m in re.finditer(rb"(?m)^\d+ 0 obj\n", body)]
    root = re.search(rb"/Root (\d+) 0 R", pdf)
    assert root
    out = io.BytesIO()
    out.write(body)
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %s 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(offsets) + 1, root.group(1), xref))
    return out.getvalue()


def lying_docx(path: Path, inflated_mb: int = 1024, declared: int = 5000) -> Path:
    """A DOCX whose word/document.xml declares `declared` bytes but inflates to `inflated_mb` MB."""
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
            b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
            b"<w:t>")
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [comp.compress(head)]
    chunk = b"a" * (1 << 20)
    parts += [comp.compress(chunk) for _ in range(inflated_mb)]
    parts.append(comp.compress(b"</w:t></w:r></w:p></w:body></w:document>"))
    parts.append(comp.flush())
    data = b"".join(parts)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                    'openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("word/document.xml", b"x")  # placeholder, replaced below
    raw = bytearray(buf.getvalue())
    return _replace_member(path, bytes(raw), "word/document.xml", data, declared,
                           zlib.crc32(b""))


def _replace_member(path: Path, archive: bytes, member: str, deflated: bytes, declared: int,
                    crc: int) -> Path:
    """Rewrite one deflated member's data and its headers (sizes as declared, any CRC)."""
    zf = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    central = []
    for info in zf.infolist():
        data = zf.read(info.filename)
        name = info.filename.encode()
        if info.filename == member:
            comp, size, c = deflated, declared, crc
        else:
            co = zlib.compressobj(9, zlib.DEFLATED, -15)
            comp, size, c = co.compress(data) + co.flush(), len(data), zlib.crc32(data)
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, c, len(comp), size,
                              len(name), 0) + name + comp)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, c,
                                   len(comp), size, len(name), 0, 0, 0, 0, 0, offset) + name)
    start = out.tell()
    for c in central:
        out.write(c)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                          out.tell() - start, start, 0))
    path.write_bytes(out.getvalue())
    return path


def huge_png(path: Path, width: int = 60_000, height: int = 60_000) -> Path:
    """A PNG declaring `width`×`height` pixels (3.6 gigapixels) in a few KB of white rows."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    comp = zlib.compressobj(9)
    row = b"\0" + b"\xff" * width
    data = b"".join(comp.compress(row) for _ in range(min(height, 2000))) + comp.flush()
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", data) + chunk(b"IEND", b""))
    path.write_bytes(png)
    return path
