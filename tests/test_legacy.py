"""Legacy encodings: TCVN3 (ABC) and VNI to Unicode; Unicode text is never altered."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach.read import read_bytes, read_path
from kehoach.read.legacy import (
    convert_span,
    decode_legacy_bytes,
    detect,
    is_syllable,
    repair_text,
    tcvn3_to_unicode,
    unicode_to_tcvn3,
    unicode_to_vni,
    vni_to_unicode,
)

SAMPLES = Path(__file__).resolve().parents[1] / "kehoach" / "data" / "samples"

VN_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
VN_LETTERS = VN_LOWER + VN_LOWER.upper()

# (legacy text as it comes out of a .VnTime / VNI-Times run, Unicode)
TCVN3_CASES = [
    ("Hµ Néi", "Hà Nội"),
    ("nh©n d©n tØnh", "nhân dân tỉnh"),
    ("kÕ ho¹ch ph¸t triÓn kinh tÕ - x· héi", "kế hoạch phát triển kinh tế - xã hội"),
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("tr­íc ngµy 30/6/2025", "trước ngày 30/6/2025"),
    ("Së Tµi chÝnh chñ tr×, phèi hîp", "Sở Tài chính chủ trì, phối hợp"),
]
VNI_CASES = [
    ("Haø Noäi", "Hà Nội"),
    ("UÛy ban nhaân daân tænh", "Ủy ban nhân dân tỉnh"),
    ("keá hoaïch phaùt trieån kinh teá - xaõ hoäi", "kế hoạch phát triển kinh tế - xã hội"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("tröôùc ngaøy 30/6/2025", "trước ngày 30/6/2025"),
    ("Sôû Taøi chính chuû trì, phoái hôïp", "Sở Tài chính chủ trì, phối hợp"),
]


@pytest.mark.parametrize(("legacy", "unicode"), TCVN3_CASES)
def test_tcvn3_phrases(legacy: str, unicode: str) -> None:
    assert tcvn3_to_unicode(legacy) == unicode
    assert detect(legacy) == "tcvn3"
    assert repair_text(legacy)[0] == unicode


@pytest.mark.parametrize(("legacy", "unicode"), VNI_CASES)
def test_vni_phrases(legacy: str, unicode: str) -> None:
    assert vni_to_unicode(legacy) == unicode
    assert detect(legacy) == "vni"
    assert repair_text(legacy)[0] == unicode


def test_font_hints() -> None:
    assert convert_span("Hµ Néi", font=".VnTime") == ("Hà Nội", "tcvn3")
    assert convert_span("bé tµi chÝnh", font=".VnTimeH") == ("BỘ TÀI CHÍNH", "tcvn3")
    assert convert_span("Haø Noäi", font="VNI-Times") == ("Hà Nội", "vni")
    # Unicode typed in a run that still carries an old font name is left alone
    assert convert_span("Hà Nội", font=".VnTime") == ("Hà Nội", None)
    assert convert_span("Hà Nội", font="Times New Roman") == ("Hà Nội", None)


def test_mixed_line_converts_only_the_legacy_span() -> None:
    line = "Kế hoạch của Ủy ban nhân dân: " + unicode_to_tcvn3("triển khai thực hiện nghiêm túc")
    fixed, counts = repair_text(line)
    assert fixed == "Kế hoạch của Ủy ban nhân dân: triển khai thực hiện nghiêm túc"
    assert counts == {"tcvn3": 1}


@pytest.mark.parametrize("text", [
    "¹ Theo Bộ tiêu chí Quốc gia", "Nhiệt độ 30°C, đạt 100%⁽¹⁾;", "«Tăng trưởng» § 3",
    "có ý kiến", "Hà Nội", "Báo cáo © 2025", "µm",
])
def test_unicode_with_symbols_is_left_alone(text: str) -> None:
    assert repair_text(text) == (text, {})


def test_syllables() -> None:
    for w in ("nghiêng", "quyết", "giữa", "khuyên", "người", "Ủy", "TỈNH", "ạ"):
        assert is_syllable(w), w
    for w in ("caùc", "Néi", "hµ", "tØnh", "aoc"):
        assert not is_syllable(w), w


vietnamese_text = st.text(alphabet=VN_LETTERS + " ,.;:-()/0123456789\n", max_size=200)


@settings(max_examples=300, deadline=None)
@given(vietnamese_text)
def test_tcvn3_round_trip(text: str) -> None:
    assert tcvn3_to_unicode(unicode_to_tcvn3(text)) == unicodedata.normalize("NFC", text)


@settings(max_examples=300, deadline=None)
@given(vietnamese_text)
def test_vni_round_trip(text: str) -> None:
    assert vni_to_unicode(unicode_to_vni(text)) == unicodedata.normalize("NFC", text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=VN_LETTERS + " ,.;:-()/%0123456789\n“”–…", max_size=300))
def test_unicode_vietnamese_never_altered(text: str) -> None:
    assert repair_text(text) == (text, {})
    assert convert_span(text) == (text, None)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=100))
def test_repair_never_raises(text: str) -> None:
    fixed, _ = repair_text(text)
    assert isinstance(fixed, str)


def _sample_lines(name: str) -> list[str]:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    ok = set(VN_LETTERS) | set("“”–…")
    # a line holding Latin-1 symbols (¹, °) is ambiguous once encoded: they are TCVN3 letters
    return [ln for ln in text.splitlines() if len(ln.split()) >= 6 and "\t" not in ln
            and all(c.isascii() or c in ok for c in ln)]


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_seed_lines_detected_and_restored(name: str) -> None:
    lines = _sample_lines(name)
    for line in lines:
        want = unicodedata.normalize("NFC", line)
        if any(c in line for c in "ỦỨỪỬỮỰỲỶỸÝỴ"):  # capitals VN3 lacks: tested through .VnTimeH
            continue
        assert repair_text(unicode_to_tcvn3(line))[0] == want
        assert repair_text(unicode_to_vni(line))[0] == want


def test_raw_legacy_bytes_files() -> None:
    text = (SAMPLES / "003_230a64e200d485dd.txt").read_text(encoding="utf-8")
    # an 8-bit file holds no curly quotes or dashes: typists used ASCII ones
    text = text.translate(str.maketrans({"“": '"', "”": '"', "–": "-", "…": "..."}))
    ok = set(VN_LETTERS)
    text = "\n".join(ln for ln in text.splitlines()
                     if "\t" not in ln and all(c.isascii() or c in ok for c in ln))
    tcvn = unicode_to_tcvn3(text).encode("latin-1", errors="replace")
    vni = unicode_to_vni(text).encode("cp1252", errors="replace")
    assert decode_legacy_bytes(tcvn)[1] == "tcvn3"
    assert decode_legacy_bytes(vni)[1] == "vni"
    src = read_bytes("kh-tcvn3.txt", tcvn)
    assert src.text == unicodedata.normalize("NFC", text)
    assert "tcvn3" in " ".join(src.notes)
    src = read_bytes("kh-vni.txt", vni)
    assert src.text == unicodedata.normalize("NFC", text)
    assert "vni" in " ".join(src.notes)


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_unicode_samples_read_unchanged(name: str) -> None:
    src = read_path(SAMPLES / name)
    assert src.text == (SAMPLES / name).read_text(encoding="utf-8")
    assert src.notes == ["reader text, encoding utf-8"]


# --- legacy text that arrives as UTF-8 mojibake --------------------------------------------------
def _legacy_sample() -> str:
    """The 003 sample as an 8-bit document can hold it (ASCII quotes and dashes, no tables)."""
    text = (SAMPLES / "003_230a64e200d485dd.txt").read_text(encoding="utf-8")
    text = text.translate(str.maketrans({"“": '"', "”": '"', "–": "-", "…": "..."}))
    ok = set(VN_LETTERS)
    return "\n".join(ln for ln in text.splitlines()
                     if "\t" not in ln and all(c.isascii() or c in ok for c in ln)) + "\n"


def _vntimeh(text: str) -> str:
    """TCVN3 as typists write it: lines in capitals typed in the small-letter slots of a
    `.VnTimeH` font (VN3 has no capital toned letters), the Latin letters left as typed."""
    out = []
    for line in text.split("\n"):
        if line.isupper():
            line = "".join(c if c.isascii() else unicode_to_tcvn3(c.lower()) for c in line)
        else:
            line = unicode_to_tcvn3(line)
        out.append(line)
    return "\n".join(out)


def _windows_1252(data: bytes) -> str:
    """Bytes as Windows shows them in code page 1252: the five unassigned bytes (0x81, 0x8D,
    0x8F, 0x90, 0x9D) become the C1 characters of the same number, as MultiByteToWideChar does."""
    return "".join(chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
                   for b in data)


MOJIBAKE = {
    # what the file holds: the 8-bit codes read as Latin-1 or Windows-1252, saved as UTF-8
    "tcvn3 as latin-1": (lambda t: unicode_to_tcvn3(t).encode("utf-8"), "tcvn3"),
    "tcvn3 as cp1252": (lambda t: _windows_1252(unicode_to_tcvn3(t).encode("latin-1"))
                        .encode("utf-8"), "tcvn3"),
    ".VnTimeH capitals as cp1252": (lambda t: _windows_1252(_vntimeh(t).encode("latin-1"))
                                    .encode("utf-8"), "tcvn3"),
    ".VnTimeH capitals, raw bytes": (lambda t: _vntimeh(t).encode("latin-1"), "tcvn3"),
    "vni as cp1252": (lambda t: unicode_to_vni(t).encode("utf-8"), "vni"),
    "vni, raw bytes": (lambda t: unicode_to_vni(t).encode("cp1252"), "vni"),
}


@pytest.mark.parametrize("kind", list(MOJIBAKE))
def test_mojibake_recognised_and_converted(kind: str) -> None:
    """`KÕ ho¹ch`, `Sè:` (TCVN3 read as Latin-1 and saved as UTF-8) and the like come back
    as the Unicode text, every line of it, capitals included."""
    text = _legacy_sample()
    make, encoding = MOJIBAKE[kind]
    src = read_bytes("kh.txt", make(text))
    assert src.text == unicodedata.normalize("NFC", text)
    assert f"encoding {encoding}" in src.notes[0]


@pytest.mark.parametrize(("mojibake", "unicode"), [
    ("KÕ ho¹ch", "Kế hoạch"),
    ("Sè: 12/KH-UBND\nKÕ ho¹ch thùc hiÖn nhiÖm vô n¨m 2026", "Số: 12/KH-UBND\nKế hoạch thực hiện nhiệm vụ năm 2026"),
    ("KÕ HO¹CH\nTriÓn khai thùc hiÖn", "KẾ HOẠCH\nTriển khai thực hiện"),
])
def test_mojibake_phrases(mojibake: str, unicode: str) -> None:
    assert read_bytes("kh.txt", mojibake.encode("utf-8")).text == unicode


vietnamese_words = st.lists(st.sampled_from([
    "Kế", "hoạch", "Số:", "cà", "phê", "tài", "chính", "Sở", "báo", "cáo", "ngày", "30/6/2026",
    "Ủy", "ban", "nhân", "dân", "tỉnh", "Bà", "Rịa", "Tây", "Nguyên", "è", "à", "ô", "Đà", "Lạt",
    "100%", "“Tăng", "trưởng”", "–", "m²", "km", "°C", "¹", "(1)", "a)", "-", "TCVN", "KH-UBND",
]), min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(vietnamese_words, st.sampled_from([" ", "\n", ", ", "\t"]))
def test_unicode_text_never_changed_by_reading(words: list[str], sep: str) -> None:
    text = sep.join(words) + "\n"
    assert read_bytes("kh.txt", text.encode("utf-8")).text == text
