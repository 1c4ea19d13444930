"""How a page names its municipality and town around a body.

* 'Lyngby Taarbæk Kommune': a hyphenated municipality printed with a space (a site title);
  the whole name is taken when the page prints it hyphenated elsewhere
  ('Lyngby-Taarbæk Kommune'), not only the word before 'Kommune'.
* A line naming three or more different municipalities is a list of members or
  participants (a cooperation's board, 'Birgit Hansen Frederikshavn Kommune Lene ...
  Thisted Kommune ...'): none of them is the body's own.
* 'Middelfart Ældreråd': a council whose own name carries the town, the municipality's
  name printed right before the body, keeps it ('Middelfart Ældreråd, Middelfart Kommune').
"""

from __future__ import annotations

import re

_MEMBER_LIST_MIN = 3
_MUNICIPALITY_RE = re.compile(r"(?<![\wæøå])([A-ZÆØÅ][\wæøåÆØÅ-]+)\s+(?i:kommune)\b")


def lists_members(text: str, start: int) -> bool:
    """True when the line of ``text`` holding ``start`` names three or more different
    municipalities: a list of members, not a header naming the body's own."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return len({m.group(1).casefold() for m in _MUNICIPALITY_RE.finditer(line)}) >= _MEMBER_LIST_MIN


def hyphenated_name(text: str, municipality: str) -> str:
    """``municipality`` ('Taarbæk Kommune', cut from 'Lyngby Taarbæk Kommune') with the
    capitalised word printed before it joined by a hyphen when ``text`` also prints that
    hyphenated name ('Lyngby-Taarbæk Kommune'); else ``municipality`` as it is."""
    pattern = rf"(?<![\wæøå-])([A-ZÆØÅ][a-zæøå]+)[ \t]+{re.escape(municipality)}"
    for m in re.finditer(pattern, text):
        joined = f"{m.group(1)}-{municipality}"
        if joined.casefold() in text.casefold():
            return joined
    return municipality


def with_town(body: str, municipality: str, text: str) -> str:
    """``body`` with the town before it when ``text`` names the body so ('Middelfart
    Ældreråd' where the municipality is 'Middelfart Kommune'); else ``body``."""
    town = municipality.rsplit(" ", 1)[0]
    if " " in town or body.startswith(town):
        return body
    pattern = re.compile(rf"(?<![\wæøå]){re.escape(town)}[ \t]+{re.escape(body)}(?![\wæøå])")
    return f"{town} {body}" if pattern.search(text) else body
