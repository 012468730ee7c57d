"""Read: turn a file into text lines, whatever its format and encoding.

Every reader returns a `Source`:
- `text`: the document as lines: one paragraph per line (hard-wrapped lines joined), table
  rows as TAB-separated cells one row per line (a cell merged down a column repeated on each
  row it covers), list numbering written into the text (`1.`, `a)`, `-`, Word's automatic
  numbers as Word shows them), footnotes last as `[n] ...`, superscripts kept (`m³`);
- `reader` (text, markdown, docx, doc, pdf, ocr, pdf+ocr) and `notes` on what was repaired
  (shown by `kehoach extract --explain`);
- `lines`: one `LineInfo(page, kind)` per line of `text` (`text.split("\\n")`, without the
  empty string after a final newline): `page` is the 1-based page the line starts on (PDF and scans; None
  where the format has no pages), `kind` is "text", "table" (a table row) or "footnote";
- `warnings`: what could not be read, in Vietnamese for the user (blank pages skipped, with
  their numbers), while the rest was read;
- `pages`: the number of pages where the format has them.
Everything after this stage sees only this.

`read_path(path, progress=...)` and `read_bytes(name, data, progress=...)` call
`progress(done_pages, total_pages, stage)` after each page (stage "đọc" while reading, "OCR"
while recognising a scan), so a caller can show "trang n/N".

The format is recognised by content, not by extension: a zip holding
`word/document.xml` is DOCX, `%PDF` is PDF (OCR when it has no text layer),
PNG/JPEG/TIFF go to OCR, an OLE2 file is a legacy `.doc` (converted by LibreOffice
when installed), anything else is plain text (UTF-8, UTF-16, cp1258, TCVN3, VNI, and TCVN3
or VNI saved as UTF-8 mojibake), read as Markdown when a converter wrote it (`read.markdown`).

Limits (a bad file ends in a `ReadError` with a Vietnamese message, never a hang; time
is linear in the document's size):
- file size: `MAX_FILE_BYTES` (100 MB); plain text `MAX_TEXT_BYTES` (20 MB);
- PDF: `read.pdf.MAX_PAGES` (500) pages, `read.pdf.MAX_CHARS` characters; every compressed
  stream is inflated once, counting, before pdfium decodes it (`read.bounds`); encrypted or
  corrupt PDFs are refused;
- DOCX: at most 200 MB uncompressed, ratio 100:1, 5000 members by the zip's directory, and
  the same enforced while inflating whatever the headers say (50 MB per XML part);
- images: 100 megapixels (from the header, before decoding); OCR: `read.ocr.PAGE_TIMEOUT`
  (120 s) per page; blank pages are skipped and reported, a scan with no text at all is an
  error;
- `.doc`: LibreOffice conversion at most 120 s.
"""

from __future__ import annotations

import codecs
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReadError
from .legacy import decode_legacy_bytes, repair_mojibake, repair_text, upper_lines
from .model import LineInfo, Progress, Reading, no_progress

__all__ = ["LineInfo", "Progress", "Source", "read_bytes", "read_path"]

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a plan is at most a few hundred KB of text
MAX_FILE_BYTES = 100 * 1024 * 1024  # scans are larger than text
DOC_TIMEOUT = 120

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Source:
    name: str
    text: str
    reader: str = "text"
    notes: list[str] = field(default_factory=list)
    lines: list[LineInfo] = field(default_factory=list)  # one per line of text, or empty
    warnings: list[str] = field(default_factory=list)  # Vietnamese: what could not be read
    pages: int | None = None


