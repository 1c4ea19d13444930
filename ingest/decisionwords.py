"""A decision stated in a word or two: 'Godkendt.', 'Taget til efterretning.'.

Minutes record many decisions by the past participle alone, or with what was added
('Godkendt med disse tilføjelser:'): the agenda was approved, the report noted, the case
postponed.  Such a statement stands as a field's value ('Godkendelse af dagsorden:' /
'Godkendt') or closes a heading that an item's decision was run onto ('Referat af mødet
den 9. maj 2012. Godkendt.').
"""

from __future__ import annotations

import re

_STATEMENT = (
    r"(?:ikke\s+)?(?:godkendt|vedtaget|tiltrådt|anbefalet|bevilget|udsat|"
    r"taget\s+til\s+(?:efterretning|orientering))"
)
_STATEMENT_RE = re.compile(rf"^{_STATEMENT}(?:\s+(?:med|uden|som)\b[^.]{{0,80}})?[.:]?$", re.I)
_CLOSING_RE = re.compile(
    rf"(?<=[.!?])\s+(?P<statement>(?-i:(?=[A-ZÆØÅ])){_STATEMENT}\.)$", re.IGNORECASE
)
"""A capitalised statement that closes a text after a sentence's full stop."""


def is_decision_statement(text: str) -> bool:
    """True for a decision stated by its participle: 'Godkendt', 'Godkendt med de
    tilføjelser, der fremgår', 'Taget til efterretning.'; a sentence about more is none."""
    return bool(_STATEMENT_RE.match(text.strip()))


def closing_statement(text: str) -> int | None:
    """Where a decision statement that closes ``text`` after a full stop begins
    ('Referat af mødet den 9. maj 2012. Godkendt.' -> the offset of 'Godkendt.'), else
    None."""
    m = _CLOSING_RE.search(text)
    return None if m is None else m.start("statement")
