"""A page that takes up selected items of a meeting: headings whose numbers skip.

A news page, a newsletter or an extract covers some of a meeting's items under their own
numbers ('2. Rammeudmelding for budget 2019' ... '4. Godkendelse af regnskab'): the outline
skips the numbers it leaves out.  A heading whose number skips ahead is read as the next
item when it is printed as the items before it are (set in as far as the first item's
heading) and the numbers it skips are printed nowhere below it - a reader who meets '4.'
after '2.' and never a '3.' takes 4 for the next item shown.  A '3.' further down means the
'4.' is a number inside the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .danish import number_key
from .textlines import Line

if TYPE_CHECKING:
    from .toc import Heading


def skips_to(
    lines: Sequence[Line], candidates: Sequence[Heading], k: int, chain: Sequence[Heading]
) -> bool:
    """True when candidate ``k`` is the next item of ``chain`` though its number skips."""
    last, key = number_key(chain[-1].number), number_key(candidates[k].number)
    if len(last) != 1 or len(key) != 1 or key[0] <= last[0] + 1:
        return False
    if lines[candidates[k].line].indent != lines[chain[0].line].indent:
        return False
    skipped = set(range(last[0] + 1, key[0]))
    return not any(
        len(n := number_key(c.number)) == 1 and n[0] in skipped for c in candidates[k + 1 :]
    )
