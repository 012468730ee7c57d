"""The document's identity (plan/v1 `document`) from the heading blocks of Decree 30/2020 and of
the Party's Hướng dẫn 36-HD/VPTW, typed in every way a plan arrives: invented plans, one rule each."""

from __future__ import annotations

from pathlib import Path

import pytest

from kehoach.extract import extract
from kehoach.extract.columns import cells, read_columns
from kehoach.extract.heading import heading_block, signature_line
from kehoach.extract.structure import Paragraph
from kehoach.read import Source, read_path

KIND = "KẾ HOẠCH\nTăng cường công tác phòng, chống thiên tai năm 2026\n"
BODY = "I. NHIỆM VỤ\n1. Phòng Kinh tế chủ trì rà soát các điểm sạt lở.\n"


def document(text: str) -> dict:
    return extract(Source("invented.txt", text)).as_dict()["document"]


@pytest.mark.parametrize(
    ("head", "issuer", "number", "issued"),
    [
        # a commune after the 2025 reform, its two columns parted by tabs
        (
            "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nXÃ PHÚ HÒA\tĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 31/KH-UBND\tPhú Hòa, ngày 14 tháng 7 năm 2026\n",
            "Ủy ban nhân dân xã Phú Hòa",
            "31/KH-UBND",
            "2026-07-14",
        ),
        # a ward, parted by runs of spaces, the number's digits left blank
        (
            "ỦY BAN NHÂN DÂN              CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "PHƯỜNG BẮC SƠN                   Độc lập - Tự do - Hạnh phúc\n"
            "Số:      /KH-UBND              Bắc Sơn, ngày 02 tháng 9 năm 2026\n",
            "Ủy ban nhân dân phường Bắc Sơn",
            None,
            "2026-09-02",
        ),
        # a reader that gives the two columns' lines in turn
        (
            "ỦY BAN NHÂN DÂN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nXÃ PHÚ HÒA\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 31/KH-UBND\nPhú Hòa, ngày 14 tháng 7 năm 2026\n",
            "Ủy ban nhân dân xã Phú Hòa",
            "31/KH-UBND",
            "2026-07-14",
        ),
        # the right column alone on its line, several tabs between the columns
        (
            "BỘ CÔNG THƯƠNG\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\t\tĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 207/KH-BCT\t\tHà Nội, ngày 5 tháng 1 năm 2026\n",
            "Bộ Công Thương",
            "207/KH-BCT",
            "2026-01-05",
        ),
    ],
)
def test_a_heading_block_typed_in_two_columns(head: str, issuer: str, number: str | None, issued: str) -> None:
    doc = document(head + KIND + BODY)
    assert (doc["issuer"], doc["number"], doc["issued_date"], doc["title"]) == (
        issuer,
        number,
        issued,
        "Tăng cường công tác phòng, chống thiên tai năm 2026",
    )


SIGNATURE = (
    "Nơi nhận:{g}TM. ỦY BAN NHÂN DÂN\n- Như trên;{g}KT. CHỦ TỊCH\n- Lưu: VT, KT.{g}PHÓ CHỦ TỊCH\n\n"
    "{i}(Đã ký)\n\n{i}{name}\n"
)


@pytest.mark.parametrize(
    ("gap", "indent", "name"),
    [
        ("\t", "\t", "Hoàng Thị Mai"),
        ("                                 ", "                                       ", "Lê Quốc Đạt"),
    ],
)
def test_a_signature_beside_the_recipients(gap: str, indent: str, name: str) -> None:
    head = "ỦY BAN NHÂN DÂN\nXÃ PHÚ HÒA\nSố: 31/KH-UBND\nPhú Hòa, ngày 14 tháng 7 năm 2026\n"
    doc = document(head + KIND + BODY + SIGNATURE.format(g=gap, i=indent, name=name))
    assert (doc["signer_name"], doc["signer_title"]) == (name, "Phó Chủ tịch")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ỦY BAN NHÂN DÂN\tCỘNG HÒA", ["ỦY BAN NHÂN DÂN", "CỘNG HÒA"]),
        ("Số:      /KH-UBND      Tân Lập, ngày", ["Số: /KH-UBND", "Tân Lập, ngày"]),
        ("Số:\t12/KH-UBND\tTân Lập, ngày", ["Số: 12/KH-UBND", "Tân Lập, ngày"]),
        ("Số: 12   /KH-UBND", ["Số: 12 /KH-UBND"]),
        ("Sở Y tế  chủ trì", ["Sở Y tế  chủ trì"]),  # two spaces are a typing slip, not a column
    ],
)
def test_cells_of_a_line(line: str, expected: list[str]) -> None:
    assert cells(line) == expected


