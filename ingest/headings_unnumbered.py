"""Item headings printed without their numbers.

Some PDFs number their items only in the contents table: the item's own heading on its
page prints the title alone, the page's number or a column mark before it at most
('3 Godkendelse af dagsordenen' / 'Sagsfremstilling', '3 Ø Likviditet og resultater pr.
28. februar 2011' / 'Sagsfremstilling').  A contents entry that no numbered heading
matched is headed by such a line: the text line right over a section label, between the
headings of the entries before and after it, whose words the entry's title opens with,
its first three at least (or the whole title, when shorter), all but the heading's last
word at most (a year the contents row lost with the transcript's digits; the row may also
run on into the next titles).  A caption over a label ('Orientering' / 'Tema') repeats one
word of a title, not its opening words.  The heading prints the title whole, so the item
takes its title from it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from .danish import squash
from .textlines import Line
from .toc import Heading, token_match, tokens
from .tocentries import TocEntry

MIN_SHARED = 3
"""Opening words a heading must share with its entry's title (all, when it has fewer)."""
MAX_WORDS = 25
_LEAD_MARKS = 2
"""Tokens a heading line may print before its title: a page number, a column mark."""


def unnumbered_headings(
    entries: Sequence[TocEntry],
    headings: dict[int, Heading],
    lines: Sequence[Line],
    labels: Collection[int],
    start: int,
) -> tuple[list[TocEntry], dict[int, Heading]]:
    """``entries`` and ``headings`` with the headings printed without numbers added (by
    entry index), each such entry titled as its heading prints it.  ``labels`` are the
    lines that hold a section label, ``start`` the first line after the contents."""
    entries, found = list(entries), dict(headings)
    for i, entry in enumerate(entries):
        if i in found:
            continue
        low = max([start] + [h.line + 1 for j, h in found.items() if j < i])
        high = min([len(lines)] + [h.line for j, h in found.items() if j > i])
        for index in range(low, high):
            title = _title_over_label(lines, index, entry.title, labels)
            if title is not None:
                found[i] = Heading(entry.number, title, index, False)
                entries[i] = TocEntry(entry.number, title, entry.line, entry.closed)
                break
    return entries, found


def _title_over_label(
    lines: Sequence[Line], index: int, wanted: str, labels: Collection[int]
) -> str | None:
    """The title line ``index`` prints for the entry titled ``wanted``, or None."""
    line = lines[index]
    if line.blank or index in labels:
        return None
    below = next((ln for ln in lines[index + 1 :] if not ln.blank), None)
    if below is None or below.index not in labels:
        return None
    words = line.clean.split()
    for _ in range(_LEAD_MARKS):
        if len(words) > 1 and (words[0].isdigit() or len(words[0]) == 1):
            words = words[1:]
    title = squash(" ".join(words))
    have, want = tokens(title), tokens(wanted)
    shared = 0
    while shared < min(len(have), len(want)) and token_match(have[shared], want[shared], False):
        shared += 1
    if len(words) > MAX_WORDS or shared < min(MIN_SHARED, len(want)) or shared < len(have) - 1:
        return None
    return title
