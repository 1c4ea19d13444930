"""Round 17 (``headerends``): a document without item structure ends its header where its
first list or the label opening its case's text starts, so a body or a date named there
is no header field."""

from __future__ import annotations

from ingest.headerends import content_start, point_kind
from ingest.models import Document, Meeting
from ingest.parser import parse_meeting
from ingest.textlines import split_lines


def _meeting(text: str) -> Meeting:
    return parse_meeting(Document(path="/archive/nyheder/moede.txt", text=text))


def test_a_bullet_list_under_an_announcement_is_no_header() -> None:
    text = (
        "Møde i byrådet den 4. juni\n\n"
        "Der afholdes byrådsmøde på rådhuset torsdag den 4. juni kl. 19 med følgende "
        "dagsorden.\n\n"
        " • Godkendelse af regnskab pr. 30.04.2021\n"
        " • Nedlæggelse af Kulturudvalget\n"
        " • Meddelelser\n"
    )
    meeting = _meeting(text)
    assert (meeting.body, meeting.date) == ("Byrådet", None)
    assert content_start(split_lines(text)) == 4


def test_numbered_and_lettered_points_start_the_content() -> None:
    text = (
        "Referat af 3. marts 2019\n\nTilstede var: AB, CD og EF.\n\n"
        "1. Velkomst.\n\nFormanden bad om accept af et nyt punkt:\n\n"
        "2a. Forslag til vedtægt for Egeby Ældreråd.\n"
    )
    meeting = _meeting(text)
    assert (meeting.body, meeting.date) == (None, "2019-03-03")


def test_a_lone_bullet_a_bulleted_field_and_a_date_are_no_list() -> None:
    lone = "Referat\n\n• Udskriv\n\nUdvalg: Byrådet\n\nSagsfremstilling\n\nTekst.\n"
    assert content_start(split_lines(lone)) == len(split_lines(lone))
    fields = "Referat\n\n- Dato: 3. maj 2024\n- Sted: Rådhuset\n\nTekst.\n"
    assert content_start(split_lines(fields)) == len(split_lines(fields))
    dated = split_lines("Referat\n5. November 2018\n6. December 2018")
    assert [point_kind(line) for line in dated] == [None, None, None]
    assert point_kind(split_lines("  2a. Behandling af forslag")[0]) == "number"


def test_the_label_opening_the_case_ends_the_header() -> None:
    text = (
        "Beslutningsprotokol\n\nonsdag den 5. maj 2021 kl. 17:00\n\nUdvalg: Byrådet\n\n"
        "• Udskriv\n\nSagsfremstilling\n\nSelskabet ejes af Egeby Kommune.\n\n"
        "Beslutning Byrådet den 05-05-2021\n\nGodkendt.\n"
    )
    meeting = _meeting(text)
    assert (meeting.body, meeting.date) == ("Byrådet", "2021-05-05")
    lines = split_lines(text)
    assert content_start(lines, [8]) == 8
    assert content_start(lines, [0]) == len(lines)  # the title line stays in the header
