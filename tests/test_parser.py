"""Structure parser: expected outlines of the samples, invariants, unseen documents, garbage."""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.bodies import canonical_body
from ingest.casenumbers import case_number
from ingest.errors import ParseError
from ingest.header import find_date
from ingest.models import Document, Meeting
from ingest.parser import MeetingHints, closed_title, parse_meeting
from ingest.readers import read_document
from ingest.runon import split_run_on_text
from ingest.sections import (
    is_primary_label,
    label_name,
    section_role,
)
from ingest.textlines import split_lines

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "data" / "samples" / "kkr-midtjylland"
EXPECTED = Path(__file__).parent / "expected"
SHARED_EVAL = ROOT / ".." / "shared" / "eval"
FILES = sorted(p.name for p in SAMPLES.glob("*.txt"))


def expected(name: str) -> dict[str, Any]:
    """The checked-in expected outline of sample ``name`` (tests/expected/<stem>.json)."""
    return json.loads((EXPECTED / f"{Path(name).stem}.json").read_text(encoding="utf-8"))


AGENDAS = [f for f in FILES if expected(f)["doc_type"] == "dagsorden"]
MINUTES = [f for f in FILES if f not in AGENDAS]


@cache
def parsed(name: str) -> tuple[Document, Meeting]:
    doc = read_document(SAMPLES / name)
    return doc, parse_meeting(doc)


def shared_truth() -> dict[str, dict[str, Any]]:
    path = SHARED_EVAL / "items.json"
    if not path.exists():
        pytest.skip(f"ground truth {path} not available (../shared is not checked out)")
    return {m["file"]: m for m in json.loads(path.read_text(encoding="utf-8"))}


def squash(text: str) -> str:
    """Letters and digits only: what a cleaned passage must share with its source span."""
    text = re.sub(
        r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|\[(?:bookmark|image):[^\]]*\]", "", text
    )
    return re.sub(r"[\W_]+", "", text)


def test_samples_present() -> None:
    assert len(FILES) == 5 and len(AGENDAS) == 2 and len(MINUTES) == 3


# ------------------------------------------------------------- expected outlines


@pytest.mark.parametrize("name", FILES)
def test_meeting_header(name: str) -> None:
    _, meeting = parsed(name)
    want = expected(name)
    got = {
        "body": meeting.body,
        "doc_type": meeting.doc_type,
        "date": meeting.date,
        "location": meeting.location,
        "time": meeting.time,
    }
    assert got == {k: want[k] for k in got}


@pytest.mark.parametrize("name", FILES)
def test_items_match_expected_outline(name: str) -> None:
    _, meeting = parsed(name)
    want = expected(name)["items"]
    assert [i.number for i in meeting.items] == [w["number"] for w in want]
    for item, w in zip(meeting.items, want, strict=True):
        got = {
            "number": item.number,
            "title": item.title,
            "level": item.level,
            "case_number": item.case_number,
            "handler": item.handler,
            "presenter": item.presenter,
            "sections": [s.name for s in item.sections],
            "empty_sections": [s.name for s in item.sections if not s.text],
        }
        assert got == w, f"item {w['number']}"


@pytest.mark.parametrize("name", FILES)
def test_items_match_shared_ground_truth(name: str) -> None:
    truth = shared_truth()[name]
    doc, meeting = parsed(name)
    assert (meeting.body, meeting.doc_type, meeting.date) == (
        truth["body"],
        truth["doc_type"],
        truth["meeting_date"],
    )
    assert (meeting.location, meeting.time) == (truth["location"], truth["time"])
    assert len(meeting.items) == len(truth["items"])
    for item, t in zip(meeting.items, truth["items"], strict=True):
        assert (item.number, item.title, item.level) == (
            t["number"],
            t["title"].strip(),
            t["level"],
        )
        assert (item.case_number, item.handler) == (t["case_number"], t["case_handler_initials"])
        assert item.presenter == t.get("presenter")
        # items.json knows the item-level sections; subheadings (Økonomi, Høringssvar ...)
        # are sections of their own here, so they are compared apart
        names = [s.name for s in item.sections if is_primary_label(s.name, s.role)]
        assert set(names) == set(t["sections"]), item.number
        # items.json lists sections canonically; ours are in document order
        starts = t["section_start_lines"]
        assert names == sorted(t["sections"], key=lambda n: starts[n]), item.number
        assert sorted(s.name for s in item.sections if not s.text) == sorted(t["empty_sections"])
        for section in item.sections:
            if section.text and section.name in starts:
                line = doc.text.count("\n", 0, section.start) + 1
                assert starts[section.name] <= line <= starts[section.name] + 2, (
                    item.number,
                    section,
                )


# -------------------------------------------------------------------- invariants


@pytest.mark.parametrize("name", FILES)
def test_offsets_point_into_the_text(name: str) -> None:
    doc, meeting = parsed(name)
    text = doc.text
    previous_end = 0
    for item in meeting.items:
        assert 0 <= item.start <= item.end <= len(text)
        assert item.number in text[item.start : item.end] or item.title in text or not item.sections
        for section in item.sections:
            assert item.start <= section.start <= section.end <= item.end
            source = text[section.start : section.end]
            assert squash(section.text) == squash(source), (item.number, section.name)
            if section.text:
                assert source == source.strip()
            assert section.start >= previous_end, (item.number, section.name)
            previous_end = section.end


@pytest.mark.parametrize("name", FILES)
def test_document_identity(name: str) -> None:
    doc, meeting = parsed(name)
    assert meeting.source == doc.path
    assert meeting.doc_hash == hashlib.sha256(doc.text.encode()).hexdigest()[:16]
    assert [i.order for i in meeting.items] == list(range(len(meeting.items)))


@pytest.mark.parametrize("name", FILES)
def test_file_name_plays_no_part(name: str) -> None:
    doc, meeting = parsed(name)
    renamed = parse_meeting(Document("elsewhere/unknown.txt", doc.text))
    assert renamed.items == meeting.items
    assert (renamed.body, renamed.date, renamed.doc_type) == (
        meeting.body,
        meeting.date,
        meeting.doc_type,
    )


