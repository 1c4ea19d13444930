"""A contents list flattened onto one line whose entries lost their numbers but the first.

A PDF's transcript (one line per page) may print its contents table as running text in
which only the first entry kept its number:

    Indholdsfortegnelse Side
    1. Godkendelse af dagsorden Budget rammebesparelse Budgetkontrol pr. 28. februar ...

The unnumbered titles are no items (their numbers are lost), but the first is item 1.  Its
title runs to the word that opens the next title (``titleends.next_title_at``): titles are
printed in sentence case, so the next one opens with capitalised words after a word that
ends in lower case and goes on in lower case or with a number ('dagsorden Budget
rammebesparelse', 'Budgetstatus Budgetforslag 2015 på'), unless that word is a preposition
or conjunction that no title ends with ('på Økonomiudvalgets').  Where the item's heading
below prints its number and a title the list opens with, that title is taken as printed
('Godkendelse af dagsorden' before 'Meddelelser Ændring af ...').  A
number that a transcript's re-flow broke onto the next line ('... på Chr.' / '8. Vej 7,
...') is no entry of its own when it does not run on from the first: the text goes on.
An entry that kept its number after a group heading in capitals is one
(``grouped_entries``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .danish import squash
from .grouped_entries import grouped_entries
from .textlines import Line
from .titleends import next_title_at
from .tocentries import Toc, TocEntry

_CAPTION_RE = re.compile(r"^indholdsfortegnelse\b.{0,40}$", re.IGNORECASE)
_FIRST_RE = re.compile(r"^(\d{1,3})\.\s+(?=[A-ZÆØÅ])(.+)$")
MIN_TITLES = 3
"""Titles the line must hold (the first and two more) to be a flattened list."""


def lone_entry_toc(lines: Sequence[Line], index: int) -> Toc | None:
    """The one-entry TOC whose caption stands on line ``index``, or None."""
    if not _CAPTION_RE.match(lines[index].clean):
        return None
    at = next((i for i in range(index + 1, len(lines)) if not lines[i].blank), None)
    if at is None or (m := _FIRST_RE.match(lines[at].clean)) is None:
        return None
    number, text, end = m.group(1), m.group(2), at + 1
    starts_at = [(0, at)]  # where each line's text starts in ``text``
    while end < len(lines) and not lines[end].blank:  # the re-flow broke the text here
        following = _FIRST_RE.match(lines[end].clean)
        if following is not None and int(following.group(1)) == int(number) + 1:
            return None  # the entries kept their numbers: a TOC of another reader
        starts_at.append((len(text) + 1, end))
        text = f"{text} {lines[end].clean}"
        end += 1
    cuts = _title_starts(text)
    if len(cuts) + 1 < MIN_TITLES:
        return None
    title = _headed_title(lines, end, number, text) or squash(text[: cuts[0]])
    entries = [TocEntry(number, title, at)] + [
        TocEntry(n, t, max(line for start, line in starts_at if start <= offset))
        for n, t, offset in grouped_entries(text, int(number))
    ]
    return Toc(tuple(entries), index, end)


def _headed_title(lines: Sequence[Line], start: int, number: str, text: str) -> str | None:
    """The title as the item's heading prints it below ('1. Godkendelse af dagsorden'),
    when the flattened list opens with it: the heading says where the title ends."""
    for line in lines[start:]:
        m = _FIRST_RE.match(line.clean)
        if m is None or m.group(1) != number:
            continue
        heading = squash(m.group(2))
        if text.startswith(heading) and text[len(heading) : len(heading) + 1] in (" ", ""):
            return heading
    return None


def _title_starts(text: str) -> list[int]:
    """Offsets in ``text`` where each title after the first opens (``titleends``)."""
    starts: list[int] = []
    base = 0
    while (cut := next_title_at(text[base:])) is not None:
        starts.append(base + cut)
        base += cut + 1
    return starts
