"""Plain numbered item lists (``ingest.listed_items``): minutes that open with the
attendance instead of a meeting word, and a web page that indents its list."""

from __future__ import annotations

from ingest.models import Document
from ingest.parser import parse_meeting


def _items(text: str) -> list[tuple[str, str]]:
    meeting = parse_meeting(Document("/archive/hjortsoe.dk/raad/2024-03-12.txt", text))
    return [(i.number, i.title) for i in meeting.items]


def test_minutes_opening_with_the_attendance_list_their_items() -> None:
    """'Fremmødte:' / 'Afbud:' open only a meeting's record: the numbered paragraphs under
    them are its items, the number glued to the title as such pages print it."""
    text = (
        "Fremmødte: Ane Holm, Bo Lund, Carl Vind.\n\nAfbud: Dorte Ravn.\n\n"
        "1.Stier langs åen v/ Bo Lund\n\nBo orienterede om stierne.\n\n"
        "2.Valg af formand\n\nAne Holm blev genvalgt.\n\n"
        "3.Godkendelse af referat fra sidste møde\n\nGodkendt.\n"
    )
    assert _items(text) == [("1", "Stier langs åen v/ Bo Lund"), ("2", "Valg af formand"),
                            ("3", "Godkendelse af referat fra sidste møde")]


def test_an_indented_list_with_its_text_indented_deeper_lists_its_items() -> None:
    """' 1. Title' with its text indented deeper under it and no blank line between items;
    an item without text followed at once by the next number is an item too; a date
    inside an item's text ('7. juni kl 16') does not count on, so it is text."""
    text = (
        "Referat af lokalrådsmøde nr 4 mandag d. 11. marts 2024\n\n"
        " 1. Orientering ved formanden\n  Formanden har deltaget i to møder.\n"
        " 2. Præsentation af medlemmerne.\n"
        " 3. Konstituering\n  Formand: Ane\n  Kasserer: Bo\n"
        " 4. Dato for næste møde\n  7. juni kl 16\n"
        " 5. Evt\n  Ingen bemærkninger.\n"
    )
    assert _items(text) == [("1", "Orientering ved formanden"),
                            ("2", "Præsentation af medlemmerne"), ("3", "Konstituering"),
                            ("4", "Dato for næste møde"), ("5", "Evt")]

