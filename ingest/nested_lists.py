"""Items of a numbered list whose entries each hold a nested numbered list.

A web page's editor may print the minutes as an ordered list of the items, each entry
holding a nested list of notes that numbers from 1 again (a WordPress page stored as text
keeps only the indentation that tells the two levels apart):

     1. Opfølgning på arrangementet
      1. Det gik godt
      2. God stemning
     2. Nyt fra foreningen
      1. Vi deltog i landsmødet

The entries at the shallowest indentation are the items; the deeper lines are the items'
text.  A reader sees this from the numbers alone: the shallow entries count 1, 2, 3 ... on
through the whole page, while the deeper ones start again at 1 under each item.  The
reading is taken only where that holds for every numbered line of the page (a contents
list followed by the same numbers as headings counts from 1 twice at one depth, and is
left to the contents readers), the shallow entries are short capitalised titles, and at
least two items hold a nested list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .danish import squash
from .glued import without_full_stop
from .textlines import Line
from .toc import Heading

_NUMBERED_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<number>\d{1,3})\.[ \t]+(?P<title>\S.*)$")
MIN_ITEMS = 3
MIN_NESTED = 2
"""Items that hold a nested list that numbers from 1 again."""
MAX_TITLE_WORDS = 20


def nested_list_headings(lines: Sequence[Line]) -> list[Heading]:
    """The shallow entries of a two-level numbered list as item headings; [] unless every
    numbered line of ``lines`` fits that layout."""
    numbered = [(line, m) for line in lines if (m := _NUMBERED_RE.match(line.raw))]
    if not numbered:
        return []
    shallow = min(len(m.group("indent")) for _, m in numbered)
    outer: list[tuple[Line, re.Match[str]]] = []
    nested: list[list[int]] = []  # the numbers of the list under each outer entry
    for line, m in numbered:
        if len(m.group("indent")) == shallow:
            outer.append((line, m))
            nested.append([])
        elif not outer:
            return []  # a deeper entry before the first item
        else:
            nested[-1].append(int(m.group("number")))
    if len(outer) < MIN_ITEMS or [int(m.group("number")) for _, m in outer] != list(
        range(1, len(outer) + 1)
    ):
        return []
    if any(numbers != list(range(1, len(numbers) + 1)) for numbers in nested):
        return []
    if sum(bool(numbers) for numbers in nested) < MIN_NESTED:
        return []
    headings: list[Heading] = []
    for line, m in outer:
        title = without_full_stop(squash(m.group("title")))
        if not title[:1].isupper() or len(title.split()) > MAX_TITLE_WORDS:
            return []
        headings.append(Heading(m.group("number"), title, line.index, False))
    return headings
