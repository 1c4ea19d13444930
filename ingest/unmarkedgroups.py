"""Group headings without a colon at the end of a one-line agenda's entry.

An agenda groups its items under headings that say what the board is to do with them:
'Sager til beslutning', 'Sager til orientering', 'Punkter til drøftelse'.  Where a
transcript prints the list on one line ('... 3. Meddelelser fra direktionen Sager til
beslutning 4. LUKKET PUNKT ...') and the heading has no colon, the heading closes the
entry before it.  Such a heading is a plural word for the agenda's items ('Sager',
'Punkter', 'Emner') in capitals after a word that may end a title, then 'til' and what
is done with them, up to the next entry: a title that names cases for a decision writes
that in lower case inside its sentence ('Oversigt over sager til beslutning').
"""

from __future__ import annotations

import re

from .danish import TITLE_STOPWORDS

_CLOSING_HEADING_RE = re.compile(
    r"(?<=\S)\s+(?P<heading>(?:Sager|Punkter|Emner)\s+til\s+[a-zæøå]+(?:\s+og\s+[a-zæøå]+)?)\s*$"
)


def closing_group_heading(entry: str) -> int | None:
    """Offset in ``entry`` (one entry's text, up to the next entry) of the space before
    a group heading that closes it, or None.

    >>> closing_group_heading("Meddelelser fra direktionen Sager til beslutning ")
    27
    """
    m = _CLOSING_HEADING_RE.search(entry)
    if m is None:
        return None
    before = entry[: m.start()].split()
    if not before or before[-1].casefold() in TITLE_STOPWORDS:
        return None
    return m.start("heading") - 1
