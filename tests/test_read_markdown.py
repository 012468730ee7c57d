"""Markdown from the usual converters reads into the same lines as the DOCX it came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from docgen import (
    MARKDOWN_STYLES,
    Blocks,
    make_docx,
    make_markdown,
    plan_of,
    seed_blocks,
    seed_text,
    words,
)

from kehoach.read import read_bytes, read_path
from kehoach.read.markdown import looks_like_markdown

SEEDS = ["000_9b195ff9d1fb2156.txt", "002_23dbc6410858588b.txt", "003_230a64e200d485dd.txt"]


def _blocks(seed: str) -> Blocks:
    # the seeds hold a few literal <i> tags (from their own source): HTML in Markdown is markup
    return seed_blocks(seed_text(seed).replace("<i>", "").replace("</i>", ""))


@pytest.fixture(scope="module")
def docx_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("docx")
    return {seed: read_path(make_docx(_blocks(seed), out / f"{seed[:3]}.docx")).text
            for seed in SEEDS}


CASES = [(seed, style) for seed in SEEDS for style in MARKDOWN_STYLES
         if (seed, style) != ("000_9b195ff9d1fb2156.txt", "markitdown")]


@pytest.mark.parametrize(("seed", "style"), CASES)
def test_markdown_reads_as_the_docx_does(docx_texts: dict[str, str], seed: str, style: str,
                                         tmp_path: Path) -> None:
    """Front matter, escapes, wrapped paragraphs, bullets, `1.` lists, pipe and grid tables,
    cells wrapped onto continuation rows, the heading's layout table: the DOCX's lines."""
    src = read_path(make_markdown(_blocks(seed), tmp_path / f"kh-{style}.md", style))
    assert src.reader == "markdown"
    assert src.text == docx_texts[seed]
    assert len(src.lines) == len(src.text.split("\n")) - 1
    assert [i.kind == "table" for i in src.lines] == ["\t" in x for x in src.text.splitlines()]


def test_bold_only_markdown_is_plain_text(tmp_path: Path) -> None:
    """markitdown's output of a plan without tables has only `**bold**` and `* ` bullets:
    indistinguishable from a plain text with marks (the seeds have them), it is read as
    one, with nothing lost."""
    seed = "000_9b195ff9d1fb2156.txt"
    path = make_markdown(_blocks(seed), tmp_path / "kh.md", "markitdown")
    src = read_path(path)
    assert src.reader == "text"
    assert [w for w in words(src.text) if w != "_"] == words(path.read_text(encoding="utf-8"))


def test_docx_and_its_markdown_give_the_same_plan(tmp_path: Path) -> None:
    seed = "003_230a64e200d485dd.txt"
    docx = read_path(make_docx(_blocks(seed), tmp_path / "kh.docx"))
    for style in MARKDOWN_STYLES:
        md = read_path(make_markdown(_blocks(seed), tmp_path / f"kh-{style}.md", style))
        a, b = plan_of(docx), plan_of(md)
        assert [t["text"] for t in b["tasks"]] == [t["text"] for t in a["tasks"]], style
        assert b["document"] == a["document"], style


@pytest.mark.parametrize(("markdown", "text"), [
    # escapes, entities, <br>, emphasis, links
    ("# Kế hoạch\n\n1\\. Mục đích \\- yêu cầu\n", "Kế hoạch\n1. Mục đích - yêu cầu\n"),
    ("## A\n\nSở Tài chính &amp; Sở Nội vụ&nbsp;phối hợp\n\n## B\n",
     "A\nSở Tài chính & Sở Nội vụ phối hợp\nB\n"),
    ("# A\n\n**Sở Y tế** chủ trì, *phối hợp* với __Sở Nội vụ__ và _Công an tỉnh_\n\n# B\n",
     "A\nSở Y tế chủ trì, phối hợp với Sở Nội vụ và Công an tỉnh\nB\n"),
    ("# A\n\nDòng một<br>Dòng hai\n", "A\nDòng một\nDòng hai\n"),
    ("# A\n\nXem [Quyết định 5](http://x.vn/qd5) ![ảnh](a.png)tại đây\n",
     "A\nXem Quyết định 5 tại đây\n"),
    ("# A\n\nsnake_case_name và 2*3*4 giữ nguyên\n\n# B\n", "A\nsnake_case_name và 2*3*4 giữ nguyên\nB\n"),
    # superscripts and footnotes
    ("# A\n\nLưu lượng 120 m^3^/s, diện tích 5 km<sup>2</sup>, theo Luật^1^.\n",
     "A\nLưu lượng 120 m³/s, diện tích 5 km², theo Luật[1].\n"),
    ("# A\n\nTheo Nghị định[^1] đã ban hành.\n\n[^1]: Nghị định 90/2020/NĐ-CP.\n",
     "A\nTheo Nghị định[1] đã ban hành.\n[1] Nghị định 90/2020/NĐ-CP.\n"),
    # wrapped paragraphs, hard breaks, setext headings, rules
    ("KẾ HOẠCH\n========\n\nSở Tài chính chủ trì,\nphối hợp với các sở.  \nDòng sau\n\n---\n\n# B\n",
     "KẾ HOẠCH\nSở Tài chính chủ trì, phối hợp với các sở.\nDòng sau\nB\n"),
    # lists: `1.` for every item numbered as shown; bullets; nested; continuation lines
    ("# A\n\n1. Một\n1. Hai\n    tiếp theo\n1. Ba\n\n# B\n\n3. Ba\n1. Bốn\n",
     "A\n1. Một\n2. Hai tiếp theo\n3. Ba\nB\n3. Ba\n4. Bốn\n"),
    ("# A\n\n* Một\n+ Hai\n-   Ba\n    1. Con\n    1. Con hai\n\n# B\n",
     "A\n- Một\n- Hai\n- Ba\n1. Con\n2. Con hai\nB\n"),
    # front matter; code fences kept as they are
    ("---\ntitle: x\nauthor: y\n---\n\n# A\n\n```\n**giữ**  nguyên\n```\n", "A\n**giữ**  nguyên\n"),
])
def test_markdown_constructs(markdown: str, text: str) -> None:
    src = read_bytes("kh.md", markdown.encode("utf-8"))
    assert src.reader == "markdown"
    assert src.text == text


def test_pipe_table_continuation_rows_and_escaped_pipes() -> None:
    md = ("| TT | Nhiệm vụ | Chủ trì | Thời hạn |\n|---|---|---|---|\n"
          "| 1 | Rà soát quy hoạch | Sở Nông nghiệp và | Quý II/ |\n"
          "|  | khoáng sản \\| đất đai | môi trường | 2026 |\n"
          "|  | Kiểm tra định kỳ | Công an tỉnh | Năm 2026 |\n"
          "|  |  | 12,5 | 13 |\n")
    src = read_bytes("kh.md", md.encode("utf-8"))
    assert src.text.splitlines() == [
        "TT\tNhiệm vụ\tChủ trì\tThời hạn",
        "1\tRà soát quy hoạch khoáng sản | đất đai\tSở Nông nghiệp và môi trường\tQuý II/ 2026",
        "\tKiểm tra định kỳ\tCông an tỉnh\tNăm 2026",  # a new entry (capital): its own row
        "\t\t12,5\t13",  # figures: a row of data
    ]
    assert {i.kind for i in src.lines} == {"table"}


def test_grid_table_cells_over_several_lines() -> None:
    md = ("+-----+--------------------+-----------+\n"
          "| TT  | Nhiệm vụ           | Chủ trì   |\n"
          "+=====+====================+===========+\n"
          "| 1   | Rà soát quy hoạch  | Sở Tài    |\n"
          "|     | khoáng sản         | chính     |\n"
          "+-----+--------------------+-----------+\n")
    src = read_bytes("kh.md", md.encode("utf-8"))
    assert src.text.splitlines() == ["TT\tNhiệm vụ\tChủ trì",
                                     "1\tRà soát quy hoạch khoáng sản\tSở Tài chính"]


@pytest.mark.parametrize("seed", SEEDS)
def test_plain_plans_are_not_markdown(seed: str) -> None:
    assert not looks_like_markdown(seed_text(seed))
