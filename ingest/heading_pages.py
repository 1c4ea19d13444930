"""A transcript's page told by the item headings it opens with and counts on.

A document site's transcript gives each PDF page as one line that opens with the page's
number.  A page of minutes without section labels holds nothing but its items, each
heading run on with its text:

    2 1. Bemærkninger til referatet Ingen bemærkninger. 2. Høring om ... Rådet tager
    orienteringen til efterretning. 3. Orientering om ...

Such a line is a flattened page when it opens with a page number and an item heading
('2 1. Title') and the headings after it count on by one ('2.', '3.'): the re-flow
(``runon``) splits it as it splits a page known by its number in a sequence of pages
(``page_sequence``), with one kind of signal fewer.  A paragraph that enumerates seldom
opens with a bare number before its '1.', and the headings must count on at least
``MIN_HEADINGS`` in order.
"""

from __future__ import annotations

import re

_OPENING_RE = re.compile(r"^\d{1,4} (\d{1,3})\.\s+[A-ZÆØÅ]")
_HEADING_RE = re.compile(r"(?<=\s)(\d{1,3})\.\s+(?=[A-ZÆØÅ])")
MIN_HEADINGS = 3


def heading_pages(text: str, min_length: int) -> frozenset[int]:
    """Offsets where the lines of ``text`` start that are pages by their counted item
    headings (longer than ``min_length``)."""
    pages: set[int] = set()
    pos = 0
    for raw in text.split("\n"):
        start, pos = pos, pos + len(raw) + 1
        opening = _OPENING_RE.match(raw)
        if opening is None or len(raw) <= min_length:
            continue
        count = int(opening.group(1))
        counted = 1
        for m in _HEADING_RE.finditer(raw, opening.end(1)):
            if int(m.group(1)) == count + 1:
                count, counted = count + 1, counted + 1
        if counted >= MIN_HEADINGS:
            pages.add(start)
    return frozenset(pages)
