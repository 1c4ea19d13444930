"""A numbered list under the caption 'Indholdsfortegnelse' is the table of contents.

A bare numbered list counts as contents only when it is compact (no blank line inside it,
``tocgroups.is_compact``) or its lines carry page numbers or dot leaders.  A web page stored
as text may set off every line with a blank line, its contents list too ('Indholdsfortegnelse'
/ '' / 'HR 1.   Title' / '' / 'HR 2.   Title'); the caption above the list says what the
list is, whatever its spacing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .textlines import Line

_CAPTION_RE = re.compile(r"^indholdsfortegnelse\s*:?$", re.IGNORECASE)


def under_contents_caption(lines: Sequence[Line], start: int) -> bool:
    """True when the nearest text line above line ``start`` is the caption
    'Indholdsfortegnelse' alone."""
    above = next((k for k in range(start - 1, -1, -1) if not lines[k].blank), None)
    return above is not None and bool(_CAPTION_RE.match(lines[above].clean))
