"""Tracking commands: ingest, plans, tasks, update, value, calendar, agencies, demo.

Each command parses its arguments, calls one method of `kehoach.store.Database` and
prints a rich table, or with `--json` a JSON list of objects each with its `id`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from .. import DATA, vn
from ..errors import KehoachError, NotFoundError, ValidationError
from ..settings import Settings, load
from ..store.bulk import ProgressCallback, ingest_files
from . import app

DB_HELP = (
    "CSDL: URL SQLAlchemy hoặc đường dẫn tệp SQLite (mặc định KEHOACH_DATABASE_URL hoặc tệp trong thư mục dữ liệu)."
)
JSON_HELP = "In JSON (danh sách đối tượng, mỗi đối tượng có id)."
AS_OF_HELP = "Tính trạng thái tại ngày (dd/mm/yyyy; mặc định hôm nay)."

DbOpt = typer.Option(None, "--db", help=DB_HELP, envvar=None)
JsonOpt = typer.Option(False, "--json", help=JSON_HELP)
AsOfOpt = typer.Option(None, "--as-of", help=AS_OF_HELP)
ByOpt = typer.Option(None, "--by", help="Người thực hiện (mặc định $KEHOACH_USER hoặc tên đăng nhập).")


def database_url(db: str | None) -> str | None:
    """`--db` as given: a URL, or a file path made into a SQLite URL."""
    if db is None or "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def resolved(config: Path | None = None, **flags: Any) -> Settings:
    """The settings, resolved once for this command (`kehoach.settings.load`); a bad one ends it cleanly."""
    try:
        return load(config, **flags)
    except KehoachError as e:
        raise fail(e) from None


def actor(by: str | None) -> str:
    """Who the change is recorded as made by: `--by`, else the `KEHOACH_USER` setting (the login name)."""
    return by or resolved().user


def _option(value: str | None, option: str, parse: Callable[[str], Any]) -> Any:
    if value is None:
        return None
    try:
        return parse(value)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint=option) from None


def parse_date(value: str | None, option: str) -> date | None:
    """An option's date as people write it (`31/12/2025`, `2025-12-31`…), through `vn.parse_date`."""
    return _option(value, option, vn.parse_date)


def parse_number(value: str | None, option: str) -> float | None:
    """An option's number as people write it (`7,5`, `1.234,5`, `50%`), through `vn.parse_number`."""
    return _option(value, option, vn.parse_number)


#: the command that lists what a NotFoundError did not find
LISTS = {
    "task": "kehoach tasks",
    "plan": "kehoach plans",
    "indicator": "kehoach indicators",
    "duty": "kehoach calendar --duties",
    "agency": "kehoach agencies",
}
#: the option that sets a field a ValidationError names
OPTIONS = {
    "percent": "--percent",
    "state": "--status",
    "status": "--status",
    "on": "--on",
    "period": "--period",
    "product": "--product SỐ hoặc --file TỆP",
    "product_number": "--product",
    "product_file": "--file",
    "new_due": "--extend",
    "granted_by": "--granted-by",
    "met_on": "--event-on",
    "expected_version": "--version",
    "as_of": "--as-of",
    "due_before": "--due-before",
    "actor": "--by",
    "frequency": "--frequency",
    "day": "--day",
    "month_offset": "--month-offset",
    "extra_dates": "--dates",
}


def hint(e: KehoachError) -> str:
    """What to do next on the command line: the command that lists, the option to set."""
    if isinstance(e, NotFoundError) and e.what in LISTS:
        return f" (xem `{LISTS[e.what]}`)"
    if isinstance(e, ValidationError) and e.field in OPTIONS:
        return f" (tùy chọn {OPTIONS[e.field]})"
    return ""


def fail(e: KehoachError) -> typer.Exit:
    """Print one clean line for our error, with the command line's hint; exit status 1."""
    typer.echo(f"Lỗi: {e}{hint(e)}", err=True)
    return typer.Exit(1)


