"""Two agendas the generated-agenda properties of test_parser_general.py found wrong: a
contents list with dot leaders whose items the body repeats as headings with (almost) nothing
under them.  Kept as fixed examples, so the fix holds whatever the random draw."""

from __future__ import annotations

from ingest.models import Document
from ingest.parser import parse_meeting

HEADER = "Hjortsø Kommune\nDagsorden\nØkonomiudvalget\nMødedato: 12.03.2024\n\n"
ROWS = [
    ("1", "Godkendelse af dagsorden", ""),
    ("1.1", "Budgetopfølgning pr. 31. marts 2024", "Lukket: "),
    ("1.2", "Anlægsbevilling til ny daginstitution i Vestby", "Lukket: "),
    ("2", "Udbud af rengøring på rådhuset", ""),
    ("2.1", "Takster for madservice 2025", "Lukket: "),
    ("2.2", "Lokalplan 1187 for boliger ved havnen", ""),
]


def _parse(text: str) -> list[tuple[str, str, bool]]:
    meeting = parse_meeting(Document("/archive/generated/2024-03-12/dokument.txt", text))
    return [(i.number, i.title, i.closed) for i in meeting.items]


def _contents(rows: list[tuple[str, str, str]]) -> str:
    return "\n".join(f"{n} {mark}{t} {'.' * 20} {k + 2}" for k, (n, t, mark) in enumerate(rows))


def test_a_contents_row_read_as_an_item_keeps_no_dot_leader() -> None:
    """Items without any body: their titles come from the contents rows, never with the
    rows' dot leaders and page numbers."""
    text = HEADER + _contents(ROWS[:3]) + "\n\n" + "\n\n".join(
        f"# {n} {mark}{t}" for n, t, mark in ROWS[:3]) + "\n"
    assert _parse(text) == [(n, t, bool(mark)) for n, t, mark in ROWS[:3]]


def test_headings_repeating_the_contents_are_the_items_not_the_rows() -> None:
    """The body repeats every contents row as a heading and the last one is closed by a
    'Lukket punkt' line under its heading: the headings hold the items (the line closes
    its item), not the rows with the whole body under the last."""
    text = HEADER + _contents(ROWS) + "\n\n" + "\n\n".join(
        f"# {n} {mark}{t}" for n, t, mark in ROWS) + "\n\nLukket punkt\n"
    assert _parse(text) == [(n, t, bool(mark) or n == "2.2") for n, t, mark in ROWS]
