"""`kehoach extract`: documents in, plan/v1 JSON out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import KehoachError
from . import app


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Tệp kế hoạch (TXT, DOCX, PDF, ảnh) hoặc '-' để đọc stdin.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Thư mục ghi DIR/<tên>.json.")] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="In ra stderr trình đọc và các sửa lỗi đã áp dụng.")
    ] = False,
    review: Annotated[
        bool,
        typer.Option(
            "--review",
            help="Ghi thêm lý do cần xem lại (review), vị trí dòng (source) của từng mục và cảnh báo (warnings).",
        ),
    ] = False,
) -> None:
    """Trích xuất kế hoạch sang định dạng plan/v1 (JSON)."""
    from ..extract import extract as extract_plan
    from ..read import read_bytes, read_path

    if out is None and len(paths) > 1:
        raise typer.BadParameter("nhiều tệp cần --out DIR", param_hint="--out")
    failed = 0
    for p in paths:
        try:
            src = read_bytes("stdin.txt", sys.stdin.buffer.read()) if p == "-" else read_path(p)
            plan = extract_plan(src)
        except KehoachError as e:
            typer.echo(f"Lỗi: {e}", err=True)
            failed += 1
            continue
        except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch
            typer.echo(f"Lỗi: {p}: không xử lý được tệp ({type(e).__name__}: {e})", err=True)
            failed += 1
            continue
        if explain:
            typer.echo(f"{src.name}: " + "; ".join(src.notes or [f"reader {src.reader}"]), err=True)
        for w in plan.warnings:
            where = ", ".join(x for x in (f"trang {w.page}" if w.page else "", f"dòng {w.line}" if w.line else "") if x)
            typer.echo(f"Cảnh báo: {src.name}{f' ({where})' if where else ''}: {w.message}", err=True)
        text = json.dumps(plan.as_dict(extras=review), ensure_ascii=False, indent=1)
        if out is None:
            typer.echo(text)
        else:  # written whole or not at all
            out.mkdir(parents=True, exist_ok=True)
            target = out / (Path(p).stem + ".json")
            tmp = target.with_suffix(".json.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
    if failed:
        raise typer.Exit(1)
