"""Header clues from a page's own sentences (ingest.meetingclues) and the municipality's
name (ingest.bodies), on made-up pages: the tense a meeting is told in, a date given with
the meeting's clock time under a dateline, a title printed again on every page, and a
municipality named across a paragraph break or by Greenland's word."""

from __future__ import annotations

from ingest.bodies import municipality_in
from ingest.meetingclues import is_bare_date, timed_date, told_doc_type
from ingest.models import Document, Meeting
from ingest.parser import parse_meeting


def _parse(text: str, path: str = "/archive/raadet/side.txt") -> Meeting:
    return parse_meeting(Document(path=path, text=text))


def test_the_tense_a_meeting_is_told_in_names_the_type() -> None:
    assert told_doc_type(["Ordstyrer: Per Olsen Mødet blev afholdt som: Videomøde"]) == "referat"
    assert told_doc_type(["Medlemmer: Ida Berg (A) – Deltog på mødet d. 3. marts"]) == "referat"
    assert told_doc_type(["Mødet sluttede kl. 12.10."]) == "referat"
    assert told_doc_type(["Mødet afholdes på rådhuset."]) == "dagsorden"
    assert told_doc_type(["Følgende punkter er til behandling på mødet:"]) == "dagsorden"
    assert told_doc_type(["Onsdag den 3. marts 2021 kl. 17 holder Byrådet møde."]) == "dagsorden"
    # a template's empty caption, an earlier meeting in a title: no statement of this one
    assert told_doc_type(["Mødested: Rådhuset Mødet afsluttet: Kl"]) is None
    assert told_doc_type(["Opfølgning på mødet med foreningerne"]) is None
    # told both ways (an announcement quoted in minutes): held wins
    assert told_doc_type(["Mødet afholdes i salen.", "Mødet sluttede kl. 19."]) == "referat"


def test_minutes_whose_only_type_word_is_the_contents_caption() -> None:
    """A page that says 'Dagsorden:' only over its contents and tells its meeting as held
    is minutes (the caption lists what was dealt with); one that announces its meeting
    with the items to be treated is an agenda."""
    held = (
        "BYRÅDET\n\nORDINÆRT MØDE Mandag DEN 08. marts 2021 KL. 10:00\n\n"
        "Medlemmer: Ida Berg (A) – Deltog på mødet d. 9. marts, Per Olsen (B)\n\n"
        "Referent: Kim Holm\n\n"
        "Dagsorden:\n\n1. Godkendelse af dagsorden\n2. Budget 2022\n3. Eventuelt\n"
    )
    meeting = _parse(held)
    assert (meeting.body, meeting.date, meeting.doc_type) == ("Byrådet", "2021-03-08", "referat")
    announced = held.replace(
        "Medlemmer: Ida Berg (A) – Deltog på mødet d. 9. marts, Per Olsen (B)\n\n"
        "Referent: Kim Holm\n\n",
        "Mødet afholdes i byrådssalen.\n\n",
    )
    assert _parse(announced).doc_type == "dagsorden"


def test_a_date_with_the_meetings_clock_time_over_a_dateline() -> None:
    """A news page's publishing date alone on its line is no meeting date; the sentence
    that dates the meeting with its clock time is."""
    assert is_bare_date("03.02.2021") and not is_bare_date("Byrådet 03.02.2021")
    assert timed_date("Onsdag den 10. februar 2021 kl. 16.00 holder Byrådet møde.") == (
        "2021-02-10", 27)
    assert timed_date("Udgivet 10. februar 2021") is None
    text = (
        "Byrådsmøde i februar\n\n03.02.2021\n\n"
        "Onsdag den 10. februar 2021 kl. 16.00 holder Byrådet for Egeskov Kommune møde.\n\n"
        "Følgende punkter er til behandling på mødet:\n 1. Budget 2022\n 2. Vejplan\n"
        " 3. Eventuelt\n"
    )
    meeting = _parse(text, "/archive/egeskov.dk/nyheder/byraadsmoede.txt")
    assert (meeting.date, meeting.doc_type) == ("2021-02-10", "dagsorden")
    assert meeting.body == "Byrådet, Egeskov Kommune"
    assert [i.number for i in meeting.items] == ["1", "2", "3"]


def test_a_title_printed_on_every_page_still_names_body_and_date() -> None:
    """The title a transcript prints again at every page's top is blanked as running
    matter; it still names the meeting's body and date."""
    title = "Referat af Byrådets ordinære møde 02/2021, den 4. marts 2021"
    text = (
        f"{title}\n\nOversigt:\n\nPunkt 01 Godkendelse af dagsorden\n\n"
        "Punkt 02 Budget 2022\n\n1\n\n"
        f"{title}\n\nPunkt 03 Vejplan\n\nPunkt 04 Eventuelt\n\n2\n\n{title}\n"
    )
    meeting = _parse(text, "/archive/docs/8123/referat.txt")
    assert (meeting.body, meeting.date, meeting.doc_type) == ("Byrådet", "2021-03-04", "referat")
    assert [i.number for i in meeting.items] == ["01", "02", "03", "04"]


def test_a_municipality_never_runs_across_a_paragraph_break() -> None:
    assert municipality_in("Mødet blev holdt som: Videomøde\n\nKOMMUNE X") is None
    assert municipality_in("Økonomiudvalget, Egeskov\nKommune") == "Egeskov Kommune"
    assert municipality_in("EGESKOV KOMMUNIA Telefon 10 20 30 40") == "Egeskov Kommunia"
