"""Titles hard-wrapped over lines in a numbered list that holds nothing but titles.

A web page may print a meeting's agenda as numbered paragraphs, each only the item's
title closed by a full stop, the lines broken where the editor's box ended:

    4. Svar til Ankestyrelsen vedrørende
    udtalelse om kommunens administration af forskellige bestemmelser i
    kommunestyrelsesloven.

    5. Godkendelse af egnsteateraftale for Den Ny
    Opera 2025-2028.

Where no item of the list holds a paragraph of text (each heading's paragraph is followed
by the next heading, the last by the end of the page), every paragraph is one title, its
lines the title's: a careful reader joins them.  A paragraph whose lines hold a sentence's
end before a capital ('... Forslag. Godkendt.') is a title and its text, and a paragraph
longer than ``MAX_TITLE_WORDS`` is prose; either leaves the list as it was.  Where the list
closes its titles with a full stop, the stop after a closing number ('... Bøge Alle 7.')
is that closing stop, not an ordinal's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from .danish import squash
from .glued import without_full_stop
from .textlines import Line
from .toc import Heading

MAX_TITLE_WORDS = 30
_NUMBER_RE = re.compile(r"^\s*\d{1,3}\.\s*")
_SENTENCE_END_RE = re.compile(r"[.!?]$")
_CLOSING_NUMBER_RE = re.compile(r"(?<=\s)(\d+)\.$")


def with_wrapped_titles(lines: Sequence[Line], chain: list[Heading]) -> list[Heading]:
    """``chain`` (a plain numbered list's headings, in order) with each title joined over
    its paragraph's lines when the list holds titles only; else ``chain`` as it is."""
    if not chain or any(h.text_offset is not None for h in chain):
        return chain
    paragraphs = [_paragraph(lines, h.line) for h in chain]
    bounds = [h.line for h in chain[1:]] + [len(lines)]
    for paragraph, bound in zip(paragraphs, bounds, strict=True):
        if any(not ln.blank for ln in lines[paragraph[-1] + 1 : bound]):
            return chain  # an item with text of its own: the paragraphs are no titles
    closed = sum(lines[p[-1]].clean.endswith(".") for p in paragraphs) * 2 > len(chain)
    joined: list[Heading] = []
    for heading, paragraph in zip(chain, paragraphs, strict=True):
        parts = [_NUMBER_RE.sub("", lines[paragraph[0]].clean, count=1)]
        parts += [lines[k].clean for k in paragraph[1:]]
        if any(
            _SENTENCE_END_RE.search(a) and b[:1].isupper()
            for a, b in zip(parts, parts[1:], strict=False)
        ):
            return chain
        text = squash(" ".join(parts))
        if len(text.split()) > MAX_TITLE_WORDS:
            return chain
        if closed:
            text = _CLOSING_NUMBER_RE.sub(r"\1", text)
        title = without_full_stop(text)
        last = paragraph[-1] if len(paragraph) > 1 else heading.continued_line
        joined.append(replace(heading, title=title, continued_line=last))
    return joined


def _paragraph(lines: Sequence[Line], start: int) -> list[int]:
    """Line indexes of the paragraph that opens on line ``start`` (up to a blank line)."""
    end = start + 1
    while end < len(lines) and not lines[end].blank:
        end += 1
    return list(range(start, end))
