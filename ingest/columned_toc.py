"""One-line contents tables under the column header 'Pkt. Tekst Side': a transcript that
flattens a PDF page to one line runs the table's rows together ('Pkt. Tekst Side 1 Valg af
dirigent 1 2 Beretning og regnskab 2 3 ...'), each row its item's number, title and page.
The line is split before each row (same length and offsets), the transcript's own page
number opening the line becomes spaces, and each row's page number is set off as a cell of
its own (the space before it a TAB), so the contents reader sees one 'N Title<TAB>page' row
a line.

The transcript may also lose digits, and with them the numbers of whole rows: their
titles run on in the row above ('38 Likviditet pr. 28. februar Budget , Budgetdirektiv 2
40 Økonomiudvalgets regnskab Den Selvejende institution ... 5 43 ...').  The numbering says
where that happened: a row whose next row's number skips holds the titles of the rows
between, and so may the table's last row.  Such a row's own title ends where the next
title opens (``titleends.next_title_at``); the titles after it become a cell of their own,
so they are neither items nor part of the row's title."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .titleends import next_title_at

_HEADER_RE = re.compile(r"\bPkt\.?\s+Tekst\s+Side\b")
"""The column header of the contents table: item, text, page."""
_PAGE_NUMBER_RE = re.compile(r"\d{1,4}(?= \D)")
"""The transcript's page number that opens the line ('2 Indholdsfortegnelse Pkt. ...')."""
_ROW_RE = re.compile(r"(?<=\s)(?P<page>\d{1,3}\s)?(?P<number>\d{1,3})\s+(?=[A-ZÆØÅ])")
"""A row's start: its number before a capital; after the table's header, or after the
previous row's page number ('... dirigent 1 2 Beretning')."""
_FOOTER_RE = re.compile(r"\s(?:side|page)\s+\d{1,4}\s*(?:af|/|of)\s*\d{1,4}\s*$", re.IGNORECASE)
"""The transcript page's footer closing the line ('... Liste over kommende sager 10 Side 2
af 10'): set off on a line of its own, so the last row's page is the number before it."""
_LAST_PAGE_RE = re.compile(r"\s\d{1,3}\s*$")
"""The last row's page number, closing the line."""


@dataclass(frozen=True)
class _Row:
    number: int
    cut: int  # the space before the row's number
    title: int  # where its title starts
    page: int | None  # the space before its page number


def split_columned_tocs(text: str) -> str:
    """Same-length ``text`` whose one-line 'Pkt. Tekst Side' tables are split before each
    row.  The first row is the first number after the header; each later row is a
    number printed right after a page number ('1 2 Beretning') that counts up from the
    row before, so a number inside a title ('pr. 28. februar') never splits."""
    chars: list[str] | None = None
    pos = 0
    for raw in text.split("\n"):
        header = _HEADER_RE.search(raw)
        if header is not None:
            footer = _FOOTER_RE.search(raw, header.end())
            table = raw[: footer.start()] if footer is not None else raw  # the page's footer
            rows = _rows(table, header.end())
            if len(rows) >= 2:
                chars = chars if chars is not None else list(text)
                if lead := _PAGE_NUMBER_RE.match(raw):
                    chars[pos : pos + lead.end()] = " " * lead.end()
                for cell in _cells(table, rows):
                    chars[pos + cell] = "\t"
                for row in rows:
                    chars[pos + row.cut] = "\n"
                if footer is not None:
                    chars[pos + footer.start()] = "\n"
        pos += len(raw) + 1
    return text if chars is None else "".join(chars)


def _rows(line: str, start: int) -> list[_Row]:
    """The table's rows in ``line`` after ``start``, each with its page where printed."""
    rows: list[_Row] = []
    for m in _ROW_RE.finditer(line, start):
        number = int(m.group("number"))
        if not rows and m.group("page") is None and number > 0:
            rows.append(_Row(number, m.start() - 1, m.end(), None))
        elif rows and m.group("page") is not None and number > rows[-1].number:
            last = rows[-1]
            rows[-1] = _Row(last.number, last.cut, last.title, m.start("page") - 1)
            rows.append(_Row(number, m.start("number") - 1, m.end(), None))
    if rows and (page := _LAST_PAGE_RE.search(line, rows[-1].title)) is not None:
        last = rows[-1]
        rows[-1] = _Row(last.number, last.cut, last.title, page.start())
    return rows


def _cells(line: str, rows: list[_Row]) -> list[int]:
    """Offsets of the spaces that set off a row's page number and, in a row that holds
    the titles of rows whose numbers were lost, the titles after its own."""
    cells: list[int] = []
    for k, row in enumerate(rows):
        end = row.page if row.page is not None else len(line)
        if k + 1 < len(rows):
            end = min(end, rows[k + 1].cut)
        lost = k + 1 == len(rows) or rows[k + 1].number > row.number + 1
        if lost and (tail := next_title_at(line[row.title : end])) is not None:
            cells.append(row.title + tail)
        if row.page is not None:
            cells.append(row.page)
    return cells
