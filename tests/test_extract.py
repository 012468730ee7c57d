"""Extraction end to end: documents in, plan/v1 out, scored against the hand-checked gold."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kehoach.cli import app
from kehoach.extract import extract
from kehoach.extract.indicators import targets
from kehoach.extract.unlayout import is_layout, unlayout
from kehoach.read import Source

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "kehoach" / "data" / "samples"
QUALITY_BAR = {  # issue 11: the macro averages extraction must keep, on the development set and on plans it never saw
    "task_f1": 0.95,
    "text_exact": 0.95,
    "section": 0.92,
    "lead": 0.92,
    "coordinate": 0.88,
    "monitor": 0.92,
    "deadline": 0.93,
    "indicator_f1": 0.90,
    "target_f1": 0.85,
    "scenario": 1.00,
    "reporting": 0.80,
    "document": 0.92,
}
GOLD = SHARED / "eval" / "gold"


def extract_plan(name: str, text: str) -> dict:
    """The plan/v1 dict (with its review keys) extraction gives for a text."""
    return extract(Source(name, text)).as_dict()


def _t(comparator: str, value=None, lo=None, hi=None, unit=None) -> tuple:
    return (comparator, value, lo, hi, unit)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tăng trưởng GRDP đạt 7,0 - 7,5%. Trong đó: nông nghiệp tăng 2,43%; dịch vụ tăng 7,44%",
            [_t("range", None, 7.0, 7.5, "%"), _t("=", 2.43, unit="%"), _t("=", 7.44, unit="%")],
        ),
        (
            "GRDP bình quân đầu người đạt 101 triệu đồng/người/năm, tương đương 4.302 USD",
            [_t("=", 101, unit="triệu đồng/người/năm"), _t("=", 4302, unit="USD")],
        ),
        (
            "Tổng sản phẩm trên địa bàn (GRDP) đến năm 2030 đạt 616.565,83 tỷ đồng",
            [_t("=", 616565.83, unit="tỷ đồng")],
        ),
        ("Tốc độ tăng trưởng GRDP bình quân 5 năm đạt từ 11% trở lên", [_t(">=", 11, unit="%")]),
        (
            "Có trên 98% xã, phường, thị trấn vững mạnh về quốc phòng, an ninh.",
            [_t(">", 98, unit="%")],
        ),
        (
            "Tỷ lệ hộ nghèo duy trì mức giảm bình quân 0,3 - 0,5%/năm",
            [_t("range", None, 0.3, 0.5, "%/năm")],
        ),
        ("Số giường bệnh trên 10.000 dân đạt 35 giường", [_t("=", 35, unit="giường")]),
        (
            "Chỉ số cải cách hành chính (PAR Index) xếp hạng 11/34 trên cả nước",
            [_t("=", 11, unit="/34")],
        ),
        ("≤2,7", [_t("<=", 2.7)]),
        ("< 3", [_t("<", 3)]),
    ],
)
def test_targets(text: str, expected: list[tuple]) -> None:
    got = [(t.comparator, t.value, t.min, t.max, t.unit) for t in targets(text)]
    assert got == expected


def test_layout_text_reads_columns_one_after_the_other() -> None:
    text = (
        "  ỦY BAN NHÂN DÂN              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "  TỈNH VĨNH LONG                       Độc lập - Tự do - Hạnh phúc\n\n"
        "   Số: 12   /KH-UBND              Vĩnh Long, ngày 05 tháng 3 năm 2026\n\n"
        "                                KẾ HOẠCH\n"
        "          Triển khai thực hiện Nghị quyết số 66-NQ/TW ngày 30/4/2025\n\n"
        "     I. NHIỆM VỤ\n"
        "     1. Sở Tư pháp chủ trì, phối hợp với các sở, ban, ngành rà soát văn bản quy phạm\n"
        "pháp luật của tỉnh.\n"
        "     2. Sở Nội vụ chủ trì sắp xếp tổ chức bộ máy.\n"
        "                                        2\n"
    )
    assert is_layout(text)
    lines = unlayout(text).splitlines()
    # the heading block's left column (issuer, number) first, then its right (motto, place and date)
    assert lines[:6] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH VĨNH LONG",
        "Số: 12   /KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Vĩnh Long, ngày 05 tháng 3 năm 2026",
    ]
    assert (
        "1. Sở Tư pháp chủ trì, phối hợp với các sở, ban, ngành rà soát văn bản quy phạm pháp luật của tỉnh."
    ) in lines
    assert "2" not in lines
    plan = extract_plan("layout.txt", text)
    assert plan["document"]["number"] == "12/KH-UBND"
    assert plan["document"]["issued_date"] == "2026-03-05"
    assert [t["lead"] for t in plan["tasks"]] == [["Sở Tư pháp"], ["Sở Nội vụ"]]


NUMBERED = """ỦY BAN NHÂN DÂN
TỈNH VĨNH LONG
Số: 45/KH-UBND
Vĩnh Long, ngày 12 tháng 3 năm 2026
KẾ HOẠCH
Triển khai thực hiện Nghị quyết số 66-NQ/TW của Bộ Chính trị
II. NHIỆM VỤ CỤ THỂ
1. Hoàn thiện thể chế
1.1. Sở Tư pháp: Chủ trì, phối hợp với các sở, ban, ngành rà soát văn bản quy phạm pháp luật.
Thời gian thực hiện: Quý II/2026.
1.2. Sở Nội vụ: Chủ trì, phối hợp với Sở Tài chính xây dựng đề án sắp xếp đơn vị sự nghiệp.
Thời gian thực hiện: Tháng 9/2026.
Chủ trì tổ chức hội nghị sơ kết việc thực hiện đề án.
Thời gian thực hiện: Quý IV/2026.
III. TỔ CHỨC THỰC HIỆN
1. Các sở, ban, ngành định kỳ hằng quý (trước ngày 15 của tháng cuối quý) báo cáo kết quả về Sở Tư pháp.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn Bình
"""


def test_numbered_items_closed_by_their_deadline_line() -> None:
    plan = extract_plan("numbered.txt", NUMBERED)
    tasks = plan["tasks"]
    assert [(t["lead"], t["coordinate"], t["deadline"]["due"]) for t in tasks] == [
        (["Sở Tư pháp"], ["Các sở, ban, ngành"], "2026-06-30"),
        (["Sở Nội vụ"], ["Sở Tài chính"], "2026-09-30"),
        (
            ["Sở Nội vụ"],
            ["Sở Tài chính"],
            "2026-12-31",
        ),  # an item with two deadline lines: two tasks
    ]
    assert tasks[0]["text"].startswith("Sở Tư pháp: Chủ trì")
    assert tasks[0]["section"] == "Hoàn thiện thể chế"
    [duty] = plan["reporting"]
    assert duty["recipient"] == "Sở Tư pháp" and duty["frequency"] == "quarterly"
    assert duty["deadlines"] == []  # the 15th of each quarter's last month is a day rule, no calendar date
    doc = plan["document"]
    assert (doc["signer_name"], doc["signer_title"], doc["province"]) == (
        "Nguyễn Văn Bình",
        "Phó Chủ tịch",
        "Vĩnh Long",
    )


def _score_module():
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        pytest.skip(f"{path} is absent: the gold answers live beside the checkout in ../shared")
    spec = importlib.util.spec_from_file_location("score", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def assert_meets(inputs: list[Path], bar: dict[str, float], tmp_path: Path, keys: Path = GOLD) -> None:
    """Extract `inputs` with the CLI and score them against their keys (`keys/<stem>.json`): each
    macro average must meet `bar` (score.py exits 1 otherwise, printing the table)."""
    _score_module()
    out, gold = tmp_path / "out", tmp_path / "gold"
    gold.mkdir()
    result = CliRunner().invoke(app, ["extract", *map(str, inputs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    for f in inputs:
        (gold / f"{f.stem}.json").write_text((keys / f"{f.stem}.json").read_text("utf-8"))
    args = [sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(gold), "--pred", str(out), "--min"]
    run = subprocess.run(args + [f"{k}={v}" for k, v in bar.items()], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def development_set() -> list[Path]:
    """Every document with an answer key in ../shared/eval/gold: the seeds and the real files."""
    found = []
    for key in sorted(GOLD.glob("*.json")):
        name = json.loads(key.read_text("utf-8"))["source"]
        found += [d / name for d in (SHARED / "seeds", SHARED / "docs") if (d / name).exists()]
    return found


def test_the_development_set_meets_the_quality_bar(tmp_path: Path) -> None:
    """The whole development set (seed texts, PDFs, DOCX), not only the seeds, at issue 11's bar."""
    _score_module()
    inputs = development_set()
    assert len(inputs) >= 8, inputs
    assert_meets(inputs, QUALITY_BAR, tmp_path)


