"""A TOC whose entries carry a running-number label: 'Sag nr. 74 Orientering om likviditet'.

PDF minutes of some systems list their items as 'Sag nr. N Title', one entry a line.
Where a title wrapped, the PDF's text layer prints the labels of several entries first
and their titles after them, run together on one line:

    Sag nr. 83
    Sag nr. 84
    Sag nr. 85 Byggeregnskab for Solhøjvej Støttepulje til landsbyer Forslag til plan

The titles are then cut apart where a new title most likely begins (``split_titles``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .danish import TITLE_STOPWORDS, squash
from .textlines import Line
from .tocentries import Toc, TocEntry

_LABELLED_RE = re.compile(r"^sag\s+nr\.?\s*:?\s*(\d{1,3})(?:\s+(.*))?$", re.IGNORECASE)
_WORD_RE = re.compile(r"\S+")


def labelled_toc(lines: Sequence[Line], start: int) -> Toc | None:
    """The run of 'Sag nr. N Title' entries that starts at line ``start``, two or more."""
    found, end = labelled_entries(lines, start)
    if len(found) < 2:
        return None
    return Toc(tuple(TocEntry(n, t, i) for n, t, i in found), start, end)


def labelled_entries(lines: Sequence[Line], start: int) -> tuple[list[tuple[str, str, int]], int]:
    """(number, title, line) of the 'Sag nr. N Title' run that starts at line ``start``
    and the index after it; bare labels take their titles from the next titled entry."""
    entries: list[tuple[str, str, int]] = []
    pending: list[tuple[str, int]] = []
    index = start
    last = -1
    while index < len(lines):
        line = lines[index]
        m = _LABELLED_RE.match(line.clean) if not line.blank else None
        if m is None or int(m.group(1)) <= last:
            break
        last = int(m.group(1))
        pending.append((m.group(1), index))
        index += 1
        if not m.group(2):
            continue
        titles = split_titles(squash(m.group(2)), len(pending))
        if titles is not None:
            entries.extend((n, t, i) for (n, i), t in zip(pending, titles, strict=True))
        else:
            entries.append((pending[-1][0], squash(m.group(2)), pending[-1][1]))
        pending = []
    return entries, index


def split_titles(text: str, count: int) -> list[str] | None:
    """``text`` cut into ``count`` titles at the likeliest title starts, else None.

    A title start is a capitalised word (Danish capitalises only names and a sentence's
    first word) after a word in lower case or after an abbreviation's dot ('... 1. sal
    Støttepulje til'), followed by a word in lower case, best a function word ('Forslag
    til'); a word after a dash, a name run ('Frederikssund Kommune') or a word before a
    comma continues the title.

    >>> split_titles("Budget 2025 godkendt Forslag til lokalplan", 2)
    ['Budget 2025 godkendt', 'Forslag til lokalplan']
    """
    if count == 1:
        return [text]
    words = [(m.start(), m.group(0)) for m in _WORD_RE.finditer(text)]
    scored: list[tuple[int, int]] = []
    for k in range(1, len(words) - 1):
        score = _start_score(words[k - 1][1], words[k][1], words[k + 1][1])
        if score > 0:
            scored.append((score, k))
    if len(scored) < count - 1:
        return None
    cuts = sorted(k for _, k in sorted(scored, key=lambda s: (-s[0], s[1]))[: count - 1])
    bounds = [0] + [words[k][0] for k in cuts] + [len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]


def _start_score(before: str, word: str, after: str) -> int:
    """How surely ``word`` opens a new title (0: it does not)."""
    if not (word[:1].isupper() and word[1:2].islower()) or word[-1] in ",-–:;)":
        return 0
    if before in ("-", "–") or not after[:1].islower():
        return 0
    score = 1
    if before[:1].islower() or before.endswith("."):
        score += 2
    if after.lower() in TITLE_STOPWORDS:
        score += 1
    return score