def test_toc_only_items_exist_without_sections() -> None:
    _, meeting = parsed("001_13997d882f1e3255.txt")
    for number, title in (("4", "Udpegninger"), ("5", "KKR"), ("6", "Punkter til næste møde")):
        item = meeting.item(number)
        assert item is not None and item.title == title and item.sections == ()


def test_items_with_lost_headings_are_aligned_by_order_and_title() -> None:
    _, meeting = parsed("001_13997d882f1e3255.txt")
    fysio = meeting.item("3.8")
    assert fysio is not None and "fysioterapi" in fysio.sections[0].text.lower()
    nxt = meeting.item("6.1")
    assert nxt is not None and "punkter til det kommende møde" in nxt.sections[0].text


def test_end_boilerplate_does_not_leak_into_last_item() -> None:
    _, meeting = parsed("001_13997d882f1e3255.txt")
    last = meeting.items[-1]
    assert last.number == "7.1" and all(s.text == "" for s in last.sections)
    for item in meeting.items:
        assert all("KL bidrager til at udvikle" not in s.text for s in item.sections)


def test_kd_net_presenters_and_headings() -> None:
    _, meeting = parsed("003_4032f31379db0b95.txt")
    presenters = {i.number: i.presenter for i in meeting.items}
    assert presenters["1"] == "Jesper Kaas Schmidt"
    assert presenters["5"] == "Jesper Kaas Schmidt / Jesper Thyrring"
    assert presenters["12"] == "Lasse Jacobsen og Jesper Thyrring"
    assert presenters["15"] is None and presenters["16"] is None
    item8 = meeting.item("8")
    assert item8 is not None and item8.title.endswith("Erhvervscenter Midtjylland")
    assert item8.heading == (
        "Udkast til resultatkontrakt 2023 mellem KKR Midtjylland og Erhvervshus Midtjylland"
    )


def test_kd_net_inline_proposal_and_numbered_lists() -> None:
    _, meeting = parsed("003_4032f31379db0b95.txt")
    assert [i.number for i in meeting.items] == [str(n) for n in range(1, 19)]
    item4 = meeting.item("4")
    assert item4 is not None
    assert item4.proposal == (
        "Det indstilles, at KD-Net drøfter oplægget til fortsat klimasamarbejde efter 2023"
    )
    item5 = meeting.item("5")
    assert item5 is not None
    case = item5.section("Sagsfremstilling")
    assert case is not None and "Taksterne kan ikke stige i perioden" in case.text


@pytest.mark.parametrize("name", MINUTES)
def test_minutes_carry_decision_text(name: str) -> None:
    _, meeting = parsed(name)
    for item, w in zip(meeting.items, expected(name)["items"], strict=True):
        if {"Beslutning", "Referat"} & set(w["sections"]):
            assert item.decision, item.number


@pytest.mark.parametrize(
    ("name", "number", "snippet"),
    [
        ("003_4032f31379db0b95.txt", "12", "KD-net godkendte nedlæggelse af psykiatriforum"),
        ("003_4032f31379db0b95.txt", "13", "Ikke behandlet. Se eftersendt mail."),
        ("002_106207530be927c1.txt", "3.5", "Indstillingerne blev tiltrådt"),
        ("004_d18184a479f2914c.txt", "1.1", "Referatet blev godkendt."),
    ],
)
def test_decision_text(name: str, number: str, snippet: str) -> None:
    item = parsed(name)[1].item(number)
    assert item is not None and item.decision is not None and snippet in item.decision


@pytest.mark.parametrize("name", AGENDAS)
def test_agendas_have_no_decisions(name: str) -> None:
    _, meeting = parsed(name)
    assert all(not s.is_decision for i in meeting.items for s in i.sections)
    assert all(i.decision is None for i in meeting.items)
    assert any(i.proposal for i in meeting.items)


def test_participants_and_absentees() -> None:
    _, m002 = parsed("002_106207530be927c1.txt")
    assert "Lars Storgaard (C), Favrskov" in m002.participants
    assert "Jesper Kaas Schmidt, kommunaldirektør, Randers Kommune" in m002.participants
    assert "H.C. Østerby (A), Holstebro" in m002.absentees
    assert len(m002.absentees) == 11
    _, m003 = parsed("003_4032f31379db0b95.txt")
    assert m003.absentees[0] == "Pernille Blach Hansen" and len(m003.absentees) == 3
    assert "regionsdirektøren" in m003.participants


def test_attachments() -> None:
    _, m000 = parsed("000_a7fdc03e3abcc479.txt")
    item = m000.item("3.6")
    assert item is not None and item.attachments == (
        "Strategi for Europæisk Kulturregion",
        "Handlingsplan for Europæisk Kulturregion",
    )
    item = m000.item("3.2")
    assert item is not None and item.attachments == ("Et arbejdsmarked i forandring, KL 2023",)


def test_page_break_splits_are_joined() -> None:
    _, m000 = parsed("000_a7fdc03e3abcc479.txt")
    item = m000.item("2.1")
    assert item is not None
    text = "\n".join(s.text for s in item.sections)
    assert "udlevering af kompressionsstrømper" in text
    assert "kompressi-" not in text


def test_answer_keywords_lie_in_the_gold_items() -> None:
    path = SHARED_EVAL / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not available")
    for line in path.read_text(encoding="utf-8").splitlines():
        question = json.loads(line)
        texts = []
        for gold in question["gold"]:
            item = parsed(gold["file"])[1].item(gold["item"])
            assert item is not None and item.title == gold["item_title"].strip()
            assert gold["section"] in {s.name for s in item.sections}, question["id"]
            texts.extend(s.text.lower() for s in item.sections)
        for keyword in question["answer_keywords"]:
            assert any(keyword.lower() in t for t in texts), (question["id"], keyword)


# ------------------------------------------------------------- unseen documents

