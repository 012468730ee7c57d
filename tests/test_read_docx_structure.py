"""DOCX structure the text does not hold: Word's automatic numbering, cells merged down a
column, raised runs; and members inflated under a bound whatever their headers say."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docgen import raw_docx, w_lvl, w_p, w_table

from kehoach.errors import ReadError
from kehoach.read import read_path
from kehoach.read.bounds import LimitedReader

# A list as plans number them: 1. / 1.1. / a), and a second list definition in Roman capitals
NUMBERING = (
    '<w:abstractNum w:abstractNumId="1">'
    + w_lvl(0, "decimal", "%1.") + w_lvl(1, "decimal", "%1.%2.") + w_lvl(2, "lowerLetter", "%3)")
    + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="2">'
    + w_lvl(0, "upperRoman", "%1.")
    + w_lvl(1, "decimal", "%1.%2.", extra="<w:isLgl/>")  # legal: the Roman level as a number
    + w_lvl(2, "decimal", "%3.", extra='<w:lvlRestart w:val="0"/>')  # never restarts
    + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="3">' + w_lvl(0, "bullet", "\uf0b7") + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="4"><w:numStyleLink w:val="DanhSach"/></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    # a "restart numbering": the same list, its first level started again
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>'
    '<w:num w:numId="4"><w:abstractNumId w:val="3"/></w:num>'
    # a level replaced by the instance: starts at 5, written "Điều 5."
    '<w:num w:numId="5"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0">'
    + w_lvl(0, "decimal", "Điều %1.", start=5) + "</w:lvlOverride></w:num>"
    '<w:num w:numId="6"><w:abstractNumId w:val="4"/></w:num>'
    '<w:num w:numId="7"><w:abstractNumId w:val="2"/></w:num>'
)
STYLES = ('<w:style w:type="paragraph" w:styleId="DanhSach"><w:pPr><w:numPr>'
          '<w:numId w:val="7"/></w:numPr></w:pPr></w:style>'
          '<w:style w:type="character" w:styleId="Mu"><w:rPr><w:vertAlign w:val="superscript"/>'
          "</w:rPr></w:style>")


def test_word_numbering_as_word_shows_it(tmp_path: Path) -> None:
    body = "".join([
        w_p("Mục tiêu", (1, 0)), w_p("Mục tiêu cụ thể", (1, 1)), w_p("Chỉ tiêu", (1, 1)),
        w_p("tăng trưởng", (1, 2)), w_p("thu ngân sách", (1, 2)),
        w_p("Nhiệm vụ", (1, 0)), w_p("Nhiệm vụ chung", (1, 1)),
        w_p("", (1, 0)),  # an empty numbered paragraph still takes its number: 3.
        w_p("Tổ chức thực hiện", (1, 0)),
        w_p("Danh sách mới", (2, 0)), w_p("tiếp", (2, 1)),  # restarted: 1. then 1.1.
        w_p("QUAN ĐIỂM", (3, 0)), w_p("Quan điểm một", (3, 1)), w_p("mục", (3, 2)),
        w_p("NHIỆM VỤ", (3, 0)), w_p("Nhiệm vụ một", (3, 1)), w_p("mục", (3, 2)),
        w_p("Gạch đầu dòng", (4, 0)),
        w_p("Hiệu lực", (5, 0)),
        w_p("Qua kiểu danh sách", (6, 0)),
    ])
    src = read_path(raw_docx(tmp_path / "so.docx", body, NUMBERING, STYLES))
    assert src.text.splitlines() == [
        "1. Mục tiêu", "1.1. Mục tiêu cụ thể", "1.2. Chỉ tiêu", "a) tăng trưởng",
        "b) thu ngân sách", "2. Nhiệm vụ", "2.1. Nhiệm vụ chung", "4. Tổ chức thực hiện",
        "1. Danh sách mới", "1.1. tiếp",
        "I. QUAN ĐIỂM", "1.1. Quan điểm một", "1. mục",
        "II. NHIỆM VỤ", "2.1. Nhiệm vụ một", "2. mục",  # the third level runs on (lvlRestart 0)
        "- Gạch đầu dòng", "Điều 5. Hiệu lực",
        "III. Qua kiểu danh sách",  # numStyleLink: the style's list (numId 7 → abstract 2)
    ]


def test_numbering_inside_table_cells(tmp_path: Path) -> None:
    """An appendix table whose task numbers are Word's automatic numbering."""
    numbering = ('<w:abstractNum w:abstractNumId="1">' + w_lvl(0, "decimal", "%1")
                 + "</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/></w:num>")
    rows = [[w_p("TT"), w_p("Nhiệm vụ"), w_p("Chủ trì")]] + [
        [w_p("", (1, 0)), w_p(task), w_p(lead)]
        for task, lead in [("Rà soát quy hoạch", "Sở Xây dựng"), ("Kiểm tra", "Công an tỉnh"),
                           ("Báo cáo", "Sở Tài chính")]]
    src = read_path(raw_docx(tmp_path / "bang.docx", w_table(rows), numbering))
    assert src.text.splitlines() == ["TT\tNhiệm vụ\tChủ trì", "1\tRà soát quy hoạch\tSở Xây dựng",
                                     "2\tKiểm tra\tCông an tỉnh", "3\tBáo cáo\tSở Tài chính"]
    assert [i.kind for i in src.lines] == ["table"] * 4


