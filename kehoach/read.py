"""Read: turn a file into text lines, whatever its format and encoding.

Every reader returns a `Source`: the text as lines (paragraphs one per line or
hard-wrapped, table rows as tab-separated cells, as plain-text extraction gives
them) plus which reader ran. Everything after this stage sees only text.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ReadError

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a plan is at most a few hundred KB of text


@dataclass
class Source:
    name: str
    text: str
    reader: str = "text"
    notes: list[str] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, str]:
    """Decode plain-text bytes; return (text, encoding). Detects BOMs, UTF-16, cp1258."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc), enc
    if len(data) >= 4 and data.count(b"\x00") > len(data) // 4:
        # UTF-16 without BOM: the zero bytes of ASCII fall on one side
        enc = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return data.decode("cp1258", errors="replace"), "cp1258"


def read_text_bytes(name: str, data: bytes) -> Source:
    text, enc = decode(data)
    return Source(name=name, text=text, reader="text", notes=[f"encoding {enc}"])


def read_path(path: str | Path) -> Source:
    """Read any supported file, recognised by its content, not its extension."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise ReadError(p, f"không đọc được tệp ({e.strerror})") from e
    if p.is_dir():
        raise ReadError(p, "là thư mục, không phải tệp")
    if size > MAX_TEXT_BYTES:
        raise ReadError(p, f"tệp quá lớn ({size} byte; tối đa {MAX_TEXT_BYTES})")
    data = p.read_bytes()
    return read_bytes(p.name, data)


def read_bytes(name: str, data: bytes) -> Source:
    if not data.strip():
        raise ReadError(name, "tệp rỗng")
    return read_text_bytes(name, data)
