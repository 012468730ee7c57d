"""The synthesis report as DOCX: the state's layout (Decree 30/2020/NĐ-CP, Appendix I) or, for a
party body, the Party's (Hướng dẫn 36-HD/VPTW).

A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 14 for the body; the
heading block (issuer | motto) in a borderless two-column table; the number and the place-and-date
line; `BÁO CÁO` and its title; the body; the signature block beside `Nơi nhận`; page numbers
centred in the header from page 2. Places left for the office's own words are bracketed and
highlighted.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx.table import Table

from ..track.growth import PERIOD_LABELS
from ..vn import date_line, fmt_date, fmt_number
from . import wording
from .content import APART, STATUS_LABELS, STATUSES, Note, SynthesisReport, TaskRow, on_time_share
from .docx_kit import (
    BODY_PT,
    cell_lines,
    grid_table,
    keep_row_whole,
    no_borders,
    page_field,
    para,
    run,
    set_font,
    short_rule,
    widths,
)

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
PARTY_MOTTO = "ĐẢNG CỘNG SẢN VIỆT NAM"
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]


def _setup(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    normal = doc.styles["Normal"]
    set_font(normal, BODY_PT)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(6)
    pf.line_spacing = 1.15
    pf.widow_control = True
    for name in ("Header", "Footer", "Table Grid", "Caption"):
        if name in [s.name for s in doc.styles]:
            set_font(doc.styles[name])
    # Page numbers centred in the header, not on the first page (Decree 30, Appendix I).
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_field(header.paragraphs[0])
    section.first_page_header.is_linked_to_previous = False


def issuer_lines(name: str) -> str:
    """`Ủy ban nhân dân tỉnh X` → `ỦY BAN NHÂN DÂN` / `TỈNH X`, as headings break it."""
    upper = name.upper()
    for head in ("ỦY BAN NHÂN DÂN ", "UỶ BAN NHÂN DÂN ", "HỘI ĐỒNG NHÂN DÂN "):
        if upper.startswith(head):
            return head.strip() + "\n" + upper[len(head) :]
    return upper


def _heading_block(doc: DocumentObject, report: SynthesisReport) -> Table:
    h = report.heading
    left_mm = 70.0 if h.party else 62.0
    right_mm = TEXT_WIDTH_MM - left_mm
    table: Table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(table)
    widths(table, [left_mm, right_mm])
    issuer_cell, motto_cell = table.rows[0].cells
    size = 14 if h.party else 13
    if h.parent:
        cell_lines(issuer_cell, h.parent.upper() if h.party else issuer_lines(h.parent), size=size)
        cell_lines(issuer_cell, issuer_lines(h.issuer), bold=True, size=size, append=True)
    else:
        cell_lines(issuer_cell, h.issuer.upper() if h.party else issuer_lines(h.issuer), bold=True, size=size)
    if h.party:  # a star under the party body's name, the Party's title on the right, underlined
        cell_lines(issuer_cell, "*", size=size, append=True)
        cell_lines(motto_cell, PARTY_MOTTO, bold=True, size=15, underline=True)
    else:
        short_rule(issuer_cell, 22, left_mm)
        cell_lines(motto_cell, MOTTO_1, bold=True, size=12.5)
        cell_lines(motto_cell, MOTTO_2, bold=True, size=14, underline=True, append=True)
    number_cell, date_cell = table.rows[1].cells
    cell_lines(number_cell, h.number_line, size=size)
    cell_lines(date_cell, date_line(h.place, h.date), italic=True, size=14)
    for cell in (number_cell, date_cell):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    return table


def _title(doc: DocumentObject, report: SynthesisReport) -> None:
    para(doc, "", after=6)
    para(doc, "BÁO CÁO", bold=True, align="center", after=0, size=16 if report.is_party else 14)
    para(doc, wording.title(report), bold=True, align="center", after=0)
    if report.is_party:  # five hyphens under the title (36-HD/VPTW)
        para(doc, "-----", align="center", after=12)
    else:
        short_rule(doc, 30, TEXT_WIDTH_MM, after=12)


def _section(doc: DocumentObject, text: str) -> None:
    para(doc, text, bold=True, indent=True, keep=True)


def _placeholder(doc: DocumentObject, text: str) -> None:
    para(doc, text, italic=True, indent=True, highlight=True)


def _notes(doc: DocumentObject, notes: list[Note], empty: str | None = None) -> None:
    if not notes and empty:
        para(doc, empty, indent=True)
    for note in notes:
        p = para(doc, "- ", indent=True)
        run(p, f"{note.department}", italic=True)
        run(p, f" ({note.task}): " if note.task else ": ")
        run(p, note.text)


def _departments_table(doc: DocumentObject, report: SynthesisReport) -> None:
    """Tasks by lead department in the four official ways, the tasks kept apart in their own
    column (waiting on a condition, recurring), so each row adds up."""
    header = [
        "STT",
        "Đơn vị chủ trì",
        "Tổng số",
        *[STATUS_LABELS[s] for s in STATUSES],
        "Chờ điều kiện, thường xuyên",
        "Tỷ lệ đúng hạn (%)",
    ]

    def cells(counts: dict[str, int]) -> list[str]:
        return [
            str(sum(counts.values())),
            *[str(counts.get(s, 0)) for s in STATUSES],
            str(sum(counts.get(s, 0) for s in APART)),
            fmt_number(on_time_share(counts), 1, empty="-"),
        ]

    rows = [[str(n), d.department, *cells(d.counts)] for n, d in enumerate(report.departments, start=1)]
    # The plan's own counts: a task led by several departments is in each of their rows.
    rows.append(["", "Cả kế hoạch", *cells(report.status_counts)])
    para(doc, "Số nhiệm vụ theo đơn vị chủ trì và tình trạng tại ngày chốt số liệu:", indent=True, keep=True)
    grid_table(
        doc,
        header,
        rows,
        [11, 37, 13, 17, 17, 18, 19, 17, 16],
        ["center", "left"] + ["center"] * 7,
        bold_rows={len(rows) - 1},
        size=12,  # nine columns
    )


def _indicators_table(doc: DocumentObject, report: SynthesisReport) -> None:
    header = ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Thực hiện", "% kế hoạch năm", "So cùng kỳ", "Đánh giá"]
    rows = []
    for n, i in enumerate(report.indicators, start=1):
        same = i.same_period
        change = "" if same is None else (f"{fmt_number(same, 2)} điểm %" if i.rate else f"{fmt_number(same, 1)}%")
        share = "" if i.share is None else fmt_number(i.share, 1)
        rows.append([str(n), i.name, i.unit or "", i.target_text, i.actual_text, share, change, i.verdict or ""])
    para(doc, "Kết quả thực hiện các chỉ tiêu so với kế hoạch:", indent=True, keep=True)
    grid_table(
        doc,
        header,
        rows,
        [11, 43, 16, 20, 21, 16, 18, 20],
        ["center", "left", "center", "center", "right", "right", "right", "center"],
    )


def _growth(doc: DocumentObject, report: SynthesisReport, n: int) -> None:
    analysis = report.growth
    if analysis is None or not analysis.quarters_known:
        return
    period = wording.headline_period(analysis)
    if period is None:
        return
    _section(doc, f"{n}. Tăng trưởng kinh tế so với kịch bản")
    para(doc, wording.growth_sentence(analysis, report.growth_estimate), indent=True, keep=True)
    label = PERIOD_LABELS[period]
    header = [
        "STT",
        "Ngành kinh tế",
        f"Kịch bản {label} (%)",
        f"Thực hiện {label} (%)",
        "Chênh lệch (điểm %)",
        "Đóng góp (điểm %)",
        "Cần đạt các quý còn lại (%)",
    ]
    rows: list[list[str]] = []
    bold: set[int] = set()
    for r in analysis.rows:
        if r.level > 1 and not r.actual:
            continue
        if r.level <= 1:
            bold.add(len(rows))
        rows.append(
            [
                r.code or "",
                r.name,
                fmt_number(r.scenario.get(period), 2),
                fmt_number(r.actual.get(period), 2),
                fmt_number(r.gap.get(period), 2),
                fmt_number(r.contribution.get(period), 2),
                fmt_number(r.required, 2),
            ]
        )
    grid_table(doc, header, rows, [11, 52, 20, 20, 21, 20, 21], ["center", "left"] + ["right"] * 5, bold_rows=bold)
    _chart(doc, report)


def _chart(doc: DocumentObject, report: SynthesisReport) -> None:
    """The chart of actual against scenario, only with actual figures; its caption names only
    what it shows (contributions when they are known)."""
    from .chart import contributions_shown, growth_chart_png

    analysis = report.growth
    assert analysis is not None
    if not analysis.total.actual:
        return
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(growth_chart_png(analysis)), width=Mm(TEXT_WIDTH_MM))
    caption = "Biểu đồ: Tăng trưởng GRDP thực hiện so với kịch bản"
    if contributions_shown(analysis):
        caption += " và đóng góp của các ngành"
    para(doc, caption, italic=True, size=12, align="center")


def _groups(doc: DocumentObject, report: SynthesisReport, n: int) -> None:
    _section(doc, f"{n}. Kết quả thực hiện theo nhóm nhiệm vụ")
    for k, g in enumerate(report.groups):
        p = para(doc, "", indent=True, keep=bool(g.results))
        run(p, f"{wording.letter(k)}) {g.section}: ", italic=True)
        run(p, wording.group_line(g))
        for line in g.results:
            para(doc, f"- {line}", indent=True)


def _missing(doc: DocumentObject, report: SynthesisReport, n: int) -> None:
    _section(doc, f"{n}. Việc thực hiện chế độ báo cáo của các đơn vị")
    sentence = wording.missing_sentence(report.missing, due=report.reports_due)
    para(doc, sentence, indent=True, keep=bool(report.missing))
    if not report.missing:
        return
    rows = [
        [
            str(i),
            m.department + (f" (thuộc {m.group.lower()})" if m.group else ""),
            wording.periods_text(m.missing) or "-",
            wording.periods_text(m.late) or "-",
            m.recipient or "",
        ]
        for i, m in enumerate(report.missing, start=1)
    ]
    grid_table(
        doc,
        ["STT", "Đơn vị", "Chưa gửi báo cáo", "Gửi chậm", "Nơi nhận báo cáo"],
        rows,
        [11, 55, 36, 30, 33],
        ["center", "left", "left", "left", "left"],
    )


def _results(doc: DocumentObject, report: SynthesisReport) -> None:
    _section(doc, "I. KẾT QUẢ THỰC HIỆN")
    _section(doc, "1. Đánh giá chung")
    para(doc, wording.counts_sentence(report.status_counts, report.cutoff), indent=True)
    for sentence in (wording.indicators_sentence(report),):
        if sentence:
            para(doc, sentence, indent=True)
    if report.growth is not None:
        sentence = wording.growth_sentence(report.growth, report.growth_estimate)
        if sentence:
            para(doc, sentence, indent=True)
    _placeholder(doc, wording.ASSESSMENT_PLACE)
    n = 2
    if report.groups:
        _groups(doc, report, n)
        n += 1
    if report.departments:
        _section(doc, f"{n}. Tình hình thực hiện nhiệm vụ theo đơn vị")
        _departments_table(doc, report)
        n += 1
    if report.indicators:
        _section(doc, f"{n}. Kết quả thực hiện các chỉ tiêu")
        _indicators_table(doc, report)
        n += 1
    if report.growth is not None and report.growth.quarters_known and wording.headline_period(report.growth):
        _growth(doc, report, n)
        n += 1
    _missing(doc, report, n)


def _overdue(doc: DocumentObject, report: SynthesisReport) -> None:
    if not report.overdue:
        para(doc, "Không có nhiệm vụ chưa hoàn thành, quá hạn tại ngày chốt số liệu.", indent=True)
        return
    para(doc, f"Có {len(report.overdue)} nhiệm vụ chưa hoàn thành, quá hạn:", indent=True, keep=True)
    rows = [
        [
            str(i),
            wording.shorten(t.text, 40),  # the whole text is in the XLSX
            wording.names(t.departments),
            t.deadline_text or fmt_date(t.due),
            str(t.days_overdue),
            t.difficulty or "",
        ]
        for i, t in enumerate(report.overdue, start=1)
    ]
    grid_table(
        doc,
        ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Số ngày quá hạn", "Khó khăn, vướng mắc"],
        rows,
        [11, 50, 28, 27, 16, 33],
        ["center", "left", "left", "center", "center", "left"],
    )


def _shortcomings(doc: DocumentObject, report: SynthesisReport) -> None:
    _section(doc, "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")
    _section(doc, "1. Tồn tại, hạn chế")
    _overdue(doc, report)
    if report.waiting:
        para(
            doc,
            f"Có {len(report.waiting)} nhiệm vụ chờ điều kiện (chờ văn bản, hướng dẫn của cấp trên) chưa phát sinh "
            "thời hạn, không tính vào số nhiệm vụ đến hạn:",
            indent=True,
            keep=True,
        )
        _task_list(doc, report.waiting, lambda t: t.deadline_text or "chờ điều kiện", limit=10)
    hard = [i.name for i in report.indicators if i.verdict in ("Khó đạt", "Không đạt")]
    if hard:
        para(doc, "Các chỉ tiêu không đạt hoặc khó đạt kế hoạch: " + "; ".join(hard) + ".", indent=True)
    if report.missing:
        para(doc, f"{len(report.missing)} đơn vị chưa thực hiện đúng chế độ báo cáo (chi tiết tại Mục I).", indent=True)
    _section(doc, "2. Nguyên nhân")
    if report.difficulties:
        para(doc, "Khó khăn, vướng mắc do các đơn vị báo cáo:", indent=True, keep=True)
    _notes(doc, report.difficulties)
    _placeholder(doc, wording.CAUSES_PLACE)


def _task_list(doc: DocumentObject, tasks: list[TaskRow], when: Callable[[TaskRow], str], limit: int) -> None:
    """`- Task (its departments; when).`, the first `limit` of them, then how many more."""
    for t in tasks[:limit]:
        who = wording.names(t.departments)
        para(doc, f"- {wording.shorten(t.text, 30)} ({who}{'; ' if who else ''}{when(t)}).", indent=True)
    if len(tasks) > limit:
        para(doc, f"- Và {len(tasks) - limit} nhiệm vụ khác (chi tiết tại bản XLSX).", indent=True)


def _next(doc: DocumentObject, report: SynthesisReport) -> None:
    following = report.next_period
    _section(doc, "III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI")
    if report.overdue:
        para(
            doc,
            f"Tập trung chỉ đạo hoàn thành dứt điểm {len(report.overdue)} nhiệm vụ chưa hoàn thành, quá hạn "
            "nêu tại Mục II.",
            indent=True,
        )
    if report.upcoming and following is not None:
        para(
            doc,
            f"Thực hiện {len(report.upcoming)} nhiệm vụ đến hạn trong {wording.period_phrase(following)}:",
            indent=True,
            keep=True,
        )
        _task_list(doc, report.upcoming, lambda t: f"hạn {fmt_date(t.due)}", limit=30)
    hard = [i.name for i in report.indicators if i.verdict == "Khó đạt"]
    if hard:
        para(doc, "Tập trung giải pháp để đạt các chỉ tiêu khó đạt: " + "; ".join(hard) + ".", indent=True)
    _placeholder(doc, wording.NEXT_PLACE)
    _section(doc, "IV. KIẾN NGHỊ, ĐỀ XUẤT")
    if report.proposals:
        para(doc, "Kiến nghị, đề xuất của các đơn vị:", indent=True, keep=True)
    _notes(doc, report.proposals)
    _placeholder(doc, wording.PROPOSALS_PLACE)
    para(doc, wording.closing(report), indent=True, keep=True)


def _signature(doc: DocumentObject, report: SynthesisReport) -> Table:
    left_mm = 80.0
    table: Table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    widths(table, [left_mm, TEXT_WIDTH_MM - left_mm])
    keep_row_whole(table.rows[0])  # the signature and the recipients stay on one page
    recipients_cell, sign_cell = table.rows[0].cells
    party = report.is_party
    if party:  # 36-HD/VPTW: `Nơi nhận:` underlined, lines end with commas
        cell_lines(recipients_cell, "Nơi nhận:", underline=True, size=14, align="left")
    else:
        cell_lines(recipients_cell, "Nơi nhận:", bold=True, italic=True, size=12, align="left")
    lines = [*report.recipients, report.filing]
    for i, r in enumerate(lines):
        end = "." if i == len(lines) - 1 else "," if party else ";"
        cell_lines(recipients_cell, f"- {r}{end}", size=12 if party else 11, align="left", append=True)
    sig = report.signature
    cell_lines(sign_cell, "\n".join(sig.lines) or " ", bold=True, size=14)
    for _ in range(4):
        sign_cell.add_paragraph()
    cell_lines(sign_cell, sig.name or " ", bold=True, size=14, append=True)
    return table


def build_docx(report: SynthesisReport) -> DocumentObject:
    doc = Document()
    _setup(doc)
    _heading_block(doc, report)
    _title(doc, report)
    para(doc, wording.intro(report), indent=True)
    _results(doc, report)
    _shortcomings(doc, report)
    _next(doc, report)
    _signature(doc, report)
    return doc


def write_docx(report: SynthesisReport, out: str | Path) -> Path:
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    build_docx(report).save(str(tmp))
    tmp.replace(out)
    return out