AARHUS_AGENDA = """Aarhus Kommune

Dagsorden for Økonomiudvalget
Mødedato: 12. marts 2024, kl. 15.00 - 17.00
Mødested: Rådhuset, lokale 390

1. Godkendelse af dagsorden

Indstilling
Borgmesterens Afdeling indstiller, at dagsordenen godkendes.

2. Budgetopfølgning pr. 29. februar 2024

Resume
Budgetopfølgningen viser et forventet merforbrug på 12,5 mio. kr. på serviceudgifterne.
Merforbruget skyldes primært stigende udgifter til det specialiserede
børneområde.

Indstilling
Det indstilles, at Økonomiudvalget tager budgetopfølgningen til efterretning.

Sagsfremstilling
Der er gennemført en budgetopfølgning for alle magistratsafdelinger.
De væsentligste afvigelser er:
1. Børn og Unge: merforbrug på 9,0 mio. kr.
2. Sociale Forhold og Beskæftigelse: merforbrug på 3,5 mio. kr.

./. Notat om budgetopfølgning

3. Udbud af rengøring på rådhuset

Indstilling
Det indstilles, at udbuddet gennemføres som beskrevet.

Sagsfremstilling
Kontrakten udløber den 31. december 2024.

4. Eventuelt
"""

SILKEBORG_MINUTES = """Referat
Byrådet, Silkeborg Kommune
Mødedato: 28-02-2024
Mødetidspunkt: 17:00
Mødested: Byrådssalen

Indholdsfortegnelse
1. Godkendelse af dagsorden
2. Anlægsbevilling til ny skole i Gødvad
3. Salg af grund på Christian 8.s Vej

Punkt 1: Godkendelse af dagsorden
Beslutning: Godkendt.

Punkt 2: Anlægsbevilling til ny skole
SAG-2024-00017 abc/def
Sagsfremstilling
Byrådet har i budget 2024 afsat 180 mio. kr. til en ny skole.
Indstilling
Direktionen indstiller, at der gives en anlægsbevilling på 180 mio. kr.
Beslutning i Byrådet den 28-02-2024
Indstillingen blev godkendt med 27 stemmer mod 4.

Punkt 3: Salg af grund på Christian 8.s Vej
Beslutning: Godkendt.
"""


def test_unseen_agenda_without_toc() -> None:
    meeting = parse_meeting(Document("aarhus/oeu-2024-03-12.txt", AARHUS_AGENDA))
    assert (meeting.body, meeting.date, meeting.doc_type) == (
        "Økonomiudvalget, Aarhus Kommune",
        "2024-03-12",
        "dagsorden",
    )
    assert (meeting.time, meeting.location) == ("kl. 15.00 - 17.00", "Rådhuset, lokale 390")
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Godkendelse af dagsorden"),
        ("2", "Budgetopfølgning pr. 29. februar 2024"),
        ("3", "Udbud af rengøring på rådhuset"),
        ("4", "Eventuelt"),
    ]
    budget = meeting.items[1]
    assert [(s.name, s.role) for s in budget.sections] == [
        ("Resume", "background"), ("Indstilling", "proposal"), ("Sagsfremstilling", "background")
    ]
    assert "det specialiserede børneområde" in budget.sections[0].text
    assert budget.attachments == ("Notat om budgetopfølgning",)
    assert meeting.items[3].sections == ()


def test_unseen_minutes_with_plain_toc_and_inline_decisions() -> None:
    meeting = parse_meeting(Document("silkeborg/byraad.txt", SILKEBORG_MINUTES))
    assert (meeting.body, meeting.date, meeting.doc_type, meeting.time) == (
        "Byrådet, Silkeborg Kommune",
        "2024-02-28",
        "referat",
        "17:00",
    )
    assert [i.title for i in meeting.items] == [
        "Godkendelse af dagsorden",
        "Anlægsbevilling til ny skole i Gødvad",
        "Salg af grund på Christian 8.s Vej",
    ]
    school = meeting.items[1]
    assert (school.case_number, school.handler) == ("SAG-2024-00017", "abc/def")
    assert [(s.name, s.role) for s in school.sections] == [
        ("Sagsfremstilling", "background"),
        ("Indstilling", "proposal"),
        ("Beslutning i Byrådet den 28-02-2024", "decision"),
    ]
    assert school.decision == "Indstillingen blev godkendt med 27 stemmer mod 4."
    assert meeting.items[0].decision == "Godkendt."


def test_unknown_body_is_stored_as_unknown_with_a_warning() -> None:
    text = "Dagsorden\nMødedato: 1. april 2024\n\n1. Noget\nIndstilling\nDet indstilles.\n"
    meeting = parse_meeting(Document("x/mystery.txt", text))
    assert (meeting.body, meeting.date, meeting.doc_type) == (None, "2024-04-01", "dagsorden")
    assert "body not found: stored as unknown" in meeting.warnings
    assert meeting.meeting_id == "ukendt-2024-04-01-dagsorden"


def test_empty_document_is_a_parse_error_naming_the_file() -> None:
    with pytest.raises(ParseError) as info:
        parse_meeting(Document("some/file.txt", " \n"))
    assert info.value.path == "some/file.txt" and "no text" in info.value.problem


def test_document_without_agenda_structure_is_one_unnumbered_item() -> None:
    text = "KKR Midtjylland\nDagsorden\nDato: 21-11-2023\n\nIngen punkter her.\nBare tekst."
    meeting = parse_meeting(Document("some/file.txt", text))
    assert (meeting.body, meeting.date, meeting.doc_type) == (
        "KKR Midtjylland", "2023-11-21", "dagsorden"
    )
    assert [(i.number, i.title) for i in meeting.items] == [("", "KKR Midtjylland")]
    assert "Bare tekst." in meeting.items[0].sections[0].text
    assert any("no agenda structure found" in w for w in meeting.warnings)


