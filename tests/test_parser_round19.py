"""Parser round 19: list and transcript layouts of real pages 128-135, each on a small
made-up document.

* an ordered list of items whose entries each hold a nested list numbering from 1 again,
  the levels told apart by indentation only (``nested_lists``);
* a contents list a transcript ran together on one line, 'N Title' without dots, one
  title opening with a number (``oneline_toc``);
* a transcript page that opens with its page number and item '1.' and whose headings
  count on, each run on with its text, a presenter clause 'v. Name' after a title
  (``heading_pages``, ``runon_presenter``; 'til referat fra møde' inside a title is no
  document title to break at, ``runon``);
* an agenda of numbered paragraphs that are titles only, hard-wrapped over lines and
  closed by a full stop (``wrapped_list``), and typed an agenda (``titlelist_type``).
"""

from __future__ import annotations

from ingest.models import Document, Meeting
from ingest.parser import parse_meeting


def _parse(text: str, path: str = "/arkiv/eksempelby/moede.txt") -> Meeting:
    return parse_meeting(Document(path=path, text=text))


def _items(meeting: Meeting) -> list[tuple[str, str]]:
    return [(item.number, item.title) for item in meeting.items]


def test_entries_holding_nested_lists_that_restart_are_the_items() -> None:
    text = (
        "Gå til indhold\n\n"
        "Elevrådsmøde d. 4. marts 2021\n\n"
        " 1. Opfølgning på fastelavnsfesten\n\n"
        "  1. Festen gik fint\n"
        "  2. Mange kom udklædt\n"
        " 2. Nyt fra skolebestyrelsen\n\n"
        "  1. Ny legeplads til efteråret\n"
        "  2. Budgettet er godkendt\n"
        "  3. Næste møde i april\n"
        " 3. Eventuelt\n\n"
        "  1. Intet\n"
        " 4. Næste møde\n"
    )
    meeting = _parse(text)
    assert _items(meeting) == [
        ("1", "Opfølgning på fastelavnsfesten"),
        ("2", "Nyt fra skolebestyrelsen"),
        ("3", "Eventuelt"),
        ("4", "Næste møde"),
    ]
    assert "Mange kom udklædt" in meeting.items[0].sections[0].text


def test_a_contents_list_run_together_on_one_line_without_dots() -> None:
    text = (
        "Dagsorden til møde i Byrådet\n\n"
        "Mødedato 3. marts 2014 Mødetidspunkt 17.00 Mødelokale Byrådssalen\n\n"
        "Indholdsfortegnelse\n\n"
        "1 Meddelelser fra borgmesteren 2 Forslag til tillæg 4 til Kommuneplan 2013 "
        "3 Lokalplan 112 for Skovvej 9 - tillæg 1 4 Anlægsbevilling på 5 mio. kr. til "
        "cykelstier 5 12, Boligselskabet Egely, godkendelse af skema B 6 Takster 2014\n\n"
        "Side 2 af 20\n\n"
        "1 Åbent Meddelelser fra borgmesteren\n\n"
        "013344-2014\n"
    )
    meeting = _parse(text)
    assert _items(meeting) == [
        ("1", "Meddelelser fra borgmesteren"),
        ("2", "Forslag til tillæg 4 til Kommuneplan 2013"),
        ("3", "Lokalplan 112 for Skovvej 9 - tillæg 1"),
        ("4", "Anlægsbevilling på 5 mio. kr. til cykelstier"),
        ("5", "12, Boligselskabet Egely, godkendelse af skema B"),
        ("6", "Takster 2014"),
    ]
    assert meeting.doc_type == "dagsorden"


def test_a_transcript_page_of_run_on_items_opened_by_its_page_number() -> None:
    text = (
        "Referat fra møde i Ældrerådet Tirsdag, den 3. marts 2015 kl\n\n"
        "Transkript\n\n"
        "1 Rådhusvej Bakkeby Dato 6. marts 2015 Sags id 15/1234 Referat fra møde i "
        "Ældrerådet Tirsdag, den 3. marts 2015 kl Rådhuset, mødelokale 2 Deltagere: "
        "Anna Holm Bent Lund Carla Vig (Afbud) Dorte Friis Erik Mose Telefon Telefax\n\n"
        "2 1. Bemærkninger til referat fra møde den 2. februar 2015 Ingen bemærkninger. "
        "2. Høring om ny plan for træning i hjemmet. v. Sundhed & Pleje, chef Karen Bøg "
        "Planen er anden del af en samlet plan for træning. Der vil være hold i alle "
        "byens dele, og borgere med særlige behov kan få træning i eget hjem. Holdene "
        "starter efter sommerferien. Høringssvar fra Ældrerådet: Rådet tager planen til "
        "efterretning og har ingen bemærkninger til den. Rådet påpeger, at det fortsat "
        "finder det vigtigt, at træningen gives af faste medarbejdere. "
        "3. Orientering om madservice v. Konsulent Lone Dam fra Madhuset "
        "Lone Dam fortalte om den nye madservice. Materialet sendes med referatet.\n"
    )
    meeting = _parse(text)
    assert _items(meeting) == [
        ("1", "Bemærkninger til referat fra møde den 2. februar 2015"),
        ("2", "Høring om ny plan for træning i hjemmet"),
        ("3", "Orientering om madservice"),
    ]
    assert "Ingen bemærkninger" in meeting.items[0].sections[0].text


def test_titles_wrapped_over_lines_in_a_list_of_titles_only() -> None:
    text = (
        "Byrådsmøde den 4. marts 2024 kl. 17.00\n\n"
        "Dato / 4. marts 2024\n\n"
        "1. Godkendelse af dagsorden.\n\n"
        "2. Svar til Tilsynet vedrørende\n"
        "udtalelse om kommunens administration af\n"
        "kommunestyrelsesloven.\n\n"
        "3. Godkendelse af teateraftale for Det Lille\n"
        "Teater 2025-2028.\n\n"
        "4. Havneby Strand - igangsætning af 2.\n"
        "fase og finansiering.\n\n"
        "5. Godkendelse af ideoplæg for Skovvej 7.\n"
    )
    meeting = _parse(text)
    assert _items(meeting) == [
        ("1", "Godkendelse af dagsorden"),
        ("2", "Svar til Tilsynet vedrørende udtalelse om kommunens administration af "
              "kommunestyrelsesloven"),
        ("3", "Godkendelse af teateraftale for Det Lille Teater 2025-2028"),
        ("4", "Havneby Strand - igangsætning af 2. fase og finansiering"),
        ("5", "Godkendelse af ideoplæg for Skovvej 7"),
    ]
    assert all(not item.sections for item in meeting.items)  # no title line as text
    assert meeting.doc_type == "dagsorden"
    # a list whose items hold text is no list of titles: the line under a heading is text
    text = (
        "Referat af bestyrelsesmøde den 4. marts 2024\n\n"
        "1. Godkendelse af dagsorden\n"
        "Dagsordenen blev godkendt.\n\n"
        "2. Regnskab 2023\n\n"
        "Regnskabet blev gennemgået.\n\n"
        "3. Eventuelt\n\n"
        "Intet.\n"
    )
    meeting = _parse(text)
    assert _items(meeting) == [
        ("1", "Godkendelse af dagsorden"),
        ("2", "Regnskab 2023"),
        ("3", "Eventuelt"),
    ]
    assert meeting.doc_type == "referat"
