"""A caption that announces the agenda's items right above a numbered list.

Minutes often open their items under a caption of their own: 'Dagsorden:', 'Punkter på
dagsordenen:', 'Dagsordenspunkter:'.  A numbered list whose first line stands right under
such a caption (blank lines between them aside) is the list of the meeting's items by the
page's own word, so it needs less of the evidence a list under no caption needs: two
numbers counting on suffice where a page lost all but its first items.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .textlines import Line

_CAPTION_RE = re.compile(
    r"^(?:dagsorden(?:en)?|dagsordenspunkter|punkter på dagsordenen)\s*:?$", re.IGNORECASE
)


def under_agenda_caption(lines: Sequence[Line], index: int) -> bool:
    """True when the nearest text line above line ``index`` is an agenda caption alone."""
    above = next((k for k in range(index - 1, -1, -1) if not lines[k].blank), None)
    return above is not None and bool(_CAPTION_RE.match(lines[above].clean))