@contextmanager
def opened(db: str | None, settings: Settings | None = None, **kwargs: Any) -> Iterator[Any]:
    """Open the register (`--db`, else the settings' URL); turn our errors into one clean line and exit code 1."""
    from ..store import Database

    try:
        database = Database.open(database_url(db), settings=settings or resolved(), **kwargs)
    except KehoachError as e:
        raise fail(e) from None
    try:
        yield database
    except KehoachError as e:
        raise fail(e) from None
    finally:
        database.close()


def show(
    rows: Sequence[dict],
    columns: Sequence[tuple[str, str | Callable[[dict], Any]]],
    *,
    as_json: bool,
    title: str | None = None,
) -> None:
    """Print rows as JSON or as a rich table of (header, key or function) columns."""
    if as_json:
        typer.echo(json.dumps(list(rows), ensure_ascii=False, indent=1))
        return
    table = Table(title=title, show_lines=False)
    for header, _ in columns:
        table.add_column(header, overflow="fold")
    for r in rows:
        cells = []
        for _, col in columns:
            v = col(r) if callable(col) else r.get(col)
            cells.append("" if v is None else ", ".join(v) if isinstance(v, list) else str(v))
        table.add_row(*cells)
    Console().print(table)


def _agency_label(r: dict) -> str:
    return f"{r['agency']} ({r['province']})" if r.get("province") else r["agency"]


def _short(text: str | None, n: int = 90) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 1] + "…"


# --- ingest, plans --------------------------------------------------------------------------


@contextmanager
def progress_shown(show: bool | None) -> Iterator[ProgressCallback | None]:
    """A progress callback that draws on stderr, or None when there is nothing to draw.

    Shown when asked (`--progress`) or, unless refused (`--no-progress`), when stderr is a
    terminal: there, a rich progress bar; elsewhere (a log file), one line per file.
    """
    console = Console(stderr=True)
    if not (console.is_terminal if show is None else show):
        yield None
        return
    if not console.is_terminal:

        def line(done: int, total: int, path: Path) -> None:
            typer.echo(f"[{done}/{total}] {path}", err=True)

        yield line
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("Đang nạp"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("còn"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[name]}"),
    )
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("", total=None, name="")

        def draw(done: int, total: int, path: Path) -> None:
            bar.update(task, completed=done, total=total, name=path.name)

        yield draw


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Tệp kế hoạch (TXT, DOCX, PDF, ảnh) hoặc JSON plan/v1; thư mục: mọi tệp trong đó."),
    ],
    db: str | None = DbOpt,
    by: str | None = ByOpt,
    as_json: bool = JsonOpt,
    jobs: int | None = typer.Option(
        None,
        "--jobs",
        "-j",
        min=1,
        help="Số tiến trình trích xuất song song (mặc định: số lõi CPU; 1: lần lượt từng tệp).",
    ),
    progress: bool | None = typer.Option(
        None,
        "--progress/--no-progress",
        help="Hiện tiến độ trên stderr (mặc định: chỉ khi stderr là terminal).",
    ),
) -> None:
    """Trích xuất và lưu kế hoạch vào sổ theo dõi (lưu một lần; bản sửa đổi thành phiên bản mới)."""
    with opened(db) as database, progress_shown(progress) as shown:
        results, errors = ingest_files(database, paths, actor(by), jobs=jobs, progress=shown)
    for e in errors:
        typer.echo(f"Lỗi: {e}", err=True)
    show(
        results,
        [
            ("id", "id"),
            ("tệp", "source"),
            ("phiên bản", "version"),
            ("mới", lambda r: "có" if r["created"] else "đã có"),
            ("nhiệm vụ", "tasks"),
            ("thay đổi", lambda r: json.dumps(r["diff"], ensure_ascii=False) if r["diff"] else ""),
        ],
        as_json=as_json,
    )
    if errors:
        raise typer.Exit(1)


