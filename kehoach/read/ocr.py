"""OCR reader: scanned PDF pages and images through Tesseract's Vietnamese model.

Pages are rendered with pdfium at `DPI`, recognised by the `tesseract` command (TSV output:
words with their boxes) and laid out by `layout` like a text-layer PDF. Pages run in
parallel, one Tesseract process per CPU.

Blank pages (the backs of a sheet scanned on both sides) are skipped, found by their ink
before OCR or by Tesseract finding no word, and reported; only a document in which no page
has text is an error.

Limits: `PAGE_TIMEOUT` seconds per page; images up to `MAX_PIXELS` (checked from the header,
before decoding), pages rendered for OCR up to `MAX_RENDER_PIXELS`; `progress(done, total,
"OCR")` is called as each page is recognised.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from ..errors import ReadError
from .bounds import MAX_PIXELS
from .layout import Page, Word, edge, layout_lines, ruled_tables
from .model import Progress, Reading, no_progress

DPI = 300
PAGE_TIMEOUT = 120
MAX_RENDER_PIXELS = 40_000_000  # a page rendered for OCR (A4 at 300 dpi: 8.7 megapixels)
MAX_FRAMES = 500
BLANK_INK = 0.0005  # share of dark pixels under which a page holds no text
LANG = "vie"
MIN_CONFIDENCE = 10.0
RULE_INCHES = 0.3  # a dark line this long in a scan is a rule, not a letter


def tesseract_command(name: str) -> str:
    """The tesseract binary with the Vietnamese model, or a ReadError saying what to install."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise ReadError(name, "tệp là bản quét (ảnh), cần OCR nhưng chưa cài Tesseract: hãy cài "
                              "'apt-get install tesseract-ocr tesseract-ocr-vie'")
    langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    if LANG not in langs.stdout.split():
        raise ReadError(name, "Tesseract chưa có mô hình tiếng Việt: hãy cài "
                              "'apt-get install tesseract-ocr-vie'")
    return exe


