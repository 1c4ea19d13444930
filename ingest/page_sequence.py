"""A transcript's pages told by their numbers in sequence.

A document site's transcript gives each PDF page as one line that opens with the page's
number, the pages set apart by blank lines ('1 Dato: ... Dagsorden Tid: ...', '', '2
Indholdsfortegnelse Pkt. Tekst Side ...', '', '3 Godkendelse af dagsordenen
Sagsfremstilling at dagsordenen godkendes. ...').  A short page (one item with a line of
text) is no longer than a paragraph and may print no footer 'Side N', yet it is a page:
the lines around it count 1, 2, 3 ... with nothing but blank lines between them, and at
least one of them is a flattened page by its length.  The re-flow splits such a page
before its structural signals as it splits a long one (``runon``), with one kind of
signal fewer: its number in the sequence is the other.  A page that closes with its own
number ('2 Indholdsfortegnelse Side 1. Oplæg ... 3 ... 4. Eventuelt 12 2') prints it as
its folio, which is no part of the last line's text (a contents row's page, here).
"""

from __future__ import annotations

import re

_PAGE_OPEN_RE = re.compile(r"^(\d{1,4}) \S")
_FOLIO_RE = re.compile(r"(?<!\S)(?<!(?i:side) )(\d{1,4})\s*$")
"""A page's closing number, not the one of a footer 'Side N' (which the re-flow breaks at)."""
MIN_PAGES = 3
"""Pages numbered in sequence that make a run of lines a transcript's pages."""


def numbered_pages(text: str, min_length: int) -> frozenset[int]:
    """Offsets where the lines of ``text`` start that are pages of a transcript numbered
    1, 2, 3 ... in order, set apart by blank lines only, at least ``MIN_PAGES`` of them
    and one longer than ``min_length``.  Offsets, not line numbers: they still hold once
    other lines are split (same length)."""
    pages: set[int] = set()
    run: list[tuple[int, int]] = []  # (offset, length) of each page so far
    pos = 0
    for raw in [*text.split("\n"), "end"]:
        start, pos = pos, pos + len(raw) + 1
        if not raw.strip():
            continue
        m = _PAGE_OPEN_RE.match(raw)
        number = int(m.group(1)) if m else 0
        if run and number == len(run) + 1:
            run.append((start, len(raw)))
            continue
        if len(run) >= MIN_PAGES and any(length > min_length for _, length in run):
            pages.update(offset for offset, _ in run)
        run = [(start, len(raw))] if number == 1 else []
    return frozenset(pages)


def without_folios(text: str, pages: frozenset[int]) -> str:
    """Same-length ``text`` whose numbered pages (their start offsets ``pages``) have
    their closing folio, the page's own number, blanked."""
    chars: list[str] | None = None
    for start in sorted(pages):
        end = text.find("\n", start)
        line = text[start : end if end >= 0 else len(text)]
        opening, folio = _PAGE_OPEN_RE.match(line), _FOLIO_RE.search(line)
        if opening and folio and folio.start() > 0 and folio.group(1) == opening.group(1):
            chars = chars if chars is not None else list(text)
            chars[start + folio.start(1) : start + folio.end(1)] = " " * len(folio.group(1))
    return text if chars is None else "".join(chars)
