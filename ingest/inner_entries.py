"""Contents entries left inside the title of the entry above them.

A contents list printed on one line is split before each entry that counts on and opens
with a capital (``textlines.split_numbered_lists``); two kinds of entry stay run on in the
title above:

* a lettered sub-item of that entry ('2. Orientering fra formanden 2 a. Orienteringspunkt
  vedr. ...'): its number repeats the entry's own and adds a letter, 'a' first and then
  'b', 'c' ... in order; it is entry '2.a' (levels joined by '.');
* the next entry when its title opens with a number ('8. Beredskabsplan 9. 2 stk.
  ansøgninger ...'): the list's next entry is numbered 10, so the '9. ' inside entry 8's
  title is the missing entry 9 (a gap in the numbering that the run-on entry fills), not
  a date or an amount.

Both are read only from the numbering itself (the entry's own number with a letter, or
exactly the number the gap lacks), so a title that merely holds a number keeps it.
"""

from __future__ import annotations

import re

from .tocentries import Toc, TocEntry

_LETTERED_RE = r"\s{number}\s?([a-z])[.)]\s+(?=[A-ZÆØÅ])"
_MISSING_RE = r"\s({number})\.\s+(?=\S)"


def with_inner_entries(toc: Toc) -> Toc:
    """``toc`` with the lettered sub-items and the missing next entries that stand inside
    its entries' titles split off as entries of their own."""
    out: list[TocEntry] = []
    entries = toc.entries
    for k, entry in enumerate(entries):
        if entry.level != 1 or not entry.number.isdigit():
            out.append(entry)
            continue
        following = entries[k + 1] if k + 1 < len(entries) else None
        out += _lettered(_missing(entry, following))
    return toc if len(out) == len(entries) else Toc(tuple(out), toc.start, toc.end)


def _missing(entry: TocEntry, following: TocEntry | None) -> list[TocEntry]:
    """[entry] or [entry, the entry numbered one more that ran on in its title], when the
    next entry's number skips exactly that one."""
    wanted = int(entry.number) + 1
    if following is None or following.level != 1 or following.key[0] != wanted + 1:
        return [entry]
    found = list(re.finditer(_MISSING_RE.format(number=wanted), entry.title))
    if len(found) != 1 or not entry.title[: found[0].start()].strip():
        return [entry]
    m = found[0]
    return [
        _retitled(entry, entry.number, entry.title[: m.start()]),
        _retitled(entry, str(wanted), entry.title[m.end() :]),
    ]


def _lettered(entries: list[TocEntry]) -> list[TocEntry]:
    """Each of ``entries`` with its lettered sub-items ('2 a. Title') split off."""
    out: list[TocEntry] = []
    for entry in entries:
        pattern = re.compile(_LETTERED_RE.format(number=re.escape(entry.number)))
        found = list(pattern.finditer(entry.title))
        letters = [m.group(1) for m in found]
        if not found or letters != [chr(ord("a") + k) for k in range(len(found))]:
            out.append(entry)
            continue
        bounds = [m.start() for m in found] + [len(entry.title)]
        out.append(_retitled(entry, entry.number, entry.title[: found[0].start()]))
        out += [
            _retitled(entry, f"{entry.number}.{m.group(1)}", entry.title[m.end() : bounds[k + 1]])
            for k, m in enumerate(found)
        ]
    return out


def _retitled(entry: TocEntry, number: str, title: str) -> TocEntry:
    return TocEntry(number, title.strip(), entry.line, entry.closed)
