"""The report as PDF: the DOCX itself rendered by LibreOffice (headless), so both break pages
alike, with its fonts embedded.

The DOCX asks for Times New Roman (Decree 30). Where it is not installed, LibreOffice takes the
metric-compatible Liberation Serif (Debian's `fonts-liberation2`; version 1 lacks Vietnamese
letters): every glyph the same width, so the same lines and pages as Word with Times New Roman.
Any other substitute would move the page breaks: the PDF is refused with what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ReportError
from .content import SynthesisReport
from .docx import write_docx

# Fonts whose metrics are Times New Roman's: the PDF may embed these, nothing else.
MATCHING_FONTS = ("TimesNewRoman", "Times New Roman", "LiberationSerif", "Liberation Serif")


def find_libreoffice() -> str:
    for name in ("libreoffice", "soffice"):
        path = shutil.which(name)
        if path:
            return path
    raise ReportError(
        "Không tìm thấy LibreOffice (lệnh libreoffice hoặc soffice) để xuất PDF: cài đặt (Debian: "
        "`apt-get install libreoffice-writer-nogui fonts-liberation2`) hoặc xuất --format docx rồi chuyển sang PDF."
    )


def docx_to_pdf(docx: Path, outdir: Path, soffice: str | None = None) -> Path:
    """Convert with `libreoffice --headless`; its own profile so parallel runs do not collide."""
    soffice = soffice or find_libreoffice()
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(outdir),
            str(docx),
        ]
        env = dict(os.environ, HOME=profile)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env)
    pdf = outdir / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise ReportError(
            f"LibreOffice không chuyển được {docx.name} sang PDF (mã {done.returncode}): "
            f"{(done.stderr or done.stdout).strip()[:300]}"
        )
    return pdf


def pdf_fonts(path: Path) -> dict[str, bool]:
    """The fonts a PDF uses (base names without the subset prefix) → whether each is embedded."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    fonts: dict[str, bool] = {}
    with open(path, "rb") as f:
        document = PDFDocument(PDFParser(f))
        for page in PDFPage.create_pages(document):
            for font in (resolve1(page.resources.get("Font")) or {}).values():
                spec = resolve1(font)
                for part in [spec, *(resolve1(d) for d in resolve1(spec.get("DescendantFonts")) or [])]:
                    name = resolve1(part.get("BaseFont"))
                    if name is None:
                        continue
                    base = getattr(name, "name", str(name)).split("+", 1)[-1]
                    desc = resolve1(part.get("FontDescriptor")) or {}
                    embedded = any(k in desc for k in ("FontFile", "FontFile2", "FontFile3"))
                    fonts[base] = fonts.get(base, False) or embedded
    return fonts


def check_fonts(pdf: Path) -> None:
    """Refuse a PDF whose text is not set in embedded Times New Roman or Liberation Serif."""
    fonts = {name: embedded for name, embedded in pdf_fonts(pdf).items() if not name.startswith("OpenSymbol")}
    wrong = [n for n in fonts if not n.replace(",", "-").split("-")[0].startswith(MATCHING_FONTS)]
    loose = [n for n, embedded in fonts.items() if not embedded]
    if wrong or loose:
        raise ReportError(
            f"PDF không dùng phông Times New Roman hoặc Liberation Serif nhúng sẵn ({', '.join(wrong + loose)}): "
            "số trang sẽ khác bản DOCX; cài phông (Debian: `apt-get install fonts-liberation2`, bản 2 có đủ "
            "chữ tiếng Việt) rồi xuất lại."
        )


def write_pdf(report: SynthesisReport, out: Path) -> Path:
    """Write the report's DOCX, render it, check its fonts, and move the PDF to `out`."""
    soffice = find_libreoffice()  # fail before writing anything
    with tempfile.TemporaryDirectory() as tmp:
        docx = write_docx(report, Path(tmp) / (out.stem + ".docx"))
        pdf = docx_to_pdf(docx, Path(tmp), soffice)
        check_fonts(pdf)
        shutil.move(str(pdf), out)
    return out
