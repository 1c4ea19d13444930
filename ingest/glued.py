"""Heading text: what a web page glued onto an item heading, and a closing full stop.

Publishing systems print an item's heading next to other page elements that lose their
separating space when the page is stored as text:

* a section label that opens the item's text ('1. Meddelelse fra formandenReferat':
  the item's first label, 'Referat', on the heading's line);
* a fold/expand link that repeats the title ('1. Godkendelse af dagsordenKlik her for at
  folde ud og læse mere om Godkendelse af dagsorden') or is the fold control's own text
  ('183. Godkendelse af dagsordenÅbn/luk punkt', ``foldlinks``).

Both start at a lower-case letter followed at once by a capital (a 'camel' joint that a
Danish title does not contain), so the heading is cut there and the tail is read as a
label or dropped as link text.  A layout that closes every heading with a full stop
('1. Udpegning af et nyt medlem.') gives titles without it (``without_full_stop``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .danish import squash
from .foldlinks import is_fold_control
from .name_stops import ends_in_name
from .sections import label_name, section_role

_JOINT_RE = re.compile(r"(?<=[a-zæøå)])(?=[A-ZÆØÅ][a-zæøå])")
_LINK_RE = re.compile(r"^(?:klik|tryk)\s+(?:her|på)\b", re.IGNORECASE)
"""Link text that asks the reader to click ('Klik her for at folde ud ...')."""


@dataclass(frozen=True)
class GluedTail:
    """A heading cut at its glued tail: the title before it, the tail's offset in the
    heading text and, when the tail is a section label, that label's printed name."""

    title: str
    offset: int
    label: str | None
    role: str | None = None


def glued_tail(text: str) -> GluedTail | None:
    """The first glued tail of heading ``text`` that is a section label or link text,
    else None.

    >>> glued_tail("Godkendelse af dagsordenKlik her for at folde ud").title
    'Godkendelse af dagsorden'
    >>> glued_tail("Meddelelse fra formandenReferat").label
    'Referat'
    """
    for m in _JOINT_RE.finditer(text):
        head, tail = text[: m.start()].rstrip(), text[m.start() :].strip()
        if not any(ch.isalpha() for ch in head):
            continue
        if _is_link(head, tail):
            return GluedTail(head, m.start(), None)
        if (name := label_name(tail)) is not None:
            return GluedTail(head, m.start(), name, section_role(tail) or section_role(name))
    return None


def _is_link(head: str, tail: str) -> bool:
    """Link text: it opens with 'Klik her'/'Tryk på', it is a fold control ('Åbn/luk
    punkt'), or it ends by repeating the title."""
    if _LINK_RE.match(tail) or is_fold_control(tail):
        return True
    head_words, tail_words = squash(head).casefold().split(), squash(tail).casefold().split()
    return len(tail_words) > len(head_words) >= 2 and tail_words[-len(head_words) :] == head_words


_ABBREVIATION_END_RE = re.compile(r"(?:^|[\s.(])[\wæøå]{1,3}\.$|\.\w+\.$", re.IGNORECASE)
"""A title that ends in an abbreviation ('... m.m.', '... 3,5 mio. kr.', '... mv.')."""
_CLAUSE_END_RE = re.compile(r"(?<![\w.])(?:med|af|om|til|fra|på|op|ud|ind|sig|det|dem)\.$")
"""Short words that end a Danish clause and are never abbreviated: a preposition left at
the end ('... hvad rådet skal arbejde med.') or a pronoun; their full stop closes the
title."""


_LEADER_TAIL_RE = re.compile(r"\s*(?:\.{4,}|…{2,}|(?:\.\s){4,})[\s.…]*(?:\d{1,4})?\s*$")
"""A contents row's dot leader and page number closing a title ('Godkendelse af dagsorden
.......... 2'): a printed title never ends so, so no title keeps them, whichever path read
the row."""


def without_full_stop(title: str) -> str:
    """``title`` without the full stop that closes it, unless it ends an abbreviation, and
    without a contents row's dot leader and page number.

    >>> without_full_stop("Udpegning af et nyt medlem.")
    'Udpegning af et nyt medlem'
    >>> without_full_stop("Hvad rådet skal arbejde med.")
    'Hvad rådet skal arbejde med'
    >>> without_full_stop("Opholdsplads m.m.")
    'Opholdsplads m.m.'
    >>> without_full_stop("Godkendelse af dagsorden .................... 2")
    'Godkendelse af dagsorden'
    """
    if (leader := _LEADER_TAIL_RE.search(title)) and leader.start() > 0:
        title = title[: leader.start()]
    if not title.endswith(".") or title.endswith(".."):
        return title
    if (_ABBREVIATION_END_RE.search(title) and not _CLAUSE_END_RE.search(title)
            and not ends_in_name(title)):
        return title
    return title[:-1].rstrip()


def printed_title(text: str) -> str:
    """A title as a contents row or heading prints it: whitespace squashed, less the full
    stop that closes it (an abbreviation's is kept)."""
    return without_full_stop(squash(text))
