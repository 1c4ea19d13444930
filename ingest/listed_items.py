"""Items printed as a plain numbered list under the meeting's line, each with its text.

A council's own site, a blog post or a transcript of a short record may print the items
as nothing but numbered headings, each opening a paragraph with the item's text under it
and no section label anywhere ('Referat af Ældrerådsmøde den 3. april 2017' / '1.
Godkendelse af dagsorden' / 'Dagsorden godkendt.' / '2. ...').  Nothing backs such headings
but their order, so they are read only where nothing else gives the document an outline,
and only as a careful reader does: numbered 1, 2, 3 ... one after another (at least
``MIN_ITEMS``), each a short capitalised title opening its paragraph, under text that
names the meeting or its record (a meeting word or a type word).  A number that does not
count on ('3.' inside a decision's list) is text.

The headings keep what such pages do to titles: the number glued on ('1.Valg af
referent.'), a closing full stop, a decision run onto the heading ('... tilføjelser.
Godkendt.', which is the item's text), and a title a transcript broke after a word that
cannot end it ('... herunder besættelse af' / 'kasserer posten.').
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .agenda_caption import under_agenda_caption
from .danish import TITLE_STOPWORDS, squash
from .decisionwords import closing_statement
from .glued import without_full_stop
from .textlines import Line
from .toc import Heading
from .wrapped_list import with_wrapped_titles

_HEADING_RE = re.compile(r"^\s*(?P<number>\d{1,3})\.(?:[ \t]+|(?=[A-ZÆØÅ][a-zæøå]))(?=[A-ZÆØÅ])")
_MEETING_RE = re.compile(
    r"møde|dagsorden|referat|protokol|fremmødt|afbud|til stede|deltager|fraværende",
    re.IGNORECASE,
)
"""A meeting word ('Mødet afholdt', 'Ældrerådsmøde'), a type word, or the attendance that
only a meeting's record opens with ('Fremmødte:', 'Afbud:', 'Til stede:') above the list."""
MIN_ITEMS = 3
MAX_TITLE_WORDS = 20
"""A longer line is a paragraph that opens with a number, no heading."""
_CONTINUES_RE = re.compile(r"^[a-zæøå][\wæøå -]{0,60}\.?$")


def listed_headings(lines: Sequence[Line]) -> list[Heading]:
    """The headings of a plain numbered list of items (counting 1, 2, 3 ...) under a line
    that names the meeting; [] when ``lines`` hold no such list."""
    chain: list[Heading] = []
    for line in lines:
        heading = _heading(lines, line)
        if heading is None:
            continue
        if not chain and heading.number == "1" and _names_meeting(lines, line.index):
            chain = [heading]
        elif chain and int(heading.number) == int(chain[-1].number) + 1:
            chain.append(heading)
    captioned = len(chain) >= 2 and under_agenda_caption(lines, chain[0].line)
    return with_wrapped_titles(lines, chain) if len(chain) >= MIN_ITEMS or captioned else []


def _names_meeting(lines: Sequence[Line], index: int) -> bool:
    return any(_MEETING_RE.search(line.clean) for line in lines[:index])


def _heading(lines: Sequence[Line], line: Line) -> Heading | None:
    """Line ``line`` as a heading that opens its paragraph, else None."""
    if line.blank or (line.index > 0 and not _opens_paragraph(lines[line.index - 1], line)):
        return None
    m = _HEADING_RE.match(line.clean)
    if m is None:
        return None
    rest = line.clean[m.end() :].strip()
    offset = None
    if (cut := closing_statement(rest)) is not None:  # '... tilføjelser. Godkendt.'
        raw_at = line.raw.rfind(rest[cut:])
        offset = line.start + raw_at if raw_at >= 0 else None
        rest = rest[:cut].rstrip()
    continued = _continued_line(lines, line.index, rest) if offset is None else None
    if continued is not None:
        rest = f"{rest} {lines[continued].clean}"
    title = without_full_stop(squash(rest))
    if not title or len(title.split()) > MAX_TITLE_WORDS or title.endswith((",", ";", ":")):
        return None
    return Heading(
        m.group("number"), title, line.index, False, text_offset=offset, continued_line=continued
    )


def _opens_paragraph(before: Line, line: Line) -> bool:
    """A blank line before it, or - in a list a web page indents ('  1. Title' /
    '    its text' / '  2. Title') - a line before it indented deeper (the previous item's
    text) or another numbered line at its own depth (an item without text)."""
    if before.blank:
        return True
    if line.indent == 0:
        return False  # a flush list line after text: a list inside the text
    return before.indent > line.indent or (
        before.indent == line.indent and _HEADING_RE.match(before.clean) is not None)


def _continued_line(lines: Sequence[Line], index: int, title: str) -> int | None:
    """The next text line when the title ends in a word that cannot end it (a preposition,
    a conjunction) and that line goes on in lower case, short: the transcript broke it."""
    words = title.split()
    if not words or words[-1].lower() not in TITLE_STOPWORDS:
        return None
    after = next((ln for ln in lines[index + 1 : index + 4] if not ln.blank), None)
    return after.index if after is not None and _CONTINUES_RE.match(after.clean) else None
