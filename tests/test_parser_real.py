"""Real published agendas/minutes from systems the corpus in ``tests/general/`` does not imitate.

``tests/general_real/`` holds the beginnings of real Danish municipal meeting pages as their
stored text (sources in its README.md); ``expected.json`` says what a careful reader finds
in each, under the same rules as ``tests/general/expected.json``.  A part the parser still
gets wrong is recorded as a strict xfail naming the failure, so the gap stays visible and
a fix shows up as an unexpected pass.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_parser_general import _norm, outline, outline_diff

from ingest.models import ITEM_NUMBER_RE, ROLES, Document, Meeting
from ingest.parser import parse_meeting
from ingest.sections import UNLABELLED_SECTION

CORPUS = Path(__file__).parent / "general_real"
EXPECTED: dict[str, Any] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
DOCS = sorted(name for name in EXPECTED if not name.startswith("_"))
PARTS = ("header", "items")
USES = ("tune", "check")
"""'used_for' (README column 'used for'): 'tune' files were looked at while fixing the parser,
'check' files were only scored at the end, so they measure layouts the fixes never saw;
entries without it were all looked at."""


def load(name: str) -> Document:
    want = EXPECTED[name]
    return Document(path=want["path"], text=(CORPUS / name).read_text(encoding="utf-8"))


def parsed(name: str) -> Meeting:
    try:
        return parse_meeting(load(name))
    except Exception as exc:  # the parser must never refuse a document with text
        pytest.fail(f"{name}: parse_meeting raised {type(exc).__name__}: {exc}")


def _case(name: str, part: str) -> Any:
    reason = EXPECTED[name].get("xfail", {}).get(part)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(name, part, marks=marks, id=f"{name}-{part}")


def test_corpus_is_complete_and_consistent() -> None:
    """Every document has an expectation, with a source in the README, and it is well-formed."""
    files = sorted(
        p.name
        for p in CORPUS.iterdir()
        if p.suffix in (".txt", ".md", ".html") and p.name != "README.md"
    )
    assert files == DOCS
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for name in DOCS:
        want = EXPECTED[name]
        assert name in readme, f"{name}: no source in README.md"
        assert want["path"].startswith("/") and want["covers"], name
        assert set(want.get("xfail", {})) <= set(PARTS), name
        assert want.get("used_for", "tune") in USES, (name, want.get("used_for"))
        text = (CORPUS / name).read_text(encoding="utf-8")
        for item in want["items"]:
            unnumbered = item["number"] == "" and len(want["items"]) == 1  # rules: 'items'
            assert unnumbered or ITEM_NUMBER_RE.match(item["number"]), (name, item["number"])
            assert item["title"].strip() == item["title"] and item["title"], name
            assert _norm(item["title"]) in _norm(text), (name, item["title"])
            if item["case_number"]:
                assert item["case_number"] in text, (name, item["case_number"])
            for label, role in item["sections"]:
                assert role in ROLES, (name, label, role)
                assert label in text or label == UNLABELLED_SECTION, (name, label)


@pytest.mark.parametrize(("name", "part"), [_case(n, p) for n in DOCS for p in PARTS])
def test_real_document(name: str, part: str) -> None:
    """'header': body, date and doc type; 'items': every item with its sections."""
    want, got = EXPECTED[name], outline(parsed(name))
    keys = ("body", "date", "doc_type") if part == "header" else ("items",)
    expected = {k: want[k] if k in keys else got[k] for k in ("body", "date", "doc_type", "items")}
    if got != expected:
        pytest.fail(f"{name} ({want['covers']})\n{outline_diff(expected, got)}")


ROUNDS = {"1-3": (1, 29), "4": (30, 39), "5": (40, 47)}
"""Files by the round that added them (their leading number): each round's files are
scored on their own, so a round of harder pages never lowers an earlier round's floor."""
FLOORS = {
    ("tune", "1-3"): (0.95, 0.95),
    ("check", "1-3"): (0.5, 0.5),
    ("tune", "4"): (0.88, 0.97),
    ("check", "5"): (0.48, 0.84),
}
"""(recall, precision) floors per 'used_for' and round: the files looked at while fixing
meet the product's 0.95 in rounds 1-3; the check files (layouts no fix was made for: a
PolWeb item page, an item page without its number, bulleted headings) hold at what they
scored when added (third round: 1 of 3 items, before and after that round's changes).
Round 4 (files 30-39) holds at what it scores after its changes: tune 37 of 47 items
(a pdf2html TOC and a one-line TOC without numbers unread), check 3 of 37 (unchanged by
the round: doubled list numbers, a one-line list, unnumbered headings under site text).
Round 5 fixed those check files (37 of 37 items when scored before they were re-labelled)
and looked at them, and at 28: they are 'tune' now, so round 4 has no check files left and
28 leaves the rounds 1-3 check files (25 and 29: 1 of 2 items).  Round 4 tune holds at 74
of 84 items (33's pdf2html TOC and 39's numberless one-line TOC still unread).
Round 5 (files 40-47, collected by a worker who wrote no code) holds at what it scored
before and after round 5's changes: 38 of 79 items, precision 38 of 45.
A floor moves up as layouts are fixed, never down."""


