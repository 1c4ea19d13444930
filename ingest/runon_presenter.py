"""Where a presenter clause ends an item's title that runs on with its text.

An item heading may name who presents the item after its title ('3. Ressourceforløb i
Jobcentret v. Koordinerende sagsbehandler Anna Berg'), as a heading on its own line does
('5. Budget 2025 v. Økonomichef Hans Holm', read by ``toc.parse_heading``).  Where a
transcript runs the heading on with the item's text, nothing else shows where the title
ends: the presenter's unit or name is capitalised and its title goes on in lower case, as
the text does.  The clause 'v. <capitalised word>' therefore closes the title; the clause
and what follows it are the item's text.  'v.' before a lower-case word ('v. formanden')
may be part of a title and does not cut it.
"""

from __future__ import annotations

import re

_PRESENTER_RE = re.compile(r"\s(?=v\.\s+[A-ZÆØÅ])")


def presenter_at(text: str) -> int | None:
    """Offset in ``text`` (a title that runs on) of the space before its presenter clause
    'v. Name', or None when it has none."""
    m = _PRESENTER_RE.search(text)
    return m.start() if m is not None and m.start() > 0 else None
