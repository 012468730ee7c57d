"""Write a `SynthesisReport` as DOCX, XLSX or PDF, by the format asked or the file's suffix."""

from __future__ import annotations

from pathlib import Path

from ..errors import ReportError
from .content import FORMATS, SynthesisReport


def write_report(report: SynthesisReport, out: str | Path, fmt: str | None = None) -> Path:
    """Write `report` to `out` (a temporary file renamed at the end: whole or absent)."""
    out = Path(out)
    kind = (fmt or out.suffix.lstrip(".")).lower()
    if kind not in FORMATS:
        raise ReportError(f"Định dạng '{kind}' không được hỗ trợ: chọn một trong docx, xlsx, pdf")
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "xlsx":
        from .xlsx import write_xlsx

        return write_xlsx(report, out)
    if kind == "pdf":
        from .pdf import write_pdf

        return write_pdf(report, out)
    from .docx import write_docx

    return write_docx(report, out)
