"""Web commands: `kehoach serve` (the application), `kehoach remind` (reminders), `kehoach user`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import typer

from ..errors import KehoachError
from . import app
from .track import DbOpt, actor, database_url, opened, parse_date, resolved

ConfigOpt = typer.Option(None, "--config", help="Tệp cấu hình TOML (mặc định KEHOACH_CONFIG).")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Địa chỉ lắng nghe."),
    port: int = typer.Option(8000, "--port", help="Cổng."),
    db: str | None = DbOpt,
    demo: bool = typer.Option(False, "--demo", help="Nạp kế hoạch mẫu và tài khoản demo (CSDL demo.db riêng)."),
    config: Path | None = ConfigOpt,
    workers: int = typer.Option(
        1, "--workers", "-w", min=1, max=64, help="Số tiến trình phục vụ (thường mỗi lõi một tiến trình)."
    ),
) -> None:
    """Chạy ứng dụng web (giao diện và API JSON ở /api)."""
    from ..store import Database
    from ..web import demo as demo_data
    from ..web import serving

    settings = resolved(config, base_url=f"http://{host}:{port}")
    url = database_url(db) or (f"sqlite:///{settings.data_dir / 'demo.db'}" if demo else None)
    try:
        database = Database.open(url, settings=settings)  # migrated (and summarised) once, before the workers
        loaded = demo_data.build(database) if demo else None
        database.logins.secret("session")  # made once, before the workers ask for it together
    except KehoachError as e:
        typer.echo(f"Lỗi: {e}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"kehoach: http://{host}:{port}/  (CSDL {database.engine.url!r}, {workers} tiến trình)")
    if loaded:
        for p in loaded["plans"]:
            if "error" in p:
                typer.echo(f"Lỗi: {p['error']}", err=True)
        ok = sum("error" not in p for p in loaded["plans"])
        typer.echo(f"Đã nạp {ok} kế hoạch mẫu. Tài khoản demo (mật khẩu):")
        for a in loaded["accounts"]:
            where = " · ".join(x for x in (a["agency"], a["province"]) if x)
            typer.echo(f"  {a['username']:<22} {a['password']}  {a['role']}  {where}")
    # each worker process makes its own application from the same settings (`application`)
    os.environ["KEHOACH_DATABASE_URL"] = database.url
    os.environ["KEHOACH_BASE_URL"] = settings.base_url
    if config is not None:
        os.environ["KEHOACH_CONFIG"] = str(config)
    database.close()
    try:
        serving.run(host, port, workers)
    except OSError as e:
        typer.echo(f"Lỗi: không mở được cổng {host}:{port}: {e.strerror or e}", err=True)
        raise typer.Exit(1) from None


def application() -> Any:
    """The web application of one `kehoach serve` worker process: nothing of its own to warm up
    (what the pages read is kept in the database), so it answers as soon as it is up."""
    from ..store import Database
    from ..web import create_app
    from ..web.app import tune_collector

    settings = resolved()
    made = create_app(Database(settings.database_url, settings=settings), settings)
    tune_collector()
    return made


@app.command()
def remind(
    db: str | None = DbOpt,
    as_of: str | None = typer.Option(None, "--as-of", help="Ngày chạy (dd/mm/yyyy)."),
    config: Path | None = ConfigOpt,
    as_json: bool = typer.Option(False, "--json", help="In JSON."),
) -> None:
    """Gửi nhắc việc đến hạn: mỗi sở một thư tổng hợp và thông báo trong ứng dụng."""
    from ..web import remind as reminders

    settings = resolved(config)
    with opened(db, settings) as database:
        result = reminders.run(database, settings, parse_date(as_of, "--as-of"))
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    for d in result["digests"]:
        sent = ", ".join(d["emailed_to"]) or "không gửi thư"
        typer.echo(f"{d['agency']}: {d['items']} việc; {sent}; {d['notified']} thông báo")
    typer.echo(f"Đã nhắc {result['items']} việc cho {len(result['digests'])} đơn vị.")


@app.command("user")
def user_add(
    username: str = typer.Argument(..., help="Tên đăng nhập."),
    role: str = typer.Option(..., "--role", help="admin, office, officer hoặc leader."),
    province: str | None = typer.Option(None, "--province", help="Tỉnh, thành phố."),
    agency: str | None = typer.Option(None, "--agency", help="Cơ quan (với officer)."),
    name: str | None = typer.Option(None, "--name", help="Họ tên."),
    email: str | None = typer.Option(None, "--email", help="Thư điện tử nhận nhắc việc."),
    db: str | None = DbOpt,
) -> None:
    """Thêm tài khoản (hỏi mật khẩu)."""
    from ..web.accounts import create_user

    password = typer.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True)
    with opened(db) as database:
        u = create_user(
            database,
            username,
            password,
            role=role,
            province=province,
            agency=agency,
            name=name,
            email=email,
            actor=actor(None),
        )
    typer.echo(f"Đã thêm {u.username} ({u.role_vi})")
