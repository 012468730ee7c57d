"""Administration commands: `kehoach backup` and `kehoach restore` of the whole register."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import KehoachError
from . import app
from .track import DbOpt, database_url, resolved


def _url(db: str | None) -> str:
    return database_url(db) or resolved().database_url


@app.command()
def backup(
    file: Annotated[Path, typer.Argument(help="Tệp sao lưu (JSON lines; tên kết thúc .gz thì nén).")],
    db: str | None = DbOpt,
) -> None:
    """Sao lưu toàn bộ sổ theo dõi (mọi bảng) vào một tệp, ghi nguyên vẹn hoặc không ghi gì."""
    from ..store.backup import backup as run

    try:
        result = run(_url(db), file)
    except KehoachError as e:
        typer.echo(f"Lỗi: {e}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Đã sao lưu {result.rows} dòng của {len(result.tables)} bảng và {result.files} tệp minh chứng "
        f"vào {file} (lược đồ {result.revision})."
    )
    if result.missing:  # named by the register, absent from the files folder: said, not hidden
        typer.echo(
            f"Cảnh báo: {len(result.missing)} tệp minh chứng không có trong thư mục tệp (KEHOACH_FILES_DIR) "
            f"nên không được sao lưu: {', '.join(m[:12] + '…' for m in result.missing[:10])}",
            err=True,
        )


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="Tệp do `kehoach backup` tạo.")],
    db: str | None = DbOpt,
    replace: Annotated[
        bool, typer.Option("--replace", help="Xóa dữ liệu đang có trong CSDL đích rồi khôi phục.")
    ] = False,
) -> None:
    """Khôi phục sổ theo dõi từ tệp sao lưu vào CSDL trống (một giao dịch: đủ cả hoặc không gì)."""
    from ..store.backup import restore as run

    try:
        result = run(_url(db), file, replace=replace)
    except KehoachError as e:
        typer.echo(f"Lỗi: {e}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Đã khôi phục {result.rows} dòng của {len(result.tables)} bảng và {result.files} tệp minh chứng từ {file}."
    )
