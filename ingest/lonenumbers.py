"""Item numbers alone on their line above the title, and the sub-points listed under one.

Some pages print each item's number on a line of its own with the title on the very next
line ('1.' / 'Underskrift af referatet', 'Pkt. 1' / 'Valg af formand'), and the item's
text below without any section label.  A number set apart like that is a heading by its
layout, as a bold or markdown heading is: a numbered list inside an item's text prints its
number and its words on one line, and a page number is printed without the dot or the
'Pkt.' that such a line carries.  So the line heads an item whether or not labels follow
it, unless its title closes on dot leaders or a page number (a contents row) or ends
like a sentence (a number a re-flow broke off its line: 'Bilag 1.' / 'Referat ...').

An item may list its sub-points right under its title, one a line ('6.' / 'Siden sidst' /
'6.1 Aktivitetsmessen ...' / '6.2 Reception ...'): a run of lines numbered on from N.1
under item N, with no text between the item's title and the run and none between its
lines, continues the outline, so each line is a sub-item.  Numbered paragraphs of an
item's text stand after its text, or apart from each other, and stay text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .danish import number_key
from .textlines import Line

_LONE_NUMBER_RE = re.compile(
    r"^(?:(?:punkt|pkt\.?)\s*\d{1,3}|\d{1,3}(?:\.\d{1,3})*\.)$", re.IGNORECASE
)
"""'1.', '6.1.', 'Pkt. 1', 'Punkt 3': an item's number and nothing else."""
_CONTENTS_ROW_RE = re.compile(r"(?:\.{3,}|…)\s*\d{0,4}\s*$|\t\s*\d{1,4}\s*$")
"""A title closing on dot leaders or a page number in a cell of its own (on its line or
the next, where it wrapped): a contents row that prints its number above, no heading."""
_TITLE_ABOVE_RUN = 1
"""Text lines a sub-point run may find between it and its item's heading line: the title
that a number alone on its line leaves to the next line."""


def number_over_title(lines: Sequence[Line], line: int, title: str) -> bool:
    """True when line ``line`` holds only an item number and the next line is the
    heading's ``title``."""
    if not _LONE_NUMBER_RE.match(lines[line].clean.strip()):
        return False
    below = line + 1
    if below >= len(lines) or lines[below].blank or lines[below].clean != title:
        return False
    if title.rstrip().endswith((".", ":", ";", ",")):
        return False  # a sentence ('Bilag 1.' / 'Referat fra ... blev godkendt.'), no title
    return not any(_CONTENTS_ROW_RE.search(ln.raw) for ln in lines[below : below + 2])


def in_sub_point_run(lines: Sequence[Line], line: int, number: str, last: tuple[str, int]) -> bool:
    """True when the heading numbered ``number`` on line ``line`` is a sub-point listed
    under ``last`` (number, line of the outline's last heading): its first sub-point
    ('6.1' under '6.') right under the item's title with the next sub-point on the next
    text line, or a sub-point on the text line after the one before it ('6.2' after
    '6.1')."""
    key, (last_number, last_line) = number_key(number), last
    last_key = number_key(last_number)
    between = [ln for ln in lines[last_line + 1 : line] if not ln.blank]
    if key == last_key + (1,):
        following = next((ln for ln in lines[line + 1 :] if not ln.blank), None)
        sibling = f"{number.rsplit('.', 1)[0]}.2"
        return (
            len(between) <= _TITLE_ABOVE_RUN
            and following is not None
            and following.clean.startswith((f"{sibling} ", f"{sibling}. "))
        )
    sibling_of_last = len(key) == len(last_key) > 1 and key[:-1] == last_key[:-1]
    return sibling_of_last and key[-1] == last_key[-1] + 1 and not between
