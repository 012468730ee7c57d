"""Limits on what a file may inflate to, enforced while it is inflated, whatever its headers say.

A compressed stream is a promise the file makes about its own size: a 1 MB flate stream can
inflate to 1 GB, a zip member can declare 5,000 bytes and inflate to gigabytes. Nothing here
trusts a declared size: each stream is inflated in bounded steps and counted, and reading
stops with a `ReadError` (Vietnamese, naming the file and the limit) as soon as a limit is
passed, before the memory is spent.

- `LimitedReader` wraps a zip member (DOCX parts, pictures) for `read()`;
- `check_pdf_streams` inflates every stream of a PDF once, counting, before pdfium sees it:
  an image's stream may not decode past what its own width × height can hold (and an image
  may not pass `MAX_PIXELS`), any other stream past `MAX_PDF_STREAM`, all of them together
  past `MAX_PDF_DECODED`.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from ..errors import ReadError

MAX_PIXELS = 100_000_000  # one image (a page scanned at 600 dpi in A3 is ~70 megapixels)
MAX_PDF_STREAM = 64 * 1024 * 1024  # one content stream, font or other non-image stream, decoded
MAX_PDF_DECODED = 512 * 1024 * 1024  # every non-image stream of a PDF, decoded, together
_STEP = 1 << 20  # inflate at most this much at a time


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.0f} MB"


class LimitedReader:
    """A file-like reader that refuses to deliver more than `limit` bytes (a zip member)."""

    def __init__(self, raw: BinaryIO, limit: int, name: str, member: str) -> None:
        self.raw, self.limit, self.name, self.member = raw, limit, name, member
        self.count = 0

    def read(self, n: int = -1) -> bytes:
        want = self.limit + 1 - self.count if n is None or n < 0 else min(n, self.limit + 1 - self.count)
        data = self.raw.read(max(want, 1))
        self.count += len(data)
        if self.count > self.limit:
            raise ReadError(self.name, f"thành phần {self.member} giải nén ra hơn {_mb(self.limit)} "
                                       f"(tối đa {_mb(self.limit)}): có thể là bom nén (zip bomb) "
                                       "hoặc tệp hỏng, không đọc. Hãy mở bằng Word và lưu lại, "
                                       "hoặc gửi bản PDF")
        return data

    def read_all(self) -> bytes:
        parts = []
        while chunk := self.read(_STEP):
            parts.append(chunk)
        return b"".join(parts)


# --- PDF streams -------------------------------------------------------------------------------
_NAME = re.compile(rb"/([A-Za-z0-9]+)")


def _dict_value(head: bytes, key: bytes) -> bytes | None:
    m = re.search(rb"/" + key + rb"(?![A-Za-z0-9])\s*(\[[^\]]*\]|/[A-Za-z0-9]+|\d+)", head)
    return m.group(1) if m else None


def _int(head: bytes, key: bytes) -> int | None:
    v = _dict_value(head, key)
    return int(v) if v is not None and v.isdigit() else None


def _streams(data: bytes) -> Iterator[tuple[bytes, int, int]]:
    """(dictionary bytes, data start, data end) of each stream, scanning the file once."""
    pos = 0
    while True:
        k = data.find(b"stream", pos)
        if k < 0:
            return
        pos = k + 6
        if data[k - 3:k] == b"end" or not data[k - 12:k].rstrip().endswith(b">>"):
            continue
        start = k + 6
        if data[start:start + 2] == b"\r\n":
            start += 2
        elif data[start:start + 1] in (b"\n", b"\r"):
            start += 1
        else:
            continue
        head_start = data.rfind(b" obj", max(0, k - 65536), k)
        head = data[head_start if head_start >= 0 else max(0, k - 4096):k]
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
        yield head, start, end
        pos = end + 9


def _filters(head: bytes) -> list[bytes]:
    value = _dict_value(head, b"Filter")
    return _NAME.findall(value) if value else []


def _inflate_count(data: bytes, limit: int) -> int:
    """Bytes a flate stream inflates to, counting at most `limit` + 1 (bounded memory)."""
    d = zlib.decompressobj()
    total = 0
    try:
        for i in range(0, len(data), _STEP):
            out = d.decompress(data[i:i + _STEP], _STEP)
            total += len(out)
            while d.unconsumed_tail and not d.eof and total <= limit:
                out = d.decompress(d.unconsumed_tail, _STEP)
                total += len(out)
            if total > limit or d.eof:
                break
    except zlib.error:
        pass  # a damaged stream: pdfium decodes what it can, less than counted so far
    return total


def _lzw_count(data: bytes, limit: int, early: int = 1) -> int:
    """Bytes an LZW stream decodes to (lengths only), counting at most `limit` + 1."""
    total = 0
    lengths: list[int] = []
    width, prev_len = 9, 0
    bits = nbits = 0
    for byte in data:
        bits = (bits << 8) | byte
        nbits += 8
        while nbits >= width:
            nbits -= width
            code = (bits >> nbits) & ((1 << width) - 1)
            bits &= (1 << nbits) - 1
            if code == 256:
                lengths, width, prev_len = [], 9, 0
                continue
            if code == 257:
                return total
            if code < 256:
                n = 1
            elif code - 258 < len(lengths):
                n = lengths[code - 258]
            else:
                n = prev_len + 1  # the code being defined
            if prev_len:
                lengths.append(prev_len + 1)
            prev_len = n
            total += n
            if total > limit:
                return total
            size = len(lengths) + 258 + early
            width = 12 if size >= 2048 else 11 if size >= 1024 else 10 if size >= 512 else 9
    return total


def _decoded_count(filters: list[bytes], data: bytes, limit: int) -> int | None:
    """Bytes the stream decodes to through its expanding filters (None: not checkable)."""
    for i, f in enumerate(filters):
        last = i == len(filters) - 1 or filters[i + 1] not in (b"FlateDecode", b"Fl",
                                                              b"LZWDecode", b"LZW")
        if f in (b"FlateDecode", b"Fl"):
            if last:
                return _inflate_count(data, limit)
            n = _inflate_count(data, limit)
            if n > limit:
                return n
            data = zlib.decompressobj().decompress(data, limit + 1)
        elif f in (b"LZWDecode", b"LZW"):
            if last:
                return _lzw_count(data, limit)
            return None  # LZW under flate: too rare to be worth a full decoder here
        elif f in (b"ASCIIHexDecode", b"AHx", b"ASCII85Decode", b"A85", b"RunLengthDecode",
                   b"RL", b"Crypt"):
            if i == 0 and f not in (b"RunLengthDecode", b"RL"):
                continue  # shrinks; a flate filter after it is checked on its own bytes' bound
            return None
        else:
            return len(data)  # DCT, JBIG2, JPX, CCITT: bounded by the image's pixels
    return len(data)


def check_pdf_streams(name: str, data: bytes) -> int:
    """Refuse a PDF whose streams inflate past the limits; returns the bytes they decode to."""
    encrypted = re.search(rb"/Encrypt\s", data[-65536:]) is not None or b"/Encrypt" in data[:4096]
    total = 0
    for head, start, end in _streams(data):
        filters = _filters(head)
        image = re.search(rb"/Subtype\s*/Image", head) is not None
        if image:
            width, height = _int(head, b"Width") or 0, _int(head, b"Height") or 0
            if width * height > MAX_PIXELS:
                raise ReadError(name, f"tệp PDF có ảnh {width}×{height} điểm ảnh (tối đa "
                                      f"{MAX_PIXELS // 1_000_000} megapixel): ảnh quá lớn hoặc "
                                      "tệp độc hại, không đọc")
            colors = _int(head, b"Colors") or 4
            bpc = _int(head, b"BitsPerComponent") or 8
            limit = height * (width * colors * bpc // 8 + 2) + 65536
        else:
            limit = MAX_PDF_STREAM
        if not filters or encrypted and b"Crypt" not in filters and not _plain(data, start):
            continue  # encrypted: cannot be counted before decryption (see above)
        n = _decoded_count(filters, data[start:end], limit)
        if n is not None and n > limit:
            what = "một ảnh" if image else "một luồng dữ liệu"
            raise ReadError(name, f"tệp PDF có {what} giải nén ra hơn {_mb(limit)} từ "
                                  f"{(end - start) // 1000} KB (tối đa {_mb(limit)}): có thể là "
                                  "bom nén, không đọc. Hãy in ra PDF mới từ bản gốc")
        if not image and n is not None:
            total += n
            if total > MAX_PDF_DECODED:
                raise ReadError(name, f"các luồng dữ liệu của tệp PDF giải nén ra hơn "
                                      f"{_mb(MAX_PDF_DECODED)} (tối đa {_mb(MAX_PDF_DECODED)}): "
                                      "không phải một kế hoạch thông thường, không đọc")
    return total


def _plain(data: bytes, start: int) -> bool:
    """Whether an encrypted file's stream starts like a zlib stream (metadata is often clear)."""
    return data[start:start + 1] == b"x"