def decode(data: bytes) -> tuple[str, str]:
    """Decode plain-text bytes → (text, encoding): BOMs, UTF-16, UTF-8, TCVN3, VNI, cp1258."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc), enc
    if len(data) >= 4 and data.count(b"\x00") > len(data) // 4:
        # UTF-16 without BOM: the zero bytes of ASCII fall on one side
        enc = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        return data.decode(enc, errors="replace"), enc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        moji = repair_mojibake(text)
        return (moji[0], f"{moji[1]} (saved as UTF-8)") if moji else (text, "utf-8")
    legacy = decode_legacy_bytes(data)
    if legacy is not None:
        return upper_lines(legacy[0]) if legacy[1] == "tcvn3" else legacy[0], legacy[1]
    return data.decode("cp1258", errors="replace"), "cp1258"


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if not head or head.count(b"\x00") > len(head) // 4:
        return False  # UTF-16 text has many zero bytes; decode() handles it
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) // 10


def read_text_bytes(name: str, data: bytes) -> Source:
    return _source(name, _read_text(name, data))


def _read_text(name: str, data: bytes) -> Reading:
    if len(data) > MAX_TEXT_BYTES:
        raise ReadError(name, f"tệp văn bản quá lớn ({len(data)} byte; tối đa {MAX_TEXT_BYTES})")
    if _looks_binary(data):
        raise ReadError(name, "không phải văn bản: định dạng nhị phân không nhận ra (hỗ trợ TXT, "
                              "DOCX, DOC, PDF, ảnh PNG/JPEG/TIFF)")
    text, enc = decode(data)
    notes = [f"reader text, encoding {enc}"]
    if enc.startswith(("tcvn3", "vni")):
        notes = [f"reader text, encoding {enc} converted to Unicode"]
    else:
        text, counts = repair_text(text)
        notes += [f"legacy encoding {e} converted to Unicode ({n} lines)"
                  for e, n in counts.items()]
    from .markdown import looks_like_markdown, read_markdown

    if looks_like_markdown(text):
        return read_markdown(name, text, notes)
    return Reading.from_text(text, notes, "text")


def read_path(path: str | Path, progress: Progress | None = None) -> Source:
    """Read any supported file, recognised by its content, not its extension."""
    p = Path(path)
    if p.is_dir():
        raise ReadError(p, "là thư mục, không phải tệp")
    try:
        size = p.stat().st_size
    except OSError as e:
        raise ReadError(p, f"không đọc được tệp ({e.strerror})") from e
    if size > MAX_FILE_BYTES:
        raise ReadError(p, f"tệp quá lớn ({size} byte; tối đa {MAX_FILE_BYTES})")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise ReadError(p, f"không đọc được tệp ({e.strerror})") from e
    try:
        return read_bytes(p.name, data, progress)
    except ReadError as e:
        if e.path != p.name:
            raise
        raise type(e)(p, e.reason) from e  # name the file as the user gave it


def read_bytes(name: str, data: bytes, progress: Progress | None = None) -> Source:
    """Read the bytes of a file named `name` (the name is only for messages)."""
    progress = progress or no_progress
    if not data.strip():
        raise ReadError(name, "tệp rỗng")
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(name, f"tệp quá lớn ({len(data)} byte; tối đa {MAX_FILE_BYTES})")
    if data.startswith(b"PK\x03\x04"):
        from .docx import read_docx

        return _source(name, read_docx(name, data, progress))
    if data.startswith(b"%PDF") or data[:1024].lstrip().startswith(b"%PDF"):
        from .pdf import read_pdf

        return _source(name, read_pdf(name, data, progress))
    if data.startswith(_IMAGE_MAGIC):
        from .ocr import read_image

        return _source(name, read_image(name, data, progress))
    if data.startswith(_OLE2_MAGIC):
        return _source(name, _read_ole2(name, data, progress))
    reading = _read_text(name, data)
    progress(1, 1, "đọc")
    return _source(name, reading)


def _source(name: str, reading: Reading) -> Source:
    text = reading.text
    if text is None:
        text = "\n".join(t for t, _ in reading.lines) + "\n"
    if not text.strip():
        if reading.warnings:
            raise ReadError(name, "không có chữ nào trong tệp: " + "; ".join(reading.warnings))
        raise ReadError(name, "không có chữ nào trong tệp: hãy kiểm tra tệp có đúng là kế hoạch")
    return Source(name=name, text=unicodedata.normalize("NFC", text), reader=reading.reader,
                  notes=reading.notes, lines=[info for _, info in reading.lines],
                  warnings=reading.warnings, pages=reading.pages)


def _read_ole2(name: str, data: bytes, progress: Progress) -> Reading:
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise ReadError(name, "tệp Word được đặt mật khẩu (mã hóa): hãy mở bằng Word, gỡ mật "
                              "khẩu (Tệp → Thông tin → Bảo vệ tài liệu) rồi lưu lại")
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        raise ReadError(name, "tệp .doc (Word 97-2003) cần LibreOffice để chuyển đổi: hãy cài "
                              "'libreoffice-writer' (apt-get install libreoffice-writer) hoặc "
                              "lưu lại thành .docx bằng Word")
    with tempfile.TemporaryDirectory(prefix="kehoach-doc-") as tmp:
        src = Path(tmp) / "input.doc"
        src.write_bytes(data)
        try:
            subprocess.run([office, "--headless", "--norestore", "--convert-to", "docx",
                            "--outdir", tmp, str(src)], capture_output=True, check=False,
                           timeout=DOC_TIMEOUT, env={"HOME": tmp, "PATH": "/usr/bin:/bin"})
        except subprocess.TimeoutExpired as e:
            raise ReadError(name, f"LibreOffice không chuyển đổi xong tệp .doc trong "
                                  f"{DOC_TIMEOUT} giây: hãy lưu lại thành .docx bằng Word") from e
        out = Path(tmp) / "input.docx"
        if not out.exists():
            raise ReadError(name, "LibreOffice không chuyển đổi được tệp .doc (tệp hỏng hoặc "
                                  "không phải Word): hãy lưu lại thành .docx bằng Word")
        from .docx import read_docx

        reading = read_docx(name, out.read_bytes(), progress)
    reading.reader = "doc"
    reading.notes.insert(0, "converted .doc to .docx with LibreOffice")
    return reading
