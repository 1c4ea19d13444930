"""Where the header of a document without item structure ends.

A page the parser reads as one unnumbered item (no numbered headings, no contents list,
no label cycles) still opens with a header - its title, the meeting's date line, its
fields - and then goes on to its content.  A reader stops reading the header at the first
list - bullet points ('• Title' over '• Title') or numbered points ('1. Title' ...
'2a. Title') - or at the label that opens a case's text ('Sagsfremstilling', 'Resumé':
``sections.PRIMARY_BACKGROUND``; the caller passes their lines).  Text from there on
belongs to the item, so a body or a date it names ('Beslutning om nedlæggelse af
Skoleudvalget', 'budgetopfølgning pr. 31.03.2020', '... der ejes af Aabenraa Kommune') is
no header field.

A list is two points of one kind, the second among the two text lines after the first:
a lone bullet (a site's link or notice, '• Udskriv', '• No tags were found') is no list.
A header field printed as a bullet ('- Dato: 3. maj 2024') is no point, nor is a date
('5. November 2018').
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .danish import MONTHS
from .textlines import Line

_BULLET_RE = re.compile(r"^\s*[•◦▪●·\-–*]\s+\S")
"""A bullet point: a bullet sign, a space and its text."""
_POINT_RE = re.compile(r"^\s*\d{1,3}[a-zæøå]?[.)]\s+(?P<word>[A-ZÆØÅ][\wæøåÆØÅ]*)")
"""A numbered (or numbered and lettered) point opening with a capital: '1. Velkomst',
'2a. Behandling', '3) Eventuelt'."""
_FIELD_RE = re.compile(r"^\s*[•◦▪●·\-–*]\s+[\wæøåÆØÅ .]{1,30}:\s*\S")
"""A bulleted header field: a short caption, a colon and its value ('- Sted: Rådhuset')."""
_FOLLOWING = 2
"""Text lines after a point among which the list's next point must stand."""


def point_kind(line: Line) -> str | None:
    """'bullet' or 'number' for a line that opens a point of a list, else None."""
    text = line.raw
    if _BULLET_RE.match(text):
        return None if _FIELD_RE.match(text) else "bullet"
    if point := _POINT_RE.match(text):
        return None if point["word"].lower() in MONTHS else "number"
    return None


def content_start(lines: Sequence[Line], label_lines: Iterable[int] = ()) -> int:
    """Index of the line the content of a document without item structure starts at: its
    first list or the first of ``label_lines`` (labels opening a case's text), after its
    first text line (the title stays in the header); ``len(lines)`` when there is none."""
    text = [line for line in lines if not line.blank]
    first = text[0].index if text else len(lines)
    starts = [k for k in label_lines if k > first]
    for k, line in enumerate(text[1:], start=1):
        kind = point_kind(line)
        if kind and any(point_kind(nxt) == kind for nxt in text[k + 1 : k + 1 + _FOLLOWING]):
            starts.append(line.index)
            break
    return min(starts, default=len(lines))