def test_cli_reports_bad_files_and_goes_on(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    not_a_plan = tmp_path / "note.txt"
    not_a_plan.write_text("Xin chào.\n")
    good = SAMPLES / "003_230a64e200d485dd.txt"
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["extract", str(empty), str(not_a_plan), str(good), "--out", str(out)])
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "note.txt" in result.output
    assert [p.name for p in out.iterdir()] == ["003_230a64e200d485dd.json"]
    plan = json.loads((out / "003_230a64e200d485dd.json").read_text("utf-8"))
    assert plan["format"] == "plan/v1" and len(plan["tasks"]) > 100


def test_cli_prints_one_plan_to_stdout() -> None:
    result = CliRunner().invoke(app, ["extract", str(SAMPLES / "002_23dbc6410858588b.txt")])
    assert result.exit_code == 0
    plan = json.loads(result.output)
    assert plan["document"]["number"] == "77/QĐ-UBND"
    assert [s["columns"] for s in plan["scenarios"]][0][:2] == ["Quý I", "Quý II"]


DEPARTMENT_PLAN = """UBND TỈNH LÀO CAI
SỞ CÔNG THƯƠNG
Số: /KH-SCT
Lào Cai, ngày   tháng 4 năm 2026
KẾ HOẠCH
Thực hiện Đề án số 08 về phát triển công nghiệp giai đoạn 2026-2030
II. NHIỆM VỤ VÀ GIẢI PHÁP
1. Tái cơ cấu ngành công nghiệp
- Tham mưu UBND tỉnh xây dựng chính sách thu hút các dự án công nghiệp.
- Đôn đốc, hướng dẫn doanh nghiệp chuyển đổi mô hình sản xuất.
Lãnh đạo phụ trách: Phó giám đốc Hoàng Văn Thuân.
Đơn vị chủ trì: Phòng Quản lý Công nghiệp; Đơn vị phối hợp: Phòng Quản lý Năng lượng, Văn phòng Sở.
III. CHẾ ĐỘ BÁO CÁO
Các phòng, đơn vị báo cáo tình hình thực hiện về Phòng Kế hoạch - Tổng hợp trước ngày 18 hằng tháng.
"""