def test_cells_merged_down_a_column_repeat_on_each_row(tmp_path: Path) -> None:
    restart = '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'
    cont = "<w:tcPr><w:vMerge/></w:tcPr>"
    rows = [
        [w_p("TT"), w_p("Nhiệm vụ"), w_p("Chủ trì"), w_p("Thời hạn")],
        [w_p("1"), w_p("Rà soát quy hoạch"), restart + w_p("Sở Nông nghiệp và Môi trường"),
         restart + w_p("Quý II/2026")],
        [w_p("2"), w_p("Cấp phép khai thác"), cont + w_p(""), cont + w_p("")],
        [w_p("3"), w_p("Kiểm tra"), w_p("Công an tỉnh"), cont + w_p("")],
    ]
    src = read_path(raw_docx(tmp_path / "gop.docx", w_table(rows)))
    assert src.text.splitlines() == [
        "TT\tNhiệm vụ\tChủ trì\tThời hạn",
        "1\tRà soát quy hoạch\tSở Nông nghiệp và Môi trường\tQuý II/2026",
        "2\tCấp phép khai thác\tSở Nông nghiệp và Môi trường\tQuý II/2026",
        "3\tKiểm tra\tCông an tỉnh\tQuý II/2026",
    ]


def test_merged_cell_of_the_heading_table_read_once(tmp_path: Path) -> None:
    restart = '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'
    cont = "<w:tcPr><w:vMerge/></w:tcPr>"
    rows = [[restart + w_p("ỦY BAN NHÂN DÂN") + w_p("TỈNH LÀO CAI"),
             w_p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")],
            [cont + w_p(""), w_p("Độc lập - Tự do - Hạnh phúc")]]
    src = read_path(raw_docx(tmp_path / "dau.docx", w_table(rows)))
    assert src.text.splitlines() == ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI",
                                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                     "Độc lập - Tự do - Hạnh phúc"]


def _run(text: str, raised: bool = False, style: str | None = None) -> str:
    rpr = ""
    if raised or style:
        rpr = "<w:rPr>" + (f'<w:rStyle w:val="{style}"/>' if style else "") + (
            '<w:vertAlign w:val="superscript"/>' if raised else "") + "</w:rPr>"
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def test_superscripts_kept_and_footnotes_still_recognised(tmp_path: Path) -> None:
    body = (
        "<w:p>" + _run("Trạm bơm Yên Sở (120 m") + _run("3", raised=True) + _run("/s), hồ 5 km")
        + _run("2", style="Mu") + _run(" theo Luật") + _run("1", raised=True)
        + _run(" và Nghị định")
        + '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="2"/>'
        "</w:r>" + _run(".") + "</w:p>"
    )
    footnotes = ('<w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r>'
                 '<w:r><w:t xml:space="preserve"> Nghị định 90/2020/NĐ-CP.</w:t></w:r></w:p>'
                 "</w:footnote>")
    src = read_path(raw_docx(tmp_path / "mu.docx", body, styles=STYLES, footnotes=footnotes))
    assert src.text.splitlines() == [
        "Trạm bơm Yên Sở (120 m³/s), hồ 5 km² theo Luật[1] và Nghị định[1].",
        "[1] Nghị định 90/2020/NĐ-CP.",
    ]
    assert [i.kind for i in src.lines] == ["text", "footnote"]


def test_member_inflated_past_its_bound_is_refused(tmp_path: Path) -> None:
    """The counting reader stops at its limit whatever the member declares."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<a>" + b"x" * 2_000_000 + b"</a>")
    with zipfile.ZipFile(buf) as zf:
        reader = LimitedReader(zf.open("word/document.xml"), 100_000, "ke-hoach.docx",
                               "word/document.xml")
        with pytest.raises(ReadError, match="word/document.xml giải nén ra hơn") as e:
            reader.read_all()
    assert e.value.path == "ke-hoach.docx"
    assert reader.count <= 100_000 + (1 << 20)  # stopped within one step of the bound


def test_progress_reported(tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    read_path(raw_docx(tmp_path / "p.docx", w_p("Kế hoạch")),
              progress=lambda d, t, s: calls.append((d, t, s)))
    assert calls == [(1, 1, "đọc")]
