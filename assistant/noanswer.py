"""Can the archive answer this question?  Check hard constraints against the evidence.

Top-1 similarity alone cannot tell near-misses from answerable questions (e5 similarities
are compressed), so this checks what the question *requires*:

* a specific meeting date it names must be a meeting in the archive, or be mentioned in
  the best evidence (e.g. "items planned for the meeting on 9 February 2024");
* a body it names must have meetings in the archive;
* its salient content words (Danish questions) must occur in the archive at all, unless
  the dense match is strong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.chunker import format_date

from .query import QueryAnalysis

if TYPE_CHECKING:
    from .search import ItemHit, Retriever

# A Danish question whose content words are missing from the archive is only accepted when
# the dense match is at least this strong (calibrated on the dev set, docs/BENCHMARKS.md).
MISSING_TERM_DENSE_FLOOR = 0.86
GENERIC_TERMS = {
    "kkr", "midtjylland", "kd", "net", "møde", "mødet", "beslut", "besluttet", "punkt",
    "kommun", "kommunern", "region", "hvilk", "mange", "penge",
}
MONTH_NAMES_DA = [
    "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
    "oktober", "november", "december",
]


@dataclass(frozen=True)
class Verdict:
    answerable: bool
    reason: str = ""


def assess_answerable(query: QueryAnalysis, hits: list[ItemHit], retriever: Retriever) -> Verdict:
    """Verdict on whether ``hits`` answer ``query`` (reason in the question's language)."""
    if not hits:
        return Verdict(False, "")
    en = query.language == "en"
    held = {(m.body, m.date) for m in retriever.meetings.values()}
    for body in query.bodies:
        if not any(b == body for b, _ in held):
            return Verdict(False, f"No meetings of {body} are in the archive." if en
                           else f"Arkivet har ingen møder i {body}.")
    for date in query.dates:
        if date.day is None:
            continue
        if any(date.matches(d) for _, d in held):
            continue
        if _mentions_date(hits[0], date.year, date.month or 0, date.day):
            continue
        dates = ", ".join(sorted({format_date(d) for _, d in held}))
        return Verdict(
            False,
            f"The archive holds no meeting on {date.label()} (it holds meetings on {dates})."
            if en
            else f"Arkivet har intet møde den {date.label()} (det har møder {dates}).",
        )
    if query.language == "da":
        present, missing = retriever.lexical.known_terms(query.text)
        salient = [t for t in missing if len(t) >= 4 and t not in GENERIC_TERMS]
        if salient and hits[0].dense < MISSING_TERM_DENSE_FLOOR:
            words = ", ".join(sorted(set(salient)))
            return Verdict(False, f"Ordene «{words}» forekommer ikke i arkivet.")
    return Verdict(True)


def _mentions_date(hit: ItemHit, year: int, month: int, day: int) -> bool:
    """True when the hit's title or passages mention the date (Danish or numeric form)."""
    text = " ".join([hit.item.title] + [p.text for p in hit.passages]).lower()
    month_name = MONTH_NAMES_DA[month - 1] if 1 <= month <= 12 else ""
    patterns = [
        rf"\b0?{day}\.?\s+{month_name}\s+{year}",
        rf"\b0?{day}[-./]0?{month}[-./]{year}",
    ]
    return any(re.search(p, text) for p in patterns)