def test_a_departments_own_plan() -> None:
    plan = extract_plan("sct.txt", DEPARTMENT_PLAN)
    doc = plan["document"]
    assert (doc["issuer"], doc["number"], doc["issued_date"]) == ("Sở Công Thương tỉnh Lào Cai", None, None)
    # the assignment after the bullets applies to them; the person in charge is no task
    assert [(t["lead"], t["coordinate"]) for t in plan["tasks"]] == [
        (["Phòng Quản lý Công nghiệp"], ["Phòng Quản lý Năng lượng", "Văn phòng Sở"])
    ] * 2
    # a reporting regime section holds reporting duties, not tasks
    [duty] = plan["reporting"]
    assert (duty["reporters"], duty["recipient"], duty["frequency"]) == (
        ["Các đơn vị thuộc Sở"],
        "Phòng Kế hoạch - Tổng hợp",
        "monthly",
    )
    assert duty["deadlines"] == []  # a day of every month names no calendar date


def test_broken_pdf_font_and_glued_syllables() -> None:
    text = (
        "KẾ HOẠCH\nThực hiện Nghị quyết số 01/NQ-CP\nII. NHIỆM VỤ VÀ GIẢI PHÁP\n"
        "1. Sở Tài chính chủ trì, phối hợp với các sở, ngành ñôn ñốc thu hồi nợ ñọng thuế theoquy ñịnh.\n"
        "2. Sở Y tế chủ trì tăng cường công tác y tế cơsở; ðẩy mạnh chuyển ñổi số trong năm2026.\n"
    )
    tasks = extract_plan("broken.txt", text)["tasks"]
    assert [t["text"] for t in tasks] == [
        "Sở Tài chính chủ trì, phối hợp với các sở, ngành đôn đốc thu hồi nợ đọng thuế theo quy định.",
        "Sở Y tế chủ trì tăng cường công tác y tế cơ sở; Đẩy mạnh chuyển đổi số trong năm 2026.",
    ]
    assert [t["lead"] for t in tasks] == [["Sở Tài chính"], ["Sở Y tế"]]


def test_bulleted_indicators_under_an_indicator_heading() -> None:
    text = (
        "KẾ HOẠCH\nPhát triển kinh tế - xã hội năm 2026\nII. MỤC TIÊU, CHỈ TIÊU\n1. Mục tiêu tổng quát\n"
        "Phấn đấu phát triển nhanh, bền vững; tăng trưởng 8%.\n2. Các chỉ tiêu chủ yếu\n"
        "- Tốc độ tăng trưởng GRDP đạt 8% trở lên;\n- Thu ngân sách nhà nước đạt 12.500 tỷ đồng.\n"
    )
    inds = extract_plan("targets.txt", text)["indicators"]
    assert [(i["group"], i["year"]) for i in inds] == [("Các chỉ tiêu chủ yếu", "2026")] * 2
    assert [[(t["name"], t["comparator"], t["value"], t["unit"]) for t in i["targets"]] for i in inds] == [
        [("Tốc độ tăng trưởng GRDP", ">=", 8, "%")],
        [("Thu ngân sách nhà nước", "=", 12500, "tỷ đồng")],
    ]


