"""A contents list of 'Punkt NN Title' entries set one a paragraph, with page furniture.

Minutes that call their items 'Punkt 01', 'Punkt 02' ... may open with an overview that
sets each entry as a paragraph of its own, without leaders or page numbers:

    Oversigt – åbent møde:
    Punkt 01 Godkendelse af dagsorden
    Økonomisager Punkt 02 Budgetopfølgning
    Punkt 03 ...
    Generelle sager
    Punkt 04 ...
    2
    BYKOMMUNE Telefon 12 34 56 78 www.bykommune.dk
    Referat af Byrådets møde 03/2020, den 28. maj 2020
    Punkt 05 ...

The word 'Punkt' marks each entry, so a group heading that a PDF transcript glued in front
of it ('Økonomisager Punkt 02 ...': a capitalised word and at most three lower-case ones,
no digits) is split off, and what stands between two entries is page furniture or a group
heading: a page number alone, a line printed again elsewhere in the document (the
letterhead and the running title of every page) or a short group heading above the next
entry ('Generelle sager'), never a section label or prose.  The numbers must count on by
one, so the body's own headings ('Punkt 01 ...' again, with labelled text under it) end the
list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .danish import squash
from .sections import label_name
from .textlines import Line
from .tocentries import Toc, TocEntry

_ENTRY_RE = re.compile(
    r"^(?:[A-ZÆØÅ][a-zæøå]+(?:\s+[a-zæøå]+){0,3}\s+)?(?i:punkt|pkt\.?)\s*(\d{1,3})\.?\s+(\S.*)$"
)
"""'Punkt 01 Title', 'Pkt. 3 Title', behind a glued group heading ('Økonomisager Punkt 02')."""
_GROUP_RE = re.compile(r"^[A-ZÆØÅ][a-zæøå]+(?:\s+[a-zæøå]+){0,3}:?$")
_PAGE_NUMBER_RE = re.compile(r"^\d{1,4}$")
MIN_ENTRIES = 3
MIN_REPEATED_LENGTH = 12
"""A line this long that the document prints again is a running header, not a title."""


def punkt_toc(lines: Sequence[Line], index: int) -> Toc | None:
    """The 'Punkt NN' contents list whose first entry stands on line ``index``, or None."""
    first = _ENTRY_RE.match(lines[index].clean)
    if first is None:
        return None
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.clean] = counts.get(line.clean, 0) + 1
    entries = [TocEntry(first.group(1), squash(first.group(2)), index)]
    end = index + 1
    for line in lines[index + 1 :]:
        if line.blank or _furniture(line.clean, counts):
            continue
        m = _ENTRY_RE.match(line.clean)
        if m is None and _is_group(lines, line.index):
            continue
        if m is None or int(m.group(1)) != int(entries[-1].number) + 1:
            break
        entries.append(TocEntry(m.group(1), squash(m.group(2)), line.index))
        end = line.index + 1
    return Toc(tuple(entries), index, end) if len(entries) >= MIN_ENTRIES else None


def _furniture(clean: str, counts: dict[str, int]) -> bool:
    """A page number alone, or a line the document prints again (letterhead, title)."""
    return bool(_PAGE_NUMBER_RE.match(clean)) or (
        len(clean) >= MIN_REPEATED_LENGTH and counts.get(clean, 0) > 1
    )


def _is_group(lines: Sequence[Line], index: int) -> bool:
    """A short group heading (no label) right above the next entry."""
    clean = lines[index].clean
    if not _GROUP_RE.match(clean) or label_name(clean) is not None:
        return False
    after = next((ln for ln in lines[index + 1 :] if not ln.blank), None)
    return after is not None and _ENTRY_RE.match(after.clean) is not None
