"""A table of contents flattened one cell a line, as a PDF's transcript prints its table.

Each row's cells come on lines of their own: the number alone ('1', '01.'), the title on
one or more lines, the page number alone or after dot leaders::

    01.
    Godkendelse af dagsorden ..............................4
    02.
    Endelig stillingtagen til vejadgang - ekspropriation af
    anden ejendom ............9

The numbers run on by one.  Between two rows a page break may leave the page's footer and
the next page's header (a date, the page number, the document's running title) and a
group heading ('Lukkede dagsordenspunkter'): a few short lines skipped on the way to the
next number.  A row's title ends at its page number, at a line that repeats elsewhere in
the document (running matter) or at the next number.  A list counts as a TOC when all its
rows but the last carry a page number (the last may be cut off with the page).

A web page's copy may set each cell off by blank lines ('1.' / '' / 'Title' / '' / '5'):
then the row is the number, one title line and the page, and the page may run into the
next group's heading ('53Indholdsfortegnelse lukket møde').  Such a table may print its
rows out of order (a group of closed items after the open ones: 16, 19, 17, 18), so the
next row's number is any one not listed yet.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .glued import printed_title
from .textlines import Line
from .tocentries import Toc, TocEntry

_NUMBER_CELL_RE = re.compile(r"^(\d{1,3})\.?$")
_PAGE_CELL_RE = re.compile(r"^\d{1,3}$")
_LEADERS_RE = re.compile(r"\s*\.{3,}\s*(\d{1,4})\s*$")
_GLUED_PAGE_RE = re.compile(r"^\d{1,3}(?=[A-ZÆØÅ][a-zæøå])")
"""A page cell run into the next line's heading: '53Indholdsfortegnelse lukket møde'."""
MAX_TITLE_LINES = 4
MAX_GAP_LINES = 6
MAX_GAP_WORDS = 6
MIN_ROWS = 3


def celled_toc(lines: Sequence[Line], start: int) -> Toc | None:
    """The TOC whose first number cell is line ``start``, or None."""
    first = _NUMBER_CELL_RE.match(lines[start].clean)
    if first is None:
        return None
    repeated: Counter[str] | None = None
    entries: list[TocEntry] = []
    paged: list[bool] = []
    index, end = start, start
    while True:
        if repeated is None:  # counted once the first row is in view
            repeated = Counter(ln.clean for ln in lines if ln.clean)
        row = _row(lines, index, repeated)
        if row is None:
            break
        title, has_page, after = row
        entries.append(TocEntry(lines[index].clean.rstrip("."), title, index))
        paged.append(has_page)
        end = after
        spaced = start + 1 < len(lines) and not lines[start + 1].raw.strip()
        listed = {int(e.number) for e in entries} if spaced else None
        following = _next_number(lines, after, int(entries[-1].number), repeated, listed)
        if following is None:
            if not has_page:
                paged[-1] = _page_in_gap(lines, after, repeated)
            break
        if not has_page:
            paged[-1] = _page_in_gap(lines, after, repeated, following)
        index = following
    if len(entries) < MIN_ROWS or not all(paged[:-1]):
        return None
    return Toc(tuple(entries), start, end)


def _row(
    lines: Sequence[Line], index: int, repeated: Counter[str]
) -> tuple[str, bool, int] | None:
    """(title, has a page number, line after the row) of the row numbered on ``index``."""
    parts: list[str] = []
    k = index + 1
    if k < len(lines) and not lines[k].raw.strip():
        return _spaced_row(lines, index)
    while k < len(lines) and len(parts) < MAX_TITLE_LINES:
        line = lines[k]
        if not line.raw.strip():
            break
        if line.blank:  # running matter the parser blanked
            k += 1
            continue
        clean = line.clean
        if _PAGE_CELL_RE.match(clean):
            return (_title(parts), True, k + 1) if parts else None
        if _NUMBER_CELL_RE.match(clean) or (parts and repeated[clean] > 1):
            break
        leaders = _LEADERS_RE.search(clean)
        if leaders:
            parts.append(clean[: leaders.start()])
            return _title(parts), True, k + 1
        if not parts and not any(ch.isalpha() for ch in clean):
            return None
        parts.append(clean)
        k += 1
    if not parts or (k < len(lines) and len(parts) >= MAX_TITLE_LINES):
        return None
    return _title(parts), False, k


def _spaced_row(lines: Sequence[Line], index: int) -> tuple[str, bool, int] | None:
    """(title, has a page number, line after the row) of a row whose cells blank lines
    set apart: one title line, then its page cell (perhaps run into a heading)."""
    cells = [ln for ln in lines[index + 1 : index + 8] if not ln.blank][:2]
    if not cells or not any(ch.isalpha() for ch in cells[0].clean):
        return None
    if _NUMBER_CELL_RE.match(cells[0].clean) or _PAGE_CELL_RE.match(cells[0].clean):
        return None
    title = _title([cells[0].clean])
    if len(cells) < 2:
        return title, False, cells[0].index + 1
    page = cells[1].clean
    if _PAGE_CELL_RE.match(page):
        return title, True, cells[1].index + 1
    if _GLUED_PAGE_RE.match(page):
        return title, True, cells[1].index  # the heading after the page stays in the gap
    return title, False, cells[0].index + 1


def _title(parts: list[str]) -> str:
    return printed_title(" ".join(parts))


def _gap(lines: Sequence[Line], after: int) -> list[Line]:
    """The next few text lines from ``after``: where the next row's number may stand."""
    found: list[Line] = []
    for line in lines[after:]:
        if len(found) >= MAX_GAP_LINES:
            break
        if not line.blank:
            found.append(line)
    return found


def _next_number(
    lines: Sequence[Line],
    after: int,
    number: int,
    repeated: Counter[str],
    listed: set[int] | None,
) -> int | None:
    """The line of the number cell ``number + 1`` within a few short lines of ``after``;
    in a table whose cells blank lines set apart, of any number not ``listed`` yet."""
    for line in _gap(lines, after):
        m = _NUMBER_CELL_RE.match(line.clean)
        if m is not None and int(m.group(1)) == number + 1:
            return line.index
        if m is not None and listed is not None and 0 < int(m.group(1)) not in listed:
            return line.index
        if len(line.clean.split()) > MAX_GAP_WORDS and repeated[line.clean] < 2:
            return None  # text, not a page's footer or header
    return None


def _page_in_gap(
    lines: Sequence[Line], after: int, repeated: Counter[str], until: int | None = None
) -> bool:
    """True when a page number cell stands among the running matter after a row's title
    (a footer printed between the title and its page cell)."""
    for line in _gap(lines, after):
        if until is not None and line.index >= until:
            break
        if _PAGE_CELL_RE.match(line.clean):
            return True
        if repeated[line.clean] < 2:
            return False
    return False
