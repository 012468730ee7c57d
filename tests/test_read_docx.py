"""DOCX reader: real Word files made from the seeds (tables, heading table, TCVN3/VNI fonts)."""

from __future__ import annotations

import contextlib
import difflib
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from docgen import (
    SHARED,
    gold_plan,
    key_scores,
    load_score,
    make_docx,
    seed_blocks,
    seed_text,
    words,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kehoach.errors import ReadError
from kehoach.read import read_bytes, read_path

SEEDS = ["000_9b195ff9d1fb2156.txt", "002_23dbc6410858588b.txt", "003_230a64e200d485dd.txt"]


@pytest.fixture(scope="session")
def docx_files(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str | None], Path]:
    out = tmp_path_factory.mktemp("docx")
    files = {}
    for seed in SEEDS:
        blocks = seed_blocks(seed_text(seed))
        for enc in (None, "tcvn3", "vni"):
            path = out / f"{seed[:3]}-{enc or 'unicode'}.docx"
            files[(seed, enc)] = make_docx(blocks, path, enc)
    return files


@pytest.mark.parametrize("seed", SEEDS)
def test_docx_text_matches_seed(docx_files: dict, seed: str) -> None:
    src = read_path(docx_files[(seed, None)])
    assert src.reader == "docx"
    ratio = difflib.SequenceMatcher(None, words(seed_text(seed)), words(src.text),
                                    autojunk=False).ratio()
    assert ratio > 0.995


@pytest.mark.parametrize("seed", SEEDS)
def test_docx_tables_are_tab_rows(docx_files: dict, seed: str) -> None:
    text = read_path(docx_files[(seed, None)]).text
    got = {" ".join(x.split()) for x in text.splitlines() if "\t" in x}
    for line in seed_text(seed).splitlines():
        if "\t" in line:
            cells = "\t".join(" ".join(c.split()) for c in line.rstrip("\n").split("\t"))
            assert any(cells.strip() in g or " ".join(cells.split()) == g for g in got), line


def test_docx_heading_table_read_column_by_column(docx_files: dict) -> None:
    lines = read_path(docx_files[("002_23dbc6410858588b.txt", None)]).text.splitlines()
    assert lines[:2] == ["Số: 77/QĐ-UBND", "Trà Vinh, ngày 18 tháng 01 năm 2025"]


def test_docx_bullets_rendered(docx_files: dict) -> None:
    text = read_path(docx_files[("002_23dbc6410858588b.txt", None)]).text
    assert "- Như Điều 3;" in text.splitlines()


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
def test_legacy_font_docx_equals_unicode_docx(docx_files: dict, seed: str, enc: str) -> None:
    legacy = read_path(docx_files[(seed, enc)])
    assert legacy.text == read_path(docx_files[(seed, None)]).text
    assert any(f"legacy encoding {enc}" in n for n in legacy.notes)


def test_numbering_and_footnote_markers(tmp_path: Path) -> None:
    import docx

    doc = docx.Document()
    for text in ("Mục tiêu thứ nhất", "Mục tiêu thứ hai"):
        doc.add_paragraph(text, style="List Number")
    doc.add_paragraph("Nội dung", style="List Bullet")
    path = tmp_path / "numbered.docx"
    doc.save(str(path))
    lines = read_path(path).text.splitlines()
    assert lines == ["1. Mục tiêu thứ nhất", "2. Mục tiêu thứ hai", "- Nội dung"]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("enc", [None, "tcvn3", "vni"])
def test_plan_from_docx_scores_like_clean_text(docx_files: dict, seed: str,
                                               enc: str | None) -> None:
    score = load_score()
    gold = gold_plan(seed)
    if score is None or gold is None:
        pytest.skip("../shared/eval (score.py, gold) not present")
    from kehoach.extract import extract_path

    clean = key_scores(score, gold, extract_path(Path(__file__).parents[1] / "kehoach" / "data"
                                                 / "samples" / seed))
    got = key_scores(score, gold, extract_path(docx_files[(seed, enc)]))
    for metric, value in clean.items():
        assert got[metric] >= value - 0.02, (metric, got[metric], value)