def test_only_blocks_with_the_marks_of_a_heading_are_read_by_column() -> None:
    table = ["STT\tNội dung\tĐơn vị chủ trì", "1\tRà soát\tPhòng Kinh tế"]
    assert read_columns(table) is None
    dated = ["1\tBáo cáo sơ kết, ngày 15 tháng 6\tVăn phòng", "2\tBáo cáo tổng kết, ngày 15 tháng 12\tVăn phòng"]
    assert read_columns(dated) is None  # a table's rows, though they hold a date
    laid, origin = read_columns(["ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI", "XÃ AN\tĐộc lập", "KẾ HOẠCH"]) or ([], [])
    assert (laid, origin) == (["ỦY BAN NHÂN DÂN", "XÃ AN", "CỘNG HÒA XÃ HỘI", "Độc lập", "KẾ HOẠCH"], [1, 2, 1, 2, 3])


@pytest.mark.parametrize(
    ("head", "issuer", "province", "number", "issued"),
    [
        # Hướng dẫn 36-HD/VPTW: the Party's organisation of the province over its committee, a star under it
        (
            "ĐẢNG BỘ TỈNH HÀ TĨNH\tĐẢNG CỘNG SẢN VIỆT NAM\nTỈNH ỦY\n*\n"
            "Số 112-KH/TU\tHà Tĩnh, ngày 9 tháng 6 năm 2026\n",
            "Tỉnh ủy Hà Tĩnh",
            "Hà Tĩnh",
            "112-KH/TU",
            "2026-06-09",
        ),
        # the same typed with spaces, the committee centred under the organisation in the left column
        (
            "    ĐẢNG BỘ TỈNH HÀ TĨNH                    ĐẢNG CỘNG SẢN VIỆT NAM\n          TỈNH ỦY\n             *\n"
            "       Số 113-KH/TU                   Hà Tĩnh, ngày 10 tháng 6 năm 2026\n",
            "Tỉnh ủy Hà Tĩnh",
            "Hà Tĩnh",
            "113-KH/TU",
            "2026-06-10",
        ),
        # the committee named with its place on one line, the motto on the next, a city as the place of issue
        (
            "THÀNH ỦY ĐÀ NẴNG\nĐẢNG CỘNG SẢN VIỆT NAM\nSố: 20-KH/TU\nTP. Đà Nẵng, ngày 15 tháng 2 năm 2026\n",
            "Thành ủy Đà Nẵng",
            "Đà Nẵng",
            "20-KH/TU",
            "2026-02-15",
        ),
        # a commune's Party committee after the 2025 reform
        (
            "ĐẢNG BỘ TỈNH LÂM ĐỒNG\nĐẢNG ỦY XÃ ĐẠ HUOAI\n*\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 08-KH/ĐU\n"
            "Đạ Huoai, ngày 21 tháng 10 năm 2026\n",
            "Đảng ủy xã Đạ Huoai",
            "Lâm Đồng",
            "08-KH/ĐU",
            "2026-10-21",
        ),
        # a commune named as a province once was: the province is the one above it
        (
            "ĐẢNG BỘ TỈNH PHÚ THỌ\nĐẢNG ỦY XÃ HÒA BÌNH\nSố 14-KH/ĐU\nHòa Bình, ngày 5 tháng 5 năm 2026\n",
            "Đảng ủy xã Hòa Bình",
            "Phú Thọ",
            "14-KH/ĐU",
            "2026-05-05",
        ),
        # an organ of the Party's committee takes the committee's name
        (
            "TỈNH ỦY CÀ MAU\nBAN TUYÊN GIÁO VÀ DÂN VẬN\nSố 15-KH/BTGDV\nCà Mau, ngày 1 tháng 3 năm 2026\n",
            "Ban tuyên giáo và dân vận Tỉnh ủy Cà Mau",
            "Cà Mau",
            "15-KH/BTGDV",
            "2026-03-01",
        ),
        # a department of a city whose name holds its kind, the city on the line under it
        (
            "SỞ KHOA HỌC VÀ CÔNG NGHỆ\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 9/KH-SKHCN\n"
            "Thành phố Hồ Chí Minh, ngày 7 tháng 5 năm 2026\n",
            "Sở Khoa học và Công nghệ Thành phố Hồ Chí Minh",
            "Thành phố Hồ Chí Minh",
            "9/KH-SKHCN",
            "2026-05-07",
        ),
        # a department under its city's committee
        (
            "UBND THÀNH PHỐ CẦN THƠ\nSỞ Y TẾ\nSố: 41/KH-SYT\nCần Thơ, ngày 30 tháng 1 năm 2026\n",
            "Sở Y tế thành phố Cần Thơ",
            "Cần Thơ",
            "41/KH-SYT",
            "2026-01-30",
        ),
        # a ministry
        ("BỘ Y TẾ\nSố: 5/KH-BYT\nHà Nội, ngày 8 tháng 8 năm 2026\n", "Bộ Y tế", None, "5/KH-BYT", "2026-08-08"),
        # a department of a ministry is the issuer, not the ministry over it
        (
            "BỘ NỘI VỤ\nCỤC VĂN THƯ VÀ LƯU TRỮ NHÀ NƯỚC\nSố: 3/KH-VTLTNN\nHà Nội, ngày 2 tháng 2 năm 2026\n",
            "Cục văn thư và lưu trữ nhà nước",
            None,
            "3/KH-VTLTNN",
            "2026-02-02",
        ),
        # a commune under its province's committee: the commune issues, the province is the one above
        (
            "UBND TỈNH TÂY NINH\nUBND XÃ HẢO ĐƯỚC\nSố: 60/KH-UBND\nHảo Đước, ngày 11 tháng 11 năm 2026\n",
            "Ủy ban nhân dân xã Hảo Đước",
            "Tây Ninh",
            "60/KH-UBND",
            "2026-11-11",
        ),
        # the Party's standing board, and the Party's committee of a body, under the organisation of the province
        (
            "ĐẢNG BỘ TỈNH SƠN LA\nBAN THƯỜNG VỤ TỈNH ỦY\nSố 70-KH/TU\nSơn La, ngày 4 tháng 12 năm 2026\n",
            "Ban Thường vụ Tỉnh ủy Sơn La",
            "Sơn La",
            "70-KH/TU",
            "2026-12-04",
        ),
        (
            "ĐẢNG BỘ TỈNH SƠN LA\nĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH\nSố 9-KH/ĐU\nSơn La, ngày 4 tháng 12 năm 2026\n",
            "Đảng ủy Ủy ban nhân dân tỉnh Sơn La",
            "Sơn La",
            "9-KH/ĐU",
            "2026-12-04",
        ),
    ],
)
def test_who_issued_it(head: str, issuer: str, province: str | None, number: str, issued: str) -> None:
    doc = document(head + KIND + BODY)
    assert (doc["issuer"], doc["province"], doc["number"], doc["issued_date"]) == (issuer, province, number, issued)