def test_missing_date_comes_from_the_file_name_with_a_warning() -> None:
    text = "KKR Midtjylland\nDagsorden\n\n1. Godkendelse\nIndstilling\nGodkendt.\n"
    meeting = parse_meeting(Document("arkiv/2019-03-12 16.00/referat.txt", text))
    assert meeting.date == "2019-03-12"
    assert "meeting date taken from the file name: 2019-03-12" in meeting.warnings
    unknown = parse_meeting(Document("some/file.txt", text))
    assert unknown.date is None and "meeting date not found: stored as unknown" in unknown.warnings


def test_hints_override_what_the_document_says() -> None:
    text = "KKR Midtjylland\nDagsorden\nDato: 21-11-2023\n\n1. Godkendelse\nIndstilling\nOk.\n"
    hints = MeetingHints(body="Byrådet", date="2024-01-02", doc_type="referat")
    meeting = parse_meeting(Document("f.txt", text), hints)
    assert (meeting.body, meeting.date, meeting.doc_type) == ("Byrådet", "2024-01-02", "referat")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        MeetingHints(date="2.1.2024")


@pytest.mark.parametrize(
    ("header", "body"),
    [
        ("DAGSORDEN 2023\nKKR MIDTJYLLAND", "KKR Midtjylland"),
        ("Referat fra møde i kommunaldirektørnetværket i den midtjyske region", "KD-Net"),
        ("Møde i KD-net", "KD-Net"),
        ("KKR NORDJYLLAND | 08-04-2025", "KKR Nordjylland"),
        ("Dagsorden til Byrådets møde, Horsens Kommune", "Byrådet, Horsens Kommune"),
        # a bare body word is named by the areas it is for, up to a date or the line's end
        ("Referat til mødet i Udvalget for Teknik og Miljø den 22. juni 2020 kl. 17:30",
         "Udvalget for Teknik og Miljø"),
        ("Udvalg: Udvalget for Social, Sundhed og Ældre\nMødedato: 18-02-2019",
         "Udvalget for Social, Sundhed og Ældre"),
        ("Udvalg:\tUdvalget\nDagsorden", None),
        ("Lorem ipsum dolor", None),
        # '&' joins the areas of a committee name; two areas alone name no body
        ("Børn & Læringsudvalget - 08-09-2021\nReferat", "Børn & Læringsudvalget"),
        ("Kultur & Fritid\nReferat", None),
        # '<Name>s møde den <date>' names a committee without a body word
        ("Social og sundheds møde den 17. april 2023\nReferat", "Social og sundhed"),
        ("Social og sundheds møde\nReferat", None),
    ],
)
def test_canonical_body(header: str, body: str | None) -> None:
    assert canonical_body(header) == body


def test_a_number_glued_to_a_capitalised_word_heads_an_item() -> None:
    """'38Godkendelse af dagsorden' (a web page lost the number's dot and space) is item 38;
    '5G-net ...' and '3D-print ...' inside the text are no headings."""
    text = (
        "Referat\n\nMødedato: 17-04-2023\n\n38Godkendelse af dagsorden\n\nBeslutning\n\n"
        "Godkendt\n\n39Beslutning om 5G-net\n\nResume\n\n5G-net udbygges.\n\n"
        "3D-print af skilte\n\nIndstilling\n\nAt sagen godkendes.\n"
    )
    meeting = parse_meeting(Document("/archive/udvalg/referat.txt", text))
    assert [(i.number, i.title) for i in meeting.items] == [
        ("38", "Godkendelse af dagsorden"), ("39", "Beslutning om 5G-net")]
    assert [s.name for s in meeting.items[1].sections] == ["Resume", "Indstilling"]


def test_a_labelled_case_number_above_the_heading_belongs_to_that_item() -> None:
    """'Sagnr.: 1-51-71-3321-08' alone on the line over '1. Title' is item 1's case; a case
    number inside a sentence of the item before stays that item's text."""
    text = (
        "Dagsorden\nDato: 01-02-2023\n\nSagnr.: 1-51-71-3321-08\n\n1. Afgørelse om påbud\n\n"
        "Resume\n\nOm påbuddet, jf. sagsnr. 20/1234.\n\n2. Orientering\n\nResume\n\nTekst.\n"
    )
    items = parse_meeting(Document("/archive/udvalg/dagsorden.txt", text)).items
    assert [(i.number, i.case_number) for i in items] == [("1", "1-51-71-3321-08"), ("2", None)]
    assert items[0].sections[0].text == "Om påbuddet, jf. sagsnr. 20/1234."


def test_a_title_over_sag_nr_is_an_item_heading() -> None:
    """'Spørgetid' over 'Sag nr. 129' is item 129 (no case number); 'Sag nr. 23-010897'
    under a numbered heading is a case number."""
    text = (
        "Kommunalbestyrelsen\n\n24-09-2019\n\nSpørgetid\nSag nr. 129\n\n"
        "Beslutningskompetence: KB\n\nBeslutning\n\nTaget til efterretning.\n\n"
        "Lokalplan 145 - endelig vedtagelse\nSag nr. 130\n\nIndstilling\n\nat planen vedtages.\n"
    )
    items = parse_meeting(Document("/archive/kb/referat.txt", text)).items
    assert [(i.number, i.title, i.case_number) for i in items] == [
        ("129", "Spørgetid", None), ("130", "Lokalplan 145 - endelig vedtagelse", None)]
    assert [s.name for s in items[0].sections] == ["Beslutningskompetence", "Beslutning"]
    other = "Referat\nDato: 01-02-2024\n\n1. Budget\nSag nr. 23-010897\n\nBeslutning\n\nOk.\n"
    item = parse_meeting(Document("/archive/x/referat.txt", other)).items[0]
    assert (item.number, item.title, item.case_number) == ("1", "Budget", "23-010897")


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Sagsgang og sagstype", "background"),
        ("Sagen afgøres af", "other"),
        ("Sagen afgøres af Byrådet efter høring af parterne", None),
        ("Hvem beslutter", "other"),
        ("Indstilling og beslutning", "proposal"),
        ("Sagstema", "background"),
        ("Høring og sagsgang", "background"),
        ("Børne- og Skoleudvalget den 6. november 2018:", "decision"),
        ("Social- og Sundhedsudvalget den 2. september 2020", None),
        ("Beslutning i Klima-, Teknik- og Miljøudvalget den 14. august 2025", "decision"),
        ("Beslutning, men ikke her den 3. maj 2024 blev det", None),
    ],
)
def test_web_publication_labels(label: str, role: str | None) -> None:
    assert section_role(label) == role


