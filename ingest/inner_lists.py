"""A numbered list set in below a numbered heading at the margin belongs to that item.

A web page prints an item heading at the margin ('2. Rammeudmelding for budget 2019') and
an ordered list in the item's text set in by the list's indentation, counting from 1 again
(' 1. Det faldende udgiftsbehov' / '  Besparelse på 11 mio. kr.' / ' 2. ...').  Such a list
is read as a contents list or as item headings when it is taken alone; a reader sees it
nested under the heading further left above it, as the page sets it.  Its lines are no
candidate for the item outline: a list that restarts at 1, set in deeper than a numbered
heading line above it, is that heading's text.  A list set in with no numbered line left of
it above (a page that indents its item list as a whole) keeps its lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from .textlines import Line

_NUMBERED_RE = re.compile(r"^(\s*)(\d{1,3})[.)]\s+[A-ZÆØÅ0-9]")


def without_inner_lists(lines: Sequence[Line]) -> list[Line]:
    """``lines`` with the numbered lines of each list nested under a heading blanked (the
    same indexes and offsets), for finding the item outline only."""
    inner = _inner_list_lines(lines)
    if not inner:
        return list(lines)
    return [replace(line, clean="") if line.index in inner else line for line in lines]


def _inner_list_lines(lines: Sequence[Line]) -> set[int]:
    inner: set[int] = set()
    heading_indent: int | None = None  # the least indent of a numbered line so far
    run: list[int] = []  # the numbered lines of the list being read
    run_indent = 0
    for line in lines:
        m = _NUMBERED_RE.match(line.raw)
        if m is None:
            continue
        indent, number = len(m.group(1).expandtabs(4)), int(m.group(2))
        if run and indent == run_indent and number == len(run) + 1:
            run.append(line.index)
            continue
        if len(run) >= 2:
            inner.update(run)
        run = []
        if number == 1 and heading_indent is not None and indent > heading_indent:
            run, run_indent = [line.index], indent
        heading_indent = indent if heading_indent is None else min(heading_indent, indent)
    if len(run) >= 2:
        inner.update(run)
    return inner
