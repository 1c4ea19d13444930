"""The words a timeline question searches by: the question without its dates and meetings.

"Beskriv forløbet for klimasamarbejdet fra direktørernes møde i november 2022 over
byrådsmødet i februar 2023 til dagsordenen i april 2025" names its span by meetings and
months.  Those
words bound the timeline (:meth:`assistant.query.QueryAnalysis.period`, the named bodies),
but searched as words they find every item that speaks of a meeting in those months - the
approval of the last minutes, the list of coming meetings - and crowd out the treatments of
the matter.  So a timeline is searched by what it is about: the question without its date
expressions, bare month names and years, and the words that name a meeting or its papers
(møde, dagsorden, referat, meeting, agenda, minutes and their compounds: 'byrådsmødet').
The question itself still decides the span, the bodies and how the answer is composed.
"""

from __future__ import annotations

import re

from bm25s.stopwords import STOPWORDS_EN

from ingest.danish import MONTH_NAMES, STOPWORDS, find_dates, squash

_MEETING_RE = re.compile(
    r"(?<![\wæøåÆØÅ])[\wæøåÆØÅ-]*(?:møde|dagsorden|referat|meeting|minutes|agenda)"
    r"[\wæøåÆØÅ'’]*",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"(?<![\d-])(?:19|20)\d\d(?![\d-])")
_MONTH_RE = re.compile(
    r"(?<![\wæøå])(?:" + "|".join(sorted(MONTH_NAMES, key=len, reverse=True)) + r")\.?(?![\wæøå])",
    re.IGNORECASE,
)
MIN_WORDS = 2
"""Fewer content words left than this: the question is about its meetings, searched as it
is."""
_FRAME = frozenset(STOPWORDS) | frozenset(STOPWORDS_EN) | {"hvilke", "hvilken", "which"}


def timeline_search_text(question: str) -> str | None:
    """``question`` without dates, months, years and meeting words; None when too little is
    left to search by (then the question is searched as it is)."""
    chars = list(question)
    for found in find_dates(question):
        chars[found.start : found.end] = " " * (found.end - found.start)
    text = "".join(chars)
    for pattern in (_MEETING_RE, _MONTH_RE, _YEAR_RE):
        text = pattern.sub(" ", text)
    text = squash(text)
    words = [w for w in re.findall(r"[\wæøåÆØÅ]{3,}", text) if w.lower() not in _FRAME]
    return text if len(words) >= MIN_WORDS else None
