"""Entries of a flattened contents list that kept their numbers after a group heading.

A transcript's one-line contents list (``lone_entry_toc``) may keep more numbers than its
first: where the list prints a group heading in capitals, the entry right after it kept
its number ('... Kommunevåben for Vesthimmerlands Kommune 30 GODKENDELSER AF BESLUTNINGER
I DE FIRE KOMMUNER 148. Køkkenet på Aars Rådhus 31 Afbud ...').  Such an entry, numbered
above the entries before it, is an item too; its title ends at its page number or where
the next title opens (``titleends``), whichever comes first.  A number after other text
('gik efter punkt 141.') is a reference to an item, no entry.
"""

from __future__ import annotations

import re

from .danish import squash
from .titleends import next_title_at

_GROUPED_RE = re.compile(
    r"(?:^|(?<=\s))(?P<heading>(?:[A-ZÆØÅ][A-ZÆØÅ./-]*\s+){2,})"
    r"(?P<number>\d{1,3})\.\s+(?=[A-ZÆØÅ][a-zæøå])"
)
"""An entry 'N. Title' right after a group heading of two words or more in capitals."""
_PAGE_RE = re.compile(r"\s\d{1,3}(?=\s+[A-ZÆØÅ]|\s*$)")
"""The entry's page number after its title, before the next capitalised word."""
_MIN_HEADING_LETTERS = 4


def grouped_entries(text: str, last: int) -> list[tuple[str, str, int]]:
    """(number, title, offset of the number) of each entry of ``text`` that a group
    heading in capitals heads, numbered above ``last`` and above the one before."""
    found: list[tuple[str, str, int]] = []
    for m in _GROUPED_RE.finditer(text):
        number = int(m.group("number"))
        if number <= last or not any(
            len(w.strip("./-")) >= _MIN_HEADING_LETTERS for w in m.group("heading").split()
        ):
            continue
        rest = text[m.end() :]
        ends = [len(rest)]
        if (page := _PAGE_RE.search(rest)) is not None:
            ends.append(page.start())
        if (cut := next_title_at(rest)) is not None:
            ends.append(cut)
        title = squash(rest[: min(ends)])
        if title:
            found.append((str(number), title, m.start("number")))
            last = number
    return found
