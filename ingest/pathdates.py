"""A meeting date a file name writes in six digits after its type word ('referat-251119').

Sites that name each page by its type and date may write the date in six digits, day
first as Danish dates are written ('referat-251119' is 25 November 2019,
'dagsorden_030519' 3 May 2019).  Six digits alone are as often a number of another kind
(a case, a document id), so they count as a date only right after the type word, and only
when day and month are valid.
"""

from __future__ import annotations

import re

_TYPED_DATE_RE = re.compile(
    r"(?<![\wæøå])(?P<type>(?i:dagsorden|referat|protokol))[ \t-]*(?P<digits>\d{6})(?!\d)"
)
CENTURY_PIVOT = 70
"""Two-digit years below it are 20YY, the others 19YY (no archive holds minutes of the
2070s, nor printed web pages of the 1960s)."""


def typed_short_date(name: str) -> str:
    """``name`` with a six-digit date after its type word written 'DD-MM-YYYY'.

    >>> typed_short_date("referat 251119")
    'referat 25-11-2019'
    >>> typed_short_date("bilag 251119")
    'bilag 251119'
    """

    def spelled(m: re.Match[str]) -> str:
        digits = m.group("digits")
        day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return m.group(0)
        century = 2000 if year < CENTURY_PIVOT else 1900
        return f"{m.group('type')} {day:02d}-{month:02d}-{century + year}"

    return _TYPED_DATE_RE.sub(spelled, name)
