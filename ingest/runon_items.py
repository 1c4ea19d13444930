"""Items run on with their text in a flattened page.

A transcript that flattens minutes without section labels to one line a page runs each
item's heading on with its text ('1. Godkendelse af dagsorden Niels Erik Kjærgaard
anmodede om ... 2. Godkendelse af referatet fra møde fredag den 19. august 2011 Bilag 1.
Referat ...').  The re-flow (``runon``) breaks the page before each 'N. Title'; the lines it
broke out that open with numbers counting on from one to the next are the items' headings
when nothing else gives the document an outline (no contents, no numbered heading that a
label or a case number backs, no cycle of labels): this is the last resort before the
single unnumbered item.  Each heading's title ends where its text begins
(``titleends.text_at``) and the rest of the line is the item's text, under no label.  A
number that does not count on ('Bilag 1. Referat ...' inside item 2) is text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .danish import squash
from .runon_presenter import presenter_at
from .textlines import Line
from .titleends import text_at
from .toc import Heading

_HEADING_RE = re.compile(r"^\s*(\d{1,3})\.\s+(?=[A-ZÆØÅ])")
MIN_ITEMS = 2
MAX_TITLE_WORDS = 25
"""A longer title is a paragraph that opens with a number, no heading."""


def run_on_headings(lines: Sequence[Line], printed: str) -> list[Heading]:
    """The headings numbered one after another (from the first two that do) among the
    lines of the re-flowed text that the re-flow broke out of a line of ``printed`` (the
    document's text as stored, of the same length), each titled up to its text."""
    chain: list[Heading] = []
    for line in lines:
        if line.start == 0 or printed[line.start - 1] == "\n":
            continue  # a line as printed, not one the re-flow broke out of a page
        m = _HEADING_RE.match(line.raw)
        if m is None:
            continue
        heading = _heading(line, m)
        if heading is None:
            continue
        if chain and int(heading.number) == int(chain[-1].number) + 1:
            chain.append(heading)
        elif len(chain) < MIN_ITEMS:
            chain = [heading]  # else a number inside an item's text that does not count on
    return chain if len(chain) >= MIN_ITEMS else []


def _heading(line: Line, m: re.Match[str]) -> Heading | None:
    """The heading of line ``line`` whose number ``m`` matched, its text's offset set."""
    rest = line.raw[m.end() :]
    cut = presenter_at(rest)
    if cut is None or ((found := text_at(rest)) is not None and found < cut):
        cut = text_at(rest)
    title = squash(rest if cut is None else rest[:cut])
    if not title or len(title.split()) > MAX_TITLE_WORDS:
        return None
    offset = None if cut is None else line.start + m.end() + cut + 1
    return Heading(m.group(1), title, line.index, False, text_offset=offset)
