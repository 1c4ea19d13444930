"""Item numbers printed after a council's own code ('HR 1. Title', 'ØU 12. Title').

Some councils print their code before every item number, in the contents and over each
item ('HR 1.      Orientering om ...', then 'HR 1. Orientering om ...'): the code names
the council (a register's prefix, as 'ØU 5/2006' names the committee's register), not the
item.  Where one code of two to four capitals opens at least ``MIN_CODED_LINES`` lines,
each before a numbered title, and the numbers it precedes count on one by one (1, 2,
3 ...: the items), the code is blanked on those lines (same length and offsets) so that
the numbers head their lines as every other layout prints them.  A code before numbers
that do not count on (a table of codes and amounts) is kept.
"""

from __future__ import annotations

import re

_CODED_RE = re.compile(
    r"^(?P<lead>[ \t#*]*)(?P<code>[A-ZÆØÅ]{2,4})[ \t]+(?P<number>\d{1,3})\.[ \t]*(?=[A-ZÆØÅ])",
    re.MULTILINE,
)
"""A line that opens with a code in capitals before a numbered, capitalised title."""
MIN_CODED_LINES = 3


def without_item_codes(text: str) -> str:
    """Same-length ``text`` with the code before each item number blanked where one code
    numbers the items ('HR 1. Title' -> '   1. Title')."""
    by_code: dict[str, list[re.Match[str]]] = {}
    for m in _CODED_RE.finditer(text):
        by_code.setdefault(m.group("code"), []).append(m)
    chars: list[str] | None = None
    for found in by_code.values():
        numbers = sorted({int(m.group("number")) for m in found})
        if len(found) < MIN_CODED_LINES or len(numbers) < 2:
            continue
        if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
            continue  # numbers that do not count on are no items
        chars = chars if chars is not None else list(text)
        for m in found:
            chars[m.start("code") : m.start("number")] = " " * (m.start("number") - m.start("code"))
    return text if chars is None else "".join(chars)
