"""Where a one-line agenda starts when the transcript lost its first number.

A document site's transcript gives each PDF page as one line that opens with the page's
number; an agenda page then holds its whole list of items on that line ('1 Politisk
dokument ... Dagsorden til bestyrelsesmødet ... klokken Godkendelse af dagsordenen 2.
Meddelelser fra formanden 3. Meddelelser fra direktionen ...').  Where the list's first
number was lost with the digits around it, no '1.' opens the list; it starts at the first
entry from which the numbers count on, one by one, for as many entries as make a line a
list (a paragraph seldom enumerates five things in order).  The title of the entry whose
number was lost runs on in the page's header: it is no item.
"""

from __future__ import annotations

import re

_ENTRY_RE = re.compile(r"(?:^|(?<=\s))(\d{1,3})\.\s+(?=[A-ZÆØÅ])")


def first_counted_entry(line: str, min_entries: int) -> re.Match[str] | None:
    """The first entry 'N. Title' of ``line`` that the next ``min_entries - 1`` entries
    count on from (N+1, N+2 ...), or None."""
    entries = list(_ENTRY_RE.finditer(line))
    for k, first in enumerate(entries):
        expected, count = int(first.group(1)) + 1, 1
        for m in entries[k + 1 :]:
            if int(m.group(1)) == expected:
                expected, count = expected + 1, count + 1
        if count >= min_entries:
            return first
    return None
