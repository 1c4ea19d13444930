"""What a list prints before and after an item's title that is no part of it.

* A journal number before the title ('4. J.nr. 5 DanFiber salg af aktier'): a board's
  agenda may put each item's case first; it is the item's case number.  A second case
  label inside the title ('... seminar d september J.nr. 103 Vedtægtsændringer') opens
  the entry of an item whose number the transcript lost: the title ends before it.  'Sag
  nr. 129' is no journal number (it numbers the item, ``toc.NUMBER_BELOW_RE``).
* The meeting's record fields run on after the list's last title ('11. Evt. Fraværende:
  Mødet hævet kl'): who was absent is no part of a title, and the title ends before them.
"""

from __future__ import annotations

import re

_LABEL = r"(?:j\.?\s*nr\.?|journal\s*nr\.?|sags\.?\s*nr\.?|sagsnummer)"
_LEADING_CASE_RE = re.compile(
    rf"^{_LABEL}\s*:?\s*(?P<case>(?=[\w./-]*\d)[\w./-]*\w)\s+(?=(?-i:[A-ZÆØÅ]))", re.IGNORECASE
)
_INNER_CASE_RE = re.compile(rf"\s(?-i:(?=[JS])){_LABEL}\s*:?\s*\d", re.IGNORECASE)
_RECORD_FIELD_RE = re.compile(
    r"\s(?:Fraværende|Fravær|Afbud|Forfald|Ikke til stede|Til stede|Deltagere|Fremmødte)\s*:"
)
"""A field of the meeting's record, capitalised and with its colon, run on after a title."""


def leading_case(title: str) -> tuple[str, str] | None:
    """(title, case number) for a title printed after its journal number, the title up to
    a second case label; None when ``title`` opens with no case label.

    >>> leading_case("J.nr. 5 DanFiber salg af aktier")
    ('DanFiber salg af aktier', '5')
    >>> leading_case("J.nr. 565 Udkast til program J.nr. 103 Vedtægtsændringer")
    ('Udkast til program', '565')
    """
    m = _LEADING_CASE_RE.match(title)
    if m is None:
        return None
    rest = title[m.end() :]
    if (inner := _INNER_CASE_RE.search(rest)) is not None:
        rest = rest[: inner.start()]
    return rest.strip(), m.group("case")


def without_record_fields(title: str) -> str:
    """``title`` without the record's fields run on after it ('Evt. Fraværende: ...').

    >>> without_record_fields("Evt. Fraværende: Mødet hævet kl")
    'Evt.'
    """
    m = _RECORD_FIELD_RE.search(title)
    return title[: m.start()].rstrip() if m is not None and m.start() > 0 else title
