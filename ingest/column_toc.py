"""Contents tables that a PDF's text layer flattened by column, and spaced numbers that
are no sub-numbers.

* Column order: the number column comes first, one number a line ('79.' ... '90.'), then
  the title column, one title a line (a wrapped title goes on in lower case), and the
  table may go on with rows that kept number and title together ('91. Title').  The k
  numbers are paired with the k titles in order; any other count is no such table.
* '344 2. behandling af budget' in a list of flat numbers is item 344 titled '2.
  behandling ...', not sub-item 344.2: a sub-number needs its parent in the list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .glued import printed_title
from .textlines import Line
from .tocentries import Toc, TocEntry

_BARE_NUMBER_RE = re.compile(r"^\s*(\d{1,3})\.?\s*$")
_ROW_RE = re.compile(r"^\s*(\d{1,3})\.\s+(\S.*?)\s*$")
_SPACED_RE = re.compile(r"^\s*(?:[-•]\s*)?(?:(?:punkt|pkt\.?)\s*)?(\d{1,3}) (\d{1,2})(\.?)[ \t]",
                        re.IGNORECASE)
MIN_COLUMN_NUMBERS = 3
"""Bare numbers running on by one that open a number column (two could be page numbers)."""


def column_toc(lines: Sequence[Line], start: int) -> Toc | None:
    """The column-flattened contents table whose number column starts at ``start``."""
    numbers: list[str] = []
    index = start
    while index < len(lines) and (m := _BARE_NUMBER_RE.match(lines[index].clean)):
        if numbers and int(m.group(1)) != int(numbers[-1]) + 1:
            return None
        numbers.append(m.group(1))
        index += 1
    if len(numbers) < MIN_COLUMN_NUMBERS:
        return None
    titles: list[tuple[str, int]] = []
    while index < len(lines) and not lines[index].blank:
        clean = lines[index].clean
        if _ROW_RE.match(clean) or _BARE_NUMBER_RE.match(clean):
            break
        if clean[:1].islower() and titles:  # the title above wrapped onto this line
            titles[-1] = (f"{titles[-1][0]} {clean}", titles[-1][1])
        else:
            titles.append((clean, index))
        index += 1
    if len(titles) != len(numbers) or not all(t[:1].isupper() for t, _ in titles):
        return None
    entries = [TocEntry(n, printed_title(t), line)
               for n, (t, line) in zip(numbers, titles, strict=True)]
    rows, end = _rows_after(lines, index, int(numbers[-1]))
    return Toc(tuple(entries + rows), start, end)


def _rows_after(lines: Sequence[Line], index: int, last: int) -> tuple[list[TocEntry], int]:
    """The rows after the columns that kept number and title on one line, numbered on,
    and the line after them."""
    rows: list[TocEntry] = []
    while index < len(lines) and not lines[index].blank:
        clean = lines[index].clean
        m = _ROW_RE.match(clean)
        if m and int(m.group(1)) == last + 1:
            rows.append(TocEntry(m.group(1), printed_title(m.group(2)), index))
            last += 1
        elif rows and clean[:1].islower() and not _BARE_NUMBER_RE.match(clean):
            prev = rows[-1]
            rows[-1] = TocEntry(prev.number, printed_title(f"{prev.title} {clean}"), prev.line)
        else:
            break
        index += 1
    return rows, index


def without_parentless_subnumbers(toc: Toc, lines: Sequence[Line]) -> Toc:
    """``toc`` with each spaced 'N M. Title' entry read back as item N titled 'M. Title'
    where no entry N stands above it (a sub-number needs its parent in the list)."""
    seen: set[str] = set()
    entries: list[TocEntry] = []
    for entry in toc.entries:
        parent, _, sub = entry.number.partition(".")
        m = _SPACED_RE.match(lines[entry.line].clean) if sub else None
        if m and m.group(1) == parent and m.group(2) == sub and parent not in seen:
            entry = TocEntry(parent, f"{sub}{m.group(3)} {entry.title}", entry.line, entry.closed)
        seen.add(entry.number)
        entries.append(entry)
    return Toc(tuple(entries), toc.start, toc.end)