@pytest.mark.parametrize(
    ("signature", "issuer", "signer"),
    [
        (
            "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\nPhạm Thị Thu\n",
            "Ban Thường vụ Tỉnh ủy Hà Tĩnh",
            ("Phạm Thị Thu", "Phó Bí thư"),
        ),
        (
            "K/T BÍ THƯ\nPHÓ BÍ THƯ THƯỜNG TRỰC\nVõ Minh Khoa\n",
            "Tỉnh ủy Hà Tĩnh",
            ("Võ Minh Khoa", "Phó Bí thư Thường trực"),
        ),
        # beside the recipients, their gap lost, and a long appendix after it
        (
            "- Ban Bí thư, T/M BAN THƯỜNG VỤ\n- Lưu. BÍ THƯ\nĐặng Quốc Huy\nPHỤ LỤC\n" + "Danh mục nhiệm vụ.\n" * 45,
            "Ban Thường vụ Tỉnh ủy Hà Tĩnh",
            ("Đặng Quốc Huy", "Bí thư"),
        ),
    ],
)
def test_who_signs_for_the_party_committee(signature: str, issuer: str, signer: tuple[str, str]) -> None:
    head = "ĐẢNG BỘ TỈNH HÀ TĨNH\tĐẢNG CỘNG SẢN VIỆT NAM\nTỈNH ỦY\nSố 112-KH/TU\tHà Tĩnh, ngày 9 tháng 6 năm 2026\n"
    doc = document(head + KIND + BODY + "Nơi nhận:\n- Các đảng ủy trực thuộc,\n" + signature)
    assert (doc["issuer"], (doc["signer_name"], doc["signer_title"])) == (issuer, signer)


