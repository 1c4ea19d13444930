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
from ingest.sections import UNLABELLED_SECTION, section_role

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


ROUNDS = {"1-3": (1, 29), "4": (30, 39), "5": (40, 47), "6": (48, 55)}
"""Files by the round that added them (their leading number): each round's files are
scored on their own, so a round of harder pages never lowers an earlier round's floor."""
FLOORS = {
    ("tune", "1-3"): (0.95, 0.95),
    ("check", "1-3"): (0.5, 0.5),
    ("tune", "4"): (0.88, 0.97),
    ("tune", "5"): (1.0, 1.0),
    ("check", "6"): (0.39, 0.83),
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
Round 5 (files 40-47, collected by a worker who wrote no code) scored 38 of 79 items,
precision 38 of 45, before and after round 5's changes.  Round 6 looked at them and fixed
their layouts: they are 'tune' files now (no 'check' floor) and hold at what they score
after it, 79 of 79 items, precision 79 of 79.
Round 6 (files 48-55, collected by a worker who wrote no code) holds at what it scored
before and after round 6's changes: 15 of 38 items, precision 15 of 18.
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


def test_a_glued_list_number_a_glued_label_and_a_glued_fold_link() -> None:
    """Round 6 (eDoc, Hedensted): '2.Title' in a list lost its space; 'TitleReferat' is the
    heading with the item's first label on its line; 'TitleKlik her for at folde ud ...'
    is the heading with a fold link that repeats the title."""
    text = (
        "Dagsorden\nRegionsrådet 24-11-2020 13:00\n\n"
        "1.Meddelelse fra formanden\n2.Orientering om kvartalsrapport\n"
        "3. LUKKET PUNKT: Salg af grund\n\n"
        "1. Meddelelse fra formandenReferat\n\nFormanden orienterede om mødet.\n"
    )
    meeting = parse_meeting(Document(path="/archive/region/dagsorden.txt", text=text))
    assert [(i.number, i.title, i.closed) for i in meeting.items] == [
        ("1", "Meddelelse fra formanden", False),
        ("2", "Orientering om kvartalsrapport", False),
        ("3", "Salg af grund", True),
    ]
    assert [(s.name, s.role) for s in meeting.items[0].sections] == [("Referat", "decision")]
    assert meeting.items[0].sections[0].text == "Formanden orienterede om mødet."
    folded = (
        "Det lokale beskæftigelsesråd - Dagsordener og referater\nMødedato: 31. august 2023\n"
        "Dagsordenpunkter\n"
        "1. Godkendelse af dagsordenKlik her for at folde ud og læse mere om Godkendelse af "
        "dagsorden\nSagsfremstilling\nRådet godkender dagsordenen.\n"
        "Administrationen indstiller\nat dagsordenen godkendes\nBeslutning\nGodkendt.\n"
        "2. Lokal varme - midlerKlik her for at folde ud og læse mere om Lokal varme - midler\n"
        "Sagsfremstilling\nMidlerne fordeles.\nIndstilling\nBorgmesteren indstiller\n"
        "at midlerne fordeles.\n"
    )
    meeting = parse_meeting(Document(path="/archive/raad/punkter.txt", text=folded))
    assert meeting.body == "Det lokale beskæftigelsesråd"
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Godkendelse af dagsorden"), ("2", "Lokal varme - midler")]
    assert [[(s.name, s.role) for s in i.sections] for i in meeting.items] == [
        [("Sagsfremstilling", "background"), ("Administrationen indstiller", "proposal"),
         ("Beslutning", "decision")],
        [("Sagsfremstilling", "background"), ("Indstilling", "proposal")],
    ]  # 'Borgmesteren indstiller' under 'Indstilling' is the proposal's text


def test_a_labelled_toc_whose_wrapped_titles_follow_their_labels() -> None:
    """Round 6 (a PDF transcript): 'Sag nr. N Title' entries; where titles wrapped, the
    labels come first and the titles after them, cut where a new title most likely starts
    (a capital after a word in lower case, before a function word)."""
    text = (
        "Referat fra møde i Økonomiudvalget Tirsdag den 18. maj 2010\n\n"
        "Indhold\nSag nr. 74 Orientering om likviditet 2010\nSag nr. 75\nSag nr. 76\n"
        "Sag nr. 77 Byggeregnskab for Solhøjvej, Frederikssund Kommune Støttepulje til "
        "initiativer i landsbyer - Vejleby Bylaug opholdsplads m.m. Forslag til indsatsplan "
        "for Værebro\nSag nr. 78 Klimakommune 2010\n"
    )
    meeting = parse_meeting(Document(path="/archive/oeu/referat.txt", text=text))
    assert [(i.number, i.title) for i in meeting.items] == [
        ("74", "Orientering om likviditet 2010"),
        ("75", "Byggeregnskab for Solhøjvej, Frederikssund Kommune"),
        ("76", "Støttepulje til initiativer i landsbyer - Vejleby Bylaug opholdsplads m.m."),
        ("77", "Forslag til indsatsplan for Værebro"),
        ("78", "Klimakommune 2010"),
    ]


def test_a_paged_toc_on_one_line_and_a_short_transcript_page() -> None:
    """Round 6 (PDF transcripts): 'Sag nr: Side: 01 Title 3 02 Title 8' is a TOC of two
    entries; a page line that opens with its number and closes with 'Side N' is re-flowed
    however short, its page number is not read as part of the item number, and an empty
    'Sagsnr.:' after the title is no part of it."""
    toc = (
        "LYNGBY-TAARBÆK KOMMUNE\n\n1 Udviklingsudvalget Protokol Tirsdag den 9. oktober "
        "2012\n\n2 INDHOLDSFORTEGNELSE Sag nr: Side: 01 Kommuneplanstrategi høring 3 "
        "02 Budget 2013 for boliger 8\n"
    )
    meeting = parse_meeting(Document(path="/archive/udvikling/protokol.txt", text=toc))
    assert [(i.number, i.title) for i in meeting.items] == [
        ("01", "Kommuneplanstrategi høring"), ("02", "Budget 2013 for boliger")]
    assert meeting.body == "Udviklingsudvalget, Lyngby-Taarbæk Kommune"
    page = (
        "1 Referat fra mødet i Kulturudvalget Mødedato: Onsdag den 29. april 2015 Side 1\n\n"
        "3 35 Godkendelse af dagsorden Sagsnr.: Sagen afgøres i: Kulturudvalget "
        "Sagsbeskrivelse: Vurdering: Indstillinger: Indstilles til godkendelse Bilag: "
        "Beslutning i Kulturudvalget den : Godkendt. Side 3\n"
    )
    meeting = parse_meeting(Document(path="/archive/kultur/referat.txt", text=page))
    assert [(i.number, i.title) for i in meeting.items] == [("35", "Godkendelse af dagsorden")]
    assert [(s.name, s.role) for s in meeting.items[0].sections] == [
        ("Sagen afgøres i", "other"), ("Sagsbeskrivelse", "background"),
        ("Vurdering", "background"), ("Indstillinger", "proposal"), ("Bilag", "attachments"),
        ("Beslutning i Kulturudvalget den", "decision"),
    ]


def test_headings_closed_by_a_full_stop_and_a_status_case_line() -> None:
    """Round 6 (Odense 2008): every heading ends in '.', which is no part of the title
    (the last heading, cut before its text, still stands alone as one); 'Åbent - KLE -
    case number' under a heading gives the case number; '<Town> Byråd' names the body;
    upper-case labels keep their printed name."""
    text = (
        "Odense Byråd\n\nReferat\n\nOnsdag den 26-03-2008 kl. 17:00\n\n"
        "1. Udpegning af et nyt medlem til bestyrelsen for I/S Infra Service.\n"
        "Åbent - 00.01.00A04 - 2007/34364\n\n\nSAGSRESUMÉ\n\nEt medlem er udtrådt.\n\n"
        "BESLUTNING\n\nGodkendt.\n\n\n"
        "2. Beretning nr. 225 vedrørende åbningsbalancen.\n"
    )
    meeting = parse_meeting(Document(path="/archive/byraad/referat.txt", text=text))
    assert meeting.body == "Odense Byråd"
    assert [(i.number, i.title, i.case_number) for i in meeting.items] == [
        ("1", "Udpegning af et nyt medlem til bestyrelsen for I/S Infra Service", "2007/34364"),
        ("2", "Beretning nr. 225 vedrørende åbningsbalancen", None),
    ]
    assert [(s.name, s.role) for s in meeting.items[0].sections] == [
        ("SAGSRESUMÉ", "background"), ("BESLUTNING", "decision")]


def test_a_dated_stamp_of_a_body_of_listed_areas_is_a_decision() -> None:
    """Round 6 (Region Hovedstaden): 'Miljø- og klimaudvalgets beslutning den 2. november
    2022:' is that body's decision; without a date, 'Miljø- og Fødevareklagenævnets
    afgørelse' is a subheading about another authority's ruling, no label."""
    stamp = "Miljø- og klimaudvalgets beslutning den 2. november 2022:"
    assert section_role(stamp) == "decision"
    assert section_role("Miljø- og Fødevareklagenævnets afgørelse") is None
    assert section_role("Forvaltningen indstiller") == "proposal"
