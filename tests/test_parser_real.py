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
from ingest.parser import closed_title, parse_meeting
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


ROUNDS = {"1-3": (1, 29), "4": (30, 39), "5": (40, 47), "6": (48, 55), "7": (56, 63),
          "8": (64, 71), "9": (72, 79), "10": (80, 87), "12": (88, 95),
          "13": (96, 103), "14": (104, 111),
          "15": (112, 119), "16": (120, 127), "17": (128, 135)}
"""Files by the round that added them (their leading number): each round's files are
scored on their own, so a round of harder pages never lowers an earlier round's floor."""
FLOORS = {
    ("tune", "1-3"): (0.95, 0.95),
    ("check", "1-3"): (1.0, 1.0),
    ("tune", "4"): (0.88, 0.97),
    ("tune", "5"): (1.0, 1.0),
    ("tune", "6"): (1.0, 1.0),
    ("tune", "7"): (1.0, 1.0),
    ("tune", "8"): (0.97, 0.97),
    ("tune", "9"): (1.0, 1.0),
    ("tune", "10"): (0.96, 1.0),
    ("tune", "12"): (1.0, 1.0),
    ("tune", "13"): (0.98, 0.98),
    ("tune", "14"): (0.83, 0.94),
    ("tune", "15"): (0.81, 0.94),
    ("tune", "16"): (0.98, 0.98),
    ("tune", "17"): (0.96, 0.96),
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
Round 6 (files 48-55, collected by a worker who wrote no code) scored 15 of 38 items,
precision 15 of 18, before and after round 6's changes.  Round 7 looked at them and fixed
their layouts: they are 'tune' files now (no 'check' floor) and hold at what they score
after it, 38 of 38 items, precision 38 of 38.  Round 7's bulleted labels also read 29's
bulleted heading, a rounds 1-3 check file it did not look at: that floor is 2 of 2 now.
Round 7 (files 56-63, collected by a worker who wrote no code): round 7's changes took
57's items from 11 to 4 of 14 (its contents list, split by group headings set off by blank
lines, lost its first group); 57 was looked at to find that and fixed (tune, 14 of 14).
The seven others held at what they scored before and after round 7: 10 of 41 items,
precision 10 of 11.  Round 8 looked at them and fixed their layouts: all eight are 'tune'
files now (no 'check' floor for round 7) and hold at what they score after it, 55 of 55
items, precision 55 of 55.
Round 8 (files 64-71, collected by a worker who wrote no code) scored 24 of 45 items,
precision 24 of 26, before and after round 8's changes.  Round 9 looked at them and fixed
their layouts: all eight are 'tune' files now (no 'check' floor for round 8) and hold at
what they score after it, 44 of 45 items, precision 44 of 45 (64's one item, an Acadre
case block flattened onto a transcript's page line, is still unread).
Round 9 (files 72-79, collected by a worker who wrote no code) scored 44 of 62 items,
precision 44 of 50, before and after round 9's changes.  Round 10 looked at them and fixed
their layouts: all eight are 'tune' files now (no 'check' floor for round 9) and hold at
what they score after it, 62 of 62 items, precision 62 of 62.
Round 10 (files 80-87, collected by a worker who wrote no code; seven PDF transcripts)
scored 3 of 30 items before round 10's changes and holds at what it scored after them: 4
of 30, precision 4 of 9.  Round 11 looked at them: all eight are 'tune' files now (no
'check' floor for round 10) and hold at what they score after it, 18 of 30 items,
precision 18 of 27 (80's 'Pkt. Tekst Side' table and 87's one-line agenda run on after
its page header are read; 81's and 82's tables whose rows lost numbers, 83's list after
an upper-case group heading and 84's items run on with their text are still unread).
Round 12 read those four layouts and holds at 27 of 30 items, precision 27 of 29 (82's
item 49, the first row of its table's second page, is still unread).
Round 12 (files 88-95, collected by a worker who wrote no code, eight systems: five
municipalities' own web publications, a joint fire service's page, three PDF transcripts)
scored 16 of 21 items, precision 16 of 21, before and after round 12's changes: they came
as 'check' files (their layouts: a link text glued to titles, a closed marker glued to a
title, a contents title run on over a line break, bodies named in lower case or by a meeting
word).  Round 13 looked at them: all eight are 'tune' files now (no 'check' floor for round
12) and hold at what they score after it, 21 of 21 items, precision 21 of 21.  Round 13's
group headings run into a one-line agenda ('Punkter til beslutning:') also read 87's items
3 and 7: round 10 holds at 29 of 30 items, precision 29 of 29 (82's item 49 still unread).
Round 13 (files 96-103, collected by a worker who wrote no code: councils for the disabled,
the elderly and the vulnerable on municipal and their own sites, a regional growth forum,
a regional elderly council's transcript, a waste company's board) scored 21 of 60 items,
precision 21 of 33, before and after round 13's changes: 'check' files.  Round 14 looked at
them: all eight are 'tune' files now (no 'check' floor for round 13) and hold at what they
score after it, 59 of 60 items, precision 59 of 60 (100's item 7 keeps its contents entry's
title, not its heading's).
Round 14 (files 104-111, collected by a worker who wrote no code: a business region's board
(a KKR cooperation), integration, rural-district, elderly, senior and green councils on
municipal sites, apps and document sites) scored 26 of 43 items, precision 26 of 31, before
and after round 14's changes: 'check' files.  Round 15 looked at them: all eight are 'tune'
files now (no 'check' floor for round 14) and hold at what they score after it, 27 of 43
items, precision 27 of 31 (106's contents title closing on a stranded preposition 'med.';
104's entries run into a title, 107's 'Pkt. 1' and 109's numbers alone on their line, 108's
app page and 111's glued 'Ad N.' headings are still unread).
Round 15 (files 112-119, collected by a worker who wrote no code: Gladsaxe's old Notes
site, Movia's and NT's board papers as transcripts, Sermersooq, Slagelse's fire commission,
and newer pages of Holbæk's, Frederikssund's and Faxe's systems) scored 21 of 44 items,
precision 21 of 24, before and after round 15's changes: 'check' files.  Round 16 looked at
them: all eight are 'tune' files now (no 'check' floor for round 15) and hold at what they
score after it, 21 of 44 items, precision 21 of 24 (its fixes were labels and bodies: 113's
one-line agenda under group headings, 114's entries run into a title and 112's 'Sagsnr.:
37' as the item's number are still unread).
Round 17 read numbers alone on their line above the title with the sub-points listed under
an item (107, 109), contents entries run on in the entry before a gap in the numbering
(104, 114) and the first page of a transcript's one-line agenda that lost its first number
(113): round 14 holds at 36 of 43 items, precision 36 of 38 (108's app page, 111's glued
'Ad N.' headings still unread), round 15 at 36 of 44, precision 36 of 38 (112's 'Sagsnr.:
37', 113's second page and its first page's footer run into item 15's title still unread).
Round 16 (files 120-127, collected by a worker who wrote no code) was looked at by parser
round 18, so they are 'tune' files: 40 of 95 items before it, 94 of 95, precision 94 of 95,
after (125's item 6 runs on into item 7's title, whose number was lost with a year).
Round 17 (files 128-135, collected by a worker who wrote no code) was looked at by parser
round 19, so they are 'tune' files: 56 of 58 items, precision 56 of 58, after it (132's
item titled by its bullet's link text, 135's lone item 1 above lettered additions).
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
        if EXPECTED[n].get("used_for", "tune") == use and low <= int(n.split("_")[0]) <= high
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


def _items(text: str, path: str = "/archive/byraad/referat.txt") -> list[tuple[str, str]]:
    return [(i.number, i.title) for i in parse_meeting(Document(path=path, text=text)).items]


def test_bulleted_labels_back_punkt_headings() -> None:
    """Round 7 (Syddjurs): labels printed as list bullets ('  • Sagsfremstilling') back the
    headings 'Punkt 571 Title'; a list of label words ('- Økonomi' / '- Bilag') stays text."""
    text = (
        "Mødedetaljer\n\nUdvalg Dato Type\nByrådet 24-06-2020 16:00 Referat\n\n"
        "Punkt 571 Spørgetid\n  • Sagsfremstilling\n\n    To spørgsmål:\n\n"
        "    1. Overdragelse af underskrifter.\n    2. Spørgsmål om lukning.\nShow video\n"
        "Punkt 572 Revisionsberetning 2019\n  • Resumé\n\n    BDO har revideret.\n\n"
        "  • Sagsfremstilling\n\n    Beretningen fremsendes.\n"
    )
    meeting = parse_meeting(Document(path="/archive/byraadet.txt", text=text))
    assert [(i.number, i.title) for i in meeting.items] == [
        ("571", "Spørgetid"), ("572", "Revisionsberetning 2019")]
    assert [s.name for s in meeting.items[1].sections] == ["Resumé", "Sagsfremstilling"]
    listed = "Punkt 3 Budget\nSagsfremstilling\nDækker:\n- Økonomi\n- Bilag\nSlut.\n"
    sections = parse_meeting(Document(path="/a/b.txt", text=listed)).items[0].sections
    assert [s.name for s in sections] == ["Sagsfremstilling"]


def test_colon_headings_and_labels_glued_to_their_text() -> None:
    """Round 7 (Ringkøbing-Skjern): '1 : Title' is a heading; 'BeslutningGodkendt.' is the
    label 'Beslutning' glued to its text; 'KommuneKredit' opens with no label."""
    text = (
        "Referat: 2. februar 2026 kl. 08:30\nReferat\n- Godkendelse af dagsorden\n"
        "- Garanti til kloakering\nKopier link til punktet - Print\n"
        "1 : Godkendelse af dagsorden\nSagsnr:\nBilagIngen bilag.\nBeslutningGodkendt.\n"
        "Kopier link til punktet - Print\n2 : Garanti til kloakering\nSagsnr: 26-001771\n"
        "SagsfremstillingSelskabet har søgt om garanti.\nKommuneKredit yder lånet.\n"
    )
    meeting = parse_meeting(Document(path="/archive/udvalg/referat.txt", text=text))
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Godkendelse af dagsorden"), ("2", "Garanti til kloakering")]
    sections = meeting.items[0].sections
    assert [(s.name, s.role) for s in sections] == [
        ("Bilag", "attachments"), ("Beslutning", "decision")]
    assert (sections[0].text, sections[1].text.split("\n")[0]) == ("Ingen bilag.", "Godkendt.")
    assert meeting.items[1].case_number == "26-001771"
    assert [s.name for s in meeting.items[1].sections] == ["Sagsfremstilling"]


def test_a_long_title_after_pkt_and_an_election_period_before_the_date() -> None:
    """Round 7 (Frederiksberg 2022): 'Pkt. 197 Forslag til beslutning fra ...' carries a
    title of 30 words (a proposal naming its proposers); the body keeps its election period
    before the date ('Kommunalbestyrelsen 2022-25 den 3. oktober 2022')."""
    names = ", ".join(f"Navn{k} Efternavn{k}" for k in range(9))
    title = f"Forslag til beslutning fra rådmænd {names} om sang inden hvert møde"
    text = (
        "Referat til mødet i Kommunalbestyrelsen 2022-25 den 3. oktober 2022 kl. 19:00\n\n"
        f"Pkt. 197 {title}\nSagsfremstilling\nForslaget er stillet.\nopen\n"
        "Pkt. 198 Valg af nyt medlem\nResume\nEt medlem vælges.\nBeslutning\nGodkendt.\n"
    )
    assert len(title.split()) > 25
    meeting = parse_meeting(Document(path="/archive/kb/referat.txt", text=text))
    assert [(i.number, i.title) for i in meeting.items] == [
        ("197", title), ("198", "Valg af nyt medlem")]
    assert meeting.body == "Kommunalbestyrelsen 2022-25"


def test_group_headings_inside_a_list_of_items() -> None:
    """Round 7 (Frederiksberg 2015): 'Fra Børneudvalget' between '57.' and '58.' heads a
    group of the list, which goes on across it; a heading not followed by the next number
    ends the list."""
    text = (
        "Åben dagsorden\nKommunalbestyrelsen\nDen 16. marts 2015, kl. 19.00\n \n"
        "55.  Forslag om stofindtagelsesrum\n56.  Forslag om en stressenhed\n"
        "Fra Børneudvalget\n57.  Fondsmidler til Børneuniverset\nFra Magistraten\n"
        "58.  Månedsopfølgning 2014\n59.  Driftsoverførsler 2014\n"
    )
    assert [n for n, _ in _items(text)] == ["55", "56", "57", "58", "59"]
    assert _items(text)[2] == ("57", "Fondsmidler til Børneuniverset")


def test_a_transcript_page_that_opens_with_an_item_heading() -> None:
    """Round 7 (Tårnby transcript): '3 1. Title Åben sag Sagsnr.: ... RESUMÉ ... BESLUTNING
    I KOMMUNALBESTYRELSEN DEN Godkendt. 2' is a page (its number, a heading, its printed
    page number): re-flowed, the status is no part of the title and the upper-case label
    runs on in capitals."""
    text = (
        "Transkript\n\n1 TÅRNBY KOMMUNE Referat til Kommunalbestyrelsen Mødedato: Tirsdag "
        "den 30. april 2013\n\n3 1. Godkendelse af dagsorden Åben sag Sagsnr.: 13/10057 "
        "Sagsansvarlig: mhe.of RESUMÉ Godkendt. BESLUTNING I KOMMUNALBESTYRELSEN DEN "
        "Godkendt. 2\n"
    )
    meeting = parse_meeting(Document(path="/archive/kb/referat.txt", text=text))
    assert [(i.number, i.title, i.case_number) for i in meeting.items] == [
        ("1", "Godkendelse af dagsorden", "13/10057")]
    assert [(s.name, s.role) for s in meeting.items[0].sections] == [
        ("RESUMÉ", "background"), ("BESLUTNING I KOMMUNALBESTYRELSEN DEN", "decision")]


def test_a_committee_by_its_areas_and_a_proposal_label_naming_the_committee() -> None:
    """Round 7 (Gribskov): 'Forebyggelse og Idræt' over the date is the body, as the text
    names 'udvalget for Forebyggelse og Idræt'; 'Administrationen indstiller til udvalget
    for ...' is a proposal label; site text naming both types ('tillægsdagsorden/-referat')
    gives no doc type (recorded decisions make it 'referat')."""
    text = (
        "Dagsordener og referater\n\nHvis der er to på samme dato, så er det en "
        "tillægsdagsorden/-referat.\n\nForebyggelse og Idræt\n\nMandag den 30-04-2018 kl. "
        "16:30\n\n4. Godkendelse af dagsorden\n\nSagsnummer: 00.22.00-P35-3-18\n\n"
        "Sagsfremstilling\n\nDagsordenen udsendes.\n\n"
        "Administrationen indstiller til udvalget for Forebyggelse og Idræt at tiltræde:\n"
        "  1. at godkende dagsorden\n\nBeslutning\n\n1. Godkendt\n"
    )
    meeting = parse_meeting(Document(path="/archive/punkter.txt", text=text))
    assert (meeting.body, meeting.doc_type) == ("Forebyggelse og Idræt", "referat")
    assert [(s.name, s.role) for s in meeting.items[0].sections] == [
        ("Sagsfremstilling", "background"),
        ("Administrationen indstiller til udvalget for Forebyggelse og Idræt at tiltræde",
         "proposal"),
        ("Beslutning", "decision"),
    ]
    assert section_role("Forvaltningen indstiller til Økonomiudvalget, at planen vedtages") is None


def test_labelled_headings_are_the_last_resort_before_one_unnumbered_item() -> None:
    """Round 7 (``ingest.fallback``): numbered headings in forms the strict readers do not
    take ('Sag nr. 4 - Title', '5) Title'), each followed within a few lines by a known
    label ('Beslutning:' with its text) under site text, are the items; a numbered list
    without labels under its entries, and a page without labels, stay one item."""
    from ingest.fallback import labelled_headings
    from ingest.textlines import split_lines

    text = (
        "Forside\nMenu\nSøg\n\nSag nr. 4 - Godkendelse af dagsorden\nBeslutning: Godkendt.\n\n"
        "Sag nr. 5 - Salg af grund\nSagen drejer sig om:\n1. Pris\n2. Areal\n"
        "Indstilling: Salget godkendes.\n"
    )
    assert [(h.number, h.title) for h in labelled_headings(split_lines(text))] == [
        ("4", "Godkendelse af dagsorden"), ("5", "Salg af grund")]
    page = text.replace("1. Pris\n2. Areal\n", "pris og areal.\n")
    assert _items(page) == [("4", "Godkendelse af dagsorden"), ("5", "Salg af grund")]
    plain = "Nyhedsbrev\n\n1. Første punkt\nTekst.\n2. Andet punkt\nMere tekst.\n"
    assert labelled_headings(split_lines(plain)) == []
    assert [n for n, _ in _items(plain)] == [""]


def test_a_list_goes_on_across_its_group_headings_and_the_blank_lines_around_them() -> None:
    """A contents list split by unnumbered group headings ('Lukkede dagsordenspunkter'),
    each set off by blank lines, is one list: the blank lines around a group heading do
    not make it a loose list of paragraphs (which would leave only its last group)."""
    text = (
        "Referat\ntil\nmødet i Byrådet\nden 15. maj 2018 kl. 17:00\n\nPkt.\n\n"
        "Åbne dagsordenspunkter\n\n1 Godkendelse af dagsorden\n2 Salg af grund\n"
        "3 Ny skolestruktur\n\nLukkede dagsordenspunkter\n\n4 Køb af areal\n5 Personalesag\n\n"
        "Åbne dagsordenspunkter\n\n1. Godkendelse af dagsorden\n\nSagsfremstilling\n\n"
        "Dagsordenen forelægges.\n\nBeslutning\n\nGodkendt.\n"
    )
    assert [n for n, _ in _items(text)] == ["1", "2", "3", "4", "5"]


def _parse(text: str, path: str = "/archive/byraad/referat.txt") -> Meeting:
    return parse_meeting(Document(path=path, text=text))


def test_a_contents_table_flattened_one_cell_a_line() -> None:
    """Round 8 (``ingest.celled_toc``, PDF transcripts): each row's number alone ('1',
    '01.'), its title on the lines below (wrapped, a year on a line of its own), its page
    alone or after dot leaders; a page's footer and the next page's header (a date, the
    page number, the running title) between two rows do not end the list, and a title
    ends where the running title repeats.  Without page numbers the cells are no TOC."""
    text = (
        "Kommune – Byrådet\nDagsorden\nMødedato:\n25. juni 2015\nIndholdsfortegnelse\n"
        "Pkt.\nTekst\nSide\n1\nGodkendelse af dagsorden\n4\n2\nEvaluering af resultatmål "
        "for\n2014\n5\n25. juni 2015\n2\nKommune – Byrådet\nDagsorden\n3\nSalg af areal\n"
        "25. juni 2015\n9\n3\nKommune – Byrådet\nDagsorden\n"
        "1. Godkendelse af dagsorden\nSagsfremstilling\nDagsordenen forelægges.\n"
    )
    assert _items(text) == [
        ("1", "Godkendelse af dagsorden"), ("2", "Evaluering af resultatmål for 2014"),
        ("3", "Salg af areal")]
    leaders = (
        "Referat\nØkonomiudvalget\nMødedato:\nMandag den 16. marts 2015\nSagsoversigt\nSide\n"
        "01.\nGodkendelse af dagsorden......................3\n02.\nEkspropriation af vej og"
        "\nanden ejendom ............9\n03.\nBoligforening ansøger om lån\n"
    )
    meeting = _parse(leaders)
    assert [(i.number, i.title) for i in meeting.items] == [
        ("01", "Godkendelse af dagsorden"), ("02", "Ekspropriation af vej og anden ejendom"),
        ("03", "Boligforening ansøger om lån")]
    assert (meeting.body, meeting.date) == ("Økonomiudvalget", "2015-03-16")
    from ingest.celled_toc import celled_toc
    from ingest.textlines import split_lines

    unpaged = split_lines("1\nFørste punkt\nTekst om det.\n2\nAndet punkt\nMere tekst.\n")
    assert celled_toc(unpaged, 0) is None


def test_a_group_heading_that_says_its_items_are_closed_closes_them() -> None:
    """Round 8 (``ingest.closedgroups``): the entries under 'Lukkede dagsordenspunkter'
    ('Lukkede sager', right above the list too) are closed items, those under 'Åbne ...'
    are not; an unlisted body heading the list does not head follows the list as printed."""
    text = (
        "Referat\nByrådet\nden 15. maj 2018\n\nÅbne dagsordenspunkter\n\n"
        "1 Godkendelse af dagsorden\n2 Ny skolestruktur\n\nLukkede dagsordenspunkter\n\n"
        "3 Køb af areal\n4 Personalesag\n"
    )
    assert [(i.number, i.title, i.closed) for i in _parse(text).items] == [
        ("1", "Godkendelse af dagsorden", False), ("2", "Ny skolestruktur", False),
        ("3", "Køb af areal", True), ("4", "Personalesag", True)]
    above = (
        "Referat for Økonomiudvalget møde den 27. november 2017\n\nÅbne sager\n\n"
        "Lukkede sager\n\n165. Salg af areal\n166. Køb af jord\n167. Køb af ejendom\n\n"
        "ÅBNE SAGER\n\n"
        "145. Lokalplan for boliger\nSagsnr.: 2017-016978\nSagsbehandler: Jacob Kloch\n\n"
        "Præsentation:\n\nIgangsætning af lokalplanlægning.\n\nForvaltningen foreslår:\n\n"
        "  • At der igangsættes lokalplanlægning\n"
    )
    meeting = _parse(above)
    assert [(i.number, i.closed) for i in meeting.items] == [
        ("165", True), ("166", True), ("167", True), ("145", False)]
    assert [(s.name, s.role) for s in meeting.items[3].sections] == [
        ("Præsentation", "background"), ("Forvaltningen foreslår", "proposal")]


def test_the_committee_field_a_site_menu_and_a_us_date() -> None:
    """Round 8: 'Udvalg: Byrådet' names the meeting's body over a site's menu and text
    ('Vesthimmerlands Kommunes Byråd'); 'Byråd og udvalg' (two kinds of bodies) is a
    menu, no body; '8/29/2019 4:00:00 PM' is a US-style date (month first, 12-hour clock)."""
    text = (
        "Logo\n\n> Byråd og Udvalg > Politikker og Planer\n\n"
        "Her finder du dagsordener fra Vesthimmerlands Kommunes Byråd.\n\n"
        "Udvalg: Byrådet\n\nMødedato: 8/29/2019 4:00:00 PM\n\n"
        "1. Godkendelse af dagsorden\n\nBeslutning\n\nGodkendt.\n"
    )
    meeting = _parse(text)
    assert (meeting.body, meeting.date) == ("Byrådet", "2019-08-29")
    menu = (
        "Byråd og udvalg\n\n29. august 2017\n\nReferat (29. august 2017)\n\n"
        "1. Godkendelse af dagsorden\n\nBeslutning\n\nGodkendt.\n"
    )
    assert _parse(menu, "/archive/htk/referat.txt").body is None
    from ingest.header import find_date

    assert find_date("Mødedato: 8/12/2019 4:00:00 PM") == ("2019-08-12", 19)
    assert find_date("Mødedato: 8/12/2019 16:00") == ("2019-12-08", 19)


def test_bulleted_labels_beside_a_deeper_list_a_caseworker_and_a_caption() -> None:
    """Round 8: a bulleted label ('    • Lovgrundlag') right under a list indented deeper
    (the previous section's text) is a label; 'Sagsbeh.: Name' under the case number is the
    case block, no text; a subheading label right under an opening label ('Resume' /
    'Politisk behandling:') with text under it is a caption inside the Resume, while a
    form's empty fields stay labels; 'Mødedeltagelse' is a label."""
    text = (
        "Referat\nUdvalg: Byrådet\nMødedato: 29-08-2019\n\n  • 141.\n    Regnskab 2018\n\n"
        "    • Punktoplysninger\n\n      Sagsnr.: 00.22.02-G01-41-18\n\n"
        "      Sagsbeh.: Eva Bach\n\n    • Sagsfremstilling\n\n      Rettelserne:\n\n"
        "      • donationer skal nedskrives.\n      • gæld skal rettes.\n\n"
        "    • Lovgrundlag\n\n      Lov om kommunernes styrelse\n\n    • Resume\n\n"
        "      Politisk behandling:\n\n      Byrådet, 29.08.2019\n\n    • Mødedeltagelse\n"
        "      Lars Frandsen, miljøsagsbehandler\n\n    • Beslutning\n\n      Godkendt.\n"
    )
    item = _parse(text).items[0]
    assert (item.number, item.title, item.case_number) == (
        "141", "Regnskab 2018", "00.22.02-G01-41-18")
    assert [(s.name, s.role) for s in item.sections] == [
        ("Sagsfremstilling", "background"), ("Lovgrundlag", "background"),
        ("Resume", "background"), ("Mødedeltagelse", "other"), ("Beslutning", "decision")]
    assert "Politisk behandling" in item.sections[2].text
    form = (
        "Referat\nKultur- og Idrætsudvalget 29.04.2015\n\n35. Godkendelse af dagsorden\n\n"
        "Sagsbeskrivelse:\n\nØkonomiske konsekvenser:\n\nIndstillinger:\n\nGodkendes.\n"
    )
    assert [s.name for s in _parse(form).items[0].sections] == [
        "Sagsbeskrivelse", "Økonomiske konsekvenser", "Indstillinger"]


def test_a_contents_table_whose_cells_blank_lines_set_apart() -> None:
    """Round 9 (``ingest.celled_toc``, a web copy of a PDF's contents): each cell set off
    by blank lines ('1.' / '' / title / '' / page), rows out of order (the closed group
    after the open one: 3, 5, 4), a page run into the next group's heading
    ('9Indholdsfortegnelse lukket møde'), a closed item marked '(Lukket punkt)' after its
    title; the first item's status 'Åbent' and routing line '... Brevid: 4251204' are its
    case block, and its stamp '..., pkt. 1' heads the decision."""
    text = (
        "Referat\n\nMøde i Forretningsudvalget\n\nfredag den 14. august 2020 kl. 09:30\n\n"
        "Deltagere:\n\nAnne Hansen (A)Indholdsfortegnelse åbent møde\n\n"
        "1.\n\nGodkendelse af dagsorden\n\n5\n\n2.\n\nBudgetforslag 2021\n\n6\n\n"
        "3.\n\nRevisionsberetninger\n\n8\n\n5.\n\nMeddelelser\n\n"
        "9Indholdsfortegnelse lukket møde\n\n4.\n\nSalg af ejendom (Lukket punkt)\n\n10\n\n\n"
        "1. Godkendelse af dagsorden\n\nÅbent\n\nForretningsudvalget Brevid: 4251204\n\n"
        "Beslutning i Forretningsudvalget fredag den 14. august 2020, pkt. 1\n\nGodkendt.\n"
    )
    meeting = _parse(text)
    assert [(i.number, i.title, i.closed) for i in meeting.items] == [
        ("1", "Godkendelse af dagsorden", False), ("2", "Budgetforslag 2021", False),
        ("3", "Revisionsberetninger", False), ("5", "Meddelelser", False),
        ("4", "Salg af ejendom", True)]
    assert [(s.name, s.role) for s in meeting.items[0].sections] == [
        ("Beslutning i Forretningsudvalget fredag den 14. august 2020, pkt. 1", "decision")]


def test_case_fields_under_a_heading_are_no_text() -> None:
    """Round 9 (``ingest.casefields``, PolWeb and staff-portal pages): the caption
    'Initialer' over its value and the status 'Åbent' under the case number start no
    unlabelled section; 'Sagsid.: 18/64, Sagsinitialer: jonq' states the case number."""
    text = (
        "Referat\n\nUdvalg: Byrådet\n\nMødedato: 9. oktober 2018\n\n"
        "1.      Indkaldelse af stedfortrædere\n\nSagsnr.\n\n450-2018-4075\n\nInitialer\n\n"
        "NIB\n\nÅbent\n\nSagsfremstilling\n\nGruppen har meddelt forfald.\n\n"
        "2.      Valg til bestyrelse\n\nSagsid.: 18/64, Sagsinitialer: jonq\n\n"
        "Sagsfremstilling\n\nDer skal vælges et medlem.\n"
    )
    items = _parse(text).items
    assert [(i.number, i.case_number) for i in items] == [
        ("1", "450-2018-4075"), ("2", "18/64")]
    assert [[s.name for s in i.sections] for i in items] == [
        ["Sagsfremstilling"], ["Sagsfremstilling"]]


def test_resolutions_a_repeated_title_over_a_tab_and_an_upper_case_label() -> None:
    """Round 9: 'Dagsorden med vedtagelser' (the agenda with its resolutions) is minutes;
    the title printed again over a tab caption ('INDHOLD') starts no unlabelled section;
    'BESKRIVELSE AF SAGEN:' is a background label."""
    text = (
        "Dagsorden med vedtagelser\n\nUdvalg:\n\nKommunalbestyrelsen\n\nMødedato:\n\n"
        "12. december 2018\n\n1. Status på arbejdsmiljøet\n\nStatus på arbejdsmiljøet\n\n"
        "INDHOLD\n\nINDSTILLING:\n\nDirektionen indstiller, at status tages til "
        "efterretning.\n\nBESKRIVELSE AF SAGEN:\n\nRedegørelsen er godkendt.\n"
    )
    meeting = _parse(text)
    assert meeting.doc_type == "referat"
    assert [(s.name, s.role) for s in meeting.items[0].sections] == [
        ("INDSTILLING", "proposal"), ("BESKRIVELSE AF SAGEN", "background")]


def test_a_flattened_first_page_with_its_title_and_a_contents_caption() -> None:
    """Round 9 (``ingest.runon``, an Acadre PDF as a transcript, one line a page): the
    title 'Referat fra ordinært møde' after the body's name and the contents caption
    'Følgende sager behandles på mødet' are where the page's lost lines start, so the
    title line names the type, though a contents entry names the other ('... dagsorden')."""
    entries = " ".join(f"Sag om emne nummer {n} i udvalget {n + 1}" for n in range(1, 12))
    text = (
        "Transkript\n\n1 Økonomiudvalget Referat fra ordinært møde Torsdag kl. 8:00 "
        f"Følgende sager behandles på mødet Side {entries} Bemærkninger til dagsorden\n\n"
        "Økonomiudvalget Punkt 1 Meddelelser\n\nBaggrund\n\nDer orienteres.\n"
    )
    assert len(text.split("\n")[2]) > 300
    assert _parse(text, "/archive/docplayer/moede.txt").doc_type == "referat"


def test_a_contents_table_flattened_by_column() -> None:
    """Round 10 (``ingest.column_toc``, a PDF's text layer): the number column printed
    before the title column ('79.' ... '82.' then four titles, one wrapped in lower case),
    then rows that kept number and title together; the numbers pair with the titles."""
    numbers = "".join(f"{n}.\n" for n in range(79, 83))
    text = (
        "Økonomiudvalget\nReferat\nMødedato:\nMandag den 08-04-2013\nIndholdsfortegnelse\n"
        f"Sag nr. Side\n{numbers}Meddelelser\nSalg af grund\nNormering af stilling\n"
        "Genoptagelse af altansager efter fornyede\noplysninger i sagen\n"
        "83. Teletaxi fra havnen\n84. LUKKET SAG Ny færge - kontraktforhold\n"
        "Bilagsoversigt\n79\n80\n\n79. Meddelelser\n12/15486\n00.22.04G01\nÅben sag\n"
    )
    items = _parse(text).items
    assert [(i.number, i.title, i.closed) for i in items] == [
        ("79", "Meddelelser", False), ("80", "Salg af grund", False),
        ("81", "Normering af stilling", False),
        ("82", "Genoptagelse af altansager efter fornyede oplysninger i sagen", False),
        ("83", "Teletaxi fra havnen", False), ("84", "Ny færge - kontraktforhold", True)]
    # a bare year/serial case number, the KLE subject and 'Åben sag' are no text of 79
    assert (items[0].case_number, items[0].sections) == ("12/15486", ())


def test_a_spaced_number_without_its_parent_is_the_items_own() -> None:
    """Round 10 (``column_toc.without_parentless_subnumbers``): '344 2. behandling af
    budget' in a list of flat numbers is item 344, titled '2. behandling af budget'."""
    text = (
        "Referat\n\nKommunalbestyrelsen\n\nden 5. november 2019\n\nPkt. Tekst\n"
        "343 Kirkelig ligning\n344 2. behandling af budget 2020-23\n345 Spørgetid\n\n"
        "343. Kirkelig ligning\n\nBeslutning\n\nGodkendt.\n"
    )
    assert [(i.number, i.title) for i in _parse(text).items] == [
        ("343", "Kirkelig ligning"), ("344", "2. behandling af budget 2020-23"),
        ("345", "Spørgetid")]


def test_a_one_line_contents_list_that_kept_only_its_first_number() -> None:
    """Round 10 (``ingest.lone_entry_toc``): a transcript's contents line whose entries
    lost their numbers but the first; item 1's title ends where the next sentence-case
    title opens, the rest are no items."""
    text = (
        "Transkript\n\n1 Referat Udvalget for Kultur og Planlægning's møde Tirsdag den "
        "06-04-2010 Kl. 13:30\n\nIndholdsfortegnelse Sag Tekst Sidenr.\n"
        "1. Godkendelse af dagsorden Budget rammebesparelse for udvalget Orientering om "
        "pendlerruten Salg af ejendom\n"
    )
    meeting = _parse(text)
    assert [(i.number, i.title) for i in meeting.items] == [("1", "Godkendelse af dagsorden")]
    assert meeting.body == "Udvalget for Kultur og Planlægning"  # "<Body>'s møde"


def test_a_one_line_contents_list_ends_its_title_where_the_heading_does() -> None:
    """Round 10 (``lone_entry_toc``): where the item's heading below prints the first
    title, the list's first entry ends there ('Meddelelser' is the next title, though a
    capitalised word follows it); the flattened heading line breaks before 'Dok.nr.' and
    'Sagsid.' (the case number), and the decision label keeps its body and lost date."""
    text = (
        "Transkript\n\nIndholdsfortegnelse Side\n1. Godkendelse af dagsorden Meddelelser "
        "Ændring af lokalplan for området Salg af grunden til boliger\n\n"
        "3 1. Godkendelse af dagsorden Dok.nr.: 1965 Sagsid.: 14/40 Initialer: dosko Åben "
        "sag Beslutning Økonomiudvalget den Godkendt. Afbud: Ingen Side 2\n"
    )
    item = _parse(text, "/archive/docplayer/referat.txt").items[0]
    assert (item.number, item.title, item.case_number) == (
        "1", "Godkendelse af dagsorden", "14/40")
    assert [(s.name, s.role) for s in item.sections] == [
        ("Beslutning Økonomiudvalget den", "decision")]


def test_a_case_number_under_a_journal_number_and_a_label_with_a_comma() -> None:
    """Round 10 (``casenumbers``, ``labelforms``): a case block printing 'J.nr.' above
    'Sagsnr.' names the case by its Sagsnr.; 'Lovgrundlag, politikker' is a label."""
    text = (
        "Referat\n\nBestyrelsen\n\n29. januar 2016\n\nPkt. 1. Godkendelse af dagsorden (B)\n\n"
        "J.nr.: 00.01.00.A10-0001/2013\nSagsnr.: 6628\n\nIndstilling:\nAt dagsordenen "
        "godkendes.\n\nLovgrundlag, politikker\nStyrelsesloven.\n"
    )
    item = _parse(text).items[0]
    assert item.case_number == "6628"
    assert [(s.name, s.role) for s in item.sections] == [
        ("Indstilling", "proposal"), ("Lovgrundlag, politikker", "background")]


def test_a_one_line_agenda_run_on_after_the_page_header() -> None:
    """Round 11 (``textlines.split_numbered_lists``): a transcript's page line runs the
    header and attendees into the agenda ('... Dagsorden Introduktion ... 1. Title 2.
    Title ...'); a list counting on from '1.' inside the line is split there as well."""
    names = " ".join(f"Bestyrelsesmedlem Navn{i} Efternavn" for i in range(8))
    text = (
        "Transkript\n\n1 Referat af bestyrelsesmøde den 27. februar 2014 Dato: 27. februar "
        f"2014 I mødet deltager: {names} Dagsorden Introduktion til bestyrelsesarbejdet "
        "1. Godkendelse af dagsorden 2. Formanden orienterer 3. Direktionen orienterer "
        "4. Forretningsorden for selskabet 5. Ansøgning om lånegaranti 6. Eventuelt\n"
    )
    items = _parse(text, "/archive/docplayer/referat.txt").items
    assert [(i.number, i.title) for i in items] == [
        ("1", "Godkendelse af dagsorden"), ("2", "Formanden orienterer"),
        ("3", "Direktionen orienterer"), ("4", "Forretningsorden for selskabet"),
        ("5", "Ansøgning om lånegaranti"), ("6", "Eventuelt")]


def test_a_kept_duty_of_confidentiality_closes_the_item() -> None:
    """Round 11 (``parser.closed_title``): a company board's 'Tavshedspligt ikke fraveget'
    after a title (the duty of confidentiality not lifted) closes the item and is no part
    of its title."""
    from ingest.parser import closed_title

    assert closed_title("Kundeforhold Vand A/S Tavshedspligt ikke fraveget") == (
        "Kundeforhold Vand A/S", True)
    assert closed_title("Tavshedspligt for bestyrelsen") == ("Tavshedspligt for bestyrelsen", False)


def test_a_one_line_contents_table_under_pkt_tekst_side() -> None:
    """Round 11 (``columned_toc``): a transcript's page line holding the contents table
    'Pkt. Tekst Side' runs its rows together, number, title and page in turn; each row
    starts at a number after the previous row's page, so a number in a title stays."""
    text = (
        "Transkript\n\n1 Åben dagsorden til mødet i Repræsentantskabet 8. maj 2015\n\n"
        "2 Indholdsfortegnelse Pkt. Tekst Side 1 Valg af dirigent 1 2 Regnskab for 2014 "
        "v. direktøren 2 3 Orientering om takster pr. 1. juli 3 4 Eventuelt 5\n"
    )
    items = _parse(text, "/archive/docplayer/dagsorden.txt").items
    assert [(i.number, i.title) for i in items] == [
        ("1", "Valg af dirigent"), ("2", "Regnskab for 2014 v. direktøren"),
        ("3", "Orientering om takster pr. 1. juli"), ("4", "Eventuelt")]


def test_the_meeting_date_is_the_one_under_tid_not_the_document_date() -> None:
    """Round 11 (``header._timed_date``): a page printing the document's date first
    ('Dato: 15. maj 2015 Initialer: ug') and the meeting's time after it ('Tid: Fredag den
    22. maj 2015 kl. 09:30-12:30') is dated by the meeting."""
    text = (
        "Dato: 15. maj 2015 Initialer: ug Bestyrelsesmøde Dagsorden Tid: Fredag den 22. maj "
        "2015 kl. 09:30-12:30 Sted: Hotellet\n\n1. Godkendelse af dagsordenen\n\n"
        "Sagsfremstilling\n\nIngen.\n"
    )
    meeting = _parse(text)
    assert (meeting.date, meeting.time) == ("2015-05-22", "kl. 09:30-12:30")


def test_where_a_title_ends_in_run_on_text() -> None:
    """Round 12 (``titleends``): the next title opens with capitalised words after a word
    in lower case that goes on in lower case or with a number; a name after a preposition
    ('på Aars Rådhus'), a name before a page number ('Rådhus 31') and an acronym ('EU')
    do not open one.  An item's text opens the same way, after a year or at a label."""
    from ingest.titleends import next_title_at, text_at

    def first(text: str, cut: int | None) -> str:
        return text if cut is None else text[:cut]

    titles = {
        "Budgetopfølgning nr Budgetforslag 2016 med overslagsår": "Budgetopfølgning nr",
        "Udvalgets regnskab Det Kongelige Teaters budget": "Udvalgets regnskab",
        "Høring om NATURA 2000-planerne(kuv) Anlægsregnskaber 2010 (hjm)":
            "Høring om NATURA 2000-planerne(kuv)",
        "Aftale om EU s klimamål i CO2-udslip Projekt Aktiviteternes Hus Orientering om":
            "Aftale om EU s klimamål i CO2-udslip",
        "Køkkenet på Aars Rådhus 31 Afbud": "Køkkenet på Aars Rådhus 31 Afbud",
        "Høringssvar til Vandplanen (kuv)": "Høringssvar til Vandplanen (kuv)",
    }
    assert {text: first(text, next_title_at(text)) for text in titles} == titles
    texts = {
        "Godkendelse af dagsorden Anne Hansen bad om en ændring.": "Godkendelse af dagsorden",
        "Godkendelse af referatet fra den 19. august 2011 Bilag": (
            "Godkendelse af referatet fra den 19. august 2011"),
        "Valg til bestyrelsen for Aarhus Kommunes fond": (
            "Valg til bestyrelsen for Aarhus Kommunes fond"),
    }
    assert {text: first(text, text_at(text)) for text in texts} == texts


def test_a_contents_table_whose_rows_lost_their_numbers() -> None:
    """Round 12 (``columned_toc``, ``headings_unnumbered``): a one-line 'Pkt. Tekst Side'
    table whose numbers skip (8, then 11) holds the titles of the rows between in row 8,
    and the last row may hold more: each row's title ends where the next opens, its page
    is no part of it.  Item 8's heading prints no number (a page number and a column mark
    before it) but repeats the row's title with the year the table lost: it heads 8's
    sections and gives its title."""
    text = (
        "Transkript\n\n1 Referat Teknisk Udvalg Møde 12. marts 2012 kl. 16:00 Pkt. Tekst Side "
        "7 Godkendelse af dagsorden 1 8 Budgetopfølgning pr. 31. marts Den nye skolestruktur 2 "
        "11 Vejbelysning på Torvet 5 12 Kloakfornyelse (jkl) Trafikplan 2013 for byen "
        "Eventuelt 9\n\n2 Å Budgetopfølgning pr. 31. marts 2012 Sagsfremstilling Forbruget "
        "følger budgettet. Beslutning Godkendt. Teknisk Udvalg, 12. marts 2012 Side 2\n"
    )
    items = _parse(text, "/archive/docplayer/referat.txt").items
    assert [(i.number, i.title) for i in items] == [
        ("7", "Godkendelse af dagsorden"), ("8", "Budgetopfølgning pr. 31. marts 2012"),
        ("11", "Vejbelysning på Torvet"), ("12", "Kloakfornyelse (jkl)")]
    assert [(s.name, s.text.split(".")[0]) for s in items[1].sections] == [
        ("Sagsfremstilling", "Forbruget følger budgettet"), ("Beslutning", "Godkendt")]


def test_short_transcript_pages_numbered_in_sequence() -> None:
    """Round 12 (``page_sequence``): transcript lines counting 1, 2, 3, 4, 5 between blank
    lines are pages, short ones too: each is split at its labels ('Sagsfremstilling at
    ...', an upper-case title run into an upper-case label), its page number is no text,
    the contents page's closing folio ('5 2') is no page of row 3, and the headings
    without numbers head the listed items."""
    names = " ".join(f"Medlem{k} Efternavn{k}" for k in range(20))
    text = (
        "Transkript\n\n1 Dato: 2. maj 2016 Bestyrelsesmøde Dagsorden Tid: Fredag den 13. maj "
        f"2016 kl. 10:00 Medlemmer: {names}\n\n"
        "2 Indholdsfortegnelse Pkt. Tekst Side 1 Valg af dirigent 3 2 Regnskab for 2015 4 "
        "3 OPLÆG OM TAKSTER 5 2\n\n"
        "3 Valg af dirigent Sagsfremstilling at næstformanden vælges. Bestyrelsesmøde, d. 13. "
        "maj\n\n4 Regnskab for 2015 Sagsfremstilling Regnskabet viser overskud. Indstilling "
        "Til godkendelse. Bestyrelsesmøde, d. 13. maj\n\n"
        "5 OPLÆG OM TAKSTER SAGSFREMSTILLING Taksterne stiger. Bestyrelsesmøde, d. 13. maj\n"
    )
    items = _parse(text, "/archive/docplayer/dagsorden.txt").items
    assert [(i.number, i.title) for i in items] == [
        ("1", "Valg af dirigent"), ("2", "Regnskab for 2015"), ("3", "OPLÆG OM TAKSTER")]
    assert [[(s.name, s.text.split(".")[0]) for s in i.sections] for i in items] == [
        [("Sagsfremstilling", "at næstformanden vælges")],
        [("Sagsfremstilling", "Regnskabet viser overskud"), ("Indstilling", "Til godkendelse")],
        [("SAGSFREMSTILLING", "Taksterne stiger")]]


def test_an_entry_that_kept_its_number_after_an_upper_case_group_heading() -> None:
    """Round 12 (``grouped_entries``): a one-line contents list that kept only its first
    number and, after a group heading in capitals, the number of the entry under it (its
    title ending at its page); 'gik efter punkt 14.' after the list is a reference."""
    text = (
        "Transkript\n\n1 Referat fra Udvalgets møde mandag den 4. september 2006 "
        "Indholdsfortegnelse PUNKTER TIL BESLUTNING 12. Budget 2007 og overslagsårene Nyt "
        "telefonsystem i rådhuset Renovering af skolen 8 PUNKTER TIL ORIENTERING 17. Køkkenet "
        "på Aars Rådhus 9 Afbud Jens Hansen gik efter punkt 14. Bemærkninger til dagsordenen: "
        "Ingen\n"
    )
    assert _items(text, "/archive/docplayer/referat.txt") == [
        ("12", "Budget 2007 og overslagsårene"), ("17", "Køkkenet på Aars Rådhus")]


def test_items_run_on_with_their_text() -> None:
    """Round 12 (``runon_items``): minutes without labels flattened to one line, each item's
    heading run on with its text; the headings the re-flow broke out count 1, 2, 3 (the
    attachment 'Bilag 1.' inside item 2 does not count on), each title ends where its text
    begins, and the text is the item's."""
    names = ", ".join(f"Direktør{k} Efternavn{k}" for k in range(15))
    text = (
        "Transkript\n\n1 Referat fra møde i direktørkredsen Tid og sted: Fredag 14. oktober "
        f"2011 Deltagere: {names} 1. Godkendelse af dagsorden Anne Hansen bad om at høringen "
        "af udkastet til kvalitetsstandarder for området behandles under punkt 3 på "
        "dagsordenen, da høringsfristen udløber inden næste møde, og at sagen om budgettet "
        "udsættes til næste møde. Med de ændringer blev dagsordenen godkendt. 2. Godkendelse "
        "af referatet fra møde den 19. august 2011 Bilag 1. Referat fra møde i kredsen 19. "
        "august 2011 Referatet blev godkendt. 3. Høring om kvalitetsstandarder Kredsen "
        "drøftede udkastet og afgiver et fælles høringssvar.\n"
    )
    items = _parse(text, "/archive/docplayer/referat.txt").items
    assert [(i.number, i.title) for i in items] == [
        ("1", "Godkendelse af dagsorden"),
        ("2", "Godkendelse af referatet fra møde den 19. august 2011"),
        ("3", "Høring om kvalitetsstandarder")]
    assert items[0].sections[0].text.startswith("Anne Hansen bad om")
    assert items[2].sections[0].text == (
        "Kredsen drøftede udkastet og afgiver et fælles høringssvar.")


def test_a_fold_control_and_a_closed_marker_glued_to_the_title() -> None:
    """Round 13 (``foldlinks``): a web publication's fold control glued to each heading
    ('...dagsordenÅbn/luk punkt') is no part of the title, so the title printed again under
    the case line is the title, not text; a closed marker glued to a title ('...(Lukket)')
    closes the item."""
    text = (
        "Referat\nUdvalg: Teknisk Udvalg\nMødedato: 14-03-2022\n"
        "12. Godkendelse af dagsordenÅbn/luk punkt\nSagsnummer: 00.01.00-A00-1-22\n"
        "Godkendelse af dagsorden\nIndstilling\nForvaltningen indstiller, at dagsordenen "
        "godkendes.\nBeslutning\nGodkendt.\n"
        "13. Vej ved havnenVis/skjul\nSagsnummer: 05.01.00-A00-2-22\nVej ved havnen\n"
        "Indstilling\nForvaltningen indstiller, at vejen anlægges.\nBeslutning\nGodkendt.\n"
    )
    items = _parse(text, "/archive/teknik/referat.txt").items
    assert [(i.number, i.title) for i in items] == [
        ("12", "Godkendelse af dagsorden"), ("13", "Vej ved havnen")]
    assert [s.name for s in items[0].sections] == ["Indstilling", "Beslutning"]
    assert closed_title("Salg af grund ved havnen(Lukket)") == ("Salg af grund ved havnen", True)
    assert closed_title("Vej ved havnen (Lukket punkt)") == ("Vej ved havnen", True)


def test_a_folder_named_by_a_type_word_counts_after_the_decisions() -> None:
    """Round 13 (``doctypes``): a page without a type word filed under a folder named
    'dagsorden' (a site's section for agendas and minutes alike) is minutes when it records
    decisions; without decisions the folder names its type; the file's own name counts
    before the decisions."""
    text = (
        "Teknisk Udvalg - 14-03-2022\n\n1. Vejplan\n\nIndstilling\n"
        "Det indstilles, at planen godkendes.\n"
    )
    decided = text + "\nBeslutning\nGodkendt.\n"
    assert _parse(decided, "/archive/site.dk/dagsorden/teknisk-14-03-2022.txt").doc_type == (
        "referat")
    assert _parse(text, "/archive/site.dk/dagsorden/teknisk-14-03-2022.txt").doc_type == (
        "dagsorden")
    assert _parse(decided, "/archive/site.dk/moeder/dagsorden.txt").doc_type == "dagsorden"


def test_a_decision_stamp_with_a_colon_inside_it() -> None:
    """Round 13 (``labelforms.colon_stamp``): 'BESLUTNING: <Body> den <date>' on a line of
    its own is the decision's label, kept whole; 'BESLUTNING: Godkendt den <date>' is the
    label and its text."""
    text = (
        "Referat\n\nUdvalg: Teknik- og Miljøudvalget\n\nMødedato: 14-03-2022\n\n"
        "1. Vejplan\n\nINDSTILLING:\n\nDet indstilles, at planen godkendes.\n\n"
        "BESLUTNING: Teknik- og Miljøudvalget den 14-03-2022\n\nGodkendt.\n\n"
        "2. Stiplan\n\nINDSTILLING:\n\nDet indstilles, at planen godkendes.\n\n"
        "BESLUTNING: Godkendt den 14-03-2022\n"
    )
    items = _parse(text, "/archive/teknik/referat.txt").items
    assert [(s.name, s.role) for s in items[0].sections][-1] == (
        "BESLUTNING: Teknik- og Miljøudvalget den 14-03-2022", "decision")
    assert items[0].decision == "Godkendt."
    assert [(s.name, s.role) for s in items[1].sections][-1] == ("BESLUTNING", "decision")
    assert items[1].decision == "Godkendt den 14-03-2022"


def test_a_title_that_opens_with_a_name_or_ends_on_a_lost_name() -> None:
    """Round 13 (``titleends``): a run of three or more capitalised words that opens a
    title is a name ('Jens Peter Hansen anmoder ...'), where a one-word title before the
    next title is cut ('Budgetstatus Budgetforslag 2015'); after a preposition a verbal
    noun with its own preposition opens the next title ('... udtræde af Ansøgning om')."""
    from ingest.titleends import next_title_at

    def first(text: str) -> str:
        cut = next_title_at(text)
        return text if cut is None else text[:cut]

    titles = {
        "Jens Peter Hansen anmoder om at udtræde af Ansøgning om tilskud til foreningen":
            "Jens Peter Hansen anmoder om at udtræde af",
        "Budgetstatus Budgetforslag 2015 på udvalgets område": "Budgetstatus",
        "Valg til bestyrelsen for Aarhus Kommunes fond": (
            "Valg til bestyrelsen for Aarhus Kommunes fond"),
    }
    assert {text: first(text) for text in titles} == titles


def test_a_body_in_lower_case_after_the_type_word_or_named_by_its_meeting() -> None:
    """Round 13 (``headerbodies``): 'Referat økonomiudvalget <date>' names the committee in
    lower case; 'Bestyrelsesmøde <date>' and 'Byrådsmøde' name the board and the council by
    the meeting word (a doubled consonant written single is the same word); a 'Temamøde' or
    an 'Udvalgsmøde' names no body."""
    from ingest.headerbodies import lower_case_body, meeting_word_body

    assert lower_case_body(["Referat økonomiudvalget 14. marts 2022"]) == "Økonomiudvalget"
    assert lower_case_body(["Referat fra mødet 14. marts 2022"]) is None
    assert meeting_word_body(["Bestyrelsesmøde 14-03-2022"]) == "Bestyrelsen"
    assert meeting_word_body(["Referat af byrådsmøde den 3. maj 2022"]) == "Byrådet"
    assert meeting_word_body(["Beredskabskommisionsmøde"]) == "Beredskabskommisionen"
    assert meeting_word_body(["Temamøde 14-03-2022", "Udvalgsmøde 14-03-2022"]) is None
    text = "Bestyrelsesmøde i Trafikselskabet. Dagsorden\n\n1. Godkendelse af dagsorden\n"
    assert _parse(text, "/archive/trafik/dagsorden.txt").body == "Bestyrelsen"


def test_a_body_for_a_name_before_the_date_listed_areas_and_a_subject_municipality() -> None:
    """Round 13 (``bodies``): 'Repræsentantskabet for <Name>' before the meeting's date
    keeps its name; the last of a committee's listed areas may be an adjective and a noun
    ('grøn omstilling'); a municipality the items concern ('PUNKTER VEDR. <X> KOMMUNE') is
    not the body's."""
    from ingest.bodies import canonical_body, municipality_in

    assert canonical_body(
        "Dagsorden til mødet i Repræsentantskabet for Trafikselskabet 8. maj 2015 kl. 10"
    ) == "Repræsentantskabet for Trafikselskabet"
    assert canonical_body("Møde i Udvalg for natur, miljø og grøn omstilling\n") == (
        "Udvalg for natur, miljø og grøn omstilling")
    assert municipality_in("Referat PUNKTER VEDR. NORDBY KOMMUNE") is None
    assert municipality_in("Referat NORDBY KOMMUNE") == "Nordby Kommune"


def test_group_headings_run_into_a_one_line_list_of_items() -> None:
    """Round 13 (``listgroups``): group headings ending in a colon that run on at the end
    of an entry of a one-line agenda ('... orienterer Punkter til beslutning: 4. ...') are
    no part of the titles, and the list goes on across them."""
    text = (
        "Transkript\n\n1 Referat af bestyrelsesmøde den 27. februar 2014 i Forsyningen A/S "
        "Dato: 27. februar 2014 Sted: Renseanlægget I mødet deltager: Formand Jens Hansen "
        "Næstformand Anne Jensen Direktør Ole Olsen Dagsorden 1. Godkendelse af "
        "dagsorden 2. Formanden orienterer 3. Direktionen orienterer Punkter til beslutning: "
        "4. Forretningsorden for selskabet 5. Ansøgning om lånegaranti 6. Kontrol af "
        "vandkvaliteten Punkter til orientering: Drift og anlæg 7. Vandforurening i "
        "Espergærde 8. Eventuelt\n"
    )
    assert _items(text, "/archive/forsyning/referat.txt") == [
        ("1", "Godkendelse af dagsorden"), ("2", "Formanden orienterer"),
        ("3", "Direktionen orienterer"), ("4", "Forretningsorden for selskabet"),
        ("5", "Ansøgning om lånegaranti"), ("6", "Kontrol af vandkvaliteten"),
        ("7", "Vandforurening i Espergærde"), ("8", "Eventuelt")]


def test_item_numbers_after_a_councils_code_under_a_spaced_contents_caption() -> None:
    """Round 14 (``itemcodes``, ``toccaption``): a council that prints its code before every
    item number ('SR 1. Title') in a contents list set off line by line under the caption
    'Indholdsfortegnelse' and over each item: the list is the contents, the code no part of
    the number or the title; a code before numbers that do not count on stays."""
    from ingest.itemcodes import without_item_codes

    text = (
        "Medlemmer\n\nIndholdsfortegnelse\n\nSR 1.      Valg af formand \n\n"
        "SR 2.      Budget for rådet\n\nSR 3.      Eventuelt\n\n \n\n"
        "SR 1. Valg af formand\n\nIndstilling\nAt formanden vælges.\n\nBeslutning:\n\nValgt.\n\n"
        "SR 2. Budget for rådet\n\nBudgettet blev gennemgået.\n"
    )
    assert _items(text, "/archive/seniorraad/referat.txt") == [
        ("1", "Valg af formand"), ("2", "Budget for rådet"), ("3", "Eventuelt")]
    table = "KL 4. Tilskud\nKL 9. Anlæg\nKL 17. Drift\n"
    assert without_item_codes(table) == table


def test_a_date_in_the_file_name_after_its_type_word_and_member_group_lines() -> None:
    """Round 14 (``pathdates``, ``memberlines``): a page without a header, its date only in
    its address written in six digits after the type word ('referat-251119', day first);
    a line that lists members with party letters under the group that sends them
    ('Byrådet: Jens Hansen (V), Anne Holm (A)') names no body of the meeting."""
    from ingest.pathdates import typed_short_date

    text = (
        "Medlemmer\n\nByrådet: Jens Hansen (V), Anne Holm (A)\n\n"
        "Organisationer: Ole Berg, Ældre Sagen\n\n1. Valg af formand\n\nIndstilling\n"
        "At formanden vælges.\n\nBeslutning\nValgt.\n"
    )
    meeting = _parse(text, "/archive/site.dk/raadets-moeder/referat-030519.txt")
    assert (meeting.body, meeting.date) == (None, "2019-05-03")
    assert typed_short_date("bilag 251119") == "bilag 251119"
    assert typed_short_date("dagsorden 311319") == "dagsorden 311319"  # no 13th month


def test_a_case_line_with_the_kle_subject_before_the_case_number() -> None:
    """Round 14 (``casenumbers``): '01.02G00 - 2017/27088' under a heading is the KLE subject
    with its facet, then the case number: the item's case, no text; a time span ('12.30 -
    14.00') is no case line."""
    from ingest.casenumbers import is_case_line
    from ingest.textlines import split_lines

    text = (
        "Handicaprådet\n\nOnsdag den 25-10-2017 kl. 16:15\n\n"
        "36. Høring om lokalplan\n01.02G00 - 2017/27088\n\nSagsfremstilling\nPlanen er i høring.\n"
        "\nBeslutning\nTaget til efterretning.\n"
    )
    items = _parse(text, "/archive/raad/2017-10-25.txt").items
    assert [(i.number, i.case_number, [s.name for s in i.sections]) for i in items] == [
        ("36", "2017/27088", ["Sagsfremstilling", "Beslutning"])]
    assert not is_case_line(split_lines("12.30 - 14.00")[0])


def test_type_words_that_caption_a_list_or_a_field() -> None:
    """Round 14 (``typeclues``): 'Godkendelse af dagsorden:' / 'Godkendt' above the items is
    a field of the meeting recording its decision: minutes, whatever the folder says; the
    caption 'Dagsorden:' over the items yields to the file's own name ('referat-...') and
    names the type only where nothing else does; 'Dagsorden med referat' is minutes."""
    fields = (
        "Handicaprådet\n\nOnsdag den 25-10-2017 kl. 16:15\n\nGodkendelse af dagsorden:\n"
        "Godkendt\n\n36. Høring om lokalplan\n\nSagsfremstilling\nPlanen er i høring.\n"
    )
    assert _parse(fields, "/archive/dagsordener/raadet-2017-10-25.txt").doc_type == "referat"
    listed = (
        "Mødet afholdt den 18. november 2021\n\nDagsorden:\n\n1. Valg af formand\n\n"
        "Indstilling\nAt formanden vælges.\n"
    )
    assert _parse(listed, "/archive/site.dk/referat-fra-moedet.txt").doc_type == "referat"
    assert _parse(listed, "/archive/site.dk/moedet.txt").doc_type == "dagsorden"
    both = "Udvalget 3. maj 2022\n\nDagsorden med referat.\n\n1. Valg\n\nIndstilling\nValg.\n"
    assert _parse(both, "/archive/site.dk/moedet.txt").doc_type == "referat"


def test_a_plain_numbered_list_of_items_under_the_meeting_line() -> None:
    """Round 14 (``listed_items``): items printed only as numbered headings opening their
    paragraphs under the meeting's line, without any label: the number glued on, a closing
    full stop, a decision run onto the heading ('... tilføjelser. Godkendt.'), a title a
    transcript broke after a preposition; '2.' inside an item's text does not count on."""
    text = (
        "Referat af Seniorrådets møde den 3. april 2017\n\n"
        "1.Godkendelse af dagsorden efter evt. tilføjelser. Godkendt.\n\n"
        "2. Valg af repræsentant til bestyrelsen for\n\nældrecentret.\n\n"
        "Jens Hansen blev valgt.\n\n"
        "3.Eventuelt.\nIntet.\n"
    )
    items = _parse(text, "/archive/seniorraad/2017.txt").items
    assert [(i.number, i.title) for i in items] == [
        ("1", "Godkendelse af dagsorden efter evt. tilføjelser"),
        ("2", "Valg af repræsentant til bestyrelsen for ældrecentret"), ("3", "Eventuelt")]
    assert [s.text.strip() for s in items[0].sections + items[1].sections] == [
        "Godkendt.", "Jens Hansen blev valgt."]
    prose = "Notat\n\n1. Indledning\n\nTekst.\n\n2. Baggrund\n\nTekst.\n\n3. Vurdering\n"
    assert [i.number for i in _parse(prose, "/archive/notat.txt").items] == [""]


def test_a_year_named_apart_from_day_and_month_and_a_month_glued_to_the_day() -> None:
    """Round 14 (``lineyears``, ``danish.find_dates``): 'Forretningsudvalgets 3. møde i
    2012, torsdag den 23. august' dates the meeting on the year the line names; '3.april
    2017' lost the space after the day's dot; a line of two days and a year says no date."""
    from ingest.header import find_date

    assert find_date("Udvalgets 3. møde i 2012, torsdag den 23. august kl. 12") == (
        "2012-08-23", 48)
    assert find_date("Mødeplan 2026: 3. maj og 5. juni") is None
    assert find_date("Referat af mødet den 3.april 2017") == ("2017-04-03", 33)


def test_a_lower_case_body_after_the_meeting_phrase() -> None:
    """Round 14 (``headerbodies``): 'Dagsorden for mødet i vækstforum den 5. april 2006'
    names the forum in lower case after 'mødet i'."""
    from ingest.headerbodies import lower_case_body

    assert lower_case_body(["Dagsorden for mødet i vækstforum den 5. april 2006"]) == (
        "Vækstforum")
    assert lower_case_body(["Dagsorden for mødet i morgen den 5. april 2006"]) is None


def test_a_journal_number_before_the_title_and_record_fields_after_the_last() -> None:
    """Round 14 (``titlecases``): '4. J.nr. 5 Salg af aktier' prints the case before the
    title; a second 'J.nr.' in a title opens an entry whose number was lost; 'Fraværende:'
    run on after the last title is the record's field."""
    names = " ".join(f"Navn{k} Efternavn{k}" for k in range(12))
    text = (
        "Transkript\n\n1 PROTOKOL fra bestyrelsesmøde i Affald A/S onsdag d. 27. april 2011 "
        f"kl Rådhuset, {names} 1. Formanden orienterer 2. Direktionen orienterer 3. J.nr. 5 "
        "Salg af aktier 4. J.nr. 329 Seminar i september J.nr. 103 Vedtægtsændringer 6. Evt. "
        "Fraværende: Mødet hævet kl Side 1 af 4\n"
    )
    items = _parse(text, "/archive/docplayer/protokol.txt").items
    assert [(i.number, i.title, i.case_number) for i in items] == [
        ("1", "Formanden orienterer", None), ("2", "Direktionen orienterer", None),
        ("3", "Salg af aktier", "5"), ("4", "Seminar i september", "329"),
        ("6", "Evt.", None)]


def test_a_routing_grid_flattened_one_cell_a_line() -> None:
    """Round 15 (``gridcells``): a routing table given one cell a line ('BY' / 'ØK' /
    'Orientering' / 'Indstilling' / 'Beslutning' / 'x') holds no labels; a label after an
    app's one-word fields, with text under it, is still one."""
    grid = "\n\n".join(["BY", "ØK", "PBU", "Orientering", "Indstilling", "Beslutning"] + ["x"] * 4)
    text = (
        "Udvalget 18-02-2014\n\n1. Mødekalender\n\nSagsfremstilling\n\nKalenderen er vedlagt.\n\n"
        f"Sagsgang\n\n{grid}\n\nBeskrivelse af sagen\n\nMøderne holdes tirsdag.\n"
    )
    sections = [s.name for s in _parse(text).items[0].sections]
    assert sections == ["Sagsfremstilling", "Sagsgang", "Beskrivelse af sagen"]
    fields = (
        "Relevans\n\nNej\n\nBilag\n\nFirst-agenda Sagsfremstilling\n\nBeslutning\n\nGodkendt.\n"
    )
    assert [s.name for s in _parse("Mødeplan 2026\n\n" + fields).items[0].sections][:2] == [
        "Bilag", "Beslutning"]


def test_a_participle_stamp_and_a_title_closing_on_a_preposition() -> None:
    """Round 15 (``labelforms``, ``glued``): 'Besluttet på <Body> den <date> som punkt N' is
    the body's decision stamp (a sentence naming no body is not); a title ending in a
    short word that closes a clause ('... arbejde med.') loses its full stop, an
    abbreviation ('Evt.') keeps it."""
    from ingest.glued import without_full_stop

    assert section_role("Besluttet på Integrationsrådet den 02-11-2011 som punkt 1") == "decision"
    assert section_role("Behandlet i Økonomiudvalget den 3. maj 2024") == "decision"
    assert section_role("Besluttet på mødet den 3. maj 2024") is None
    assert without_full_stop("Hvad rådet skal arbejde med.") == "Hvad rådet skal arbejde med"
    assert without_full_stop("Evt.") == "Evt."
    assert without_full_stop("Opholdsplads m.m.") == "Opholdsplads m.m."


def test_member_lists_hyphenated_municipalities_and_a_town_in_the_body() -> None:
    """Round 15 (``townnames``): a line naming three or more municipalities lists members,
    none the body's own; 'Lyngby Taarbæk Kommune' is the hyphenated name the page prints
    elsewhere; a council named with its town ('Middelfart Ældreråd') keeps it."""
    from ingest.townnames import hyphenated_name, lists_members, with_town

    members = "Deltagere Anne Hansen Thisted Kommune Bo Berg Rebild Kommune Ib Lund Morsø Kommune"
    assert lists_members(members, 0)
    assert not lists_members("Økonomiudvalget\nGlostrup Kommune\nThisted Kommune", 17)
    page = "10.09.2015 - Lyngby Taarbæk Kommune\nReferat\nLyngby-Taarbæk Kommune\n"
    assert hyphenated_name(page, "Taarbæk Kommune") == "Lyngby-Taarbæk Kommune"
    assert hyphenated_name("Referat Greve Kommune", "Greve Kommune") == "Greve Kommune"
    text = "Referat fra møde i Middelfart Ældreråd torsdag 20. august 2015"
    assert with_town("Ældreråd", "Middelfart Kommune", text) == "Middelfart Ældreråd"
    assert with_town("Byrådet", "Middelfart Kommune", text) == "Byrådet"
    head = "Referat\nBestyrelse\n" + members + "\n"
    assert _parse(head + "1. Valg af formand\n\nBeslutning\n\nValgt.\n").body == "Bestyrelse"


def test_case_labels_a_dashed_label_and_a_label_glued_to_the_paragraph_above() -> None:
    """Round 16 (``endlabels``, ``labelforms``): case-presentation labels ('Retligt
    grundlag', 'Alternativ indstilling'), a known label with a dash and one word
    ('Lovgrundlag – link'), and a label glued to the end of the paragraph before it
    ('... skole.Økonomi') start sections; the paragraph stays the section above's text."""
    assert section_role("Retligt grundlag") == "background"
    assert section_role("Alternativ indstilling") == "proposal"
    assert section_role("Lovgrundlag – link") == "background"
    assert section_role("Lovgrundlag – se bilag 3 og 4") is None
    text = (
        "Referat\n\nUdvalg: Børneudvalget\n\nDato: 03-10-2022\n\n1. Dialogmøde med skolen\n\n"
        "Resume\n\nBestyrelsen er inviteret kl. 16.30.Sagsfremstilling\n"
        "Formanden ønsker at drøfte Terslev skole.Økonomi\nIngen konsekvenser.\n\n"
        "Beslutning\n\nGodkendt.\n"
    )
    item = _parse(text).items[0]
    assert [(s.name, s.role, s.text) for s in item.sections] == [
        ("Resume", "background", "Bestyrelsen er inviteret kl. 16.30."),
        ("Sagsfremstilling", "background", "Formanden ønsker at drøfte Terslev skole."),
        ("Økonomi", "background", "Ingen konsekvenser."),
        ("Beslutning", "decision", "Godkendt."),
    ]
    prose = "Mødet holdes i St. Heddinge.Der er bilag vedlagt.\n"
    assert all(s.name != "Bilag" for s in _parse(text + prose).items[0].sections)


def test_quoted_and_listed_committee_names_and_an_open_part_of_a_closed_item() -> None:
    """Round 16 (``quotednames``, ``opensections``): a committee named in quotation marks
    after its bare body word, one named by its areas listed with commas before 's møde
    den'; a closed item keeps the decision its page marks as open ('Åben beslutning')."""
    from ingest.bodies import guess_committee

    quoted = 'UDVALG\nUdvalget "Læring og Trivsel for Børn og Unge"\nMØDE\nReferat\n'
    assert guess_committee(quoted) == 'Udvalget "Læring og Trivsel for Børn og Unge"'
    assert guess_committee("Udvalget\nReferat\n") is None
    assert guess_committee("Unge, fritid og idræts møde den 02. april 2024\n") == (
        "Unge, fritid og idræt")
    text = (
        "Unge, fritid og idræts møde den 02. april 2024\n\nReferat\n\n"
        "1 Godkendelse af dagsorden\n\nBeslutning\n\nGodkendt.\n\n"
        "2 Orientering om kontrakt (Lukket punkt)\n\nSagsfremstilling\n\nFortroligt.\n\n"
        "Åben beslutning\n\nTaget til efterretning.\n"
    )
    closed = _parse(text).items[1]
    assert closed.closed
    assert [(s.name, s.role, s.text) for s in closed.sections] == [
        ("Åben beslutning", "decision", "Taget til efterretning.")]


def test_the_text_of_a_page_read_as_one_item_is_its_sagsfremstilling() -> None:
    """Round 16: a page of one item with no number and no label ('Evt.' over paragraphs)
    keeps its text as the item's unlabelled Sagsfremstilling, as any item's, and its empty
    captions ('Bilag') as printed."""
    text = "Evt.\n\nAnne Hansen (IA) spurgte til mødeplanen.\n\nForvaltningen svarede.\n"
    item = _parse(text).items[0]
    assert (item.number, item.title) == ("", "Evt.")
    assert [(s.name, s.role) for s in item.sections] == [(UNLABELLED_SECTION, "background")]
    headed = (
        "# Meddelelser fra mødet\n\nUdvalget bad om en oversigt.\n\nBilag\n\n"
        "Relateret behandling\n"
    )
    item = _parse(headed).items[0]
    assert [(s.name, s.role, s.text) for s in item.sections] == [
        (UNLABELLED_SECTION, "background", "Udvalget bad om en oversigt."),
        ("Bilag", "attachments", ""), ("Relateret behandling", "other", "")]
