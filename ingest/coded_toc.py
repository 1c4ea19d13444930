"""A contents list of year-sequence numbered rows with dot leaders, often run on.

Some councils number their cases by year and running count ('19-027': the 27th case of
2019) and print the contents as rows 'KOM 19-027 Title ...... 3': an optional series
code in capitals, the number (sometimes with a comma after it), the title, a dot leader
and the page.  A PDF transcript may run several rows, or the whole list, onto one line
after its caption ('Dagsorden KOM 19-027 Forslag til ... ...... 3 KOM 19-028 ...').
Every row ends at its leader and page number, so the leaders say where each title ends
whatever the line breaks; a row without a number ('Orientering ...... 51',
'Underskriftsblad ...... 53') is no item.  The number is taken as printed without the
series code (as a 'Sag nr.' label is dropped).  The list runs over consecutive
paragraphs that are made of such rows only, and holds at least two numbered rows that
count up; a year-sequence number never opens a prose paragraph's leader row, so the form
alone marks the list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .danish import number_key, squash
from .textlines import Line
from .tocentries import Toc, TocEntry

_ROW_END_RE = re.compile(r"\s*(?:[.…]\s*){3,}(\d{1,4})(?=\s|$)")
"""A row's leader ('......', '…………...') and page number: where its title ends."""
_CODED_ROW_RE = re.compile(r"(?:^|(?<=\s))(?:[A-ZÆØÅ]{2,5}\s+)?(\d{2}-\d{3}),?\s+(\S.*)$")
"""'KOM 19-027 Title', '19-030, Title': the number and the title behind it."""
_CAPTION_RE = re.compile(r"^[A-ZÆØÅ][\wæøå]*(?:\s+[\wæøå]+){0,2}:?$")
"""What may stand before the first row on its line: the list's caption ('Dagsorden')."""
MIN_NUMBERED = 2


def coded_toc(lines: Sequence[Line], index: int) -> Toc | None:
    """The coded contents list whose first row opens line ``index``, or None."""
    first = _rows(lines[index].clean, caption=True)
    if not first or first[0][0] is None:
        return None
    entries = [TocEntry(n, t, index) for n, t in first if n is not None]
    end = index + 1
    for line in lines[index + 1 :]:
        if line.blank:
            continue
        rows = _rows(line.clean, caption=False)
        if not rows:
            break
        entries += [TocEntry(n, t, line.index) for n, t in rows if n is not None]
        end = line.index + 1
    keys = [number_key(e.number) for e in entries]
    if len(entries) < MIN_NUMBERED or any(a >= b for a, b in zip(keys, keys[1:], strict=False)):
        return None
    return Toc(tuple(entries), index, end)


def _rows(text: str, caption: bool) -> list[tuple[str | None, str]]:
    """(number or None, title) of each leader row ``text`` consists of; [] when the text is
    anything else (prose, a row without its leader).  With ``caption`` a caption may stand
    before the first row, which must then be numbered."""
    rows: list[tuple[str | None, str]] = []
    pos = 0
    for m in _ROW_END_RE.finditer(text):
        segment = text[pos : m.start()].strip()
        pos = m.end()
        coded = _CODED_ROW_RE.search(segment)
        if coded is not None and coded.start() > 0:
            head = segment[: coded.start()].strip()
            if not (caption and not rows and _CAPTION_RE.match(head)):
                coded = None
        if coded is not None:
            rows.append((coded.group(1), squash(coded.group(2))))
        elif segment and any(ch.isalpha() for ch in segment) and (rows or not caption):
            rows.append((None, squash(segment)))
        else:
            return []
    return rows if rows and not text[pos:].strip() else []
