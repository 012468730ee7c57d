"""Plain-text plans in every encoding offices send them: the same plan comes out."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest
from docgen import plan_of

from kehoach.read import read_bytes
from kehoach.read.syllables import TONES

SAMPLE = Path(__file__).resolve().parents[1] / "kehoach" / "data" / "samples" / "003_230a64e200d485dd.txt"


def windows_1258(text: str) -> bytes:
    """Windows-1258 writes the tone as a combining mark after a base letter it has."""
    out = []
    for ch in text:
        nfd = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES))
        out.append(base + "".join(c for c in nfd if c in TONES))
    return "".join(out).encode("cp1258", errors="ignore")  # what the code page cannot write is lost


ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8 with BOM": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-16 with BOM": lambda t: t.encode("utf-16"),
    "utf-16-le without BOM": lambda t: t.encode("utf-16-le"),
    "utf-16-be without BOM": lambda t: t.encode("utf-16-be"),
    "windows-1258": windows_1258,
}


@pytest.fixture(scope="module")
def reference() -> dict:
    return plan_of(read_bytes(SAMPLE.name, SAMPLE.read_bytes()))


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_every_encoding_gives_the_same_plan(encoding: str, reference: dict) -> None:
    text = SAMPLE.read_text("utf-8")
    plan = plan_of(read_bytes(SAMPLE.name, ENCODINGS[encoding](text)))
    assert plan["document"] == reference["document"]
    assert [t["text"] for t in plan["tasks"]] == [t["text"] for t in reference["tasks"]]
    assert plan["indicators"] == reference["indicators"]