def _item_scores(names: list[str]) -> tuple[float, float]:
    found = expected_items = parsed_items = 0
    for name in names:
        got = [(i.number, _norm(i.title)) for i in parsed(name).items]
        parsed_items += len(got)
        for item in EXPECTED[name]["items"]:
            expected_items += 1
            if (key := (item["number"], _norm(item["title"]))) in got:
                got.remove(key)
                found += 1
    return found / expected_items, found / max(parsed_items, 1)


@pytest.mark.parametrize(("use", "round_"), list(FLOORS))
def test_real_item_recall_and_precision(use: str, round_: str) -> None:
    """Items (number + title) found over the real corpus, xfails included, per 'used_for'
    and round."""
    low, high = ROUNDS[round_]
    names = [
        n for n in DOCS
        if EXPECTED[n].get("used_for", "tune") == use and low <= int(n[:2]) <= high
    ]
    recall, precision = _item_scores(names)
    print(f"real corpus ({use}, round {round_}, {len(names)} files): "
          f"recall {recall:.3f}, prec. {precision:.3f}")
    floor_recall, floor_precision = FLOORS[(use, round_)]
    assert recall >= floor_recall and precision >= floor_precision, (recall, precision)


def test_a_number_glued_to_lowercase_text_is_no_heading() -> None:
    """'1.Temamøde' (a web page's text lost the space) heads an item; '3.at ...' inside an
    item's text is a numbered point of it, not the next item."""
    text = (
        "Referat\n\nUdvalg: Teknisk Udvalg\n\nMødedato: 18-02-2019\n\n1.Temamøde om diger\n\n"
        "Sagsfremstilling\n\nDer orienteres om diger.\n\n"
        "2.Orientering om udbud\n\nIndstilling\n\nDet indstilles,\n\n3.at udvalget drøfter "
        "sagen.\n\nBeslutning\n\nTaget til efterretning.\n"
    )
    meeting = parse_meeting(Document(path="/archive/teknisk/referat.txt", text=text))
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Temamøde om diger"), ("2", "Orientering om udbud")]


def test_a_repeated_title_and_a_field_value_are_no_labels() -> None:
    """Round 4 (Allerød): the title printed again under its heading is the title even when
    it is a label word, and 'Beslutning.' under the caption 'Punkttype' is that field's
    value, not the item's decision."""
    text = (
        "Referat\n\nUdvalg: Teknisk Udvalg\n\nMødedato: 06-03-2018\n\n"
        "1. Bemærkninger til dagsordenen\n\nBemærkninger til dagsordenen\n\nPunkttype\n"
        "Beslutning.\n\nBeslutning Teknisk Udvalg den 06-03-2018\nIngen.\n\n"
        "2. Meddelelser\n\nMeddelelser\n\nPunkttype\nOrientering.\n\nTema\nNy kontrakt.\n"
    )
    meeting = parse_meeting(Document(path="/archive/teknik/referat.txt", text=text))
    assert [[(s.name, s.role) for s in i.sections] for i in meeting.items] == [
        [("Punkttype", "other"), ("Beslutning Teknisk Udvalg den 06-03-2018", "decision")],
        [("Punkttype", "other"), ("Tema", "background")],
    ]


def test_a_toc_title_broken_over_two_lines_is_one_entry() -> None:
    """Round 4 (Hjørring): a PDF line that starts in lower case right under a TOC entry
    without a page number continues its title, and the entries after it still count."""
    text = (
        "Åben dagsorden\nByrådet\nMødedato:\n25. maj 2016\nPkt. Tekst\n"
        "1 Revisionsberetning nr. 19\n2 Industrivej - Vedtagelse af lokalplan for\n"
        "forlystelsesanlæg\n3 Trafik i Østergade\nSide\n2\n5\n8\n"
        "1.\nRevisionsberetning nr. 19\nResumé\nBeretningen er modtaget.\n"
    )
    meeting = parse_meeting(Document(path="/archive/byraad/dagsorden.txt", text=text))
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Revisionsberetning nr. 19"),
        ("2", "Industrivej - Vedtagelse af lokalplan for forlystelsesanlæg"),
        ("3", "Trafik i Østergade"),
    ]


def test_a_committee_of_listed_areas_and_a_register_case_number() -> None:
    """Round 4: 'Teknik, Erhverv, Plan og Miljøudvalget' is one committee (a list of areas,
    none a body itself), and 'J.nr. ØU 5/2006' a case number with its register's capitals
    (over the heading, past the padding lines a web page puts between them)."""
    text = (
        "UDVALG\n\nTeknik, Erhverv, Plan og Miljøudvalget\n\nMØDE\n\nDagsorden\n\n"
        "STARTTIDSPUNKT\n\n06-03-2018 07:30:00\n\nJ.nr.   ØU 5/2006\n\n \n\n \n\n"
        "5.   Økonomiudvalgets dagsorden\n\nINDSTILLING\n\nDet indstilles, at den godkendes.\n"
    )
    meeting = parse_meeting(Document(path="/archive/teknik/dagsorden.txt", text=text))
    assert meeting.body == "Teknik, Erhverv, Plan og Miljøudvalget"
    assert [(i.number, i.case_number) for i in meeting.items] == [("5", "ØU 5/2006")]
