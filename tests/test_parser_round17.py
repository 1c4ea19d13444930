"""Parser round 17: layouts of real pages 104-119, each on a small made-up document.

* contents entries whose numbers were lost run on in the entry above a gap in the
  numbering (``lostentries``), also in a 'Pkt. Tekst Side' table that closes on the
  transcript page's footer and holds a year range cut short (``columned_toc``,
  ``titleends``);
* item numbers alone on their line above the title, and sub-points listed under an item
  (``lonenumbers``);
* a transcript's one-line agenda whose first number was lost (``countedlists``), with a
  group heading printed without its colon (``unmarkedgroups``) and 'LUKKET PUNKT' entries.
"""

from __future__ import annotations

from ingest.models import Document, Meeting
from ingest.parser import parse_meeting
from ingest.titleends import next_title_at


def _parse(text: str, path: str = "/arkiv/eksempelby/referat.txt") -> Meeting:
    return parse_meeting(Document(path=path, text=text))


def _items(meeting: Meeting) -> list[tuple[str, str]]:
    return [(item.number, item.title) for item in meeting.items]


def test_an_entry_before_a_gap_in_the_numbering_holds_the_lost_titles() -> None:
    text = (
        "Referat\n\nBestyrelsen for Eksempelby Erhvervsråd\n\nMødedato: 12-03-2021\n\n"
        "Indholdsfortegnelse\n"
        "1. Godkendelse af dagsorden\n"
        "2. Nyt fra formanden\n"
        "3. Strategi Opfølgning på workshoppen den 4. marts Økonomi\n"
        "6. Eventuelt\n\n"
        "1. Godkendelse af dagsorden\n\nBeslutning\nGodkendt.\n\n"
        "2. Nyt fra formanden\n\nBeslutning\nTaget til efterretning.\n"
    )
    assert _items(_parse(text)) == [
        ("1", "Godkendelse af dagsorden"), ("2", "Nyt fra formanden"), ("3", "Strategi"),
        ("6", "Eventuelt"),
    ]


def test_an_entry_whose_next_number_follows_keeps_a_name_in_its_title() -> None:
    text = (
        "Referat\n\nBestyrelsen for Eksempelby Erhvervsråd\n\nMødedato: 12-03-2021\n\n"
        "Indholdsfortegnelse\n"
        "1. Godkendelse af dagsorden\n"
        "2. Henvendelse fra borger Hans Hansen om stier\n"
        "3. Eventuelt\n\n"
        "1. Godkendelse af dagsorden\n\nBeslutning\nGodkendt.\n"
    )
    assert _items(_parse(text))[1] == ("2", "Henvendelse fra borger Hans Hansen om stier")


def test_a_year_range_cut_short_is_no_page_number() -> None:
    assert next_title_at("Takster for december Regnskabsopgørelse 2021/ Ny aftale") == 20
    assert next_title_at("Møde på Eksempelby Rådhus 31 Afbud") is None


def test_a_columned_table_closing_on_the_page_footer_keeps_its_last_row() -> None:
    text = (
        "Referat Bestyrelsesmøde hos Eksempelby Trafik 14. november 2019\n\nTranskript\n\n"
        "2 Referat Bestyrelsesmøde den 14. november 2019 Deltagere Anne Andersen, Eksempelby "
        "Kommune Pkt. Tekst Side 1 Godkendelse af referat 3 3 Takster for december "
        "Regnskabsopgørelse 2021/ Ny aftale for busserne 4 5 Eventuelt Liste over kommende "
        "sager 6 Side 2 af 6\n"
    )
    assert _items(_parse(text)) == [
        ("1", "Godkendelse af referat"), ("3", "Takster for december"), ("5", "Eventuelt"),
    ]


def test_numbers_alone_on_their_line_head_items_and_sub_points_follow() -> None:
    text = (
        "Referat fra møde i Eksempelby Seniorråd torsdag 3. marts 2022\n\n"
        "1. \nGodkendelse af dagsorden\n\nGodkendt.\n\n"
        "2. \nMeddelelser\n\n"
        "2.1 Besøg på plejecentret Solbakken\n2.2 Nyt fra landsforeningen\n\n"
        "3. \nEventuelt\n\nIntet.\n"
    )
    assert _items(_parse(text)) == [
        ("1", "Godkendelse af dagsorden"), ("2", "Meddelelser"),
        ("2.1", "Besøg på plejecentret Solbakken"), ("2.2", "Nyt fra landsforeningen"),
        ("3", "Eventuelt"),
    ]


def test_a_pkt_number_alone_on_its_line_heads_the_one_item() -> None:
    text = (
        "Referat fra møde i Integrationsrådet\nEksempelby Kommune\nTorsdag d. 10.09.15.\n"
        "Til stede:\nAnne Andersen, formand\n"
        "Pkt. 1\nValg af ny formand\nRådet valgte en ny formand blandt medlemmerne.\n"
    )
    meeting = _parse(text)
    assert _items(meeting) == [("1", "Valg af ny formand")]
    assert [s.name for s in meeting.items[0].sections] == ["Sagsfremstilling"]


def test_contents_rows_with_their_numbers_above_are_no_headings() -> None:
    text = (
        "Referat\nØkonomiudvalget\nMødedato: 16-03-2015\n\nSagsoversigt\n"
        "01.\nGodkendelse af dagsorden ..........3\n"
        "02.\nSalg af grund ...........4\n"
        "03.\nEventuelt ...........5\n\n"
        "01. Godkendelse af dagsorden\n\nBeslutning\nGodkendt.\n\n"
        "02. Salg af grund\n\nBeslutning\nAnbefales.\n\n"
        "03. Eventuelt\n\nBeslutning\nIntet.\n"
    )
    assert _items(_parse(text)) == [
        ("01", "Godkendelse af dagsorden"), ("02", "Salg af grund"), ("03", "Eventuelt"),
    ]


def test_a_one_line_agenda_that_lost_its_first_number_under_group_headings() -> None:
    text = (
        "01 Dagsorden til bestyrelsesmødet den 5. maj 2023\n\nTranskript\n\n"
        "1 Politisk dokument Til stede: Anne Andersen, Bent Bentsen, Carl Carlsen, Dorte "
        "Davidsen, Erik Eriksen og medarbejderobservatør Frida Frederiksen. Gitte Gregersen "
        "havde meldt afbud. Sagsnummer Eksempelby Trafik Bestyrelsen 5. maj Hans Hansen 01 "
        "Dagsorden til bestyrelsesmødet den 5. maj 2023 klokken Godkendelse af dagsordenen "
        "2. Meddelelser fra formanden 3. Meddelelser fra direktionen Sager til beslutning "
        "4. LUKKET PUNKT 5. Budget for 2024 6. Nye takster for pendlerkort 7. Eventuelt\n"
    )
    meeting = _parse(text)
    assert _items(meeting) == [
        ("2", "Meddelelser fra formanden"), ("3", "Meddelelser fra direktionen"),
        ("4", "Lukket punkt"), ("5", "Budget for 2024"), ("6", "Nye takster for pendlerkort"),
        ("7", "Eventuelt"),
    ]
    assert [item.closed for item in meeting.items] == [False, False, True, False, False, False]