@pytest.mark.parametrize(
    ("line", "part"),
    [
        ("Nơi nhận: TM. ỦY BAN NHÂN DÂN", "TM. ỦY BAN NHÂN DÂN"),
        ("- Như trên; KT. GIÁM ĐỐC", "KT. GIÁM ĐỐC"),
        ("- Lưu: VT, VX. PHÓ GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
        ("- Các phòng thuộc Sở; Đỗ Thành Trung", "Đỗ Thành Trung"),
        ("- Lưu: VT. (Đã ký)", "- Lưu: VT. (Đã ký)"),
        ("- Sở Y tế;", "- Sở Y tế;"),  # a recipient alone
        ("Đỗ Thành Trung", "Đỗ Thành Trung"),
    ],
)
def test_the_signature_beside_a_recipient_once_their_gap_is_lost(line: str, part: str) -> None:
    assert signature_line(line) == part


def test_a_signature_beside_the_recipients_read_as_single_spaced_lines() -> None:
    """A DOCX whose tabs the reader turned to spaces: each line holds a recipient and a line of the signature."""
    head = "ỦY BAN NHÂN DÂN\nXÃ PHÚ HÒA\nSố: 31/KH-UBND\nPhú Hòa, ngày 14 tháng 7 năm 2026\n"
    signature = (
        "Nơi nhận: TM. ỦY BAN NHÂN DÂN\n- UBND tỉnh (b/c); KT. CHỦ TỊCH\n- Lưu: VT. PHÓ CHỦ TỊCH\n"
        "- Các thôn; Nguyễn Hữu Phước\n"
    )
    doc = document(head + KIND + BODY + signature)
    assert (doc["signer_name"], doc["signer_title"]) == ("Nguyễn Hữu Phước", "Phó Chủ tịch")


HEAD = "ỦY BAN NHÂN DÂN\nXÃ PHÚ HÒA\nSố: 31/KH-UBND\nPhú Hòa, ngày 14 tháng 7 năm 2026\n"


@pytest.mark.parametrize(
    ("title", "preamble", "implements"),
    [
        # the legal bases, the implemented plan and a Tờ trình run together in one paragraph
        (
            "Phòng, chống dịch bệnh trên cây trồng năm 2026",
            "Căn cứ Luật Trồng trọt số 31/2018/QH14; Căn cứ Nghị quyết số 12/NQ-HĐND ngày 5/1/2026 của HĐND xã; "
            "Thực hiện Kế hoạch số 30/KH-UBND ngày 2/2/2026 của UBND tỉnh; Xét Tờ trình số 45/TTr-PKT ngày 1/3/2026 "
            "của Phòng Kinh tế, Ủy ban nhân dân xã ban hành Kế hoạch như sau:",
            ["30/KH-UBND"],
        ),
        # a công văn passes on the directive the plan carries out
        (
            "Tuyên truyền phòng, chống ma túy năm 2026",
            "Thực hiện Công văn số 512/UBND-VX ngày 3/3/2026 của UBND tỉnh về triển khai Chỉ thị số 05-CT/TU "
            "ngày 1/2/2026 của Ban Thường vụ Tỉnh ủy, Ủy ban nhân dân xã xây dựng Kế hoạch như sau:",
            ["05-CT/TU"],
        ),
        # the title names what the plan implements: the bases below it do not count
        (
            "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
            "Căn cứ Quyết định số 1131/QĐ-TTg của Thủ tướng Chính phủ;\nThực hiện Văn bản số 77/SKHCN-QLKH của Sở "
            "Khoa học và Công nghệ;",
            ["57-NQ/TW"],
        ),
        # several documents implemented, listed after one `Thực hiện` and parted by semicolons
        (
            "Chuyển đổi số năm 2026",
            "Căn cứ Luật Giao dịch điện tử số 20/2023/QH15; Quyết định số 06/QĐ-TTg;\nThực hiện Nghị quyết số "
            "57-NQ/TW ngày 22/12/2024 của Bộ Chính trị; Kế hoạch số 02-KH/TU của Tỉnh ủy; Kế hoạch số 81/KH-UBND "
            "của UBND tỉnh; Xét Tờ trình số 9/TTr-VP, Ủy ban nhân dân xã ban hành Kế hoạch như sau:",
            ["57-NQ/TW", "02-KH/TU", "81/KH-UBND"],
        ),
        # `xây dựng` inside the name of an implemented document does not end the sentence
        (
            "Phát triển đô thị xanh năm 2026",
            "Thực hiện Nghị quyết số 06-NQ/TW về quy hoạch, xây dựng, quản lý và phát triển bền vững đô thị, "
            "Kế hoạch số 12/KH-UBND của UBND tỉnh, Ủy ban nhân dân xã xây dựng Kế hoạch như sau:",
            ["06-NQ/TW", "12/KH-UBND"],
        ),
        # bases only: nothing implemented
        ("Bảo vệ rừng mùa khô năm 2026", "Căn cứ Luật Lâm nghiệp số 16/2017/QH14;\nXét đề nghị của Công an xã.", []),
        # a law the plan puts into effect
        (
            "Triển khai thi hành Luật Địa chất và khoáng sản số 54/2024/QH15 trên địa bàn xã",
            "Căn cứ Nghị định số 193/2025/NĐ-CP của Chính phủ;",
            ["54/2024/QH15"],
        ),
    ],
)
def test_what_the_plan_implements(title: str, preamble: str, implements: list[str]) -> None:
    doc = document(HEAD + f"KẾ HOẠCH\n{title}\n{preamble}\n" + BODY)
    assert doc["implements"] == implements


@pytest.mark.parametrize(
    ("objectives", "target"),
    [
        # a sector's growth first, the economy's after it
        (
            "- Giá trị sản xuất ngành nông nghiệp tăng trưởng 3,5%.\n- Phấn đấu tốc độ tăng trưởng kinh tế (GRDP) "
            "năm 2026 đạt 8,5% trở lên.\n",
            "8,5% trở lên",
        ),
        # sectors only: no headline target
        (
            "- Tăng trưởng ngành nông nghiệp đạt 3,2%.\n- Tín dụng tăng trưởng 14%.\n"
            "- Tốc độ tăng trưởng khu vực dịch vụ từ 7% trở lên.\n",
            None,
        ),
        # green growth is no rate, the figure after it another clause's
        ("Phát triển kinh tế theo hướng tăng trưởng xanh, giảm 10% phát thải khí nhà kính.\n", None),
        # the plan's own aim, without naming the economy
        ("Quyết tâm hoàn thành mục tiêu tăng trưởng năm 2026 từ 9 - 9,5%.\n", "từ 9-9,5%"),
        # the product named, its growth written `tăng`
        ("- Tổng sản phẩm trên địa bàn (GRDP) tăng 7,8% so với năm 2025.\n", "7,8%"),
        # a numbered list of targets, the sector's first on the same line
        ("(1) Kim ngạch xuất khẩu tăng trưởng 12%; (2) Tăng trưởng GRDP đạt 10%.\n", "10%"),
    ],
)
def test_the_headline_growth_target(objectives: str, target: str | None) -> None:
    doc = document(HEAD + KIND + "I. MỤC TIÊU\n" + objectives + "II. NHIỆM VỤ\n1. Phòng Kinh tế rà soát.\n")
    assert doc["growth_target"] == target


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        # wrapped before a capital: a name, a place
        (
            "Thực hiện Chương trình hành động số 12-CTr/TU của\nBan Thường vụ Tỉnh ủy về chuyển đổi số\n",
            "Thực hiện Chương trình hành động số 12-CTr/TU của Ban Thường vụ Tỉnh ủy về chuyển đổi số",
        ),
        # wrapped before a date, the `(Kèm theo ...)` line under it left out
        (
            "Tổ chức các hoạt động kỷ niệm 80 năm Ngày Quốc khánh\n2/9/1945 - 2/9/2025\n"
            "(Kèm theo Quyết định số 5/QĐ-UBND)\n",
            "Tổ chức các hoạt động kỷ niệm 80 năm Ngày Quốc khánh 2/9/1945 - 2/9/2025",
        ),
        # the preamble under the title is no part of it
        (
            "Bảo vệ rừng mùa khô năm 2026\nThực hiện Chỉ thị số 04-CT/TU ngày 2/1/2026 của Ban Thường vụ Tỉnh ủy,\n",
            "Bảo vệ rừng mùa khô năm 2026",
        ),
        (
            "Bảo vệ rừng mùa khô năm 2026\nỦy ban nhân dân xã Phú Hòa ban hành Kế hoạch như sau:\n",
            "Bảo vệ rừng mùa khô năm 2026",
        ),
        # a reader ran the title's last line into the preamble under it
        (
            "Hưởng ứng Năm Du lịch quốc gia Đắk\nLắk 2026 gắn với Lễ hội Cà phê lần thứ IX Thực hiện Kế hoạch số "
            "45/KH-UBND của UBND tỉnh, Ủy ban nhân dân xã ban hành Kế hoạch như sau:\n",
            "Hưởng ứng Năm Du lịch quốc gia Đắk Lắk 2026 gắn với Lễ hội Cà phê lần thứ IX",
        ),
    ],
)
def test_a_title_wrapped_over_lines(lines: str, title: str) -> None:
    assert document(HEAD + "KẾ HOẠCH\n" + lines + BODY)["title"] == title


FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _pdf(path: Path, rows: list[tuple[str, str]]) -> Path:
    """A one-page PDF: each row a left and a right column (a lone left cell spans the page)."""
    fpdf = pytest.importorskip("fpdf")
    if not FONT.exists():
        pytest.skip(f"{FONT} is absent")
    pdf = fpdf.FPDF(format="A4")
    pdf.add_font("dv", fname=str(FONT))
    pdf.set_font("dv", size=12)
    pdf.add_page()
    for left, right in rows:
        y = pdf.get_y()
        pdf.set_xy(10, y)
        pdf.cell(80 if right else 190, 7, left, align="C")
        if right:
            pdf.set_xy(90, y)
            pdf.cell(110, 7, right, align="C")
        pdf.ln(7)
    pdf.output(str(path))
    return path


def test_a_pdf_of_a_ward_with_its_title_wrapped(tmp_path: Path) -> None:
    rows = [
        ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("PHƯỜNG HÒA CƯỜNG", "Độc lập - Tự do - Hạnh phúc"),
        ("Số: 77/KH-UBND", "Hòa Cường, ngày 19 tháng 5 năm 2026"),
        ("KẾ HOẠCH", ""),
        ("Triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của", ""),
        ("Bộ Chính trị về đột phá phát triển khoa học, công nghệ trên địa bàn", ""),
        ("Phường Hòa Cường năm 2026", ""),
        ("I. NHIỆM VỤ", ""),
        ("1. Công an phường chủ trì bảo đảm an ninh mạng.", ""),
        ("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"),
        ("- Như trên;", "CHỦ TỊCH"),
        ("", ""),
        ("", "Đinh Văn Lực"),
    ]
    doc = extract(read_path(_pdf(tmp_path / "ward.pdf", rows))).as_dict()["document"]
    assert (doc["issuer"], doc["number"], doc["issued_date"], doc["title"], doc["signer_name"]) == (
        "Ủy ban nhân dân phường Hòa Cường",
        "77/KH-UBND",
        "2026-05-19",
        "Triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển "
        "khoa học, công nghệ trên địa bàn Phường Hòa Cường năm 2026",
        "Đinh Văn Lực",
    )


