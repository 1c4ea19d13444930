"""A question that compares named meetings: 'How did X change between the directors'
meeting in November 2022 and the council's minutes of June 2023?', 'Hvordan ændrede X sig
mellem mødet i februar 2023 og mødet i juni 2023?'.

Such a question (:data:`CHANGE_SPAN`: a change word, then two dated ends) is a timeline
(:data:`assistant.query.TIMELINE_PATTERNS`), but its answer is the treatments at the
meetings it names, not every item near the topic in between: a list of whatever else those
months held is no answer to "how did it change".  So a change question that names two or
more meetings by month keeps the best items of each named meeting (in rank order, at most
``Composition.change_items_per_meeting`` each) and, of other meetings, the items scoring
nearly as well as the best (a step of the same matter between the two), when the results
hold items of at least two named meetings; otherwise the timeline is left as it is.  A
change at one meeting ('How did the grant change at the June 2023 meeting?') is no
timeline at all.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .tuning import TUNING

if TYPE_CHECKING:
    from .query import QueryAnalysis
    from .search import ItemHit

_CHANGE_WORD = r"\b(?:chang|differ|ændre|ændring|forskel)\w*"
"""A word asking how a matter changed or differed from one treatment to the next."""
CHANGE_RE = re.compile(_CHANGE_WORD, re.IGNORECASE)
CHANGE_SPAN = (
    _CHANGE_WORD + r"\b.{0,200}?\b(?:between|from|mellem|fra)\b"
    r".{0,120}?(?:19|20)\d\d\b.{0,120}?\b(?:and|to|og|til)\b.{0,120}?(?:19|20)\d\d\b"
)
"""A change asked for between two dated ends ('differ between the strategy reviewed in
November 2022 and the outline of February 2023'): a pattern of the timeline patterns."""


def compared_hits(query: QueryAnalysis, hits: list[ItemHit]) -> list[ItemHit]:
    """``hits`` narrowed to the meetings a change question names, or ``hits`` unchanged.

    A hit is kept when its meeting's date matches one of the named dates (month or day
    precision) and fewer than ``change_items_per_meeting`` better hits of that date were
    kept, or when it scores within ``change_keep_margin`` of the best hit."""
    if not query.timeline or not CHANGE_RE.search(query.text) or not hits:
        return hits
    named = [d for d in query.dates if d.month is not None]
    if len(named) < 2:
        return hits
    per_meeting = TUNING.answer.change_items_per_meeting
    floor = max(h.score for h in hits) - TUNING.answer.change_keep_margin
    kept: list[ItemHit] = []
    counts: dict[int, int] = {}
    for hit in hits:
        date = hit.meeting.date
        which = next((i for i, d in enumerate(named) if date and d.matches(date)), None)
        if which is not None and counts.get(which, 0) < per_meeting:
            counts[which] = counts.get(which, 0) + 1
            kept.append(hit)
        elif which is None and hit.score >= floor:
            kept.append(hit)  # a step between the named meetings
    return kept if len(counts) >= 2 else hits
