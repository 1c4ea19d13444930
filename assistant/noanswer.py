"""Can the archive answer this question?  Check hard constraints against the evidence.

Top-1 similarity alone cannot tell near-misses from answerable questions (e5 similarities
are compressed; measured again on our own question sets), so this checks what the question
*requires*, and every refusal says which requirement failed:

* a body it names (in the archive's own terms, ``assistant/bodies.py``) must be held, unless
  the best evidence - another body's document - speaks of it;
* a meeting date it names (day or month) must be a meeting in the archive, or - unless it
  asks what was decided there - be mentioned in the best evidence; the refusal names the
  nearest meetings held;
* a period it asks about ("Budget 2021-24") must be stated in the best evidence;
* its own content words (all words of a Danish question; words written as documents write
  them in an English one - never a translation, an intent verb or a body's name) must occur
  in the named body's documents (or the archive) or in the best evidence, unless the dense
  match is strong;
* "who holds role X in body Y" needs a passage that states it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.bodies import BODY_ALIASES
from ingest.chunker import format_date
from ingest.danish import split_sentences

from .access import PUBLIC, Viewer
from .bodies import BODY_TYPES_EN
from .query import DateConstraint, QueryAnalysis, is_intent_word, names_in

if TYPE_CHECKING:
    from .search import ItemHit, Retriever

# A Danish question whose content words are missing from the archive is only accepted when
# the dense match is at least this strong (calibrated on the dev set, docs/BENCHMARKS.md).
MISSING_TERM_DENSE_FLOOR = 0.88
GENERIC_TERMS = {
    "møde", "mødet", "beslut", "besluttet", "punkt", "kommun", "kommunern", "region",
    "hvilk", "mange", "penge",
}
"""Stems of Danish words a question about any council's archive may hold without the
archive printing them (question words, 'meeting', 'decided')."""
MAX_LISTED = 12
"""Bodies named in a refusal that says a named body is not in the archive."""
NEAREST_MEETINGS = 5
MONTH_NAMES_DA = [
    "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
    "oktober", "november", "december",
]


@dataclass(frozen=True)
class Verdict:
    answerable: bool
    reason: str = ""


def assess_answerable(
    query: QueryAnalysis,
    hits: list[ItemHit],
    retriever: Retriever,
    evidence: tuple[int, str] | None = None,
    viewer: Viewer = PUBLIC,
) -> Verdict:
    """Verdict on whether ``hits`` answer ``query`` (reason in the question's language).

    ``evidence`` is :func:`role_evidence` of the same hits when the caller has it.
    ``viewer`` decides which words the archive holds: a word only in closed items' content
    is missing to a viewer without the closed role (else the refusal would reveal it)."""
    if not hits:
        return Verdict(False, "")
    en = query.language == "en"
    held = {(m.body, m.date) for m in retriever.meetings.values() if m.date}
    unknown = [b for b in query.unknown_bodies if not _mentioned(b, hits[:3])]
    if unknown:
        names = ", ".join(unknown)
        bodies = retriever.bodies.bodies
        listed = ", ".join(bodies[:MAX_LISTED]) + (" ..." if len(bodies) > MAX_LISTED else "")
        return Verdict(
            False,
            f"The archive holds no meetings of {names}; it holds meetings of {listed}." if en
            else f"Arkivet har ingen møder i {names}; det har møder i {listed}.",
        )
    for date in query.dates:
        if date.month is None or any(date.matches(d) for _, d in held):
            continue
        held_dates = ", ".join(format_date(d) for d in _nearest(date, {d for _, d in held}))
        # A decision taken at a meeting needs that meeting's documents; other questions
        # may be answered by a document that mentions the date (e.g. a planned meeting).
        if query.wants_decision or not _mentions_date(hits[0], date):
            return Verdict(
                False,
                f"The archive holds no agenda or minutes of a meeting on {date.label()} "
                f"(the nearest meetings it holds: {held_dates})."
                if en
                else f"Arkivet har hverken dagsorden eller referat fra et møde {date.label()} "
                f"(de nærmeste møder i arkivet: {held_dates}).",
            )
    for period in _PERIOD_RE.findall(query.text):
        if not _states_period(period, hits[0]):
            title = hits[0].item.title
            return Verdict(
                False,
                f"The best evidence does not mention {period}; it is about «{title}»." if en
                else f"Det bedste belæg nævner ikke {period}; det handler om «{title}».",
            )
    role_verdict = _check_role_question(query, hits, evidence)
    if role_verdict is not None:
        return role_verdict
    # Only the question's own words count: a translation (glossary) that the archive lacks
    # says nothing about the question, and neither do the words naming a body.
    own = query.text if query.language == "da" else " ".join(
        # English names of Danish things ("the Culture and Leisure Committee") are not in
        # a Danish archive; only words written as the documents write them can be missing
        w for w in names_in(query.text) if re.search(r"[æøåÆØÅ0-9]", w)
    )
    # a question naming a body is answered from that body's documents: its words must be
    # in them, not merely somewhere in the archive
    _, missing = retriever.lexical.known_terms(own, query.bodies,
                                               restricted=viewer.sees_closed)
    if query.bodies and missing:
        # ... unless the best evidence (another body's document reporting on it) has them
        shown = set(
            retriever.lexical.analyzer.tokens(
                " ".join(h.item.title + " " + p.text for h in hits[:3] for p in h.passages)
            )
        )
        missing = [w for w in missing if retriever.lexical.analyzer.stem([w])[0] not in shown]
    stems = retriever.lexical.analyzer.stem
    body_words = retriever.bodies.naming_words
    salient = sorted(
        {
            w for w in missing
            if len(w) >= 4 and stems([w])[0] not in GENERIC_TERMS and w not in body_words
            and not is_intent_word(w)
        }
    )
    if salient and hits[0].dense < MISSING_TERM_DENSE_FLOOR:
        words = ", ".join(salient)
        return Verdict(False, f"The terms «{words}» do not occur in the archive." if en
                       else f"Ordene «{words}» forekommer ikke i arkivet.")
    return Verdict(True)


def _nearest(date: DateConstraint, held: set[str]) -> list[str]:
    """The held meeting dates closest to the asked one, in date order."""
    want = (date.year, date.month or 6, date.day or 15)

    def distance(iso: str) -> int:
        y, m, d = (int(x) for x in iso.split("-"))
        return abs((y - want[0]) * 372 + (m - want[1]) * 31 + (d - want[2]))

    return sorted(sorted(held, key=distance)[:NEAREST_MEETINGS])


_PERIOD_RE = re.compile(r"(?<![\d-])((?:19|20)\d{2}\s*[-–/]\s*(?:(?:19|20)\d{2}|\d{2}))(?![\d-])")
"""A period the question asks about ('Budget 2021-24', '2022-2026')."""


def _states_period(period: str, hit: ItemHit) -> bool:
    """True when the hit's title or passages state the period, in any common writing
    ('2021-24', '2021-2024', '2021–24')."""
    first, last = re.split(r"\s*[-–/]\s*", period)
    tail = last[-2:]
    pattern = rf"{first}\s*[-–/]\s*(?:{first[:2]})?{tail}(?!\d)"
    text = " ".join([hit.item.title] + [p.text for p in hit.passages])
    return bool(re.search(pattern, text))


def _mentioned(body: str, hits: list[ItemHit]) -> bool:
    """True when the best evidence speaks of ``body`` (a body the archive holds no meetings
    of may still be what the documents of other bodies report on: 'the regional council
    decides on 21 December')."""
    english = body.removeprefix("the ")
    forms = BODY_TYPES_EN.get(english, (body.lower(),))
    text = " ".join(h.item.title + " " + p.text for h in hits for p in h.passages).lower()
    return any(form in text for form in forms)


def _mentions_date(hit: ItemHit, date: DateConstraint) -> bool:
    """True when the hit's title or passages mention the date (Danish or numeric form)."""
    text = " ".join([hit.item.title] + [p.text for p in hit.passages]).lower()
    month = MONTH_NAMES_DA[(date.month or 1) - 1]
    if date.day is None:
        patterns = [rf"\b{month}\s+{date.year}", rf"[-./]0?{date.month}[-./]{date.year}"]
    else:
        patterns = [
            rf"\b0?{date.day}\.?\s+{month}\s+{date.year}",
            rf"\b0?{date.day}[-./]0?{date.month}[-./]{date.year}",
        ]
    return any(re.search(p, text) for p in patterns)


# "Who chairs X?" needs a passage that names X's holder of that role, not merely the role
# and X somewhere (archives mention "KKR formandskabet" or "formanden for CDEU" often).
ROLES = {
    "formand": "formand", "chair": "formand", "chairs": "formand", "chairman": "formand",
    "chairperson": "formand", "næstformand": "næstformand", "vice-chair": "næstformand",
    "borgmester": "borgmester", "mayor": "borgmester", "direktør": "direktør",
    "director": "direktør",
}
ROLE_EN = {"formand": "the chair", "næstformand": "the vice-chair", "borgmester": "the mayor",
           "direktør": "the director"}
_WHO_RE = re.compile(r"\b(hvem|who)\b", re.IGNORECASE)


def _role_asked(query: QueryAnalysis) -> tuple[str, str] | None:
    """(role, body) when the question asks who holds a role in a named body."""
    if not _WHO_RE.search(query.text) or len(query.bodies) != 1:
        return None
    body = query.bodies[0]
    # the role must be the body's own: "formand for KKR Midtjylland", "chairs ... KD-Net",
    # not "the director of Erhvervshus Midtjylland invited to KKR Midtjylland"
    asked = re.search(
        rf"\b({'|'.join(map(re.escape, ROLES))})\b([^?.]{{0,45}}?){_alias_re(body)}",
        query.text, re.IGNORECASE,
    )
    if asked is None or re.search(r"\b[A-ZÆØÅ]", asked.group(2)):
        return None
    return ROLES[asked.group(1).lower()], body


def _alias_re(body: str) -> str:
    aliases = [re.escape(a) for a, name in BODY_ALIASES.items() if name == body]
    return "(?:" + "|".join([*aliases, re.escape(body.lower())]) + ")"


ROLE_EVIDENCE_DEPTH = 10
"""How deep a who-holds-this-role question looks for a passage that states the holder."""


def role_evidence(query: QueryAnalysis, hits: list[ItemHit]) -> tuple[int, str] | None:
    """For a who-holds-this-role question: (rank, sentence) of the first of the results
    (the search returns at least ten) that states the role holder; None otherwise."""
    asked = _role_asked(query)
    if asked is None:
        return None
    role, body = asked
    alias = _alias_re(body)
    patterns = [
        rf"\b{role}(?:en)?\b[^.]{{0,12}}\b(?:for|i|of)\b[^.]{{0,40}}{alias}",
        rf"{alias}s?\s+{role}(?:en)?\b",
    ]
    for n, hit in enumerate(hits[:ROLE_EVIDENCE_DEPTH], 1):
        for sentence in split_sentences(" ".join([p.text for p in hit.passages])):
            if any(re.search(p, sentence.lower()) for p in patterns):
                return n, sentence
    return None


def _check_role_question(
    query: QueryAnalysis, hits: list[ItemHit], evidence: tuple[int, str] | None
) -> Verdict | None:
    """A refusal when a who-holds-this-role question about a named body has no passage
    that states it; None when the question is of another kind or the evidence is there."""
    asked = _role_asked(query)
    if asked is None or (evidence or role_evidence(query, hits)) is not None:
        return None
    role, body = asked
    en = query.language == "en"
    return Verdict(
        False,
        f"No passage in the archive states who is {ROLE_EN[role]} of {body}." if en
        else f"Arkivet nævner ingen steder, hvem der er {role} for {body}.",
    )