def test_a_docx_whose_heading_and_signature_are_tab_aligned(tmp_path: Path) -> None:
    """Word's tabs between the columns: the reader gives each a space."""
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for line in [
        "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "XÃ NAM SƠN\tĐộc lập - Tự do - Hạnh phúc",
        "Số: 40/KH-UBND\tNam Sơn, ngày 6 tháng 4 năm 2026",
        "KẾ HOẠCH",
        "Phòng, chống sốt xuất huyết năm 2026",
        "I. NHIỆM VỤ",
        "1. Trạm Y tế xã chủ trì giám sát ổ dịch.",
        "Nơi nhận:\tTM. ỦY BAN NHÂN DÂN",
        "- Như trên;\tKT. CHỦ TỊCH",
        "- Lưu: VT.\tPHÓ CHỦ TỊCH",
        "\tLý Thị Hằng",
    ]:
        d.add_paragraph(line)
    d.save(str(tmp_path / "commune.docx"))
    doc = extract(read_path(tmp_path / "commune.docx")).as_dict()["document"]
    assert (doc["issuer"], doc["number"], doc["issued_date"], doc["signer_name"], doc["signer_title"]) == (
        "Ủy ban nhân dân xã Nam Sơn",
        "40/KH-UBND",
        "2026-04-06",
        "Lý Thị Hằng",
        "Phó Chủ tịch",
    )


