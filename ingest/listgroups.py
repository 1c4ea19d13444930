"""Group headings run into a list of items printed on one line.

An agenda groups its items under headings that end in a colon ('Punkter til beslutning:',
'Punkter til orientering:').  Where the list is printed on one line ('... 3. Direktionen
orienterer Punkter til beslutning: 4. Forretningsorden ...'), each heading runs on at
the end of the entry before it.  A title ends in no colon, so a phrase in sentence case
that does (a capitalised word and one to four words in lower case) after an entry's first
word opens a heading of its own: the line is split before it as before the entries, so
the heading and what follows it up to the next entry stay out of the title.  A heading
printed without its colon ('Sager til beslutning') is read where it closes an entry
(``unmarkedgroups``).
"""

from __future__ import annotations

import re

from .danish import TITLE_STOPWORDS
from .unmarkedgroups import closing_group_heading

_GROUP_HEADING_RE = re.compile(r"(?<=\s)[A-ZÆØÅ][a-zæøå]+(?:\s+[a-zæøå]+){1,4}:(?=\s|$)")
_WORD_BEFORE_RE = re.compile(r"(\S+)\s+$")


def group_heading_cuts(line: str, entries: list[tuple[int, int]]) -> list[int]:
    """Offsets in ``line`` of the spaces before group headings that run on inside its
    entries, each entry given as (start of its title, end of the entry).

    >>> line = "3. Direktionen orienterer Punkter til beslutning: 4. Forretningsorden"
    >>> group_heading_cuts(line, [(3, 49)])
    [25]
    """
    cuts: list[int] = []
    for title, end in entries:
        first_word_end = line.find(" ", title)
        for m in _GROUP_HEADING_RE.finditer(
            line, first_word_end if first_word_end >= 0 else title, end
        ):
            before = _WORD_BEFORE_RE.search(line, title, m.start())
            if before is not None and before.group(1).casefold() not in TITLE_STOPWORDS:
                cuts.append(m.start() - 1)
                break
        else:
            if (closing := closing_group_heading(line[title:end])) is not None:
                cuts.append(title + closing)
    return cuts
