"""A contents list that a transcript ran together on one line: 'N Title N+1 Title ...'.

A document site's transcript of a PDF (one line per text block) may give the whole table
of contents as one line, the entries' numbers bare, without dots, leaders or pages:

    1 Meddelelser fra formanden 2 Forslag til tillæg 2 til Kommuneplan 2020 3 Lokalplan
    112 for Skovvej 4 ...

Nothing but the numbers marks where one title ends, so the line is read as a reader reads
it: from its very start '1 Title', each next entry the first bare number that counts on by
one and opens a title (a capitalised word, or a number: '13 20, Den selvejende ...' where
a title opens with a house number).  A number inside a title that does not count on, or
that a lower-case word follows ('tillæg 2 til'), is title text.  It takes at least
``MIN_ENTRIES`` entries counted in order from 1, which prose hardly does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .danish import squash
from .textlines import Line
from .tocentries import Toc, TocEntry

_NUMBER_RE = re.compile(r"(?:^|(?<=\s))(\d{1,3})\s+(?=[A-ZÆØÅ0-9])")
MIN_ENTRIES = 5
MAX_TITLE_WORDS = 30
"""A longer stretch between two numbers is prose, not a title."""


def one_line_toc(lines: Sequence[Line], index: int) -> Toc | None:
    """The contents list run together on line ``index``, or None."""
    clean = lines[index].clean
    if not clean.startswith("1 "):
        return None
    starts: list[tuple[int, int]] = []  # (offset of the number, offset of the title)
    for m in _NUMBER_RE.finditer(clean):
        if int(m.group(1)) == len(starts) + 1:
            starts.append((m.start(), m.end()))
    if len(starts) < MIN_ENTRIES or starts[0][0] != 0:
        return None
    entries: list[TocEntry] = []
    for k, (_, title_start) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(clean)
        title = squash(clean[title_start:end])
        if not title or len(title.split()) > MAX_TITLE_WORDS:
            return None
        entries.append(TocEntry(str(k + 1), title, index))
    return Toc(tuple(entries), index, index + 1)