def test_a_list_with_the_status_before_the_number_is_a_toc() -> None:
    """'åbent 3 Title' / 'lukket 4 Title' lines list the items (4 closed); a KLE journal
    number with its facet glued on ('00.01.00P35-0104') is the item's case number, while a
    date with dots ('06.11.2018') never is."""
    text = (
        "Referat\nBørne- og Skoleudvalget\n06-11-2018 kl. 13:00\nDagsordenspunkter\n\n"
        "  åbent 1 Godkendelse af dagsorden\n  åbent 2 Budget 2019\n  åbent 3 Orientering\n"
        "  lukket 4 Personalesag\n\n 1  Godkendelse af dagsorden\n\n00.01.00P35-0104\n\n"
        "Beslutning\n\nGodkendt.\n\n 2  Budget 2019\n\n06.11.2018\n\nBeslutning\n\nOk.\n"
    )
    items = parse_meeting(Document("/archive/bsu/referat.txt", text)).items
    assert [(i.number, i.title, i.closed) for i in items] == [
        ("1", "Godkendelse af dagsorden", False), ("2", "Budget 2019", False),
        ("3", "Orientering", False), ("4", "Personalesag", True)]
    assert [i.case_number for i in items[:2]] == ["00.01.00P35-0104", None]


def test_page_numbers_glued_to_toc_titles_are_dropped_only_when_all_rise() -> None:
    """'1 (Åben) Title 4' lines spaced by blank lines are a TOC: the rising last numbers are
    pages and '(Åben)' no part of the title; titles ending in plan numbers that do not rise
    keep them."""
    paged = (
        "Referat\n\nReferat - Regionsrådet 2018-2021\n\n08-03-2021 16:00\n\nIndholdsfortegnelse\n\n"
        "1 (Åben) Godkendelse af dagsorden 4\n\n2 (Åben) Optagelse af lån 5\n\n"
        "3 (Åben) Lokalplan 12 9\n\n4 (Lukket) Salg af grund 14\n"
    )
    meeting = parse_meeting(Document("/archive/rr/agenda.txt", paged))
    assert [(i.number, i.title, i.closed) for i in meeting.items] == [
        ("1", "Godkendelse af dagsorden", False), ("2", "Optagelse af lån", False),
        ("3", "Lokalplan 12", False), ("4", "Salg af grund", True)]
    assert meeting.body == "Regionsrådet 2018-2021"
    unpaged = "Referat\nDato: 08-03-2021\n\n1 Lokalplan 12\n2 Lokalplan 3\n3 Lokalplan 7\n"
    titles = [i.title for i in parse_meeting(Document("/archive/x/r.txt", unpaged)).items]
    assert titles == ["Lokalplan 12", "Lokalplan 3", "Lokalplan 7"]


def test_nr_dash_heading_and_date_in_a_slug() -> None:
    """'Nr.60 - Title' heads item 60 of a one-item page; its date comes from the address
    slug '23--marts-2015--referat' (the decision stamp inside the item is not the header)."""
    text = (
        "Nr.60 - Godkendelse af dagsordenen\n\nBeslutning i Økonomiudvalget den 23-03-2015\n\n"
        "Dagsordenen blev godkendt.\n"
    )
    path = "/archive/oekonomiudvalget/2015/marts/23--marts-2015--referat/60.txt"
    meeting = parse_meeting(Document(path, text))
    assert [(i.number, i.title) for i in meeting.items] == [("60", "Godkendelse af dagsordenen")]
    assert (meeting.date, meeting.doc_type, meeting.body) == ("2015-03-23", "referat", None)


@pytest.mark.parametrize(
    ("folder", "date"),
    [("19042018", "2018-04-19"), ("20180419", "2018-04-19"), ("12345678", None)],
)
def test_an_eight_digit_folder_dates_the_meeting_when_it_is_a_date(
    folder: str, date: str | None
) -> None:
    text = "2. Godkendelse af dagsorden\n\nIndstilling\n\nat dagsordenen godkendes.\n"
    meeting = parse_meeting(Document(f"/archive/kk/{folder}/edoc-agenda/82088cb9.txt", text))
    assert meeting.date == date


@pytest.mark.parametrize(
    ("header", "body"),
    [
        ("Dagsorden\ntil\nmødet i Udvalg for regional udvikling\nden 1. februar 2023 kl. 09:00\n"
         "i Herning Kommune, Torvet 5, 7400 Herning\n", "Udvalg for regional udvikling"),
        ("Dagsorden for Økonomiudvalget i Aarhus Kommune\nden 1. februar 2023\n",
         "Økonomiudvalget, Aarhus Kommune"),
        ("Region SyddanmarkTil forsiden\n\nSundhedsudvalget - Referat - 25. oktober 2016\n",
         "Sundhedsudvalget, Region Syddanmark"),
    ],
)  # fmt: skip
def test_committee_names_and_their_municipality(header: str, body: str) -> None:
    """A two-word area ends the committee's line; a municipality on a line that starts
    with 'i' is the meeting place, one inside the header's sentence names the body's; a
    region's name glued to a link word is cut at the capital."""
    assert canonical_body(header) == body


def test_a_lone_link_word_under_a_heading_is_no_section() -> None:
    """'Udskriv' (a print link) between heading and first label is page furniture; a field
    and its value there ('Fraværende' / a name) stay the item's text."""
    text = (
        "02. sep 2020\n\n148. Godkendelse af dagsorden\n\nUdskriv\n\nSagstema\n\nDagsorden.\n\n"
        "Beslutning\n\nGodkendt.\n\n149. Eventuelt\n\nFraværende\n\nLinda Kofoed Persson\n\n"
        "Beslutning\n\nIntet.\n"
    )
    items = parse_meeting(Document("/archive/ssu/140-1240.txt", text)).items
    assert [s.name for s in items[0].sections] == ["Sagstema", "Beslutning"]
    assert [s.name for s in items[1].sections] == ["Sagsfremstilling", "Beslutning"]
    assert "Linda Kofoed Persson" in items[1].sections[0].text