@app.command()
def plans(db: str | None = DbOpt, as_json: bool = JsonOpt) -> None:
    """Danh sách kế hoạch trong sổ theo dõi."""
    with opened(db) as database:
        rows = database.plans()
    show(
        rows,
        [
            ("id", "id"),
            ("số", "number"),
            ("tỉnh", "province"),
            ("ngày", "issued_date"),
            ("đến", "period_end"),
            ("phiên bản", "version"),
            ("nhiệm vụ", "tasks"),
            ("chỉ tiêu", "indicators"),
            ("trích yếu", lambda r: _short(r["title"], 70)),
        ],
        as_json=as_json,
    )


# --- tasks ------------------------------------------------------------------------------------


@app.command()
def tasks(
    agency: str | None = typer.Option(None, "--agency", "-a", help="Cơ quan chủ trì (kể cả cơ quan kế thừa)."),
    province: str | None = typer.Option(None, "--province", help="Tỉnh của cơ quan (tên sau sáp nhập)."),
    status: str | None = typer.Option(None, "--status", "-s", help="Trạng thái, vd 'quá hạn', 'sắp đến hạn'."),
    due_before: str | None = typer.Option(None, "--due-before", help="Hạn trước ngày (dd/mm/yyyy)."),
    plan: int | None = typer.Option(None, "--plan", "-p", help="Id kế hoạch."),
    search: str | None = typer.Option(None, "--search", "-q", help="Tìm trong nội dung (không phân biệt dấu)."),
    soon_days: int | None = typer.Option(
        None, "--soon-days", min=0, help="Số ngày trước hạn tính là 'sắp đến hạn' (mặc định KEHOACH_SOON_DAYS, 7)."
    ),
    as_of: str | None = AsOfOpt,
    db: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Nhiệm vụ và trạng thái thực hiện, có lọc."""
    with opened(db, soon_days=soon_days) as database:
        rows = database.tasks(
            agency=agency,
            province=province,
            status=status,
            plan=plan,
            text=search,
            due_before=parse_date(due_before, "--due-before"),
            as_of=parse_date(as_of, "--as-of"),
        )
    show(
        rows,
        [
            ("id", "id"),
            ("kế hoạch", "plan"),
            ("nhiệm vụ", lambda r: _short(r["text"])),
            ("chủ trì", "lead"),
            ("hạn", lambda r: r["due"] or r["deadline_text"]),
            ("trạng thái", "status"),
            ("%", "percent"),
        ],
        as_json=as_json,
        title=f"{len(rows)} nhiệm vụ",
    )


@app.command()
def update(
    task: int = typer.Argument(..., help="Id nhiệm vụ (xem `kehoach tasks`)."),
    status: str | None = typer.Option(None, "--status", "-s", help="chưa thực hiện | đang thực hiện | hoàn thành"),
    percent: str | None = typer.Option(None, "--percent", help="Tiến độ 0–100 (vd 50 hoặc 50%)."),
    note: str | None = typer.Option(None, "--note", "-m", help="Kết quả thực hiện."),
    difficulties: str | None = typer.Option(None, "--difficulties", help="Khó khăn, vướng mắc."),
    proposals: str | None = typer.Option(None, "--proposals", help="Đề xuất, kiến nghị."),
    product: str | None = typer.Option(None, "--product", help="Số văn bản sản phẩm, vd 123/QĐ-UBND."),
    file: Annotated[
        Path | None,
        typer.Option(
            "--product-file",
            "--file",
            help="Tệp sản phẩm (PDF, DOCX, XLSX hoặc ảnh), lưu vào thư mục tệp (KEHOACH_FILES_DIR).",
        ),
    ] = None,
    on: str | None = typer.Option(None, "--on", help="Ngày của cập nhật (mặc định hôm nay)."),
    period: str | None = typer.Option(None, "--period", help="Kỳ của nhiệm vụ thường xuyên, vd 2025-Q1."),
    extend: str | None = typer.Option(None, "--extend", help="Gia hạn đến ngày (dd/mm/yyyy)."),
    granted_by: str | None = typer.Option(None, "--granted-by", help="Người/cơ quan cho gia hạn."),
    event_on: str | None = typer.Option(None, "--event-on", help="Ngày điều kiện xảy ra (bắt đầu tính hạn)."),
    version: int | None = typer.Option(None, "--version", help="Phiên bản đã đọc; khác thì báo xung đột."),
    by: str | None = ByOpt,
    db: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Cập nhật tiến độ, gia hạn hoặc đánh dấu điều kiện của một nhiệm vụ."""
    if file is not None and not file.exists():
        raise typer.BadParameter(f"không thấy tệp {file}", param_hint="--product-file")
    from ..store.files import update_with_file

    who, when = actor(by), parse_date(on, "--on")
    with opened(db) as database:
        if extend:
            result = database.extend_deadline(
                task,
                parse_date(extend, "--extend"),
                granted_by=granted_by or "",
                actor=who,
                granted_on=when,
                reason=note,
                expected_version=version,
            )
        elif event_on:
            result = database.mark_condition(
                task, parse_date(event_on, "--event-on"), actor=who, expected_version=version
            )
        else:
            result = update_with_file(
                database,
                task,
                file,
                actor=who,
                state=status,
                percent=parse_number(percent, "--percent"),
                narrative=note,
                difficulties=difficulties,
                proposals=proposals,
                product_number=product,
                on=when,
                period=period,
                expected_version=version,
            )
    show(
        [result],
        [
            ("id", "id"),
            ("trạng thái", "status"),
            ("%", "percent"),
            ("hạn", "due"),
            ("sản phẩm", lambda r: r["product_number"] or r["product_file"]),
            ("phiên bản", "version"),
        ],
        as_json=as_json,
    )


# --- indicators -------------------------------------------------------------------------------


@app.command()
def value(
    indicator: int = typer.Argument(..., help="Id chỉ tiêu (xem `kehoach indicators`)."),
    period: str = typer.Argument(..., help="Kỳ: 2025, 2025-Q1, 2025-H1, 2025-9M, 2025-03."),
    number: str = typer.Argument(..., metavar="VALUE", help="Giá trị (viết như 7,5 hoặc 1.234,5)."),
    official: bool = typer.Option(False, "--official", help="Số chính thức (mặc định: ước tính)."),
    cumulative: bool = typer.Option(False, "--cumulative", help="Lũy kế từ đầu năm."),
    on: str | None = typer.Option(None, "--on", help="Ngày ghi nhận (mặc định hôm nay)."),
    note: str | None = typer.Option(None, "--note", "-m"),
    by: str | None = ByOpt,
    db: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Ghi giá trị thực hiện của một chỉ tiêu cho một kỳ (giữ các lần sửa)."""
    with opened(db) as database:
        result = database.record_value(
            indicator,
            period,
            parse_number(number, "VALUE"),
            actor=actor(by),
            cumulative=cumulative,
            kind="official" if official else "estimate",
            on=parse_date(on, "--on"),
            note=note,
        )
    show([result], _INDICATOR_COLUMNS, as_json=as_json)


def _target(r: dict) -> str:
    unit = f" {r['unit']}" if r["unit"] else ""
    if r["comparator"] == "range":
        return f"{r['min']:g}–{r['max']:g}{unit}"
    if r["comparator"] == "qualitative":
        return "định tính"
    return f"{r['comparator']} {r['target']:g}{unit}" if r["target"] is not None else ""


_INDICATOR_COLUMNS: list[tuple[str, Any]] = [
    ("id", "id"),
    ("chỉ tiêu", lambda r: _short(r["name"], 60)),
    ("năm", "year"),
    ("mục tiêu", _target),
    ("thực hiện", lambda r: r["latest"] and f"{r['latest']['value']:g} ({r['latest']['period']})"),
    ("đánh giá", "evaluation"),
    ("% KH", "share_of_target"),
    ("so cùng kỳ %", "change_on_last_year"),
    (
        "dự báo",
        lambda r: r["projection"] and f"{r['projection']:g}" + (" khó đạt" if r["hard_to_meet"] else ""),
    ),
]


@app.command()
def indicators(
    plan: int | None = typer.Option(None, "--plan", "-p", help="Id kế hoạch."),
    search: str | None = typer.Option(None, "--search", "-q", help="Tìm theo tên (không phân biệt dấu)."),
    hard: bool = typer.Option(False, "--hard", help="Chỉ các chỉ tiêu khó đạt."),
    as_of: str | None = AsOfOpt,
    db: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Chỉ tiêu, đánh giá (đạt, vượt, không đạt), % kế hoạch năm, so cùng kỳ, dự báo khó đạt."""
    with opened(db) as database:
        rows = database.indicators(plan=plan, text=search, as_of=parse_date(as_of, "--as-of"))
    if hard:
        rows = [r for r in rows if r["hard_to_meet"]]
    show(rows, _INDICATOR_COLUMNS, as_json=as_json, title=f"{len(rows)} chỉ tiêu")


# --- reporting calendar -----------------------------------------------------------------------


@app.command()
def calendar(
    start: str | None = typer.Option(None, "--from", help="Từ ngày (mặc định 30 ngày trước)."),
    end: str | None = typer.Option(None, "--to", help="Đến ngày (mặc định 90 ngày tới)."),
    agency: str | None = typer.Option(None, "--agency", "-a", help="Đơn vị báo cáo."),
    plan: int | None = typer.Option(None, "--plan", "-p", help="Id kế hoạch."),
    duties: bool = typer.Option(False, "--duties", help="Liệt kê chế độ báo cáo thay vì các kỳ hạn."),
    rates: bool = typer.Option(False, "--rates", help="Tỷ lệ báo cáo đúng hạn theo đơn vị."),
    as_of: str | None = AsOfOpt,
    db: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Lịch báo cáo theo Nghị định 09/2019/NĐ-CP: kỳ, chốt số liệu, hạn gửi, tình trạng."""
    today = parse_date(as_of, "--as-of") or vn.today()
    with opened(db) as database:
        if duties:
            rows = database.duties(plan=plan)
            cols = [
                ("id", "id"),
                ("kế hoạch", "plan_id"),
                ("đơn vị báo cáo", "reporters"),
                ("gửi", "recipient"),
                ("tần suất", "frequency_vi"),
                ("ngày", "day"),
                ("lệch tháng", "month_offset"),
                ("hạn riêng", "extra_dates"),
            ]
        elif rates:
            rows = database.reporting_rates(as_of=today)
            cols = [
                ("id", "id"),
                ("đơn vị", _agency_label),
                ("đến hạn", "due"),
                ("đúng hạn", "on_time"),
                ("trễ", "late"),
                ("chưa gửi", "missing"),
                ("tỷ lệ đúng hạn %", "on_time_rate"),
            ]
        else:
            rows = database.calendar(
                parse_date(start, "--from") or today - timedelta(days=30),
                parse_date(end, "--to") or today + timedelta(days=90),
                as_of=today,
                agency=agency,
                plan=plan,
            )
            cols = [
                ("id", "id"),
                ("hạn", "due"),
                ("kỳ", "period"),
                ("đơn vị", _agency_label),
                ("gửi", "recipient"),
                (
                    "chốt số liệu",
                    lambda r: r["cutoff_start"] and f"{r['cutoff_start']} → {r['cutoff_end']}",
                ),
                ("tình trạng", "state"),
            ]
    show(rows, cols, as_json=as_json)


@app.command()
def submit(
    duty: int = typer.Argument(..., help="Id chế độ báo cáo (xem `kehoach calendar --duties`)."),
    period: str = typer.Argument(..., help="Kỳ báo cáo, vd 2025-Q1, hoặc ngày của hạn một lần."),
    agency: str = typer.Option(..., "--agency", "-a", help="Đơn vị gửi báo cáo."),
    on: str | None = typer.Option(None, "--on", help="Ngày gửi (mặc định hôm nay)."),
    by: str | None = ByOpt,
    db: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Ghi nhận một báo cáo đã gửi (tính tỷ lệ báo cáo đúng hạn)."""
    with opened(db) as database:
        result = database.submit_report(duty, agency, period, parse_date(on, "--on") or vn.today(), actor=actor(by))
    show(
        [result],
        [("id", "id"), ("đơn vị", "agency"), ("kỳ", "period"), ("ngày gửi", "submitted_on")],
        as_json=as_json,
    )


@app.command()
def duty(
    duty_id: int = typer.Argument(..., metavar="DUTY", help="Id chế độ báo cáo (xem `kehoach calendar --duties`)."),
    frequency: str | None = typer.Option(None, "--frequency", help="monthly | quarterly | semiannual | annual | once"),
    day: int | None = typer.Option(None, "--day", help="Hạn gửi: ngày trong tháng."),
    month_offset: int | None = typer.Option(
        None, "--month-offset", help="Tháng của hạn so với tháng cuối kỳ (0: cùng tháng, 1: tháng sau)."
    ),
    dates: str | None = typer.Option(None, "--dates", help="Các hạn riêng, cách nhau bằng dấu phẩy (dd/mm/yyyy)."),
    version: int | None = typer.Option(None, "--version", help="Phiên bản đã đọc; khác thì báo xung đột."),
    by: str | None = ByOpt,
    db: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Sửa chế độ báo cáo suy ra từ kế hoạch (tần suất, ngày hạn, hạn riêng)."""
    extra = None if dates is None else [parse_date(d.strip(), "--dates") for d in dates.split(",") if d.strip()]
    with opened(db) as database:
        result = database.edit_duty(
            duty_id,
            actor=actor(by),
            frequency=frequency,
            day=day,
            month_offset=month_offset,
            extra_dates=extra,
            expected_version=version,
        )
    show(
        [result],
        [
            ("id", "id"),
            ("tần suất", "frequency_vi"),
            ("ngày", "day"),
            ("lệch tháng", "month_offset"),
            ("hạn riêng", "extra_dates"),
            ("phiên bản", "version"),
        ],
        as_json=as_json,
    )


# --- agencies, statistics ---------------------------------------------------------------------


@app.command()
def agencies(
    search: str | None = typer.Option(None, "--search", "-q", help="Tìm theo tên (không phân biệt dấu)."),
    refresh: bool = typer.Option(
        False, "--refresh", help="Áp dụng lại tệp sáp nhập (succession.csv, provinces.csv) sau khi sửa."
    ),
    as_of: str | None = AsOfOpt,
    db: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Cơ quan trong sổ theo dõi, cơ quan kế thừa sau sáp nhập, số nhiệm vụ chủ trì."""
    from ..vn import fold

    with opened(db) as database:
        if refresh:
            typer.echo(f"Đã cập nhật {database.refresh_succession()} liên kết kế thừa.", err=True)
        rows = database.agencies(as_of=parse_date(as_of, "--as-of"))
    if search:
        rows = [r for r in rows if fold(search) in fold(r["name"])]
    show(
        rows,
        [
            ("id", "id"),
            ("cơ quan", "name"),
            ("tỉnh", "province"),
            ("kế thừa bởi", "current"),
            ("từ", "succeeded_on"),
            ("chủ trì", "tasks_led"),
            ("đang phụ trách", "tasks_owned"),
        ],
        as_json=as_json,
    )


@app.command()
def stats(
    by_plan: bool = typer.Option(False, "--by-plan", help="Theo kế hoạch (mặc định theo cơ quan)."),
    plan: int | None = typer.Option(None, "--plan", "-p", help="Id kế hoạch."),
    as_of: str | None = AsOfOpt,
    db: str | None = DbOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Thống kê nhiệm vụ: số lượng theo trạng thái, tỷ lệ hoàn thành đúng hạn, xếp hạng."""
    with opened(db) as database:
        rows = database.stats(as_of=parse_date(as_of, "--as-of"), by="plan" if by_plan else "agency", plan=plan)
    key = ("kế hoạch", "plan") if by_plan else ("cơ quan", _agency_label)
    show(
        rows,
        [
            ("id", "id"),
            key,
            ("tổng", "total"),
            ("đến hạn", "due"),
            ("đúng hạn", lambda r: r["by_status"]["hoàn thành đúng hạn"]),
            ("quá hạn", lambda r: r["by_status"]["quá hạn chưa hoàn thành"]),
            ("tỷ lệ đúng hạn %", "on_time_rate"),
        ],
        as_json=as_json,
    )


# --- demo -------------------------------------------------------------------------------------


def sample_paths() -> list[Path]:
    return sorted(
        Path(str(p)) for p in (DATA / "samples").iterdir() if p.name.endswith(".txt")
    )


def print_summary(summary: dict) -> None:
    console = Console()
    console.print(
        f"[bold]Sổ theo dõi[/bold] tại {summary['as_of']}: {len(summary['plans'])} kế hoạch, "
        f"{summary['tasks']} nhiệm vụ, {summary['indicators']} chỉ tiêu, "
        f"{summary['reporting_duties']} chế độ báo cáo"
    )
    plans = Table(title="Kế hoạch")
    for header in ("id", "số", "tỉnh", "đến", "nhiệm vụ", "chỉ tiêu", "mục tiêu tăng trưởng", "trích yếu"):
        plans.add_column(header)
    for p in summary["plans"]:
        row = (p["id"], p["number"], p["province"], p["period_end"], p["tasks"], p["indicators"], p["growth_target"])
        plans.add_row(*("" if v is None else str(v) for v in row), _short(p["title"], 60))
    console.print(plans)
    for title, key, header, limit in (
        ("Nhiệm vụ theo cơ quan chủ trì", "tasks_per_lead_agency", "cơ quan chủ trì", 12),
        ("Thời hạn theo quý", "deadlines_by_quarter", "quý", None),
        ("Trạng thái nhiệm vụ", "statuses", "trạng thái", None),
        ("Đánh giá chỉ tiêu", "indicator_evaluations", "đánh giá", None),
    ):
        table = Table(title=title)
        table.add_column(header)
        table.add_column("số", justify="right")
        items = list(summary[key].items())
        for k, v in items[:limit]:
            table.add_row(k, str(v))
        if limit and len(items) > limit:
            others = sum(v for _, v in items[limit:])
            table.add_row(f"… {len(items) - limit} cơ quan khác", str(others))
        console.print(table)


@app.command()
def demo(
    db: str | None = typer.Option(None, "--db", help="CSDL cho bản demo (mặc định sổ theo dõi của bạn)."),
    as_of: str | None = AsOfOpt,
    as_json: bool = typer.Option(False, "--json", help="In bản tóm tắt dạng JSON."),
) -> None:
    """Nạp các kế hoạch mẫu kèm theo vào sổ theo dõi và in bản tóm tắt."""
    with opened(db) as database:
        results, errors = ingest_files(database, sample_paths(), "kehoach demo", jobs=1)
        summary = database.summary(as_of=parse_date(as_of, "--as-of"))
    for e in errors:
        typer.echo(f"Lỗi: {e}", err=True)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=1))
        return
    typer.echo(
        f"Đã nạp {sum(r['created'] for r in results)} kế hoạch mới, {len(results)} tệp mẫu "
        f"vào {database.engine.url.render_as_string(hide_password=True)}"
    )
    print_summary(summary)
