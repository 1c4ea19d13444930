"""The municipalities each meeting's pages name, counted once when the retriever's state is
built (and saved with it), so that no question reads the archive's texts to learn whose a
document or a council is (:mod:`.places`, :mod:`.bodies`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

MUNICIPALITY_RE = re.compile(
    r"(?<![\wæøåÆØÅ-])([A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?)s?\s+Kommunes?\b"
)
"""A municipality as a page names it: 'Middelfart Kommune', 'Københavns Kommunes'."""


def municipality_mentions(texts: Iterable[str]) -> dict[str, int]:
    """How often ``texts`` name each municipality ('Hjortsø Kommune' -> {'Hjortsø': n})."""
    return dict(Counter(m.group(1) for text in texts for m in MUNICIPALITY_RE.finditer(text)))


def mentions_by_meeting(
    meeting_ids: Sequence[str], texts: Sequence[str], counted: Sequence[bool]
) -> dict[str, dict[str, int]]:
    """:func:`municipality_mentions` of each meeting's chunks (aligned lists; a chunk with
    ``counted`` False - a closed item's content - is left out): meetings naming none are
    absent."""
    by_meeting: dict[str, list[str]] = {}
    for meeting_id, text, use in zip(meeting_ids, texts, counted, strict=True):
        if use:
            by_meeting.setdefault(meeting_id, []).append(text)
    found = {meeting_id: municipality_mentions(t) for meeting_id, t in by_meeting.items()}
    return {meeting_id: counts for meeting_id, counts in found.items() if counts}


def summed(mentions: Iterable[Mapping[str, int]]) -> Counter[str]:
    """Several meetings' mentions together (a body's documents)."""
    total: Counter[str] = Counter()
    for counts in mentions:
        total.update(counts)
    return total