# --------------------------------------------------------------------- garbage

_TRICKY_LINES = st.sampled_from(
    [
        "KKR Midtjylland", "Dagsorden", "Referat", "Dato: 21-11-2023 10:00", "Sted: Her",
        "1. Godkendelse af referat", "1.1. Godkendelse af referat\t3", "2.\tSiden sidst.....\t4",
        "Punkt\tIndhold\tBilag", "3\tEventuelt\t./.", "Baggrund", "Indstilling", "Beslutning",
        "Sagsfremstilling.", "Referat: Godkendt.", "SAG-2023-04402 chbn/jhp", "./.", "/ Bilag",
        "- 4. **Titel** v. Navn *Det indstilles, at*", "Det indstilles, at", "Mission", "",
        ".\t", "## **3.2.**", "den 4. november 2022", "Tid og sted:\tkl. 10", "### Afbud",
        "Deltagere:\tA, B (C, D)", "999.999.999. x", "0. Nul", "1) Punkt", "<b>5. KKR</b>",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_random_text_parses_or_raises_parse_error(text: str) -> None:
    _check_never_crashes(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_TRICKY_LINES, st.text(max_size=40)), max_size=60))
def test_structured_garbage_parses_or_raises_parse_error(lines: list[str]) -> None:
    _check_never_crashes("\n".join(lines))


def _check_never_crashes(text: str) -> None:
    try:
        meeting = parse_meeting(Document("garbage.txt", text))
    except ParseError as exc:
        assert exc.path == "garbage.txt" and not text.strip()
        return
    assert meeting.items
    assert all(i.number for i in meeting.items) or [i.number for i in meeting.items] == [""]
    for item in meeting.items:
        for section in item.sections:
            assert 0 <= section.start <= section.end <= len(text)


# ----------------------------------------------------- flattened pages and web layouts

_PROSE = (
    "Udvalget har søgt om fem partnerskaber: 1. Alsidig træning for dig der står udenfor "
    "arbejdsmarkedet 2. Motions- og bevægelseshold for kvinder 3. Samarbejde og træning med "
    "daginstitutioner i kommunen 4. Tilbud til sårbare unge 5. Spring og bevægelse for unge "
    "fra 18-25 år udenfor arbejdsmarkedet og uddannelsessystemet i hele kommunen."
)
_FLAT_PAGES = (
    "1 Kommunalbestyrelsen Referat Dato: Starttidspunkt for møde: Kl Mødested: Afbud fra: "
    "Onsdag den 15-maj-2002 Rådhusets mødelokaler Fraværende: Ingen. Mødedeltagere: Anne "
    "Andersen, Bent Berg, Carl Clausen, Dorte Dahl, Erik Eriksen, Finn Friis, Gitte Gram, "
    "Hans Holm, Inge Iversen, Jens Jensen, Karen Krogh, Lars Lund, Mette Mortensen åben\n\n"
    "2 Indholdsfortegnelse Til behandling - for åbne døre...i 6. Meddelelser fra "
    "borgmesteren...i 7. Budgetopfølgning for første kvartal...i 8. Salg af grund ved "
    "havnen...ii Til behandling - for lukkede døre...iii 9. Lukket sag: Køb af ejendom i "
    "bymidten...iii 10. Lukket sag: Personalesag vedrørende ansættelse...iv\n\n"
    "3 Side 1 af 3 7. Budgetopfølgning for første kvartal Sagsnr. 02/1234 Sagsfremstilling "
    "Økonomiafdelingen fremlægger budgetopfølgningen for første kvartal, som viser et "
    "mindreforbrug på driften. Beslutning Taget til efterretning. 8. Salg af grund ved "
    "havnen Sagsnr. 02/2345 Sagsfremstilling Der er kommet et bud på grunden ved havnen "
    "fra en lokal virksomhed. Beslutning Godkendt.\n"
)


def test_flattened_pdf_pages_are_reflowed_into_their_structure() -> None:
    """One line per PDF page (a document site's transcript): the TOC with roman page
    numbers, the headings, case lines and labels are found inside the page lines."""
    meeting = parse_meeting(Document(path="/archive/kb/referat.txt", text=_FLAT_PAGES))
    assert meeting.date == "2002-05-15" and meeting.doc_type == "referat"
    got = [(i.number, i.title, i.case_number, i.closed) for i in meeting.items]
    assert got == [
        ("6", "Meddelelser fra borgmesteren", None, False),
        ("7", "Budgetopfølgning for første kvartal", "02/1234", False),
        ("8", "Salg af grund ved havnen", "02/2345", False),
        ("9", "Køb af ejendom i bymidten", None, True),
        ("10", "Personalesag vedrørende ansættelse", None, True),
    ]
    assert [s.name for s in meeting.items[1].sections] == ["Sagsfremstilling", "Beslutning"]
    assert meeting.items[2].sections[-1].text == "Godkendt."


def test_reflow_keeps_offsets_and_leaves_normal_lines_alone() -> None:
    """Only spaces become newlines (and a page's leading number spaces), so offsets hold;
    a long prose paragraph with a numbered list (one kind of signal) is not touched, nor is
    a header line whose only signal is the type word 'Referat'."""
    flat = split_run_on_text(_FLAT_PAGES)
    assert len(flat) == len(_FLAT_PAGES) and flat != _FLAT_PAGES
    assert flat.split("\n")[0] == _FLAT_PAGES.split("\n")[0]  # 'Referat Dato:' stays one line
    assert split_run_on_text(_PROSE) == _PROSE
    assert "\n \nIndholdsfortegnelse" in flat and "\n7. Budgetopfølgning" in flat  # 2 erased
    assert "\nTil behandling - for lukkede døre...iii\n" in flat


