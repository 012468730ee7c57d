"""`kehoach report`, `export`, `import`: the synthesis report and the Excel round-trip."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import KehoachError
from ..vn import fmt_number
from . import app
from .track import ByOpt, DbOpt, JsonOpt, actor, fail, opened, parse_date, show


def _check_period(value: str | None) -> str | None:
    from ..vn import Period

    if value is None:
        return None
    try:
        return str(Period.parse(value))
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None


PeriodOpt = typer.Option(
    ...,
    "--period",
    "-p",
    help="Kỳ báo cáo: 2025-Q2 hoặc Quý II/2025, 2025-H1, 2025-H2, 2025-9M, 2025.",
    callback=_check_period,
)
OutOpt = typer.Option(..., "--out", "-o", help="Tệp ghi ra.")
GrowthFileOpt = typer.Option(None, "--growth", help="Tệp Excel số liệu tăng trưởng (mẫu: `kehoach export --growth`).")
RecipientOpt = typer.Option(None, "--recipient", help="Nơi nhận (lặp lại được).")
FilledArg = typer.Argument(..., help="Tệp Excel đơn vị đã điền.")


@app.command()
def report(
    plan: int = typer.Argument(..., help="Id kế hoạch (xem `kehoach plans`)."),
    period: str = PeriodOpt,
    out: Path = OutOpt,
    fmt: str | None = typer.Option(None, "--format", "-f", help="docx | xlsx | pdf (mặc định theo đuôi tệp)."),
    growth: Path | None = GrowthFileOpt,
    scenario: int = typer.Option(1, "--scenario", help="Kịch bản tăng trưởng số mấy của kế hoạch."),
    target: float | None = typer.Option(None, "--target", help="Mục tiêu tăng trưởng GRDP cả năm (%)."),
    issuer: str | None = typer.Option(
        None, "--issuer", help="Cơ quan báo cáo (mặc định: cơ quan ban hành kế hoạch, hoặc cơ quan kế thừa)."
    ),
    number: str | None = typer.Option(None, "--number", help="Số ký hiệu báo cáo, vd 123/BC-UBND."),
    on: str | None = typer.Option(None, "--date", help="Ngày báo cáo dd/mm/yyyy (mặc định hôm nay)."),
    cutoff: str | None = typer.Option(
        None, "--cutoff", help="Ngày chốt số liệu dd/mm/yyyy (mặc định: ngày cuối kỳ, hoặc ngày báo cáo nếu sớm hơn)."
    ),
    place: str | None = typer.Option(None, "--place", help="Địa danh ghi trước ngày (mặc định: tỉnh hiện nay)."),
    signer: str | None = typer.Option(None, "--signer", help="Họ tên người ký."),
    signer_title: str | None = typer.Option(
        None, "--signer-title", help="Chức vụ người ký: Chủ tịch, Phó Chủ tịch, Bí thư, Phó Bí thư, Giám đốc…"
    ),
    recipient: list[str] | None = RecipientOpt,
    filing: str | None = typer.Option(None, "--filing", help="Đơn vị soạn thảo sau 'Lưu: VT' (vd TH), hoặc cả dòng."),
    db: str | None = DbOpt,
) -> None:
    """Báo cáo tổng hợp tình hình thực hiện kế hoạch trong kỳ (DOCX theo NĐ 30, XLSX, PDF)."""
    from ..report.build import ReportOptions, make_report

    options = ReportOptions(
        issuer=issuer,
        report_number=number,
        report_date=parse_date(on, "--date"),
        cutoff=parse_date(cutoff, "--cutoff"),
        place=place,
        signer_name=signer,
        signer_title=signer_title,
        recipients=recipient or None,
        filing=filing,
        scenario=scenario - 1,
    )
    options.growth = _figures(growth, target)
    with opened(db) as database:
        path = make_report(database, plan, period, out, fmt=fmt, options=options)
    typer.echo(f"Đã ghi {path}")


@app.command()
def export(
    plan: int = typer.Argument(..., help="Id kế hoạch (xem `kehoach plans`)."),
    out: Path = OutOpt,
    department: str | None = typer.Option(
        None, "--department", "-d", help="Tệp riêng của một đơn vị để điền và gửi lại."
    ),
    period: str | None = typer.Option(
        None, "--period", "-p", help="Kỳ báo cáo (với --department).", callback=_check_period
    ),
    growth: bool = typer.Option(False, "--growth", help="Mẫu nhập số liệu tăng trưởng."),
    scenario: int = typer.Option(1, "--scenario", help="Kịch bản tăng trưởng số mấy (với --growth)."),
    db: str | None = DbOpt,
) -> None:
    """Xuất Excel: ma trận phân công và chỉ tiêu; tệp của một đơn vị; mẫu số liệu tăng trưởng."""
    from ..report import workbook as wb

    if department and not period:
        raise typer.BadParameter("cần --period khi xuất tệp của đơn vị", param_hint="--period")
    with opened(db) as database:
        if department:
            path = wb.export_department(database, plan, department, period or "", out)
        elif growth:
            path = wb.export_growth(database, plan, out, scenario=scenario - 1)
        else:
            path = wb.export_assignment(database, plan, out)
    typer.echo(f"Đã ghi {path}")


@app.command("import")
def import_(
    path: Path = FilledArg,
    mode: str = typer.Option("all", "--mode", help="all: chỉ ghi khi mọi dòng hợp lệ; valid: ghi các dòng hợp lệ."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Chỉ kiểm tra, không ghi."),
    user: str | None = typer.Option(
        None, "--user", help="Tài khoản của người nhập: chỉ ghi trong đơn vị, tỉnh của tài khoản."
    ),
    department: str | None = typer.Option(None, "--department", "-d", help="Đơn vị của người nhập."),
    province: str | None = typer.Option(None, "--province", help="Tỉnh của người nhập."),
    by: str | None = ByOpt,
    db: str | None = DbOpt,
) -> None:
    """Nhập tệp Excel đơn vị đã điền: kiểm tra từng dòng, ghi trong một giao dịch, chỉ trong phạm vi
    của người nhập (--user, hoặc --department/--province), không theo trang 'Thông tin' của tệp."""
    from ..report.workbook_import import import_workbook, issues_text

    with opened(db) as database:
        scope = _scope(database, user, department, province)
        result = import_workbook(database, path, actor=actor(by or user), mode=mode, dry_run=dry_run, scope=scope)
    for notice in result.notices:
        typer.echo(f"Lưu ý: {notice}", err=True)
    if result.issues:
        typer.echo(issues_text(result.issues), err=True)
    done = f"{result.applied_tasks} nhiệm vụ, {result.applied_values} chỉ tiêu"
    if dry_run:
        typer.echo(
            f"Kiểm tra: {len(result.filled.tasks)} dòng nhiệm vụ và "
            f"{len(result.filled.values)} dòng chỉ tiêu hợp lệ, {len(result.issues)} lỗi."
        )
    elif result.applied:
        typer.echo(f"Đã ghi {done}.")
    else:
        hint = " Sửa các lỗi trên rồi nhập lại, hoặc dùng --mode valid để chỉ ghi các dòng hợp lệ."
        typer.echo("Không ghi dòng nào." + (hint if result.issues else ""))
    if result.issues:
        raise typer.Exit(1)


def _scope(database: object, user: str | None, department: str | None, province: str | None):  # noqa: ANN202
    """Who imports: a web account's department and province, or as given; one of them is needed."""
    from ..report.workbook_import import Scope

    if user:
        from ..web.accounts import users

        account = next((u for u in users(database) if u["username"] == user and u["active"]), None)  # type: ignore[arg-type]
        if account is None:
            raise fail(KehoachError(f"Không có tài khoản '{user}' đang hoạt động: xem `kehoach user --help`"))
        if account["role"] == "admin":
            return None
        if account["role"] not in ("office", "officer"):
            raise fail(KehoachError(f"Tài khoản '{user}' ({account['role_vi']}) không được nhập số liệu"))
        return Scope(account["province"], account["agency"] if account["role"] == "officer" else None)
    if not department and not province:
        raise typer.BadParameter(
            "cần --user TÀI_KHOẢN, hoặc --department ĐƠN_VỊ (và --province TỈNH): kehoach chỉ ghi trong phạm vi "
            "của người nhập, không theo trang 'Thông tin' của tệp",
            param_hint="--user",
        )
    return Scope(province, department)


