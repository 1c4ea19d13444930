"""Follow-up questions: an elliptic question leans on the conversation's last topic.

'og hvad skete der i 2025?' or 'and in 2025?' name no topic of their own; searched alone
they find nothing useful.  A conversation (the web chat today; the CLI or the API could keep
one too) searches them as ``last standalone question + new question``.  This lives in the
assistant layer so that every front end applies the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lexical import Analyzer
from .query import DA_MARKERS, EN_MARKERS, MONTHS

FOLLOWUP_START = re.compile(
    r"^\s*(og|men|samt|også|hvad med|hvad så med|end|and|but|also|what about|how about)\b",
    re.IGNORECASE,
)
"""Openings that continue the previous question rather than start a new one."""

FOLLOWUP_FILLER = frozenset({
    "skete", "sket", "så", "der", "samme", "happened", "then", "same", "year", "året", "år",
    "mødet", "meeting", "referat", "dagsorden", "minutes", "agenda", *MONTHS,
})
"""Words that add a time or a place to a topic but are no topic themselves."""

_ANALYZER = Analyzer()


def is_followup(question: str, body_words: frozenset[str] = frozenset()) -> bool:
    """Elliptic questions ('og hvad skete der i 2025?', 'and in 2025?', 'og i Byrådet?')
    lean on the last one; ``body_words`` are the words of the archive's body names (a body
    alone narrows the previous topic, it is not a new one)."""
    if FOLLOWUP_START.match(question):
        return True
    words = [w for w in _ANALYZER.words(question) if w not in DA_MARKERS | EN_MARKERS]
    filler = FOLLOWUP_FILLER | body_words
    return all(w.isdigit() or w in filler for w in words)


def followup_search_text(
    question: str, previous: Sequence[str], body_words: frozenset[str] = frozenset()
) -> str | None:
    """``last standalone question + new question`` for an elliptic question, else None
    (also None when the conversation has no standalone question to lean on)."""
    if not is_followup(question, body_words):
        return None
    topic = next((q for q in reversed(previous) if not is_followup(q, body_words)), None)
    return f"{topic} {question}" if topic else None
