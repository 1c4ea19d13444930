"""A document that lists its items' titles and nothing else is an agenda.

A web page may give a meeting as its date and a numbered list of item titles, without a
type word anywhere ('Byrådsmøde den 5. februar 2024' / '1. Godkendelse af dagsorden.' /
'2. Budgetstrategi ...').  Minutes record something under their items (a decision, a
note, at least 'Godkendt'); a list where no item holds any text is what the meeting will
deal with, as an agenda announces it.  The clue ranks with the caption 'Dagsorden:' over
the items (``typeclues.listed_type``): below every type word and every recorded decision.
It takes at least ``MIN_ITEMS`` numbered items, none of them closed (a closed item's text
is dropped, not missing).
"""

from __future__ import annotations

from collections.abc import Sequence

from .models import AgendaItem

MIN_ITEMS = 3


def titles_only_type(items: Sequence[AgendaItem]) -> str | None:
    """'dagsorden' when ``items`` are at least ``MIN_ITEMS`` numbered items with no text."""
    if len(items) < MIN_ITEMS:
        return None
    if any(not item.number or item.closed or item.sections for item in items):
        return None
    return "dagsorden"
