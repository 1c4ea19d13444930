"""Group headings that say their items are closed: 'Lukkede dagsordenspunkter'.

An agenda may list its items in two groups, the open ones under 'Åbne dagsordenspunkter'
(or 'Åbne sager') and the closed ones under 'Lukkede dagsordenspunkter' ('Lukkede sager',
'Lukket dagsorden').  The entries under a closed group's heading are closed items even
where their own lines carry no mark; an open group's heading ends a closed group.  The
heading of the first group may stand right above the list (a caption or the page's 'Side'
column head between them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from .textlines import Line
from .tocentries import Toc

_CLOSED_GROUP_RE = re.compile(
    r"^(?:lukkede?\s+(?:dagsordens?punkter|sager|punkter)|lukket\s+(?:dagsorden|møde))\s*:?$",
    re.IGNORECASE,
)
_OPEN_GROUP_RE = re.compile(
    r"^(?:åbne?\s+(?:dagsordens?punkter|sager|punkter)|åben\s+dagsorden|åbent\s+møde)\s*:?$",
    re.IGNORECASE,
)
LINES_ABOVE = 3
"""How many text lines above a list its first group's heading may stand."""


def group_state(clean: str) -> bool | None:
    """True for a closed group's heading, False for an open group's, else None."""
    if _CLOSED_GROUP_RE.match(clean):
        return True
    if _OPEN_GROUP_RE.match(clean):
        return False
    return None


def close_grouped(toc: Toc, lines: Sequence[Line]) -> Toc:
    """``toc`` with the entries under a closed group's heading marked closed."""
    above = [ln for ln in lines[: toc.start] if not ln.blank][-LINES_ABOVE:]
    marks = [
        (ln.index, state)
        for ln in above + [ln for ln in lines[toc.start : toc.end] if not ln.blank]
        if (state := group_state(ln.clean)) is not None
    ]
    if not any(state for _, state in marks):
        return toc
    entries = []
    for entry in toc.entries:
        closed = next((s for line, s in reversed(marks) if line < entry.line), False)
        entries.append(replace(entry, closed=True) if closed else entry)
    return replace(toc, entries=tuple(entries))
