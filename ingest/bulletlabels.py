"""Section labels printed as list entries ('  • Sagsfremstilling'), as a web page that folds
each section under a bullet shows them.

A bulleted line is a label only when neither neighbouring text line is a list entry at its
level: a list of label words ('- Økonomi' / '- Bilag') is text, and a list indented deeper
is the text of the section above.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .textlines import Line

_BULLET_RE = re.compile(r"^[•\-]\s+(?=\S)")


def bulleted_label(
    lines: Sequence[Line], line: Line, label_of: Callable[[str], str | None]
) -> str | None:
    """The label a bulleted ``line`` prints when it stands alone as a list entry
    (``label_of`` gives a cleaned line's label or None); None otherwise."""
    m = _BULLET_RE.match(line.clean)
    if m is None or (name := label_of(line.clean[m.end() :])) is None:
        return None
    after = next((ln for ln in lines[line.index + 1 :] if not ln.blank), None)
    before = next((ln for ln in reversed(lines[: line.index]) if not ln.blank), None)
    listed = any(
        ln is not None and _BULLET_RE.match(ln.clean) and ln.indent <= line.indent
        for ln in (before, after)
    )
    return None if listed else name
