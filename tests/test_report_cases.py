"""Five reports an office signs, generated from a real register and read back from the files:
a merged province's plan at year end; a party plan; a vice chair's signature; a quarter with
done, late, overdue, conditional and recurring tasks; a department that has not reported.

Each is checked as the office reads it: the heading, the place line, the signature lines, the
recipients, and the counts against the register. DOCX always; PDF (rendered to PNG into
`test-artifacts/`, to be looked at) where LibreOffice is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import load_plan
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from kehoach.cli import app
from kehoach.report.build import ReportOptions, build_report
from kehoach.report.content import DONE_LATE, DONE_ON_TIME, IN_PROGRESS, OVERDUE, RECURRING, WAITING
from kehoach.report.wording import LETTERS
from kehoach.report.write import write_report
from kehoach.track import Status, status_at_cutoff
from kehoach.vn import fold

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
HAVE_PDF = bool(shutil.which("libreoffice") or shutil.which("soffice")) and bool(shutil.which("pdftoppm"))
KEY = {
    Status.DONE_ON_TIME: DONE_ON_TIME,
    Status.DONE_LATE: DONE_LATE,
    Status.IN_TERM: IN_PROGRESS,
    Status.OVERDUE: OVERDUE,
    Status.WAITING: WAITING,
    Status.RECURRING: RECURRING,
}


MERGED = (
    "Kế hoạch và Đầu tư",
    "Giao thông vận tải",
    "Thông tin và Truyền thông",
    "Tài nguyên và Môi trường",
    "cấp huyện",
)


def texts(doc) -> list[str]:  # noqa: ANN001
    return [p.text for p in doc.paragraphs]


def heading(doc) -> tuple[str, str, str, str]:  # noqa: ANN001
    (issuer, motto), (number, place) = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    return issuer.strip("\n"), motto, number, place


def signature_block(doc) -> tuple[list[str], list[str]]:  # noqa: ANN001
    recipients, signature = [c.text for c in doc.tables[-1].rows[0].cells]
    return recipients.split("\n"), [x for x in signature.split("\n") if x.strip()]


def register_counts(db, plan_id: int, cutoff: date) -> dict[str, int]:  # noqa: ANN001
    """The official statuses at the cut-off, counted from the register's own task records."""
    counts: dict[str, int] = {}
    for t in db.tasks(plan=plan_id, as_of=cutoff):
        due = date.fromisoformat(t["due"]) if t["due"] else None
        done = date.fromisoformat(t["done_on"]) if t["done_on"] else None
        waiting = bool(t["condition"]) and t["due"] is None
        key = KEY[status_at_cutoff(due=due, done_on=done, cutoff=cutoff, recurring=t["recurring"], waiting=waiting)]
        counts[key] = counts.get(key, 0) + 1
    return counts


def docx_counts(doc) -> dict[str, int]:  # noqa: ANN001
    """The plan's counts as the DOCX's department table prints them (its `Cả kế hoạch` row)."""
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Đơn vị chủ trì")
    cells = [c.text for c in table.rows[-1].cells]
    assert cells[1] == "Cả kế hoạch"
    counts = dict(zip((DONE_ON_TIME, DONE_LATE, IN_PROGRESS, OVERDUE), map(int, cells[3:7]), strict=True))
    return {k: v for k, v in counts.items() if v} | ({"apart": int(cells[7])} if int(cells[7]) else {})


def official(counts: dict[str, int]) -> dict[str, int]:
    """The register's counts as the table shows them: the four ways, the tasks kept apart together."""
    apart = counts.get(WAITING, 0) + counts.get(RECURRING, 0)
    return {k: v for k, v in counts.items() if k not in (WAITING, RECURRING) and v} | (
        {"apart": apart} if apart else {}
    )


DOUBLED = [
    re.compile(r"\b(năm \d{4}) \(\1\)"),  # `năm 2025 (năm 2025)`
    re.compile(r"ngày \d{1,2}/\d{1,2}/\d{4} năm \d{4}"),  # `ngày 18/01/2025 năm 2025`
    re.compile(r"\b(\w+(?: \w+){1,6}) \1\b"),  # any words written twice in a row
    re.compile(r"[.;:,][.;:,]"),  # `… thực thi.:`
    re.compile(r", Các "),  # a collective in capitals mid-list
]


