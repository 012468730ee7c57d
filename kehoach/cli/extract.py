"""`kehoach extract`: documents in, plan/v1 JSON out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ..errors import KehoachError
from . import app


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Tệp kế hoạch (TXT, DOCX, PDF) hoặc '-' để đọc stdin."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Thư mục ghi DIR/<tên>.json."),
    explain: bool = typer.Option(False, "--explain",
                                 help="In ra stderr trình đọc và các sửa lỗi đã áp dụng."),
) -> None:
    """Trích xuất kế hoạch sang định dạng plan/v1 (JSON)."""
    from ..pipeline import extract_source
    from ..read import read_bytes, read_path

    if out is None and len(paths) > 1:
        raise typer.BadParameter("nhiều tệp cần --out DIR", param_hint="--out")
    failed = 0
    for p in paths:
        try:
            src = read_bytes("stdin.txt", sys.stdin.buffer.read()) if p == "-" else read_path(p)
            plan = extract_source(src)
            if explain:
                typer.echo(f"{src.name}: " + "; ".join(src.notes or [f"reader {src.reader}"]),
                           err=True)
        except KehoachError as e:
            typer.echo(f"Lỗi: {e}", err=True)
            failed += 1
            continue
        text = json.dumps(plan, ensure_ascii=False, indent=1)
        if out is None:
            typer.echo(text)
        else:
            out.mkdir(parents=True, exist_ok=True)
            target = out / (Path(p).stem + ".json")
            tmp = target.with_suffix(".json.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
    if failed:
        raise typer.Exit(1)