def _tesseract_words(exe: str, image: Path, name: str, page: int,
                     dpi: float) -> tuple[list[Word], float]:
    """Words of one page image in points, and the mean word confidence."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        res = subprocess.run([exe, str(image), "stdout", "-l", LANG, "--psm", "3", "tsv"],
                             capture_output=True, timeout=PAGE_TIMEOUT, env=env, check=False)
    except subprocess.TimeoutExpired as e:
        raise ReadError(name, f"OCR trang {page + 1} quá {PAGE_TIMEOUT} giây: ảnh quá lớn hoặc "
                              "quá nhiễu; hãy quét lại ở 300 dpi") from e
    if res.returncode != 0:
        err = res.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise ReadError(name, f"OCR trang {page + 1} thất bại: {err[0]}")
    scale = 72.0 / dpi
    rows = list(csv.DictReader(io.StringIO(res.stdout.decode("utf-8", "replace")),
                               delimiter="\t", quoting=csv.QUOTE_NONE))
    line_height: dict[tuple[str, str, str], float] = {}
    for r in rows:
        if r.get("level") == "4":
            line_height[(r["block_num"], r["par_num"], r["line_num"])] = float(r["height"])
    words: list[Word] = []
    confs: list[float] = []
    for r in rows:
        text = (r.get("text") or "").strip().strip("|¦")  # a table's rule read as a bar
        if r.get("level") != "5" or not text:
            continue
        conf = float(r.get("conf") or -1)
        if conf < MIN_CONFIDENCE and not any(c.isalnum() for c in text):
            continue
        confs.append(conf)
        x, y, w, h = (float(r[k]) for k in ("left", "top", "width", "height"))
        lh = line_height.get((r["block_num"], r["par_num"], r["line_num"]), h)
        line_id = tuple(int(r[k]) for k in ("block_num", "par_num", "line_num"))
        words.append(Word(text, x * scale, (x + w) * scale, y * scale, (y + h) * scale,
                          lh * scale / 1.3, line_id))
    return words, (sum(confs) / len(confs) if confs else 0.0)


def image_rules(path: Path, dpi: float) -> list[dict]:
    """Long straight dark lines in a page image (a table's rules), as edges in points.

    A horizontal rule is a run of dark pixels at least `RULE_INCHES` long in one pixel row;
    the rows of a thick rule merge into one edge. Likewise for vertical rules by column.
    """
    import numpy as np
    from PIL import Image

    with Image.open(path) as img:
        dark = np.asarray(img.convert("L")) < 140
    scale = 72.0 / dpi
    k = max(20, int(RULE_INCHES * dpi))
    edges: list[dict] = []
    for axis in (0, 1):  # 0: rows → horizontal rules; 1: columns → vertical rules
        grid = dark if axis == 0 else dark.T
        runs: list[tuple[int, int, int]] = []  # (line index, start, end) in pixels
        csum = np.cumsum(grid, axis=1, dtype=np.int32)
        full = (csum[:, k:] - csum[:, :-k]) == k  # a window of k dark pixels in a row
        for i in np.flatnonzero(full.any(axis=1)):
            row = np.concatenate(([0], grid[i].astype(np.int8), [0]))
            d = np.diff(row)
            for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True):
                if b - a >= k:
                    runs.append((int(i), int(a), int(b)))
        merged: list[list[int]] = []  # [first index, last index, start, end]
        for i, a, b in sorted(runs, key=lambda r: (r[1] // 8, r[0])):
            m = next((m for m in reversed(merged[-20:]) if i - m[1] <= 2
                      and abs(a - m[2]) <= 8 and abs(b - m[3]) <= 8), None)
            if m:
                m[1] = i
            else:
                merged.append([i, i, a, b])
        for first, last, a, b in merged:
            mid = (first + last) / 2 * scale
            if axis == 0:
                edges.append(edge(a * scale, mid, b * scale, mid))
            else:
                edges.append(edge(mid, a * scale, mid, b * scale))
    return edges


def blank_image(path: Path) -> bool:
    """A page with (almost) no ink: the back of a sheet scanned on both sides."""
    import numpy as np
    from PIL import Image

    with Image.open(path) as img:
        gray = np.asarray(img.convert("L"))
    if gray.size == 0:
        return True
    dark = gray < 128
    # dust and the shadow of the sheet's edge leave a few specks; a line of text is ~0.2 %
    inner = dark[gray.shape[0] // 20: -gray.shape[0] // 20 or None,
                 gray.shape[1] // 20: -gray.shape[1] // 20 or None]
    return inner.size == 0 or float(inner.mean()) < BLANK_INK


def _ocr_images(name: str, images: list[tuple[int, Path, float, float, float]],
                progress: Progress = no_progress) -> tuple[list[Page], list[str], list[int]]:
    """OCR page images → (pages with text, notes, numbers of the blank pages)."""
    exe = tesseract_command(name)
    inked = [it for it in images if not blank_image(it[1])]
    blank = [it[0] for it in images if it not in inked]
    total = len(images)
    done = len(blank)
    if done:
        progress(done, total, "OCR")
    results: dict[int, tuple[list[Word], float]] = {}
    workers = max(1, min(len(inked), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_tesseract_words, exe, it[1], name, it[0], it[4]): it[0]
                   for it in inked}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            done += 1
            progress(done, total, "OCR")
    pages = []
    confs = []
    for number, path, width, height, dpi in inked:
        words, conf = results[number]
        if not words:
            blank.append(number)
            continue
        tables = ruled_tables(image_rules(path, dpi), words, number)
        pages.append(Page(number, width, height, words, tables))
        confs.append(conf)
    mean = sum(confs) / len(confs) if confs else 0.0
    dpis = sorted({round(it[4]) for it in images})
    notes = [f"OCR tesseract -l {LANG} at {'/'.join(map(str, dpis))} dpi on {len(inked)} page(s), "
             f"mean word confidence {mean:.0f}%"]
    if blank:
        notes.append(f"{len(blank)} blank page(s) skipped")
    return pages, notes, sorted(blank)


def _scan_dpi(page: object) -> float:
    """Render at the scan's own resolution (no gain above it), between 150 and `DPI`."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    best = 0.0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):  # type: ignore[attr-defined]
        try:
            best = max(best, float(obj.get_metadata().horizontal_dpi))
        except pdfium.PdfiumError:  # no metadata: fall back to DPI
            continue
    return float(DPI) if best <= 0 else max(150.0, min(float(DPI), round(best)))


def _render_scale(width: float, height: float, dpi: float) -> float:
    """Scale to render a page at `dpi`, lowered so the image stays under `MAX_RENDER_PIXELS`."""
    scale = dpi / 72
    pixels = width * height * scale * scale
    if pixels > MAX_RENDER_PIXELS:
        scale *= (MAX_RENDER_PIXELS / pixels) ** 0.5
    return scale


def ocr_pdf_pages(name: str, data: bytes, indexes: list[int],
                  progress: Progress = no_progress) -> tuple[list[Page], list[str], list[int]]:
    """OCR the given (0-based) pages of a PDF → (pages with text, notes, blank page indexes)."""
    import pypdfium2 as pdfium

    tesseract_command(name)
    with tempfile.TemporaryDirectory(prefix="kehoach-ocr-") as tmp:
        doc = pdfium.PdfDocument(data)
        images = []
        try:
            for i in indexes:
                page = doc[i]
                width, height = page.get_size()
                scale = _render_scale(width, height, _scan_dpi(page))
                bitmap = page.render(scale=scale, grayscale=True)
                path = Path(tmp) / f"page-{i:04d}.png"
                bitmap.to_pil().save(path)
                images.append((i, path, float(width), float(height), scale * 72))
                page.close()
        finally:
            doc.close()
        return _ocr_images(name, images, progress)


def _page_dpi(width_px: int, declared: object) -> float:
    """The resolution of a page image: as declared, unless that makes no page (a pasted
    scan says 96 or 72 dpi): then as if the image were an A4 page's width (8.27 in)."""
    try:
        dpi = float(declared[0]) if declared else 0.0  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        dpi = 0.0
    if dpi <= 0 or not 4.0 <= width_px / dpi <= 17.0:
        dpi = width_px / 8.27
    return max(dpi, 1.0)


def read_image(name: str, data: bytes, progress: Progress = no_progress) -> Reading:
    """OCR an image file (PNG, JPEG, TIFF; each TIFF frame is a page)."""
    reading = read_images(name, [data], progress)
    reading.notes.insert(0, "reader ocr (image)")
    return reading


def _open_frames(name: str, datas: list[bytes]) -> list[tuple[object, int]]:
    """(image, frame number) of every page in the pictures, refusing oversized ones unread."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # the decoder's own guard, at our limit
    frames: list[tuple[object, int]] = []
    for data in datas:
        try:
            with warnings.catch_warnings():  # past the limit is refused just below, not warned
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                img = Image.open(io.BytesIO(data))  # reads the header only
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as e:
            raise ReadError(name, f"không mở được ảnh ({e.__class__.__name__}): ảnh hỏng hoặc "
                                  f"quá lớn (tối đa {MAX_PIXELS // 1_000_000} megapixel)") from e
        if img.width * img.height > MAX_PIXELS:
            raise ReadError(name, f"ảnh {img.width}×{img.height} điểm ảnh, quá giới hạn "
                                  f"{MAX_PIXELS // 1_000_000} megapixel: hãy quét lại ở 300 dpi")
        frames.extend((img, i) for i in range(getattr(img, "n_frames", 1)))
        if len(frames) > MAX_FRAMES:
            raise ReadError(name, f"ảnh có hơn {MAX_FRAMES} trang, quá giới hạn {MAX_FRAMES}")
    return frames


def read_images(name: str, datas: list[bytes], progress: Progress = no_progress) -> Reading:
    """OCR pictures as the pages of one document (an image file's frames, a DOCX's pictures)."""
    from PIL import Image

    tesseract_command(name)
    frames = _open_frames(name, datas)
    with tempfile.TemporaryDirectory(prefix="kehoach-ocr-") as tmp:
        images = []
        try:
            for i, (img, frame_no) in enumerate(frames):
                img.seek(frame_no)  # type: ignore[attr-defined]
                if img.width * img.height > MAX_PIXELS:  # type: ignore[attr-defined]
                    raise ReadError(name, f"trang {i + 1} của ảnh quá lớn (tối đa "
                                          f"{MAX_PIXELS // 1_000_000} megapixel)")
                frame = img.convert("L")  # type: ignore[attr-defined]
                dpi = _page_dpi(frame.width, img.info.get("dpi"))  # type: ignore[attr-defined]
                if not 150 <= dpi <= 400:  # Tesseract reads best at 200-300 dpi
                    f = min(DPI / dpi, (MAX_RENDER_PIXELS / (frame.width * frame.height)) ** 0.5)
                    frame = frame.resize((max(1, int(frame.width * f)),
                                          max(1, int(frame.height * f))))
                    dpi = dpi * f
                path = Path(tmp) / f"page-{i:04d}.png"
                frame.save(path)
                images.append((i, path, frame.width * 72 / dpi, frame.height * 72 / dpi, dpi))
        except (OSError, ValueError, Image.DecompressionBombError) as e:
            raise ReadError(name, f"không đọc được ảnh ({e.__class__.__name__}): ảnh hỏng") from e
        pages, notes, blank = _ocr_images(name, images, progress)
    if not pages:
        raise ReadError(name, "ảnh không có chữ nào OCR đọc được: hãy kiểm tra đây là ảnh chụp "
                              "văn bản, rõ nét, đúng chiều")
    lines, layout_notes = layout_lines(pages, superscripts=False)
    warnings = [f"trang {', '.join(str(b + 1) for b in blank)} của ảnh không có chữ (trang "
                "trắng): đã bỏ qua"] if blank else []
    return Reading(lines, [*notes, *layout_notes], "ocr", warnings, len(images))
