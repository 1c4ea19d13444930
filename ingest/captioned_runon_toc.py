"""An agenda run on inside a line after its caption: '... Dagsorden: 1 title 2 title ...'.

A blog or archive page that shows a post as an excerpt flattens the whole post to one line:
the meeting sentence, the caption 'Dagsorden:' and the agenda after it, its numbers bare
(no dots), its titles often in lower case as a lay secretary types them, then whatever
follows (the minutes, a '[...]' of the excerpt):

    Lokalrådsmøde i Byens Bibliotek Torsdag d. 8. maj 2014 kl. 19.00 Dagsorden: 1 valg af
    ordstyrer 2 indlæg fra tilhørere 3 godkendelse af referat ... 9 Evt. Referat ...

The caption says a list of the meeting's items follows, so the entries are read as a reader
reads them: '1 ' right after the caption, each next entry the first bare number that counts
on by one (a number that does not count on is title text).  Nothing but the numbers
separates the titles, so the last title ends where its words end in a full stop ('Evt.',
'Eventuelt.'); without one the line must end within a title's length.  It takes at least
``MIN_ENTRIES`` entries counted in order from 1, which a sentence after the word
'dagsorden:' hardly has.  A line that opens with the list itself is ``oneline_toc``'s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .glued import printed_title
from .textlines import Line
from .tocentries import Toc, TocEntry

_CAPTION_RE = re.compile(
    r"(?:^|(?<=\s))(?:dagsorden(?:en)?|dagsordenspunkter|punkter på dagsordenen)\s*:\s+(?=1\s)",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(r"(?:^|(?<=\s))(\d{1,3})\s+(?=\S)")
_LAST_END_RE = re.compile(r"\.(?=\s|$)")
MIN_ENTRIES = 5
MAX_TITLE_WORDS = 12
"""A longer stretch between two numbers is prose, not an agenda title."""


def split_captioned_agenda(text: str) -> str:
    """``text`` with each line that runs such an agenda on between other text broken
    before its caption and after its last title (same length and offsets), so that the
    meeting sentence before it stays the header and the minutes after it the body."""
    out = list(text)
    pos = 0
    for raw in text.split("\n"):
        caption = _CAPTION_RE.search(raw)
        if caption is not None and (span := _titles(raw[caption.end() :])) is not None:
            end = caption.end() + span[-1][1]
            if caption.start() > 0:
                out[pos + caption.start() - 1] = "\n"
            if end < len(raw) and raw[end] == " ":
                out[pos + end] = "\n"
        pos += len(raw) + 1
    return "".join(out)


def captioned_run_on_toc(lines: Sequence[Line], index: int) -> Toc | None:
    """The agenda run on after a 'Dagsorden:' caption inside line ``index``, or None."""
    clean = lines[index].clean
    caption = _CAPTION_RE.search(clean)
    if caption is None or (spans := _titles(clean[caption.end() :])) is None:
        return None
    rest = clean[caption.end() :]
    entries = [
        TocEntry(str(k + 1), printed_title(rest[a:b]), index) for k, (a, b) in enumerate(spans)
    ]
    return Toc(tuple(entries), index, index + 1)


def _titles(rest: str) -> list[tuple[int, int]] | None:
    """The spans of the titles numbered from '1 ' at the start of ``rest``, or None."""
    starts: list[tuple[int, int]] = []  # (offset of the number, offset of the title)
    for m in _NUMBER_RE.finditer(rest):
        if int(m.group(1)) == len(starts) + 1:
            starts.append((m.start(), m.end()))
    if len(starts) < MIN_ENTRIES or starts[0][0] != 0:
        return None
    spans = [(start, starts[k + 1][0]) for k, (_, start) in enumerate(starts[:-1])]
    stop = _LAST_END_RE.search(rest, starts[-1][1])
    spans.append((starts[-1][1], stop.end() if stop is not None else len(rest)))
    for a, b in spans:
        title = printed_title(rest[a:b])
        if not title or len(title.split()) > MAX_TITLE_WORDS:
            return None
    return spans