def assert_wording(doc) -> list[str]:  # noqa: ANN001
    """What point 6 of issue 12 asks of every report: groups lettered the Vietnamese way, nothing
    doubled, each result line once, a chart caption only under a chart. Returns the group lines."""
    body = texts(doc)
    groups = [t for t in body if re.match(r"^[a-zđ]{1,2}\) ", t)]
    assert [g.split(")")[0] for g in groups] == list(LETTERS[: len(groups)])
    generated = [t for t in body if not t.startswith("- ")] + [g.split(":")[0] for g in groups]
    for text in generated:
        text = text.removesuffix("./.")
        for pattern in DOUBLED:
            assert not pattern.search(text), (pattern.pattern, text)
    lines = [t for t in body if t.startswith("- ")]
    assert len(lines) == len(set(lines)), "a result line repeated"
    assert all(", Các " not in t for t in lines)
    captions = [t for t in body if t.startswith("Biểu đồ")]
    assert len(captions) == len(doc.inline_shapes)
    return groups


def render(path: Path, name: str) -> Path:
    """The file as PDF (a DOCX through LibreOffice), its first page (heading) and last page
    (signature, recipients) as PNG in test-artifacts/, to be looked at; nothing stranded at the
    foot of a page."""
    from test_report import HEADING, page_lines

    from kehoach.report.pdf import docx_to_pdf

    ARTIFACTS.mkdir(exist_ok=True)
    pdf = path if path.suffix == ".pdf" else docx_to_pdf(path, path.parent)
    for lines in page_lines(pdf)[:-1]:  # no heading or table lead-in stranded at a page's foot
        assert not HEADING.match(lines[-1]) and not lines[-1].endswith(":"), lines[-1]
    shutil.copy(pdf, ARTIFACTS / f"{name}.pdf")
    last = len(pdf_text(pdf))
    for page, part in ((1, "first"), (last, "last")):
        out = ARTIFACTS / f"{name}-{part}"
        cmd = ["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(out)]
        subprocess.run(cmd, check=True, timeout=120)
    return pdf


def pdf_text(pdf: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [" ".join((page.extract_text() or "").split()) for page in doc.pages]


# --- 1. a merged province's plan at year end ----------------------------------------------------


@pytest.fixture
def tra_vinh(db) -> int:  # noqa: ANN001
    """Plan 77/QĐ-UBND of Trà Vinh (merged into Vĩnh Long on 1 July 2025): every task due on
    31/12/2025; a third done in November, a tenth done only in January, the rest open."""
    plan_id = db.ingest(load_plan("002_23dbc6410858588b.json")).plan_id
    for n, t in enumerate(db.tasks(plan=plan_id, as_of=date(2025, 12, 31))):
        if n % 3 == 0:
            db.update_task(t["id"], actor="STC", state="done", product_number="12/BC-STC", on=date(2025, 11, 20))
        elif n % 10 == 1:
            db.update_task(t["id"], actor="STC", state="done", product_number="3/BC-STC", on=date(2026, 1, 5))
        elif n % 2 == 0:
            db.update_task(t["id"], actor="SXD", state="in_progress", percent=60, on=date(2025, 10, 1))
    return plan_id


def test_a_merged_provinces_plan_at_year_end(db, tra_vinh: int, tmp_path: Path) -> None:  # noqa: ANN001
    r = build_report(db, tra_vinh, "2025", options=ReportOptions(report_date=date(2026, 1, 12)))
    cutoff = date(2025, 12, 31)
    assert r.cutoff == cutoff
    # Due on the period's last day and not done by its end: not completed on time, never
    # "in progress" — and the register's records say the same.
    assert r.status_counts == register_counts(db, tra_vinh, cutoff)
    assert r.status_counts.get(IN_PROGRESS, 0) == 0
    assert r.status_counts[OVERDUE] == 83 - r.status_counts[DONE_ON_TIME] - r.status_counts.get(DONE_LATE, 0)
    assert r.status_counts[DONE_ON_TIME] == 28  # those done in January are not done by the cut-off
    path = write_report(r, tmp_path / "tra-vinh-2025.docx")
    doc = Document(str(path))
    issuer, motto, number, place = heading(doc)
    assert issuer == "ỦY BAN NHÂN DÂN\nTỈNH VĨNH LONG"
    assert number == "Số:      /BC-UBND"
    assert place == "Vĩnh Long, ngày 12 tháng 01 năm 2026"
    body = texts(doc)
    # the old names only where history needs them
    intro = next(
        t for t in body if t.startswith("Thực hiện Kế hoạch hành động ban hành kèm theo Quyết định số 77/QĐ-UBND")
    )
    assert "của Ủy ban nhân dân tỉnh Trà Vinh (nay là Ủy ban nhân dân tỉnh Vĩnh Long)" in intro
    assert ", Ủy ban nhân dân tỉnh Vĩnh Long báo cáo kết quả thực hiện năm 2025" in intro
    summary = next(t for t in body if t.startswith("Tổng số 83 nhiệm vụ"))
    assert (
        f"0 nhiệm vụ đang thực hiện trong hạn; {r.status_counts[OVERDUE]} nhiệm vụ chưa hoàn thành, quá hạn" in summary
    )
    recipients, signature = signature_block(doc)
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu: VT, TH."
    names = [x[2:-1] for x in recipients[1:]]
    assert names[:2] == ["Văn phòng Chính phủ", "Bộ Tài chính"]  # the ministry that synthesizes 01/NQ-CP now
    assert "Thường trực Hội đồng nhân dân tỉnh" in names  # the plan implements 82/NQ-HĐND
    assert not any("Kế hoạch và Đầu tư" in n or "Trà Vinh" in n for n in names)
    assert "Ủy ban nhân dân tỉnh Vĩnh Long" not in names and "Ủy ban nhân dân tỉnh" not in names
    assert "Ủy ban nhân dân các xã, phường" in names  # no districts after 1 July 2025
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    # reports owed by the bodies existing at the cut-off, to the bodies existing then
    owing = [(m.department, m.recipient or "") for m in r.missing]
    assert owing and not any(fold(name) in fold(" ".join(x)) for x in owing for name in MERGED)
    assert docx_counts(doc) == official(register_counts(db, tra_vinh, cutoff))
    groups = assert_wording(doc)
    assert len(groups) == 13 and groups[-1].startswith("n) ")  # a b c d đ e g h i k l m n
    totals = next(t for t in doc.tables if t.rows[0].cells[1].text == "Đơn vị chủ trì").rows[-1]
    assert [c.text for c in totals.cells][1:7] == [
        "Cả kế hoạch",
        "83",
        str(r.status_counts[DONE_ON_TIME]),
        "0",
        "0",
        str(r.status_counts[OVERDUE]),
    ]
    if HAVE_PDF:
        pdf = render(path, "case1-tra-vinh-2025")
        pages = pdf_text(pdf)
        assert "TỈNH VĨNH LONG" in pages[0] and "Vĩnh Long, ngày 12 tháng 01 năm 2026" in pages[0]
        assert "Lưu: VT, TH." in pages[-1] and "TM. ỦY BAN NHÂN DÂN" in pages[-1]


# --- 2. a party plan ------------------------------------------------------------------------------


def test_a_party_plan_follows_the_partys_layout(db, tmp_path: Path) -> None:  # noqa: ANN001
    plan_id = db.ingest(load_plan("003_230a64e200d485dd.json")).plan_id
    options = ReportOptions(report_date=date(2026, 7, 10), signer_name="Nguyễn Thanh Nhân")
    r = build_report(db, plan_id, "2026-Q2", options=options)
    assert r.status_counts == register_counts(db, plan_id, date(2026, 6, 30))
    path = write_report(r, tmp_path / "tinh-uy.docx")
    doc = Document(str(path))
    issuer, motto, number, place = heading(doc)
    assert issuer == "TỈNH ỦY AN GIANG\n*"
    assert motto == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert number == "Số      -BC/TU"
    assert place == "An Giang, ngày 10 tháng 7 năm 2026"
    recipients, signature = signature_block(doc)
    assert signature == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Nguyễn Thanh Nhân"]
    assert recipients[1:3] == ["- Ban Bí thư (để báo cáo),", "- Văn phòng Trung ương Đảng,"]
    assert recipients[-1] == "- Lưu Văn phòng Tỉnh ủy."
    assert all(line.endswith(",") for line in recipients[1:-1])
    assert not any(x[2:-1] == "Ban Thường vụ Tỉnh ủy" for x in recipients)  # never the issuer
    body = "\n".join(texts(doc)) + "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "ỦY BAN NHÂN DÂN" not in body and "CỘNG HÒA XÃ HỘI" not in body
    # a group named twice in the plan (as a heading and as an appendix's group) is one group
    groups = [t for t in texts(doc) if t[:3] in ("a) ", "b) ", "c) ", "d) ", "đ) ", "e) ", "g) ")]
    assert groups and groups[5].startswith("e) ")
    assert sum("hoàn thiện thể chế phát triển đồng bộ" in t.lower() for t in texts(doc) if t[1:3] == ") ") == 1
    assert_wording(doc)
    assert docx_counts(doc) == official(register_counts(db, plan_id, date(2026, 6, 30)))
    # a plan with no number is named by what it implements, in the closing too
    assert (
        "Trên đây là báo cáo của Ban Thường vụ Tỉnh ủy An Giang về kết quả quý II năm 2026 thực hiện "
        "Kế hoạch thực hiện Kết luận số 18-KL/TW" in "\n".join(texts(doc))
    )
    if HAVE_PDF:
        pages = pdf_text(render(path, "case2-tinh-uy-an-giang"))
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in pages[0] and "T/M BAN THƯỜNG VỤ" in pages[-1]


# --- 3. a vice chair's signature, through the command line ----------------------------------------


def test_a_vice_chair_signs_for_the_chair(db_url: str, db, tra_vinh: int, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "pct.docx"
    res = CliRunner().invoke(
        app,
        [
            "report",
            str(tra_vinh),
            "-p",
            "2025-Q3",
            "-o",
            str(out),
            "--db",
            db_url,
            "--date",
            "10/10/2025",
            "--number",
            "215/BC-UBND",
            "--signer-title",
            "Phó Chủ tịch",
            "--signer",
            "Nguyễn Quỳnh Thiện",
            "--recipient",
            "Văn phòng Chính phủ",
            "--recipient",
            "Ủy ban nhân dân tỉnh Vĩnh Long",  # the issuer itself: left out
            "--recipient",
            "Bộ Tài chính",
            "--filing",
            "KT",
        ],
    )
    assert res.exit_code == 0, res.output
    doc = Document(str(out))
    issuer, _, number, place = heading(doc)
    assert (issuer, number, place) == (
        "ỦY BAN NHÂN DÂN\nTỈNH VĨNH LONG",
        "Số: 215/BC-UBND",
        "Vĩnh Long, ngày 10 tháng 10 năm 2025",
    )
    recipients, signature = signature_block(doc)
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Quỳnh Thiện"]
    assert recipients == ["Nơi nhận:", "- Văn phòng Chính phủ;", "- Bộ Tài chính;", "- Lưu: VT, KT."]
    # the cut-off is the report's date when it comes before the period's end
    assert any("số liệu tính đến hết ngày 30/09/2025" in t for t in texts(doc))
    assert docx_counts(doc) == official(register_counts(db, tra_vinh, date(2025, 9, 30)))
    assert_wording(doc)
    if HAVE_PDF:
        pages = pdf_text(render(out, "case3-pho-chu-tich"))
        assert all(
            x in pages[-1] for x in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Quỳnh Thiện")
        )


# --- 4. a quarter with done, late, overdue, conditional and recurring tasks ------------------------


def quarter_plan() -> dict:
    def task(text: str, lead: str, due: str | None, *, recurring: bool = False, condition: str | None = None) -> dict:
        by = f"Trước ngày {date.fromisoformat(due):%d/%m/%Y}" if due else ""
        written = "Thường xuyên" if recurring else condition or by
        deadline = {"text": written, "due": due, "recurring": recurring, "condition": condition}
        return {
            "section": "Nhiệm vụ trọng tâm",
            "text": text,
            "lead": [lead],
            "coordinate": [],
            "monitor": [],
            "deadline": deadline,
        }

    return {
        "format": "plan/v1",
        "source": "quy.txt",
        "document": {
            "doc_type": "KẾ HOẠCH",
            "number": "12/KH-UBND",
            "issuer": "Ủy ban nhân dân tỉnh Vĩnh Long",
            "province": "Vĩnh Long",
            "issued_date": "2026-01-15",
            "title": "Cải thiện môi trường đầu tư kinh doanh năm 2026",
            "implements": [],
            "signer_name": None,
            "signer_title": "Chủ tịch",
            "growth_target": None,
        },
        "tasks": [
            task("Ban hành quy chế phối hợp một cửa liên thông", "Sở Tài chính", "2026-05-31"),  # done on time
            task("Số hóa hồ sơ đất đai giai đoạn 1", "Sở Nông nghiệp và Môi trường", "2026-04-30"),  # done late
            task("Công bố bộ thủ tục hành chính mới", "Văn phòng Ủy ban nhân dân tỉnh", "2026-06-15"),  # overdue
            task("Tổ chức hội nghị đối thoại doanh nghiệp", "Sở Công Thương", "2026-06-30"),  # due the last day
            task("Đánh giá chỉ số năng lực cạnh tranh", "Sở Tài chính", "2026-09-30"),  # in term
            task(
                "Sửa đổi quy chế sau khi Bộ ban hành thông tư",
                "Sở Tư pháp",
                None,
                condition="sau khi Bộ Tư pháp ban hành thông tư",
            ),
            task("Rà soát thủ tục hành chính", "Sở Nội vụ", None, recurring=True),
        ],
        "indicators": [],
        "scenarios": [],
        "reporting": [],
    }


QUARTER_RECIPIENTS = [
    "Chủ tịch, các Phó Chủ tịch Ủy ban nhân dân tỉnh",
    "Sở Tài chính",
    "Sở Nông nghiệp và Môi trường",
    "Sở Công Thương",
    "Sở Tư pháp",
    "Sở Nội vụ",
]


def test_a_quarter_counts_each_task_the_official_way(db, tmp_path: Path) -> None:  # noqa: ANN001
    plan_id = db.ingest(quarter_plan()).plan_id
    t = {x["text"][:20]: x["id"] for x in db.tasks(plan=plan_id)}
    db.update_task(
        t["Ban hành quy chế phố"], actor="STC", state="done", product_number="5/QĐ-UBND", on=date(2026, 5, 20)
    )
    db.update_task(
        t["Số hóa hồ sơ đất đai"], actor="SNNMT", state="done", product_number="7/BC-SNNMT", on=date(2026, 5, 10)
    )
    db.update_task(
        t["Công bố bộ thủ tục h"],
        actor="VP",
        state="in_progress",
        percent=80,
        on=date(2026, 6, 10),
        narrative="Đã trình dự thảo quyết định công bố.",
        difficulties="Chờ ý kiến các sở.",
    )
    db.update_task(t["Tổ chức hội nghị đối"], actor="SCT", state="in_progress", percent=90, on=date(2026, 6, 25))
    # a note dated after the quarter is not the quarter's
    db.update_task(
        t["Tổ chức hội nghị đối"],
        actor="SCT",
        state="in_progress",
        percent=95,
        on=date(2026, 7, 3),
        narrative="Đã gửi giấy mời doanh nghiệp.",
        proposals="Đề nghị bố trí hội trường.",
    )
    options = ReportOptions(report_date=date(2026, 7, 6))
    r = build_report(db, plan_id, "2026-Q2", options=options)
    assert r.status_counts == {DONE_ON_TIME: 1, DONE_LATE: 1, OVERDUE: 2, IN_PROGRESS: 1, WAITING: 1, RECURRING: 1}
    assert r.status_counts == register_counts(db, plan_id, date(2026, 6, 30))
    assert {o.text[:20]: o.days_overdue for o in r.overdue} == {"Công bố bộ thủ tục h": 15, "Tổ chức hội nghị đối": 0}
    assert [w.text for w in r.waiting] == ["Sửa đổi quy chế sau khi Bộ ban hành thông tư"]
    assert not r.proposals  # dated 3 July
    assert [u.text[:20] for u in r.upcoming] == ["Đánh giá chỉ số năng"]  # due in the third quarter
    assert (r.reports_due, r.missing) == (0, [])  # the plan sets no reporting duty: said so, not "all sent"
    path = write_report(r, tmp_path / "q2.docx")
    doc = Document(str(path))
    body = texts(doc)
    summary = next(x for x in body if x.startswith("Tổng số 7 nhiệm vụ"))
    assert (
        "2 nhiệm vụ đã hoàn thành (1 nhiệm vụ đúng hạn, 1 nhiệm vụ quá hạn); 1 nhiệm vụ đang thực hiện trong hạn; "
        in summary
    )
    assert (
        "2 nhiệm vụ chưa hoàn thành, quá hạn; 1 nhiệm vụ chờ điều kiện" in summary
        and "1 nhiệm vụ thực hiện thường xuyên" in summary
    )
    assert not any("Đã gửi giấy mời" in x or "hội trường" in x for x in body)
    assert docx_counts(doc) == official(register_counts(db, plan_id, date(2026, 6, 30)))
    assert heading(doc)[0::2] == ("ỦY BAN NHÂN DÂN\nTỈNH VĨNH LONG", "Số:      /BC-UBND")
    assert heading(doc)[3] == "Vĩnh Long, ngày 06 tháng 7 năm 2026"
    recipients, signature = signature_block(doc)
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]  # who signed the plan
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu: VT, TH."
    # the plan implements nothing higher: the province's leaders and the lead departments (the
    # committee's own office files it: not a recipient)
    assert [x[2:-1] for x in recipients[1:-1]] == QUARTER_RECIPIENTS
    assert_wording(doc)
    assert "Trong kỳ không có báo cáo nào đến hạn theo chế độ báo cáo của kế hoạch." in body
    # the task waiting on a condition named apart, with its condition
    assert "- Sửa đổi quy chế sau khi Bộ ban hành thông tư (Sở Tư pháp; sau khi Bộ Tư pháp ban hành thông tư)." in body
    assert any(
        x.startswith("- Văn phòng Ủy ban nhân dân tỉnh (nhiệm vụ “Công bố bộ thủ tục hành chính mới”): Chờ ý kiến")
        for x in body
    )
    # One cut-off: a figure recorded later for a later period changes nothing here.
    before = "\n".join(body)
    db.update_task(
        t["Đánh giá chỉ số năng"],
        actor="STC",
        state="done",
        product_number="9/BC-STC",
        on=date(2026, 7, 20),
        narrative="Đã hoàn thành đánh giá.",
    )
    again = build_report(db, plan_id, "2026-Q2", options=options)
    assert "\n".join(texts(Document(str(write_report(again, tmp_path / "q2-again.docx"))))) == before
    if HAVE_PDF:
        pages = pdf_text(render(path, "case4-quy-ii"))
        assert "2 nhiệm vụ chưa hoàn thành, quá hạn" in " ".join(pages) and "CHỦ TỊCH" in pages[-1]
    wb = load_workbook(write_report(r, tmp_path / "q2.xlsx"))
    group = wb[wb.sheetnames[-1]]
    statuses = [row[5] for row in group.iter_rows(min_row=2, values_only=True) if isinstance(row[0], int)]
    assert sorted(statuses) == sorted(
        [
            "Hoàn thành đúng hạn",
            "Hoàn thành quá hạn",
            "Chưa hoàn thành, quá hạn",
            "Chưa hoàn thành, quá hạn",
            "Đang thực hiện trong hạn",
            "Chờ điều kiện",
            "Thường xuyên",
        ]
    )


# --- 5. a department that has not reported ---------------------------------------------------------


def reporting_plan() -> dict:
    plan = quarter_plan()
    plan["document"] |= {
        "number": "20/KH-UBND",
        "title": "Phát triển công nghiệp năm 2025",
        "issued_date": "2025-01-10",
    }
    plan["document"] |= {"issuer": "Ủy ban nhân dân tỉnh Trà Vinh", "province": "Trà Vinh"}
    leads = ["Sở Y tế", "Sở Xây dựng", "Sở Công Thương", "Sở Kế hoạch và Đầu tư"]
    for t, lead in zip(plan["tasks"], leads * 2, strict=False):
        t["lead"] = [lead]
        t["deadline"] = {"text": "Năm 2025", "due": "2025-12-31", "recurring": False, "condition": None}
    plan["tasks"] = plan["tasks"][:4]
    plan["reporting"] = [
        {
            "reporters": ["Các sở, ban, ngành"],
            "recipient": "Sở Kế hoạch và Đầu tư",
            "frequency": "monthly",
            "deadlines": [],
            "text": "Các sở, ban, ngành báo cáo hằng tháng trước ngày 20 gửi Sở Kế hoạch và Đầu tư tổng hợp.",
        }
    ]
    return plan


def test_a_department_that_has_not_reported(db_url: str, db, tmp_path: Path) -> None:  # noqa: ANN001
    plan_id = db.ingest(reporting_plan()).plan_id
    duty = db.duties(plan=plan_id)[0]["id"]
    # The group duty is owed by each department leading the plan's tasks (Sở Kế hoạch và Đầu tư's
    # merged into Sở Tài chính, the recipient: it owes itself nothing), as the bodies existing then.
    assert db.owed_by(duty, date(2025, 4, 20)) == ["Sở Y tế", "Sở Xây dựng", "Sở Công Thương"]
    runner = CliRunner()
    for month, agency, on in [
        ("2025-04", "Sở Y tế", "18/04/2025"),
        ("2025-05", "Sở Y tế", "19/05/2025"),
        ("2025-06", "Sở Y tế", "20/06/2025"),
        ("2025-04", "Sở Xây dựng", "25/04/2025"),  # late
        ("2025-06", "Sở Xây dựng", "16/06/2025"),
    ]:
        res = runner.invoke(
            app, ["submit", str(duty), month, "--agency", agency, "--on", on, "--db", db_url, "--by", "vp"]
        )
        assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["submit", str(duty), "2025-04", "--agency", "Sở Tư pháp", "--db", db_url, "--by", "vp"])
    assert res.exit_code != 0 and "Sở Công Thương" in res.output  # not one of those who owe it: says who does
    calendar = db.calendar(date(2025, 4, 1), date(2025, 6, 30), as_of=date(2025, 6, 30), plan=plan_id)
    assert {(c["agency"], c["period"]): c["state"] for c in calendar} == {
        ("Sở Y tế", "2025-04"): "đúng hạn",
        ("Sở Y tế", "2025-05"): "đúng hạn",
        ("Sở Y tế", "2025-06"): "đúng hạn",
        ("Sở Xây dựng", "2025-04"): "trễ hạn",
        ("Sở Xây dựng", "2025-05"): "quá hạn",
        ("Sở Xây dựng", "2025-06"): "đúng hạn",
        ("Sở Công Thương", "2025-04"): "quá hạn",
        ("Sở Công Thương", "2025-05"): "quá hạn",
        ("Sở Công Thương", "2025-06"): "quá hạn",
    }
    assert {c["recipient"] for c in calendar} == {"Sở Tài chính"}  # not the merged Sở Kế hoạch và Đầu tư
    r = build_report(db, plan_id, "2025-Q2", options=ReportOptions(report_date=date(2025, 7, 2)))
    assert [(m.department, m.missing, m.late, m.group) for m in r.missing] == [
        ("Sở Công Thương", ("2025-04", "2025-05", "2025-06"), (), "Các sở, ban, ngành"),
        ("Sở Xây dựng", ("2025-05",), ("2025-04",), "Các sở, ban, ngành"),
    ]
    doc = Document(str(write_report(r, tmp_path / "bao-cao.docx")))
    sentence = next(t for t in texts(doc) if t.startswith("Có 2 đơn vị chưa thực hiện đúng chế độ báo cáo"))
    assert "Sở Công Thương (chưa gửi báo cáo tháng 4-6/2025)" in sentence
    assert "Sở Xây dựng (chưa gửi báo cáo tháng 5/2025; gửi chậm báo cáo tháng 4/2025)" in sentence
    rows = [
        [c.text for c in row.cells] for row in next(t for t in doc.tables if t.rows[0].cells[1].text == "Đơn vị").rows
    ]
    assert rows[1][:2] == ["1", "Sở Công Thương (thuộc các sở, ban, ngành)"]
    assert "Sở Y tế" not in "\n".join(r[1] for r in rows)
    issuer, _, _, place = heading(doc)
    assert issuer == "ỦY BAN NHÂN DÂN\nTỈNH VĨNH LONG" and place == "Vĩnh Long, ngày 02 tháng 7 năm 2025"
    recipients, signature = signature_block(doc)
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    # the duty's recipient as it is now (Sở Kế hoạch và Đầu tư merged into Sở Tài chính), never the issuer
    assert [x[2:-1] for x in recipients[1:]] == [
        "Chủ tịch, các Phó Chủ tịch Ủy ban nhân dân tỉnh",
        "Sở Tài chính",
        "Sở Y tế",
        "Sở Xây dựng",
        "Sở Công Thương",
        "Lưu: VT, TH",
    ]
    assert docx_counts(doc) == official(register_counts(db, plan_id, date(2025, 6, 30)))
    assert_wording(doc)
    if HAVE_PDF:
        pdf = write_report(r, tmp_path / "bao-cao.pdf")
        pages = pdf_text(render(pdf, "case5-chua-bao-cao"))
        assert any("Sở Công Thương" in p and "chưa gửi báo cáo" in p for p in pages)
