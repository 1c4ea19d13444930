"""A table of contents flattened onto one line, each entry closed by its page number.

A PDF's transcript (one line per page) prints its TOC table as running text after the
table's caption or column heads:

    INDHOLDSFORTEGNELSE Sag nr: Side: 01 Kommuneplanstrategi 3 02 Almene boliger 8

The entries are read as 'number title page' where the numbers run on (01, 02, ...) and
the pages never decrease; a title may hold numbers of its own ('Budget 2013').
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .danish import squash
from .textlines import Line
from .tocentries import Toc, TocEntry

_HEAD_RE = re.compile(
    r"(?<![\wæøå])(?:indholdsfortegnelse|(?:sag|punkt|pkt)\.?\s*(?:nr\.?)?\s*:?\s+side\s*:?)\s+",
    re.IGNORECASE,
)
_ENTRY_RE = re.compile(
    r"(\d{1,3})\s+((?-i:[A-ZÆØÅ]).*?)\s+(\d{1,4})(?=\s+\d{1,3}\s+(?-i:[A-ZÆØÅ])|\s*$)"
)


def paged_toc(lines: Sequence[Line], index: int) -> Toc | None:
    """The TOC flattened onto line ``index``, or None."""
    found = paged_entries(lines[index].clean) if not lines[index].blank else []
    if not found:
        return None
    return Toc(tuple(TocEntry(n, t, index) for n, t in found), index, index + 1)


def paged_entries(text: str) -> list[tuple[str, str]]:
    """(number, title) of the one-line TOC in ``text``, or [] when it holds none (two
    entries at least, numbers running on by one, pages never decreasing)."""
    heads = list(_HEAD_RE.finditer(text))
    if not heads:
        return []
    head = heads[-1]  # the last caption or column head: the entries follow it
    entries: list[tuple[str, str]] = []
    pages: list[int] = []
    pos = head.end()
    while pos < len(text):
        m = _ENTRY_RE.match(text, pos)
        if m is None:
            return []
        number, title, page = m.group(1), squash(m.group(2)), int(m.group(3))
        if entries and int(number) != int(entries[-1][0]) + 1:
            return []
        if pages and page < pages[-1]:
            return []
        entries.append((number, title))
        pages.append(page)
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return entries if len(entries) >= 2 else []