# --- real files ------------------------------------------------------------------------------
REAL_DOCX = sorted((SHARED / "docs").glob("*.docx")) if (SHARED / "docs").exists() else []


@pytest.mark.skipif(not REAL_DOCX, reason="../shared/docs not present")
@pytest.mark.parametrize("path", REAL_DOCX, ids=lambda p: p.name)
def test_real_docx(path: Path) -> None:
    src = read_path(path)
    lines = src.text.splitlines()
    assert "KẾ HOẠCH" in lines
    assert {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"} & set(lines)
    assert any(ln.startswith("Số:") and "/KH-" in ln for ln in lines)
    assert len(src.text) > 5000


@pytest.mark.skipif(not REAL_DOCX, reason="../shared/docs not present")
def test_real_docx_appendix_table_and_footnote() -> None:
    src = read_path(SHARED / "docs" / "laocai-kh-chi-thi-11-khoang-san-2026.docx")
    rows = [ln.split("\t") for ln in src.text.splitlines() if "\t" in ln]
    assert any("Tên nhiệm vụ" in r for r in rows)
    assert len(rows) > 10
    assert "[1]" in src.text
    assert any(ln.startswith("[1] ") for ln in src.text.splitlines())


# --- bad input -------------------------------------------------------------------------------
def test_corrupt_docx() -> None:
    with pytest.raises(ReadError, match="hỏng"):
        read_bytes("hong.docx", b"PK\x03\x04" + b"\x00garbage" * 100)


def test_truncated_docx(docx_files: dict) -> None:
    data = docx_files[(SEEDS[0], None)].read_bytes()
    with pytest.raises(ReadError, match="hỏng"):
        read_bytes("cut.docx", data[: len(data) // 2])


def test_zip_without_document() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "xin chào")
    with pytest.raises(ReadError, match="word/document.xml"):
        read_bytes("khong-phai-word.docx", buf.getvalue())


def test_zip_bomb_docx() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w:document>" + b" " * 30_000_000 + b"</w:document>")
    with pytest.raises(ReadError, match="zip bomb"):
        read_bytes("bom.docx", buf.getvalue())


def test_encrypted_docx() -> None:
    # an encrypted OOXML file is an OLE2 container holding an EncryptedPackage stream
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode(
        "utf-16-le") + b"\x00" * 1024
    with pytest.raises(ReadError, match="mật khẩu"):
        read_bytes("mat-khau.docx", data)


@pytest.mark.skipif(shutil.which("libreoffice") is not None or shutil.which("soffice") is not None,
                    reason="LibreOffice is installed: .doc would be converted")
def test_doc_without_libreoffice_says_what_to_install() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048
    with pytest.raises(ReadError, match="LibreOffice"):
        read_bytes("cu.doc", data)


def test_binary_that_is_not_a_plan() -> None:
    with pytest.raises(ReadError, match="nhị phân"):
        read_bytes("chuong-trinh.exe", b"MZ\x90\x00\x03\x00" + bytes(range(256)) * 8)


def test_heading_in_text_boxes(tmp_path: Path) -> None:
    """Issuer and motto typed in two text boxes anchored in the first paragraph."""
    import docx
    from docx.oxml import parse_xml

    doc = docx.Document()
    anchor = doc.add_paragraph()
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')
    for lines in (["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI"],
                  ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]):
        paras = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in lines)
        anchor._p.append(parse_xml(f'<w:r {ns}><w:pict><v:shape><v:textbox><w:txbxContent>'
                                   f'{paras}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))
    doc.add_paragraph("KẾ HOẠCH")
    path = tmp_path / "textbox.docx"
    doc.save(str(path))
    assert read_path(path).text.splitlines() == [
        "ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "KẾ HOẠCH"]


def test_extract_explain_prints_reader_and_repairs(docx_files: dict) -> None:
    from typer.testing import CliRunner

    from kehoach.cli import app

    path = docx_files[("003_230a64e200d485dd.txt", "tcvn3")]
    result = CliRunner().invoke(app, ["extract", str(path), "--explain"])
    assert result.exit_code == 0, result.output
    assert "reader docx" in result.stderr
    assert "legacy encoding tcvn3 converted to Unicode" in result.stderr
    assert '"format": "plan/v1"' in result.stdout


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=20),
       cut=st.floats(0.05, 1.0))
def test_damaged_docx_never_raises_anything_but_read_error(docx_files: dict,
                                                           edits: list[tuple[int, int]],
                                                           cut: float) -> None:
    data = bytearray(docx_files[(SEEDS[2], None)].read_bytes())
    for pos, value in edits:
        data[pos % len(data)] = value
    with contextlib.suppress(ReadError):
        read_bytes("hong.docx", bytes(data[: max(4, int(len(data) * cut))]))


def _to_doc(docx: Path, out: Path) -> Path:
    """Word 97 .doc by LibreOffice, through ODT: its direct DOCX→DOC export drops tables."""
    import subprocess

    office = shutil.which("soffice") or shutil.which("libreoffice")
    src = docx
    for fmt in ("odt", "doc"):
        subprocess.run([str(office), "--headless", "--norestore", "--convert-to", fmt,
                        "--outdir", str(out), str(src)], check=True, capture_output=True,
                       timeout=180, env={"HOME": str(out), "PATH": "/usr/bin:/bin"})
        src = out / f"{docx.stem}.{fmt}"
    return src


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice is not installed (CI leaves it out: too big)")
def test_doc_through_libreoffice(docx_files: dict, tmp_path: Path) -> None:
    import docx

    small = docx.Document()
    small.add_paragraph("Kế hoạch triển khai thực hiện nhiệm vụ năm 2026")
    table = small.add_table(rows=2, cols=3)
    for r, row in enumerate([("TT", "Nhiệm vụ", "Cơ quan chủ trì"),
                             ("1", "Rà soát thủ tục hành chính", "Sở Tư pháp")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    small.save(str(tmp_path / "small.docx"))
    src = read_bytes("bang.doc", _to_doc(tmp_path / "small.docx", tmp_path).read_bytes())
    assert src.reader == "doc"
    assert src.notes[0] == "converted .doc to .docx with LibreOffice"
    assert "1\tRà soát thủ tục hành chính\tSở Tư pháp" in src.text.splitlines()
    # a whole plan (prose) survives the round trip word for word
    plan = docx_files[("000_9b195ff9d1fb2156.txt", None)]
    src = read_bytes("ke-hoach.doc", _to_doc(plan, tmp_path).read_bytes())
    ratio = difflib.SequenceMatcher(None, words(read_path(plan).text), words(src.text),
                                    autojunk=False).ratio()
    assert ratio > 0.99


def test_footnotes_and_endnotes(tmp_path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Căn cứ Luật Địa chất và khoáng sản")
    doc.add_paragraph("Hết.")
    doc.save(str(tmp_path / "plain.docx"))
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    notes = {
        "word/footnotes.xml": f'<w:footnotes {w}><w:footnote w:type="separator" w:id="-1"/>'
                              '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r>'
                              '<w:t xml:space="preserve"> Luật số 54/2024/QH15.</w:t></w:r></w:p>'
                              '</w:footnote></w:footnotes>',
        "word/endnotes.xml": f'<w:endnotes {w}><w:endnote w:id="2"><w:p><w:r><w:t>Nghị quyết '
                             'số 10-NQ/TW.</w:t></w:r></w:p></w:endnote></w:endnotes>',
    }
    out = tmp_path / "notes.docx"
    with zipfile.ZipFile(tmp_path / "plain.docx") as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"kho\xc3\xa1ng s\xe1\xba\xa3n</w:t></w:r>",
                                    "khoáng sản</w:t></w:r><w:r><w:footnoteReference w:id=\"1\"/>"
                                    "</w:r><w:r><w:endnoteReference w:id=\"2\"/></w:r>".encode())
            dst.writestr(item, data)
        for member, xml in notes.items():
            dst.writestr(member, xml)
    src_text = read_path(out)
    assert src_text.text.splitlines() == [
        "Căn cứ Luật Địa chất và khoáng sản[1][i]", "Hết.", "[1] Luật số 54/2024/QH15.",
        "[i] Nghị quyết số 10-NQ/TW."]
    assert "1 endnotes appended as [i]" in src_text.notes
