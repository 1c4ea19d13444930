"""Lines that list a meeting's members by the group they come from.

A council's page may open with its members, one line per group that sends them
('Byrådet: Kai Nielsen (V), Rigge Nørmark (I)', 'Danske Handicaporganisationer: ...').
The group's name before the colon says where the members come from, not which body meets:
a council of the disabled has members from the municipal council.  A line that captions
a list of people, at least two of them with a party letter in parentheses, is such a line,
and names no body of the meeting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_CAPTIONED_RE = re.compile(r"^[A-ZÆØÅ][\wæøåÆØÅ -]{1,60}:[ \t]*\S")
_PARTY_RE = re.compile(r"[A-ZÆØÅ][a-zæøå]+[ \t]+\([A-ZÆØÅ]{1,2}\)")
"""A name with its party letter ('Nielsen (V)', 'Hansen (A)')."""
MIN_PARTY_NAMES = 2


def is_member_line(line: str) -> bool:
    """True for 'Group: Name (V), Name (I)': a caption over people with party letters."""
    return bool(_CAPTIONED_RE.match(line)) and len(_PARTY_RE.findall(line)) >= MIN_PARTY_NAMES


def without_member_lines(lines: Sequence[str]) -> list[str]:
    """``lines`` less the lines that list members by the group they come from."""
    return [line for line in lines if not is_member_line(line)]
