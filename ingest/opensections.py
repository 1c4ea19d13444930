"""The part of a closed item that its page publishes as open.

A closed item's content is not stored (``parser._close``), but some systems print, under
a closed item's heading, a section the page itself marks as open: 'Åben beslutning', the
decision as it may be made public (the closed case's details left out).  That section is
published text like any open item's and is kept; every other section of the item is not.
"""

from __future__ import annotations

import re

from .models import Section

_OPEN_RE = re.compile(r"^(?:åben|åbne)\s", re.IGNORECASE)


def open_sections(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """The sections of a closed item whose printed label marks them as open ('Åben
    beslutning'), in order."""
    return tuple(s for s in sections if _OPEN_RE.match(s.name))