def test_a_numbered_list_restarting_inside_an_item_is_no_items() -> None:
    """'1. Name (A)' ... '13. Name (O)' in a decision continue a list that restarted at 1,
    not the outline; a later heading backed by labels is still the next item."""
    members = "".join(f"{n}. Medlem nummer {n} (A)\n\n" for n in range(1, 6))
    text = (
        "1. Godkendelse af dagsorden\n\nSagsfremstilling\n\nIngen.\n\nBeslutning\n\n"
        f"Deltagerne var:\n\n{members}Godkendt.\n\n"
    )
    meeting = parse_meeting(Document(path="/archive/ou/punkt.txt", text=text))
    assert [i.number for i in meeting.items] == ["1"]
    backed = text + "2. Salg af grund\n\nSagsfremstilling\n\nEt bud.\n"
    meeting = parse_meeting(Document(path="/archive/ou/punkt.txt", text=backed))
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Godkendelse af dagsorden"), ("2", "Salg af grund")]


def test_a_bare_case_label_takes_the_number_below_it() -> None:
    """'Sagsnr:' on its own line with '09/141' in the cell below is the item's case number
    (and supports its padded heading); a sentence below the label is no case number."""
    text = "Referat 26-01-2009\n\n1.      Fusion af trafikselskaber\n\nSagsnr:\n\n09/141\n"
    meeting = parse_meeting(Document(path="/archive/rr/referat.txt", text=text))
    assert [(i.number, i.case_number, i.sections) for i in meeting.items] == [
        ("1", "09/141", ())]
    near = text.replace("09/141", "Sagen er ny i år.")
    lines = split_lines(near)
    assert case_number(lines, 0, len(lines)) is None


def test_a_type_word_followed_by_a_date_names_the_document() -> None:
    """'Regionsrådet - referat 26-01-2009' is the page's title; a later link that opens
    with 'Dagsorden' ('Dagsorden - dagsorden som PDF-fil') does not make it an agenda.
    Without the date the line that opens with the word still wins."""
    head = "Regionsrådet - {} 26-01-2009\n\nDagsorden - dagsorden som PDF-fil\n\n"
    body = "1. Fusion\n\nSagsfremstilling\n\nTekst.\n"
    got = parse_meeting(Document(path="/a/x.txt", text=head.format("referat") + body))
    assert got.doc_type == "referat"
    near = "Regionsrådet - referat\n\nDagsorden - dagsorden som PDF-fil\n\n" + body
    assert parse_meeting(Document(path="/a/x.txt", text=near)).doc_type == "dagsorden"


def test_dates_with_a_month_name_between_dashes() -> None:
    """'15-maj-2002' (a case system's date field) is a date; dashes around a word that is
    no month name make none ('15-mål-2002' has only the year)."""
    assert find_date("Onsdag den 15-maj-2002 kl. 17") == ("2002-05-15", 22)
    assert find_date("Onsdag den 15-mål-2002") is None


def test_a_label_behind_lower_case_link_text() -> None:
    """'fold dette punkt ind Resume' (a web page's collapse link) is the label 'Resume';
    'se vedlagte Bilag' (a sentence ending in a subheading word) stays text."""
    assert label_name("fold dette punkt ind Resume") == "Resume"
    assert label_name("fold dette punkt ind Beslutning") == "Beslutning"
    assert label_name("se vedlagte Bilag") is None
    assert label_name("og derfor Økonomi") is None


def test_toc_rows_with_roman_page_numbers() -> None:
    """'89. Title...iv' and a glued 'Budget xiii' lose their front-matter page numbers."""
    text = (
        "Indholdsfortegnelse\n89. Kvartalsrapport...i\n90. Dallund Slot...ii\n"
        "91. Budget xiii\n92. Spørgetid...xv\n\n89. Kvartalsrapport\n\nSagsfremstilling\n\nT.\n"
    )
    meeting = parse_meeting(Document(path="/a/referat.txt", text=text))
    assert [(i.number, i.title) for i in meeting.items] == [
        ("89", "Kvartalsrapport"), ("90", "Dallund Slot"), ("91", "Budget"),
        ("92", "Spørgetid")]


def test_a_lukket_sag_prefix_closes_the_item() -> None:
    assert closed_title("Lukket sag: Tandpleje for børn") == ("Tandpleje for børn", True)
    assert closed_title("Sag om lukket vej") == ("Sag om lukket vej", False)


_CYCLE_PAGE = (
    "Referat\n\nUdvalg: Teknisk Udvalg\n\nMødedato: 18-02-2019\n\n"
    "{a}Vejbelysning på Stationsvej\n\nSagsfremstilling\n\nLygterne er nedslidte.\n\n"
    "Indstilling\n\nDet indstilles, at de udskiftes.\n\nBeslutning\n\nGodkendt.\n\n"
    "{b}Trafiksikkerhedsplan 2019\n\nSagsnr.: 05.01.00-P20-3-18\n\nSagsfremstilling\n\n"
    "Planen er i høring.\n\nBeslutning\n\nTaget til efterretning.\n\n"
    "{c}Budgetopfølgning\n\nResumé\n\nKort status.\n\nSagsfremstilling\n\nForbruget følger "
    "budgettet.\n\nBeslutning\n\nGodkendt.\n"
)


def test_label_cycles_under_numbered_titles_are_items() -> None:
    """Round 5 fallback: numbered titles the outline cannot back (129, 131, 134: numbers
    that skip) still head one item each, found by the cycle of their labels; a 'Resumé'
    after a decision opens the next item, and a case line under a title is its own."""
    text = _CYCLE_PAGE.format(a="129. ", b="131. ", c="134. ")
    meeting = parse_meeting(Document(path="/archive/teknik/referat.txt", text=text))
    assert [(i.number, i.title, i.case_number) for i in meeting.items] == [
        ("129", "Vejbelysning på Stationsvej", None),
        ("131", "Trafiksikkerhedsplan 2019", "05.01.00-P20-3-18"),
        ("134", "Budgetopfølgning", None),
    ]
    assert [[s.name for s in i.sections] for i in meeting.items] == [
        ["Sagsfremstilling", "Indstilling", "Beslutning"],
        ["Sagsfremstilling", "Beslutning"],
        ["Resumé", "Sagsfremstilling", "Beslutning"],
    ]
    assert meeting.items[0].decision == "Godkendt."
    assert meeting.items[2].section("Sagsfremstilling").text == "Forbruget følger budgettet."


