"""One-line contents tables under the column header 'Pkt. Tekst Side': a transcript that
flattens a PDF page to one line runs the table's rows together ('Pkt. Tekst Side 1 Valg af
dirigent 1 2 Beretning og regnskab 2 3 ...'), each row its item's number, title and page.
The line is split before each row (same length and offsets), and the page numbers before
a row and the transcript's own page number opening the line become spaces, so the
contents reader sees one 'N Title' row a line."""

from __future__ import annotations

import re

_HEADER_RE = re.compile(r"\bPkt\.?\s+Tekst\s+Side\b")
"""The column header of the contents table: item, text, page."""
_PAGE_NUMBER_RE = re.compile(r"\d{1,4}(?= \D)")
"""The transcript's page number that opens the line ('2 Indholdsfortegnelse Pkt. ...')."""
_ROW_RE = re.compile(r"(?<=\s)(?P<page>\d{1,3}\s)?(?P<number>\d{1,3})\s+(?=[A-ZÆØÅ])")
"""A row's start: its number before a capital; after the table's header, or after the
previous row's page number ('... dirigent 1 2 Beretning')."""


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
            cuts = _row_starts(raw, header.end())
            if len(cuts) >= 2:
                chars = chars if chars is not None else list(text)
                if lead := _PAGE_NUMBER_RE.match(raw):
                    chars[pos : pos + lead.end()] = " " * lead.end()
                for cut in cuts:
                    chars[pos + cut] = "\n"
        pos += len(raw) + 1
    return text if chars is None else "".join(chars)


def _row_starts(line: str, start: int) -> list[int]:
    """Offsets in ``line`` of the spaces before each row of the table after ``start``."""
    cuts: list[int] = []
    last = -1
    for m in _ROW_RE.finditer(line, start):
        number = int(m.group("number"))
        if last < 0 and m.group("page") is None and number > 0:
            cuts.append(m.start() - 1)
        elif last >= 0 and m.group("page") is not None and number > last:
            cuts.append(m.start("number") - 1)
        else:
            continue
        last = number
    return cuts
