"""Coverage of a parent resolution's task groups by the plans implementing it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load_plan
from openpyxl import load_workbook

from kehoach.errors import KehoachError
from kehoach.report.coverage import (
    compare_coverage,
    coverage_from_db,
    similarity,
    uncovered,
    write_coverage_xlsx,
)

GROWTH = "Ưu tiên thúc đẩy mạnh mẽ tăng trưởng kinh tế, bảo đảm các cân đối lớn"
INFRA = "Hoàn thiện hệ thống kết cấu hạ tầng chiến lược đồng bộ, hiện đại"
DEFENCE = "Củng cố tiềm lực quốc phòng, an ninh; đẩy mạnh đối ngoại, hội nhập quốc tế"


def plan(number: str, province: str, tasks: list[tuple[str, str]]) -> dict:
    return {
        "document": {"number": number, "province": province, "implements": ["01/NQ-CP"]},
        "tasks": [{"section": s, "text": t} for s, t in tasks],
    }


PARENT = plan(
    "01/NQ-CP",
    "",
    [
        (GROWTH, "Điều hành chính sách tiền tệ chủ động, linh hoạt, kịp thời, hiệu quả"),
        (GROWTH, "Đẩy mạnh giải ngân vốn đầu tư công ngay từ đầu năm"),
        (INFRA, "Hoàn thành đưa vào khai thác 3.000 km đường cao tốc"),
        (DEFENCE, "Giữ vững độc lập, chủ quyền, thống nhất, toàn vẹn lãnh thổ"),
        ("TỔ CHỨC THỰC HIỆN", "Các bộ, ngành xây dựng kế hoạch hành động"),
    ],
)
CHILD_A = plan(
    "77/KH-UBND",
    "Trà Vinh",
    [
        # The group's heading reworded: still the parent's group.
        (
            "Ưu tiên thúc đẩy mạnh mẽ tăng trưởng kinh tế gắn với giữ vững ổn định kinh tế vĩ mô",
            "Đẩy mạnh giải ngân vốn đầu tư công ngay từ đầu năm 2025",
        ),
        # The defence group split in two: both parts count for it.
        ("Tăng cường, củng cố tiềm lực quốc phòng, an ninh", "Xây dựng khu vực phòng thủ tỉnh"),
        ("Đẩy mạnh công tác đối ngoại và hội nhập quốc tế", "Tổ chức xúc tiến đầu tư tại Nhật Bản"),
        # A group of its own.
        ("Tăng cường công tác thông tin tuyên truyền", "Tuyên truyền Kế hoạch trên báo chí"),
    ],
)
CHILD_B = plan(
    "12/KH-UBND",
    "An Giang",
    [
        (INFRA, "Hoàn thành tuyến cao tốc Châu Đốc - Cần Thơ - Sóc Trăng"),
        (INFRA, "Nâng cấp quốc lộ 91"),
    ],
)


def test_similarity_ignores_case_diacritics_and_filler() -> None:
    assert similarity("Nhóm nhiệm vụ về HOÀN THIỆN thể chế", "hoan thien the che") == 1.0
    assert similarity("Phát triển văn hóa", "Quốc phòng, an ninh") == 0.0


def test_groups_by_plan_against_the_parent() -> None:
    cov = compare_coverage([CHILD_A, CHILD_B], PARENT)
    assert cov.plans == ("77/KH-UBND (Trà Vinh)", "12/KH-UBND (An Giang)")
    assert cov.reference == "01/NQ-CP"
    table = [(r.group, r.counts) for r in cov.rows]
    assert table == [
        (GROWTH, (1, 0)),
        (INFRA, (0, 2)),
        (DEFENCE, (2, 0)),  # the organisation section is not a task group
        ("Tăng cường công tác thông tin tuyên truyền", (1, 0)),
    ]
    assert (cov.covered(0), cov.covered(1)) == (3, 1)


def test_groups_without_a_parent_keep_each_plans_own_groups_apart() -> None:
    cov = compare_coverage([PARENT, CHILD_A])
    assert [r.counts for r in cov.rows] == [(2, 1), (1, 0), (1, 2), (0, 1)]


def test_parent_tasks_without_a_counterpart() -> None:
    gaps = uncovered(PARENT, CHILD_A)
    assert [g.text for g in gaps] == [
        "Điều hành chính sách tiền tệ chủ động, linh hoạt, kịp thời, hiệu quả",
        "Hoàn thành đưa vào khai thác 3.000 km đường cao tốc",
        "Giữ vững độc lập, chủ quyền, thống nhất, toàn vẹn lãnh thổ",
        "Các bộ, ngành xây dựng kế hoạch hành động",
    ]


def test_two_real_plans_share_their_groups(db, tmp_path: Path) -> None:  # noqa: ANN001
    tra_vinh = db.ingest(load_plan("002_23dbc6410858588b.json")).plan_id
    binh_duong = db.ingest(load_plan("000_9b195ff9d1fb2156.json")).plan_id
    cov, gaps = coverage_from_db(db, [tra_vinh, binh_duong])
    assert gaps == {}
    # Trà Vinh's twelve groups; Bình Dương's ten all find one of them.
    assert len(cov.rows) == 12
    assert (cov.covered(0), cov.covered(1)) == (12, 10)
    growth = next(r for r in cov.rows if r.group.startswith("Ưu tiên thúc đẩy mạnh mẽ"))
    assert growth.counts == (12, 12)
    cov, gaps = coverage_from_db(db, resolution="01/NQ-CP")
    assert cov.plans == ("77/QĐ-UBND (Trà Vinh)",)
    cov, gaps = coverage_from_db(db, [tra_vinh], parent=binh_duong)
    path = write_coverage_xlsx(cov, tmp_path / "bao-quat.xlsx", gaps)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Bao quát" and len(wb.sheetnames) == 2
    assert wb["Bao quát"]["C1"].value == "77/QĐ-UBND (Trà Vinh)"
    with pytest.raises(KehoachError, match="Không có kế hoạch"):
        coverage_from_db(db, resolution="99/NQ-CP")
