"""Clues to a document's type besides its type word.

Two kinds of line carry a type word without naming the document's type:

* the caption 'Dagsorden:' alone over the list of items, which minutes print as agendas
  do (the list of what was dealt with): it says 'dagsorden' only when nothing else names
  a type and no decision is recorded;
* a meeting field whose caption holds the word ('Godkendelse af dagsorden:', its value on
  the next line): the field names what was approved, not the document.

A value of such a field that states a decision ('Godkendelse af dagsorden:' / 'Godkendt')
records the meeting's own decision above its items: the document is its minutes, as one
whose items record decisions is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .decisionwords import is_decision_statement

_LIST_CAPTION_RE = re.compile(r"^dagsorden\s*:$", re.IGNORECASE)
_FIELD_CAPTION_RE = re.compile(
    r"^[A-ZÆØÅ][\wæøå]*(?:\s+[\wæøå]+){0,4}\s+(?i:dagsordenen|dagsorden|referatet|referat)\s*:$"
)


def is_type_caption(clean: str) -> bool:
    """True for a line whose type word names a list or a field, not the document:
    'Dagsorden:' alone, 'Godkendelse af dagsorden:'."""
    return bool(_LIST_CAPTION_RE.match(clean) or _FIELD_CAPTION_RE.match(clean))


def listed_type(lines: Sequence[str]) -> str | None:
    """'dagsorden' when a line of ``lines`` is the caption 'Dagsorden:' over the items."""
    return "dagsorden" if any(_LIST_CAPTION_RE.match(line.strip()) for line in lines) else None


def records_decision(lines: Sequence[str]) -> bool:
    """True when a field of ``lines`` (a caption ending in a colon) has a decision as its
    value on the next text line ('Godkendelse af dagsorden:' / 'Godkendt')."""
    texts = [line.strip() for line in lines if line.strip()]
    return any(
        caption.endswith(":") and is_decision_statement(value)
        for caption, value in zip(texts, texts[1:], strict=False)
    )
