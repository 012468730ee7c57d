"""Repair and structure: broken extraction in, clean paragraphs and tables out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kehoach.extract.repair import repair, repair_line
from kehoach.extract.structure import Paragraph, Table, marker, structure
from kehoach.read.syllables import is_syllable, split_digits, split_glued


@pytest.mark.parametrize(
    ("glued", "parts"),
    [
        ("phủvềnhiệm", ["phủ", "về", "nhiệm"]),
        ("suốtcác", ["suốt", "các"]),
        ("cốquốc", ["cố", "quốc"]),
        ("cungcấp", ["cung", "cấp"]),
        ("theoquy", ["theo", "quy"]),
        ("thanhtra", ["thanh", "tra"]),
    ],
)
def test_glued_syllables_are_split(glued: str, parts: list[str]) -> None:
    assert split_glued(glued) == parts


@pytest.mark.parametrize(
    "word",
    [
        "IPv6",
        "ESG",
        "COP26",
        "Internet",
        "logistics",
        "nghiêng",
        "Trường",
        "quốc",
        "website",
        "Halal",
    ],
)
def test_words_and_codes_stay_whole(word: str) -> None:
    assert split_glued(word) is None


@pytest.mark.parametrize(
    ("token", "fixed"),
    [
        ("2050trên", "2050 trên"),
        ("năm2024", "năm 2024"),
        ("COP26", "COP26"),
        ("km2", "km2"),
        ("4G", "4G"),
    ],
)
def test_digits_glued_to_words(token: str, fixed: str) -> None:
    assert split_digits(token) == fixed


@pytest.mark.parametrize("word", ["nghiệm", "Đường", "quyết", "khuya", "gì", "ươm"])
def test_syllables(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["nghiệmm", "tcác", "phủvề", "xyz", "Internet"])
def test_not_syllables(word: str) -> None:
    assert not is_syllable(word)


def test_broken_font_d_is_repaired_across_the_document() -> None:
    text = "Sở Tài chính ñôn ñốc các ñơn vị; ðẩy mạnh ñầu tư. Sở KH&ðT"
    assert repair(text).lines == ["Sở Tài chính đôn đốc các đơn vị; Đẩy mạnh đầu tư. Sở KH&ĐT"]


def test_a_lone_spanish_n_tilde_is_kept() -> None:
    assert repair("Señor García").lines == ["Señor García"]


def test_html_and_markdown_remnants_removed() -> None:
    assert repair_line("<p>và nâng cao <i>chất lượng</i></p>") == "và nâng cao chất lượng"
    assert repair_line("**Thực hiện Nghị quyết** *(Kèm theo)*") == "Thực hiện Nghị quyết (Kèm theo)"


def test_footnotes_are_separated_and_marked() -> None:
    r = repair("định kỳ trước ngày 15 tháng cuối mỗi quý¹ báo cáo\n\n¹ Quý I: ngày 15 tháng 3 năm 2025.")
    assert r.footnotes == {"1": "Quý I: ngày 15 tháng 3 năm 2025."}
    assert r.lines[0] == "định kỳ trước ngày 15 tháng cuối mỗi quý [^1] báo cáo"


def test_footnotes_whose_superscript_was_lost() -> None:
    r = repair("trước ngày 15 tháng cuối mỗi quý1 và trước ngày 10/11\n1 Quý I: ngày 15 tháng 3 năm 2025")
    assert r.footnotes == {"1": "Quý I: ngày 15 tháng 3 năm 2025"}
    assert "quý [^1] và" in r.lines[0]


def test_page_numbers_dropped() -> None:
    assert repair("đoạn một\n  12  \n- 3 -\nđoạn hai").lines == ["đoạn một", "", "", "đoạn hai"]


@given(
    st.text(
        alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạầấẩẫậềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ .,;:-\n\t",
        max_size=300,
    )
)
def test_repair_is_idempotent_and_never_raises(text: str) -> None:
    once = "\n".join(repair(text).lines)
    assert "\n".join(repair(once).lines) == once


@given(
    st.lists(
        st.sampled_from(["Sở", "Tài", "chính", "về", "nhiệm", "vụ", "năm", "2026", "IPv6", "COP26"]),
        max_size=30,
    )
)
def test_valid_text_is_never_changed(words: list[str]) -> None:
    text = " ".join(words)
    assert repair(text).lines == [text]


@pytest.mark.parametrize(
    ("text", "kind", "label", "body"),
    [
        ("I. QUAN ĐIỂM", "roman", "I", "QUAN ĐIỂM"),
        ("IV- TỔ CHỨC THỰC HIỆN", "roman", "IV", "TỔ CHỨC THỰC HIỆN"),
        ("2. Ưu tiên thúc đẩy", "arabic", "2", "Ưu tiên thúc đẩy"),
        ("2.1. Sở Tư pháp: Chủ trì", "dotted", "2.1", "Sở Tư pháp: Chủ trì"),
        ("đ) Sở Y tế chủ trì", "letter", "đ", "Sở Y tế chủ trì"),
        ("- Tập trung quán triệt", "dash", "-", "Tập trung quán triệt"),
        ("+ Rà soát", "plus", "+", "Rà soát"),
        ("(3) Tỷ lệ", "paren", "3", "Tỷ lệ"),
        ("2025 là năm", None, "", "2025 là năm"),
        ("Năm 2025", None, "", "Năm 2025"),
        # no space after the number's last dot; past 100; the Party's `1-` and `a-`
        ("3.2.Tổ chức hội nghị", "dotted", "3.2", "Tổ chức hội nghị"),
        ("1.4.2.Xây dựng cơ sở dữ liệu", "dotted", "1.4.2", "Xây dựng cơ sở dữ liệu"),
        ("1.3 Kiểm tra", "dotted", "1.3", "Kiểm tra"),
        ("104. Thôn 5 nạo vét kênh", "arabic", "104", "Thôn 5 nạo vét kênh"),
        ("2- Công tác kiểm tra", "arabic", "2", "Công tác kiểm tra"),
        ("b- Các chi bộ", "letter", "b", "Các chi bộ"),
        # numbers that open a sentence are no markers
        ("1.5 triệu lượt khách đến tham quan", None, "", "1.5 triệu lượt khách đến tham quan"),
        ("3.200 tỷ đồng được bố trí", None, "", "3.200 tỷ đồng được bố trí"),
        ("126- KL/TW ngày 14/02/2025", None, "", "126- KL/TW ngày 14/02/2025"),
    ],
)
def test_markers(text: str, kind: str | None, label: str, body: str) -> None:
    assert marker(text) == (kind, label, body)


def test_hard_wrapped_lines_join_into_paragraphs() -> None:
    wrapped = [
        "Phát triển kinh tế, xã hội, bảo vệ môi trường là trung tâm, xây dựng Đảng là " + "x" * 5,
        "then chốt, phát triển văn hóa là nền tảng.",
        "",
    ] * 12
    blocks = structure(wrapped)
    assert all(isinstance(b, Paragraph) for b in blocks)
    assert "là xxxxx then chốt" in blocks[0].text


def test_one_paragraph_per_line_text_splits_on_lines_and_joins_lower_case_breaks() -> None:
    lines = [
        "a) Tập trung hoàn thiện thể chế",
        "",
        "Tổ chức rà soát, thực hiện sắp",
        "",
        "xếp, cơ cấu lại doanh nghiệp.",
        "",
        "Khẩn trương rà soát.",
    ]
    blocks = structure(lines)
    assert [b.text for b in blocks] == [
        "a) Tập trung hoàn thiện thể chế",
        "Tổ chức rà soát, thực hiện sắp xếp, cơ cấu lại doanh nghiệp.",
        "Khẩn trương rà soát.",
    ]


def test_table_rows_continue_across_pages_and_headers_repeat() -> None:
    lines = [
        "STT\tNội dung\tCơ quan thực hiện\tThời hạn",
        "1\tRà soát văn bản quy phạm pháp luật và\tSở Tư pháp\tQuý II/2026",
        "",
        "STT\tNội dung\tCơ quan thực hiện\tThời hạn",
        "\tđề xuất sửa đổi\t\t",
        "2\tTuyên truyền\tSở Văn hóa\tNăm 2026",
        "",
        "\tĐẩy mạnh xã hội hóa.\t\t",
    ]
    [table] = structure(lines)
    assert isinstance(table, Table)
    assert table.rows[1:] == [
        ["1", "Rà soát văn bản quy phạm pháp luật và đề xuất sửa đổi", "Sở Tư pháp", "Quý II/2026"],
        ["2", "Tuyên truyền Đẩy mạnh xã hội hóa.", "Sở Văn hóa", "Năm 2026"],
    ]


def test_a_sub_row_with_its_own_value_is_not_a_continuation() -> None:
    lines = [
        "TT\tChỉ tiêu\tĐơn vị\tKế hoạch",
        "9\tTổng điện năng sản xuất\tTỷ kWh\t25,93",
        "",
        "\tTốc độ tăng\t%\t14,11",
    ]
    [table] = structure(lines)
    assert table.rows[2] == ["", "Tốc độ tăng", "%", "14,11"]


def test_two_row_headers_give_one_label_per_column() -> None:
    lines = [
        "TT\tNội dung\tCơ quan thực hiện\t\tThời gian",
        "\t\tChủ trì\tPhối hợp\t",
        "1\tRà soát văn bản\tSở Tư pháp\tCác sở, ban, ngành\tQuý II/2026",
    ]
    [table] = structure(lines)
    assert table.header == ["TT", "Nội dung", "Cơ quan thực hiện Chủ trì", "Cơ quan thực hiện Phối hợp", "Thời gian"]
