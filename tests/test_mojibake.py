"""Mojibake repair at ingest: UTF-8 text garbled upstream (read as cp1252 or a DOS code page
before it reached us) parses like the clean page; correct Danish text is never touched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ftfy.bad_codecs  # noqa: F401  (registers 'sloppy-windows-1252': how Windows reads)
import pytest

from ingest.models import Meeting
from ingest.pipeline import load_meeting
from ingest.readers import read_document

ROOT = Path(__file__).parents[1]
SAMPLES = sorted((ROOT / "data" / "samples" / "kkr-midtjylland").glob("*.txt"))
FIRSTAGENDA = sorted((ROOT / "tests" / "fixtures" / "greve").glob("*.json"))
CODE_PAGES = ("sloppy-windows-1252", "latin-1", "cp437", "cp850", "cp852", "cp865")
"""Code pages UTF-8 is misread as upstream: Windows, ISO, and the DOS pages ('├ą', '├©')."""


def garble(text: str, codepage: str) -> str:
    """``text``'s UTF-8 bytes read as ``codepage``: the mojibake another system sends."""
    return text.encode("utf-8").decode(codepage)


def outline(meeting: Meeting) -> Any:
    """Everything parsing made of a page: body, date, type, items, sections and their text."""
    return (
        meeting.body, meeting.date, meeting.doc_type, meeting.location,
        [
            (i.number, i.title, i.case_number, i.closed, i.start, i.end,
             [(s.name, s.role, s.start, s.end, s.text) for s in i.sections])
            for i in meeting.items
        ],
    )  # fmt: skip


def repaired(meeting: Meeting) -> list[str]:
    return [w for w in meeting.warnings if w.startswith("text repaired: mojibake")]


@pytest.mark.parametrize("codepage", CODE_PAGES)
def test_garbled_page_parses_like_the_clean_page(tmp_path: Path, codepage: str) -> None:
    clean_path = SAMPLES[0]
    clean_doc, clean = load_meeting(clean_path)
    garbled_text = garble(clean_path.read_text(encoding="utf-8"), codepage)
    assert "Regionsr" not in garbled_text or "rådet" not in garbled_text
    assert "æ" not in garbled_text and "ø" not in garbled_text  # it really is garbled
    path = tmp_path / clean_path.name
    path.write_text(garbled_text, encoding="utf-8")
    doc, meeting = load_meeting(path)
    assert doc.text == clean_doc.text
    assert outline(meeting) == outline(clean)
    assert clean.body and clean.items  # the comparison is over a parsed page
    (warning,) = repaired(meeting)
    assert "UTF-8 read as" in warning and warning.endswith("line(s)")
    assert not repaired(clean)


@pytest.mark.parametrize("codepage", ["sloppy-windows-1252", "cp850"])
def test_garbled_firstagenda_export_parses_like_the_clean_one(
    tmp_path: Path, codepage: str
) -> None:
    source = FIRSTAGENDA[0]
    _, clean = load_meeting(source)

    def garbled(value: Any) -> Any:
        if isinstance(value, str):
            return garble(value, codepage)
        if isinstance(value, list):
            return [garbled(v) for v in value]
        if isinstance(value, dict):
            return {k: garbled(v) for k, v in value.items()}
        return value

    path = tmp_path / source.name
    data = garbled(json.loads(source.read_bytes()))
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _, meeting = load_meeting(path)
    assert meeting.body and "Ã" not in meeting.body and "├" not in meeting.body
    assert outline(meeting) == outline(clean)
    assert repaired(meeting) and not repaired(clean)
    assert meeting.warnings[: len(clean.warnings)] == clean.warnings


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_clean_text_around_a_garbled_paragraph_is_unchanged(tmp_path: Path, path: Path) -> None:
    """The repair is on (one pasted paragraph is garbled and comes back) and every other
    character of a real Danish page comes through byte for byte."""
    clean_doc = read_document(path)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    danish = [k for k, line in enumerate(lines) if any(c in line for c in "æøåÆØÅ–")]
    assert len(danish) >= 3
    for k in danish[1:3]:
        lines[k] = garble(lines[k], "sloppy-windows-1252")
    mixed = tmp_path / path.name
    mixed.write_text("\n".join(lines), encoding="utf-8")
    doc = read_document(mixed)
    assert doc.text == clean_doc.text
    assert "text repaired: mojibake (UTF-8 read as cp1252) on 2 line(s)" in doc.warnings


@pytest.mark.parametrize("path", FIRSTAGENDA, ids=lambda p: p.name[:30])
def test_clean_firstagenda_fields_are_unchanged(tmp_path: Path, path: Path) -> None:
    """One garbled field is repaired; every clean field of a real export is kept as is."""
    clean_doc, clean = load_meeting(path)
    data = json.loads(path.read_bytes())
    data["Udvalg"]["Navn"] = garble(data["Udvalg"]["Navn"] + " – Æbleø", "cp850")
    clean_name = clean.body + " – Æbleø" if clean.body else None
    edited = tmp_path / path.name
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    doc, meeting = load_meeting(edited)
    assert meeting.body == clean_name
    assert doc.text.replace(str(clean_name), str(clean.body)) == clean_doc.text
    assert repaired(meeting) == ["text repaired: mojibake (UTF-8 read as cp850) on 1 line(s)"]


ODD_BUT_CORRECT = """\
Referat - Udvalget for Ældre og Sundhed
Mødedato: 3. marts 2024

1. Programmet for ældre
Sagsnr.: 24-001234
Beslutning
I Greve Kommune er dette arbejde en del af programmet ”Ældre og sundhed i
Greve”, som kampagnen »Ældre
i bevægelse« og projektet ”Østervang
Syd” hører under.
Godkendt som »TRÆ« og „PÅ“ – jf. § 17, stk. 4; ½ time à 1.250 € (± 5 %, 20 °C, 10 m²).
Naïve café-ejer Müller ‘Øst’ … • Straße ™ © ® ¼ ¾ µ ‰ — ‹ › ˆ ˜.

2. Eventuelt
Beslutning
Intet.
"""
"""A page with legitimate odd characters: Danish quotes before a capital Æ/Ø at a line
break, whose bytes in Mac Roman are valid UTF-8 of Cyrillic or Latin Extended letters
('”Ældre' -> 'Ӯldre', '»Ældre' -> 'Ȯldre'; ftfy's badness counts that as a repair), and
common signs."""


def test_legitimate_odd_characters_are_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "side.txt"
    garbled_line = garble("Mødet blev holdt på Rådhuset.", "cp852")
    path.write_text(ODD_BUT_CORRECT + garbled_line + "\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.text == ODD_BUT_CORRECT + "Mødet blev holdt på Rådhuset.\n"
    assert doc.warnings == ["text repaired: mojibake (UTF-8 read as cp852) on 1 line(s)"]