def test_a_broken_pdf_extraction_scores_like_the_clean_text(tmp_path: Path) -> None:
    """The seed as a broken PDF font prints it: every đ/Đ as ñ/ð, and spaces lost after
    syllables; extraction must repair it and still meet the bar on that document."""
    _score_module()
    seed = SHARED / "seeds" / "003_230a64e200d485dd.txt"
    words = seed.read_text("utf-8").replace("đ", "ñ").replace("Đ", "ð").split(" ")
    glued = "".join(w + ("" if i % 9 == 4 and w[-1:].isalpha() else " ") for i, w in enumerate(words))
    broken = tmp_path / "broken" / seed.name
    broken.parent.mkdir()
    broken.write_text(glued, "utf-8")
    bar = {"task_f1": 0.97, "text_exact": 0.85, "lead": 0.95, "deadline": 0.95, "document": 0.9}
    assert_meets([broken], bar, tmp_path)


def test_fields_written_inside_the_item() -> None:
    """A hard-wrapped `Thời gian thực hiện:` line joined to the item it closes, and fields inline."""
    text = (
        "KẾ HOẠCH\nThực hiện Nghị quyết\nII. NHIỆM VỤ\n1. Hoàn thiện thể chế\n"
        "1.1. Sở Tư pháp: Chủ trì, phối hợp với các sở, ban, ngành rà soát văn bản. "
        "Thời gian thực hiện: Quý II/2026.\n"
        "1.2. Rà soát thủ tục hành chính; Đơn vị chủ trì: Sở Nội vụ; Đơn vị phối hợp: Sở Tư pháp; "
        "Thời hạn: Tháng 9/2026.\n"
    )
    tasks = extract_plan("inline.txt", text)["tasks"]
    assert [(t["text"], t["lead"], t["coordinate"], t["deadline"]["due"]) for t in tasks] == [
        (
            "Sở Tư pháp: Chủ trì, phối hợp với các sở, ban, ngành rà soát văn bản.",
            ["Sở Tư pháp"],
            ["Các sở, ban, ngành"],
            "2026-06-30",
        ),
        ("Rà soát thủ tục hành chính", ["Sở Nội vụ"], ["Sở Tư pháp"], "2026-09-30"),
    ]


def test_organisation_headings_name_their_addressees() -> None:
    text = (
        "KẾ HOẠCH\nTổ chức Festival\nIII. TỔ CHỨC THỰC HIỆN\n1. Liên hiệp các tổ chức hữu nghị thành phố\n"
        "- Phối hợp với Sở Văn hóa và Thể thao mời các đoàn nghệ thuật quốc tế.\n"
        "2. UBND các phường: Ba Đình, Hoàn Kiếm\n- Bảo đảm vệ sinh môi trường tại các điểm tổ chức.\n"
        "3. Về công tác tuyên truyền\n- Đẩy mạnh tuyên truyền trên báo chí.\n"
    )
    tasks = extract_plan("festival.txt", text)["tasks"]
    assert [(t["section"], t["lead"]) for t in tasks] == [
        ("TỔ CHỨC THỰC HIỆN", ["Liên hiệp các tổ chức hữu nghị thành phố"]),
        # a list of named bodies gives each body, not the collective
        ("TỔ CHỨC THỰC HIỆN", ["Ủy ban nhân dân phường Ba Đình", "Ủy ban nhân dân phường Hoàn Kiếm"]),
        ("Về công tác tuyên truyền", []),
    ]


def test_text_extracted_with_its_layout_kept(tmp_path: Path) -> None:
    """The seed printed to PDF and read back with `pdftotext -layout`: the heading block side by
    side, indented paragraphs, tables aligned with spaces and broken across pages."""
    import shutil

    _score_module()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    sys.path.insert(0, str(ROOT / "tests"))
    from docgen import make_pdf, seed_blocks, seed_text

    seed = "002_23dbc6410858588b"
    pdf = make_pdf(seed_blocks(seed_text(f"{seed}.txt")), tmp_path / f"{seed}.pdf")
    layout = tmp_path / "layout" / f"{seed}.txt"
    layout.parent.mkdir()
    subprocess.run(["pdftotext", "-layout", str(pdf), str(layout)], check=True)
    bar = {
        "task_f1": 0.95,
        "text_exact": 0.95,
        "lead": 0.95,
        "coordinate": 0.95,
        "monitor": 0.95,
        "deadline": 0.95,
        "indicator_f1": 0.95,
        "target_f1": 0.9,
    }
    assert_meets([layout], bar, tmp_path)