PlansArg = typer.Argument(None, help="Id các kế hoạch cần so sánh.")
XlsxOutOpt = typer.Option(None, "--out", "-o", help="Ghi ra tệp XLSX.")


@app.command()
def coverage(
    plans: list[int] | None = PlansArg,
    resolution: str | None = typer.Option(
        None, "--resolution", "-r", help="Mọi kế hoạch thực hiện văn bản này, vd 01/NQ-CP."
    ),
    parent: int | None = typer.Option(None, "--parent", help="Id kế hoạch/văn bản cấp trên."),
    out: Path | None = XlsxOutOpt,
    db: str | None = DbOpt,
) -> None:
    """So sánh các kế hoạch cùng thực hiện một văn bản: nhóm nhiệm vụ nào được bao quát."""
    from ..report.coverage import coverage_from_db, write_coverage_xlsx

    with opened(db) as database:
        cov, gaps = coverage_from_db(database, plans or [], resolution=resolution, parent=parent)
    if out is not None:
        typer.echo(f"Đã ghi {write_coverage_xlsx(cov, out, gaps)}")
        return
    typer.echo("Nhóm nhiệm vụ\t" + "\t".join(cov.plans))
    for r in cov.rows:
        typer.echo(r.group + "\t" + "\t".join(str(n) for n in r.counts))
    typer.echo("Số nhóm có nhiệm vụ\t" + "\t".join(str(cov.covered(j)) for j in range(len(cov.plans))))
    for name, items in gaps.items():
        typer.echo(f"{name}: {len(items)} nhiệm vụ của văn bản cấp trên chưa có nhiệm vụ tương ứng")


