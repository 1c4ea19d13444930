"""A section label glued to the end of the paragraph before it.

A web page that prints each label as a block of its own under the text of the section
above loses the line break when stored as text: '... er inviteret til dialogmøde kl.
16.30.Sagsfremstilling' or '... ønsker at drøfte Terslev skole.Økonomi'.  Danish prose
sets a space after a sentence's closing mark, so a capital right after '.', '!' or '?'
with no space between is a joint, and the line's tail after the last such joint is a
label when it is one whole known label ('Sagsfremstilling', 'Økonomiske konsekvenser').
The paragraph before the joint stays the text of the section above; the label's section
starts on the next line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .textlines import Line

_JOINT_RE = re.compile(r"(?<=[\wæøå)][.!?])(?=[A-ZÆØÅ][\wæøå])")
_MIN_TEXT = 12
"""Characters of text the paragraph must hold before the joint: a line that is only a
short abbreviation and a word ('Jf.Bilag') is no paragraph."""


def label_at_end(line: Line, role_of: Callable[[str], str | None]) -> tuple[str, int] | None:
    """(the label, its offset in the text) when ``line`` ends in a known label glued to a
    sentence's closing mark (``role_of`` gives a label's role or None); None otherwise."""
    raw = line.raw.rstrip()
    joints = [m.start() for m in _JOINT_RE.finditer(raw)]
    if not joints or len(raw[: joints[-1]].strip()) < _MIN_TEXT:
        return None
    tail = raw[joints[-1] :].strip()
    if len(tail) > 60 or role_of(tail) is None:
        return None
    return tail, line.start + joints[-1]
