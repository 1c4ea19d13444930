"""Parser round 18: contents layouts of real pages 120-127, each on a small made-up document.

* a one-line contents list of year-sequence numbered rows with dot leaders, behind a series
  code ('SAG 21-014 Title ...... 3'), with unnumbered rows (``coded_toc``; the numbers are
  item numbers, ``models.ITEM_NUMBER_RE``, ordered by ``danish.number_key``);
* 'Punkt 01 Title' entries one a paragraph, with group headings glued in front of them or
  alone, page numbers and a repeated letterhead inside the list (``punkt_toc``);
* a lettered sub-item and an entry whose title opens with a number left run on in the
  entry above (``inner_entries``);
* a closed group's list that counts again from 1 (``closedrestart``).
"""

from __future__ import annotations

from ingest.danish import number_key
from ingest.models import ITEM_NUMBER_RE, Document, Meeting
from ingest.parser import parse_meeting


def _parse(text: str, path: str = "/arkiv/eksempelby/referat.txt") -> Meeting:
    return parse_meeting(Document(path=path, text=text))


def _items(meeting: Meeting) -> list[tuple[str, str]]:
    return [(item.number, item.title) for item in meeting.items]


def test_year_sequence_and_lettered_numbers_are_item_numbers_in_order() -> None:
    for number in ("21-014", "2.a", "3", "3.1"):
        assert ITEM_NUMBER_RE.match(number), number
    for number in ("21-", "2.A", "2.ab", "a"):
        assert not ITEM_NUMBER_RE.match(number), number
    written = ["21-014", "21-009", "20-120", "21-100"]
    assert sorted(written, key=number_key) == ["20-120", "21-009", "21-014", "21-100"]
    assert number_key("2") < number_key("2.a") < number_key("2.b") < number_key("3")
    assert len(number_key("21-014")) == 1  # one level, not a sub-item


def test_a_one_line_list_of_coded_rows_with_dot_leaders_is_the_contents() -> None:
    text = (
        "BYRÅDET\n\nORDINÆRT MØDE Tirsdag DEN 14. Marts 2021 KL. 10:00\n\n"
        "Dagsorden SAG 21-014 Budget for havnen 2022 ...... 3 SAG 21-015, Ny skolestruktur"
        "...... 6 Orientering ...... 9 SAG 21-016 Salg af grund i Nordby ...... 9 "
        "Underskriftsblad ...... 12\n"
    )
    assert _items(_parse(text)) == [
        ("21-014", "Budget for havnen 2022"),
        ("21-015", "Ny skolestruktur"),
        ("21-016", "Salg af grund i Nordby"),
    ]


def test_coded_rows_over_several_paragraphs_without_a_series_code() -> None:
    text = (
        "Byråd 14. marts 2021 kl. 10.00\n\n"
        "Dagsorden 21-001 Valg af formand...... 3 21-002 Takster for vand ...... 5\n\n"
        "21-003 Ansøgning om tilskud på 10.000,-kr…………...... 7\n\n"
        "ORIENTERINGSSAGER ...... 9 MØDET SLUTTEDE ...... 11\n"
    )
    assert _items(_parse(text)) == [
        ("21-001", "Valg af formand"),
        ("21-002", "Takster for vand"),
        ("21-003", "Ansøgning om tilskud på 10.000,-kr"),
    ]


def test_punkt_entries_with_glued_group_headings_and_a_letterhead_inside() -> None:
    letterhead = "EKSEMPELBY KOMMUNE Telefon 11 22 33 44 www.eksempelby.dk"
    title = "Referat af Byrådets ordinære møde 02/2021, den 14. marts 2021"
    text = (
        f"<<\n\n{title}\n\nOversigt – åbent møde:\n\n"
        "Punkt 01 Godkendelse af dagsorden\n\n"
        "Økonomisager Punkt 02 Budgetopfølgning\n\n"
        "Punkt 03 Salg af grund\n\n"
        "Generelle sager\n\n"
        "Punkt 04 Ny skolestruktur\n\n"
        f"1\n\n{letterhead}\n\n{title}\n\n"
        "Orienteringssager Punkt 05 Orientering fra borgmesteren\n\n"
        "Punkt 06 Eventuelt\n\n"
        f"2\n\n{letterhead}\n\n{title}\n"
    )
    assert _items(_parse(text)) == [
        ("01", "Godkendelse af dagsorden"),
        ("02", "Budgetopfølgning"),
        ("03", "Salg af grund"),
        ("04", "Ny skolestruktur"),
        ("05", "Orientering fra borgmesteren"),
        ("06", "Eventuelt"),
    ]


def test_lettered_sub_item_and_entry_opening_with_a_number_split_off() -> None:
    entries = [
        "1. Godkendelse af dagsorden",
        "2. Orientering fra formanden 2 a. Orientering om højskolen",
        "3. Økonomisk status for kommunens drift og anlæg",
        "4. Budgetomplaceringer mellem udvalgenes rammer",
        "5. Beredskabsplan for Eksempelby 6. 3 stk. ansøgninger om tilskud",
        "7. Affaldsregulativ for erhverv og husholdninger",
        "8. Ny strategi for råstoffer",
        "9. Evt.",
    ]
    page = "2 FORTEGNELSE OVER PUNKTERNE: " + " ".join(entries) + " 2"
    # a transcript's pages, numbered in sequence: the list is split before its entries
    text = (
        "Referat Møde 02/2014\n\n1 Referat Mødet afholdt i Nordby\n\n" + page + "\n\n"
        "3 DELTAGERE: Anna Andersen, Bent Berg, Carl Clausen 3\n"
    )
    assert _items(_parse(text)) == [
        ("1", "Godkendelse af dagsorden"),
        ("2", "Orientering fra formanden"),
        ("2.a", "Orientering om højskolen"),
        ("3", "Økonomisk status for kommunens drift og anlæg"),
        ("4", "Budgetomplaceringer mellem udvalgenes rammer"),
        ("5", "Beredskabsplan for Eksempelby"),
        ("6", "3 stk. ansøgninger om tilskud"),
        ("7", "Affaldsregulativ for erhverv og husholdninger"),
        ("8", "Ny strategi for råstoffer"),
        ("9", "Evt."),
    ]


def test_a_number_inside_a_title_without_a_gap_stays_in_the_title() -> None:
    text = (
        "Dagsorden\n\nÆldrerådet\n\n"
        "1. Godkendelse af dagsorden\n"
        "2. Budget pr. 3. kvartal\n"
        "3. Eventuelt\n"
    )
    assert _items(_parse(text))[1] == ("2", "Budget pr. 3. kvartal")


def test_a_closed_group_counting_again_from_one_joins_the_list_closed() -> None:
    text = (
        "Dagsorden til byrådsmøde den 22. juni 2017 kl. 18.00\n\n"
        "Åbne dagsordenspunkter\n\n"
        "  1. Budgetopfølgning\n  2. Status på handlingsplanen\n  3. Ny skolestruktur\n\n"
        "Lukkede dagsordenspunkter\n\n"
        "  1. Køb af areal\n  2. Salg af grund\n\n"
        "Med venlig hilsen\n\nBorgmester\n"
    )
    meeting = _parse(text)
    assert [(i.number, i.title, i.closed) for i in meeting.items] == [
        ("1", "Budgetopfølgning", False),
        ("2", "Status på handlingsplanen", False),
        ("3", "Ny skolestruktur", False),
        ("1", "Køb af areal", True),
        ("2", "Salg af grund", True),
    ]
