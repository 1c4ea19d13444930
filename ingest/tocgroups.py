"""Group headings inside a list of items: 'Fra Børneudvalget' between '57.' and '58.'.

A council's agenda may list its items under unnumbered headings that name the committee
each item comes from ('Fra Økonomiudvalget', 'Åbne sager').  Such a heading is no item and
does not end the list: the numbering runs on across it.  A line counts as one when it is
short, capitalised, closes with no sentence mark (a colon only after two words or more:
'Punkter til beslutning:'), and the next text line is the list's next entry (the last
entry's number plus one), so the end of a list (a text paragraph, a body heading that
restarts at 1) still ends it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .textlines import Line
from .tocentries import TocEntry

GROUP_HEADING_MAX_WORDS = 8
_ENTRY_RE = re.compile(r"^(\d{1,3})[.:)]?\s+(?=[A-ZÆØÅ\d])")


def is_group_heading(lines: Sequence[Line], index: int, last: TocEntry) -> bool:
    """True when line ``index`` heads a group of entries whose numbering goes on from
    ``last`` right below it."""
    clean = lines[index].clean.strip()
    if not clean[:1].isupper() or clean.endswith((".", ",", ";")):
        return False
    if clean.endswith(":") and len(clean.split()) < 2:
        return False  # 'Beslutning:': a label; 'Punkter til beslutning:' heads a group
    if len(clean.split()) > GROUP_HEADING_MAX_WORDS or _ENTRY_RE.match(clean):
        return False
    after = next((ln for ln in lines[index + 1 :] if not ln.blank), None)
    m = _ENTRY_RE.match(after.clean) if after is not None else None
    return m is not None and last.level == 1 and int(m.group(1)) == last.key[0] + 1


def is_compact(lines: Sequence[Line], start: int, end: int, groups: Sequence[int]) -> bool:
    """True when lines [start, end) hold no blank line but those that set off one of the
    group headings ``groups`` (the next or the previous text line is one): a list stays
    compact across its groups."""
    def set_off(index: int) -> bool:
        before = next((k for k in range(index - 1, start - 1, -1) if not lines[k].blank), None)
        after = next((k for k in range(index + 1, end) if not lines[k].blank), None)
        return before in groups or after in groups

    return not any(line.blank and not set_off(line.index) for line in lines[start:end])
