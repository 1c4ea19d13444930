"""A closed group's list that counts again from 1 below the open group's list.

An agenda that sorts its items into an open and a closed group may number each group on
its own:

    Åbne dagsordenspunkter
      1. Budgetopfølgning
      2. Status på handlingskataloget
    Lukkede dagsordenspunkter
      1. Tilbud om køb af areal
      2. Køb af hus

The contents reader stops where the numbering falls back (a number lower than the last
is, elsewhere, the body's first heading), so the closed list is read on its own where
the closed group's heading ('Lukkede dagsordenspunkter', ``closedgroups``) stands right
below the open list and a list that starts again at 1 stands right below that heading,
one 'N. Title' a line, counting on by one with no blank line between: its entries join
the contents (closed by their heading) with their numbers as printed.  The heading and
the list above vouch for it, so even a single entry counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from .closedgroups import group_state
from .danish import squash
from .textlines import Line
from .tocentries import Toc, TocEntry

_ENTRY_RE = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")


def with_closed_restart(toc: Toc, lines: Sequence[Line]) -> Toc:
    """``toc`` and, where a closed group's heading follows it, the list that counts from 1
    again under that heading."""
    heading = next((ln for ln in lines[toc.end :] if not ln.blank), None)
    if heading is None or group_state(heading.clean) is not True:
        return toc
    start = next((ln.index for ln in lines[heading.index + 1 :] if not ln.blank), len(lines))
    entries: list[TocEntry] = []
    for line in lines[start:]:
        m = _ENTRY_RE.match(line.clean)
        if m is None or int(m.group(1)) != len(entries) + 1:
            break
        entries.append(TocEntry(m.group(1), squash(m.group(2)), line.index))
    if not entries:
        return toc
    return replace(toc, entries=toc.entries + tuple(entries), end=entries[-1].line + 1)