@app.command()
def growth(
    plan: int = typer.Argument(..., help="Id kế hoạch (xem `kehoach plans`)."),
    period: str = PeriodOpt,
    figures: Path | None = GrowthFileOpt,
    scenario: int = typer.Option(1, "--scenario", help="Kịch bản tăng trưởng số mấy của kế hoạch."),
    target: float | None = typer.Option(None, "--target", help="Mục tiêu tăng trưởng GRDP cả năm (%)."),
    as_json: bool = JsonOpt,
    db: str | None = DbOpt,
) -> None:
    """Tăng trưởng so với kịch bản: chênh lệch, đóng góp của các ngành, lũy kế, mức cần đạt các quý còn lại."""
    from ..report.build import ReportOptions, growth_analysis
    from ..track.growth import PERIOD_LABELS

    options = ReportOptions(scenario=scenario - 1, growth=_figures(figures, target))
    with opened(db) as database:
        a = growth_analysis(database, plan, period, options=options)
    if a is None:
        raise fail(KehoachError("Chưa có số liệu tăng trưởng: nhập bằng `kehoach value` hoặc --growth TỆP"))
    rows = []
    for r in a.rows:
        row: dict = {"code": r.code, "name": r.name, "target": r.target, "required": r.required}
        for p in a.periods():
            row[p] = {
                "scenario": r.scenario.get(p),
                "actual": r.actual.get(p),
                "gap": r.gap.get(p),
                "contribution": r.contribution.get(p),
            }
        rows.append(row)
    columns: list = [("ngành", "name")]
    for p in a.periods():
        columns.append((f"{PERIOD_LABELS[p]} KB/TH/±/đóng góp", lambda r, p=p: _cells(r[p])))
    columns.append(("cần đạt các quý còn lại", lambda r: fmt_number(r["required"], 2)))
    show(rows, columns, as_json=as_json, title=a.title)


def _cells(v: dict) -> str:
    return " / ".join(fmt_number(v[k], 2, empty="-") for k in ("scenario", "actual", "gap", "contribution"))


def _figures(path: Path | None, target: float | None):  # noqa: ANN202
    from ..report.workbook_import import issues_text, read_growth

    if path is None:
        return None
    try:
        figures, issues = read_growth(path)
    except KehoachError as e:
        raise fail(e) from None
    if issues:
        typer.echo(issues_text(issues), err=True)
        raise typer.Exit(1)
    figures.target = target
    return figures