@pytest.mark.parametrize(
    ("block", "title"),
    [
        ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH THƯỜNG TRỰC\n", "Phó Chủ tịch Thường trực"),
        ("TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n", "Chánh Văn phòng"),
        ("KT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\n", "Phó Trưởng ban"),
        ("KT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG\n(Đã ký)\n", "Phó Cục trưởng"),
        ("T/M ỦY BAN KIỂM TRA\nCHỦ NHIỆM\n", "Chủ nhiệm"),
    ],
)
def test_the_signers_own_title(block: str, title: str) -> None:
    doc = document(HEAD + KIND + BODY + "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n" + block + "Trịnh Công Sơn\n")
    assert (doc["signer_name"], doc["signer_title"]) == ("Trịnh Công Sơn", title)


def test_a_signature_interleaved_line_by_line_with_a_long_list_of_recipients() -> None:
    """A reader that gives the two columns' lines in turn: the recipients do not push the name out of reach."""
    signature = (
        "Nơi nhận:\nTM. ỦY BAN NHÂN DÂN\n- Như trên;\nKT. CHỦ TỊCH\n- UBND tỉnh;\nPHÓ CHỦ TỊCH\n- Sở Y tế;\n"
        "- Sở Tài chính;\n- Các thôn, ấp;\n- Đảng ủy xã;\n- Lưu: VT.\nPhan Thanh Bình\n"
    )
    doc = document(HEAD + KIND + BODY + signature)
    assert (doc["signer_name"], doc["signer_title"]) == ("Phan Thanh Bình", "Phó Chủ tịch")


@pytest.mark.parametrize(
    ("left", "issuer"),
    [
        (["ĐẢNG BỘ TỈNH NGHỆ AN", "BAN CHẤP HÀNH"], "Ban Chấp hành Đảng bộ tỉnh Nghệ An"),
        (["ĐẢNG BỘ TỈNH NGHỆ AN", "BAN TUYÊN GIÁO VÀ DÂN VẬN"], "Ban tuyên giáo và dân vận Tỉnh ủy Nghệ An"),
        (["ĐẢNG BỘ PHƯỜNG VINH PHÚ", "VĂN PHÒNG"], "Văn phòng Đảng ủy phường Vinh Phú"),
        (["ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "ỦY BAN KIỂM TRA"], "Ủy ban kiểm tra Thành ủy Hà Nội"),
        (["ĐẢNG BỘ THÀNH PHỐ HỒ CHÍ MINH", "THÀNH ỦY"], "Thành ủy Thành phố Hồ Chí Minh"),
        (["UBND TỈNH NGHỆ AN", "VĂN PHÒNG"], "Văn phòng Ủy ban nhân dân tỉnh Nghệ An"),
        (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HUẾ", "SỞ Y TẾ"], "Sở Y tế thành phố Huế"),
        (["HỘI ĐỒNG NHÂN DÂN", "ĐẶC KHU PHÚ QUỐC"], "Hội đồng nhân dân đặc khu Phú Quốc"),
    ],
)
def test_the_issuer_from_the_left_column(left: list[str], issuer: str) -> None:
    assert heading_block([Paragraph(text, n) for n, text in enumerate(left, 1)]) == issuer