def test_unnumbered_label_cycles_stay_one_item() -> None:
    """Without printed numbers the cycles are no items (only the single item of a page may
    go without a number): one unnumbered item, titled by the text above its first label."""
    text = _CYCLE_PAGE.format(a="", b="", c="")
    meeting = parse_meeting(Document(path="/archive/teknik/referat.txt", text=text))
    assert [(i.number, i.title) for i in meeting.items] == [("", "Vejbelysning på Stationsvej")]


def test_a_page_that_parses_into_items_is_not_split_by_its_labels() -> None:
    """The fallback only reads pages of at most one item: numbered headings that the
    outline backs keep their items, however their labels repeat."""
    text = _CYCLE_PAGE.format(a="1. ", b="2. ", c="3. ")
    meeting = parse_meeting(Document(path="/archive/teknik/referat.txt", text=text))
    assert [i.number for i in meeting.items] == ["1", "2", "3"]
    assert meeting.items[1].case_number == "05.01.00-P20-3-18"


def test_an_unnumbered_item_is_titled_above_its_form_fields_not_by_site_text() -> None:
    """Round 5 (web pages of one case): the site's text ('Dagsordener og referater') stands
    first; the title is the nearest text above the first label past form matter: a grid of
    committee codes and marks, a field line, the case line over the title."""
    text = (
        "Dagsordener og referater\n\nUdvalg: Teknisk Udvalg\nMødedato: 6. november 2017\n\n"
        "Sagsnr.: 05.00.00-A00-2-17 Sagsbehandler: Lene Jensen\n\n"
        "Orientering om cykelprojektet\n\nDIR\n\nBYR\n\n x\n\n \n\n"
        "Øvrige sagsbehandlere: Jacob Hansen\n\nSagsresume\n\nProjektet er afsluttet.\n\n"
        "Beslutning\n\nTaget til orientering.\n"
    )
    meeting = parse_meeting(Document(path="/archive/teknik/punkt.txt", text=text))
    [item] = meeting.items
    assert (item.number, item.title, item.case_number) == (
        "", "Orientering om cykelprojektet", "05.00.00-A00-2-17")
    assert [s.name for s in item.sections] == ["Sagsresume", "Beslutning"]


def test_doubled_list_numbers_and_a_one_line_list() -> None:
    """Round 5 (Glostrup): ' 1.  1. Title' (an ordered list that prints the number again)
    heads item 1; a list of titles printed on ONE line ('1. A 2. B ... 5. E') is a list
    of entries, and a date inside a title ('pr. 31. marts') does not split it."""
    doubled = (
        "Referat\n\n 1.  1. Godkendelse af dagsordenen\n\n  Sagsfremstilling\n\n  Godkendt.\n"
        "\n  Afbud:\n  1. Jens Hansen, A\n 2.  2. Orientering\n\n  Sagsfremstilling\n\n  Ingen.\n"
    )
    meeting = parse_meeting(Document(path="/archive/kb/referat.txt", text=doubled))
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Godkendelse af dagsordenen"), ("2", "Orientering")]
    titles = ["Godkendelse af dagsordenen", "Budgetopfølgning pr. 31. marts 2022 - Overblik",
              "Anlægsregnskab for skoler og daginstitutioner i kommunen", "Mindesten for veteraner",
              "Forsøg med gebyrfrit bibliotek i Vestbyen og på hovedbiblioteket",
              "Salg af grund ved den gamle station og Stationsvej 4-8 (FOR LUKKEDE DØRE)"]
    one_line = " ".join(f"{k}. {t}" for k, t in enumerate(titles, 1))
    assert len(one_line) > 300  # a line this long is no heading (RUN_ON_MIN_LENGTH)
    page = Document(path="/archive/kb/referat.txt", text=f"Referat\n\n{one_line}\n")
    meeting = parse_meeting(page)
    assert [(i.number, i.title, i.closed) for i in meeting.items][:2] == [
        ("1", "Godkendelse af dagsordenen", False),
        ("2", "Budgetopfølgning pr. 31. marts 2022 - Overblik", False)]
    assert [i.number for i in meeting.items] == ["1", "2", "3", "4", "5", "6"]
    assert meeting.items[-1].closed


def test_a_recommendation_stated_in_running_text_is_the_item_s_proposal() -> None:
    """A Resume that says 'Direktionen indstiller, / at ...' holds the recommendation when no
    section is labelled for it (a region's print page); a sentence that only reports
    someone's recommendation mid-line is no recommendation, and a labelled Indstilling wins."""
    from ingest.models import AgendaItem, Section

    def item(*sections: tuple[str, str, str]) -> AgendaItem:
        return AgendaItem(number="1", title="Rønland", order=0, sections=tuple(
            Section(name=n, text=t, start=0, end=len(t), role=r) for n, t, r in sections))

    resume = ("Klagenævnet har truffet afgørelse.\n\nDirektionen indstiller,\n\n"
              "at regionen genoptager søgsmålet mod Miljøstyrelsen.")
    assert item(("Resume", resume, "background")).proposal == (
        "Direktionen indstiller,\n\nat regionen genoptager søgsmålet mod Miljøstyrelsen.")
    reported = "Det blev oplyst, at borgmesteren indstiller til byrådet at sælge grunden."
    assert item(("Resume", reported, "background")).proposal is None
    labelled = item(("Resume", resume, "background"), ("Indstilling", "At sagen udsættes.",
                                                      "proposal"))
    assert labelled.proposal == "At sagen udsættes."
