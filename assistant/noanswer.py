"""Can the archive answer this question?  Check hard constraints against the evidence.

Top-1 similarity alone cannot tell near-misses from answerable questions (e5 similarities
are compressed; measured again on our own question sets), so this checks what the question
*requires*, and every refusal says which requirement failed:

* a body it names (in the archive's own terms, ``assistant/bodies.py``) must be held, unless
  the best evidence - another body's document - speaks of it;
* a meeting date it names (day or month) must be a meeting in the archive (one of the named
  body's, when it speaks of that body's meeting), or - unless it
  asks what was decided there - be mentioned in the best evidence; the refusal names the
  nearest meetings held (when another date it names is a meeting, that one is the meeting
  and the rest date facts: "approved in April 2024 ... lived here on 1 January 2024");
* an act it dates to a year after the archive's last meeting ("what price did the council
  accept in 2026") cannot be reported by any document of the archive, however many plan it;
  one dated before the first meeting needs the best evidence to tell of it (in the past
  tense), not merely to name the year;
* a period it asks about ("Budget 2021-24") must be stated in the best evidence;
* its own content words (all words of a Danish question; words written as documents write
  them in an English one - never a translation, an intent verb or a body's name) must occur
  in the named body's documents (or the archive) or in the best evidence, unless the dense
  match is strong;
* "who holds role X in body Y" needs a passage that states it;
* an English question's topic, which cannot be looked up word by word, must lead to the
  best item by meaning (:mod:`assistant.topic`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingest.chunker import format_date
from ingest.danish import DANISH_MONTHS as MONTH_NAMES_DA
from ingest.danish import MONTH_NAMES, WEEKDAYS, split_sentences, stem_words

from .access import PUBLIC, Viewer
from .bodies import BODY_TYPES_EN, BODY_WORD, council_place, folded, is_council_or_committee
from .compose import holds
from .messages import DEFAULT_LANGUAGE, message
from .places import names_place
from .query import PERIOD_RE, DateConstraint, QueryAnalysis, is_intent_word, tells_past
from .roles import unstated_role
from .topic import off_topic
from .tuning import TUNING
from .unnamed import unmentioned_name

if TYPE_CHECKING:
    from .search import ItemHit, Retriever

GENERIC_WORDS = (
    "møde", "mødet", "beslutte", "besluttet", "punkt", "kommune", "kommunerne", "region",
    "hvilke", "mange", "penge", "behandle", "behandlede", "ifølge", "udvalg", "stor", "stort",
    "holdt", "afholdt",
)
"""Danish words a question about any council's archive may hold without the archive
printing them (question words - 'hvor stort' -, 'meeting', 'held (a meeting)', 'decided',
'dealt with', 'according to', 'the committee'); compared by their stems."""
GENERIC_TERMS = frozenset(stem_words(list(GENERIC_WORDS)))
_MEETING_WORD_RE = re.compile(r"\b(?:møde\w*|meeting)\b", re.I)
"""A question that speaks of a meeting ('på mødet den ...', 'at its meeting on ...')."""


@dataclass(frozen=True)
class Verdict:
    """Whether the archive answers; a refusal carries its reason as a catalog code
    (``refusal.<code>`` in :mod:`.messages`) with parameters, in the question's language."""

    answerable: bool
    code: str = ""
    params: Mapping[str, str] = field(default_factory=dict, hash=False)
    language: str = DEFAULT_LANGUAGE
    unplaced: tuple[str, ...] = ()
    """Of an answerable question: the places it names that the archive names nowhere and
    that the best evidence's body, whose documents never say their municipality, may be
    of ('Kommunalbestyrelsen i Rødovre'): the answer says so."""

    @property
    def reason(self) -> str:
        """The refusal's reason as the user reads it ('' when answerable or unexplained)."""
        return message(f"refusal.{self.code}", self.language, **self.params) if self.code else ""


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
        return Verdict(False)
    lang = query.language
    held = {(m.body, m.date) for m in retriever.meetings.values() if m.date}
    unmentioned = [b for b in query.unknown_bodies
                   if not _mentioned(b, hits[:3], retriever, query.text)]
    unplaced = [b for b in unmentioned if retriever.bodies.may_be(b, hits[0].meeting.body)]
    unknown = [b for b in unmentioned if b not in unplaced]
    if unknown:
        names = ", ".join(unknown)
        bodies = retriever.bodies.bodies
        most = TUNING.refusal.max_listed
        listed = ", ".join(bodies[:most]) + (" ..." if len(bodies) > most else "")
        return Verdict(False, "unknown_body", {"names": names, "listed": listed}, lang)
    other = _other_place(query, hits, retriever)
    if other is not None:
        if not other["homes"]:  # the nearest documents do not say their municipality
            return Verdict(False, "other_place_unsaid", {"place": other["place"]}, lang)
        return Verdict(False, "other_place", other, lang)
    named = [d for d in query.dates if d.month is not None]
    # When the question speaks of the named body's meeting ('at its meeting on 10 October',
    # 'på mødet den 28. august'), that date must be one of that body's meetings - unless
    # the best evidence is another body's meeting that day.  Else a date beside a body
    # may be another's meeting ('the recommendation to the City Council on 3 March').
    spoken = bool(query.bodies) and bool(_MEETING_WORD_RE.search(query.text))
    body_dates = {d for b, d in held if spoken and b in query.bodies} or {d for _, d in held}
    found = {h.meeting.date for h in hits[:1] if h.meeting.date}
    meeting_named = any(d.matches(h) for d in named for h in body_dates | found)
    for date in named:
        if any(date.matches(d) for d in body_dates | found):
            continue
        if meeting_named:
            continue  # another date names the meeting; this one dates a fact ('1 January')
        held_dates = ", ".join(format_date(d) for d in _nearest(date, body_dates))
        # A decision taken at a meeting needs that meeting's documents; other questions
        # may be answered by a document that mentions the date (e.g. a planned meeting).
        if query.wants_decision or not _mentions_date(hits[0], date):
            params = {"date": date.label(), "nearest": held_dates}
            if spoken:
                params["body"] = ", ".join(query.bodies)
                return Verdict(False, "no_body_meeting", params, lang)
            return Verdict(False, "no_meeting", params, lang)
    years = sorted({int(d[:4]) for _, d in held})
    first = min((d for _, d in held), default="")
    last = max((d for _, d in held), default="")
    for year in query.act_years:
        # an act of a year after the last meeting: documents may plan it, none reports it
        if last and year > int(last[:4]):
            params = {"year": str(year), "last": format_date(last),
                      "title": hits[0].item.title}
            return Verdict(False, "year_after_archive", params, lang)
    for date in query.dates:
        if date.month is not None or not years or date.year in years:
            continue
        # a year no meeting was held in: only evidence that speaks of that year answers
        if not any(_mentions_year(h, date.year) for h in hits[:3]):
            params = {"year": str(date.year), "first": str(years[0]), "last": str(years[-1]),
                      "title": hits[0].item.title}
            return Verdict(False, "year_not_held", params, lang)
    for year in query.act_years:
        # an act of a year before the first meeting: only a later document that tells of
        # it answers ('I 2020 vedtog Byrådet ...'), not one that merely names the year
        if first and year < int(first[:4]) and not _reports_act(hits[0], year):
            params = {"year": str(year), "first": format_date(first),
                      "title": hits[0].item.title}
            return Verdict(False, "year_before_archive", params, lang)
    other_round = bool(query.periods) and _titled_otherwise(query.periods, hits[0])
    for period in query.periods:
        if other_round or not _states_period(period, hits[0]):
            params = {"period": period, "title": hits[0].item.title}
            return Verdict(False, "period_not_stated", params, lang)
    if query.kinds == ("amount",) and not holds("amount", _hit_text(hits[0])):
        # 'Hvad koster ombygningen?': the best item states no sum of money at all
        return Verdict(False, "amount_not_stated", {"title": hits[0].item.title}, lang)
    unstated = unstated_role(query, hits, evidence)
    if unstated is not None:  # "who chairs X" and no passage names X's chair
        role = message(f"refusal.role.{unstated[0]}", lang)  # 'formand' / 'the chair'
        return Verdict(False, "no_role_evidence", {"role": role, "body": unstated[1]}, lang)
    name = unmentioned_name(query, hits, retriever, viewer)
    if name:  # 'Randers Kommune' asked of items that never name Randers
        return Verdict(False, "name_not_mentioned", {"name": name, "title": hits[0].item.title},
                       lang)
    own = query.own_words
    # a question naming a body is answered from that body's documents: its words must be
    # in them, not merely somewhere in the archive
    _, missing = retriever.lexical.known_terms(own, query.bodies,
                                               restricted=viewer.sees_closed)
    if missing:
        # ... unless the best evidence has them: its meeting's header (the place it met,
        # 'Tapperiet, Sdr. Badevej 1, 4600 Køge', which no passage holds), its address
        # ('fredensborg.dk/.../oekonomiudvalget/2015/...': a page that never names its own
        # municipality is filed under it) or, for a named
        # body, another body's document reporting on it
        said = [
            f"{h.meeting.location or ''} {h.meeting.title or ''} {retriever.address(h.meeting)}"
            for h in hits[:3]
        ]
        if query.bodies:
            said += [h.item.title + " " + p.text for h in hits[:3] for p in h.passages]
        shown = set(retriever.lexical.analyzer.tokens(" ".join(said)))
        spelt = folded(" ".join(said))  # 'koege.dk' files a page of Køge
        missing = [
            w for w in missing if retriever.lexical.analyzer.stem([w])[0] not in shown
            and not any(re.search(rf"(?<![a-z0-9]){re.escape(f)}", t)
                        for f, t in zip(folded(w), spelt, strict=True))
        ]
    stems = retriever.lexical.analyzer.stem
    # a body's name in another inflection ('Hjortsø Byråd' for the held 'Byrådet') is no topic
    ignored = GENERIC_TERMS | retriever.bodies.naming_stems
    # ... nor is the name of a body checked above ('Stevns Kommunalbestyrelse' of a page
    # filed under Stevns that prints no body)
    ignored |= set(stems(retriever.lexical.analyzer.words(" ".join(query.unknown_bodies))))
    # a place the archive names nowhere as the owner or actor ("Holbæk's committee", 'did
    # Rødovre receive') may be the municipality of the best evidence when its pages never
    # say their own
    nowhere = retriever.bodies.placed_nowhere(hits[0].meeting.body)
    proper = _owner_names(query.text) if nowhere else {}
    salient = sorted(
        {
            w for w in missing
            if len(w) >= 4 and stems([w])[0] not in ignored and not is_intent_word(w)
            and w.lower() not in MONTH_NAMES and w.lower() not in WEEKDAYS
        }
    )
    unplaced += [proper[w.lower()] for w in salient if w.lower() in proper
                 and not any(proper[w.lower()] in name for name in unplaced)]
    salient = [w for w in salient if w.lower() not in proper]
    if salient and hits[0].dense < TUNING.refusal.missing_term_dense_floor:
        return Verdict(False, "missing_terms", {"words": ", ".join(salient)}, lang)
    # an English question's words cannot be looked up: its topic is checked by meaning
    topic = off_topic(query, hits, retriever, viewer)
    if topic:
        return Verdict(False, "off_topic", {"topic": topic, "title": hits[0].item.title}, lang)
    # a page filed under the place, or naming it as its own, is placed after all
    unplaced = [n for n in unplaced
                if not retriever.places.of(hits[0].meeting, council_place(n) or n)]
    return Verdict(True, language=lang, unplaced=tuple(dict.fromkeys(unplaced)))


_OWNER_RE = re.compile(
    r"(?<![\wæøåÆØÅ])([A-ZÆØÅ][a-zæøå]+)['’]s?(?![\wæøå])"
    r"|\b(?:did|does|do|has|have|had|will|would)\s+([A-ZÆØÅ][a-zæøå]+)(?![\wæøå])"
    rf"|\b{BODY_WORD}\s+(?:i|in|of)\s+([A-ZÆØÅ][a-zæøå]+)(?![\wæøå])"
    rf"|(?<![\wæøåÆØÅ])([A-ZÆØÅ][a-zæøå]+)s\s+{BODY_WORD}"
)
"""A name as the owner or the actor of what is asked about ("Holbæk's Committee", "Køge's
administration", 'did Rødovre receive', 'Kommunalbestyrelsen i Rødovre', 'Rødovres
kommunalbestyrelse'): a municipality, if anything; not a name that is the topic ('Hvad
ved vi om Kornblomstvej?')."""


def _other_place(
    query: QueryAnalysis, hits: list[ItemHit], retriever: Retriever
) -> dict[str, str] | None:
    """The refusal's parameters when the question holds a body to a municipality the
    archive knows ('Økonomiudvalget i Middelfart') and every result of that body is another
    municipality's document (the results come of that place first: ``Assistant.ask``)."""
    places = retriever.places
    meetings = [h.meeting for h in hits]
    for place in query.places:
        if places.held_nowhere(place, meetings, query.bodies):
            homes = dict.fromkeys(h for h in (places.home(m) for m in meetings[:3]) if h)
            if any(names_place(place, home) for home in homes):
                continue  # the nearest documents are of the place: another of its bodies
            return {"place": place, "homes": ", ".join(homes)}
    return None


def _owner_names(text: str) -> dict[str, str]:
    """The names of ``text`` that own or act (:data:`_OWNER_RE`), by their lower-case form."""
    names = (next(g for g in m.groups() if g) for m in _OWNER_RE.finditer(text))
    return {name.lower(): name for name in names}


def _nearest(date: DateConstraint, held: set[str]) -> list[str]:
    """The held meeting dates closest to the asked one, in date order; of two equally
    close, the earlier (the same list on every run, whatever the set's order)."""
    want = (date.year, date.month or 6, date.day or 15)

    def distance(iso: str) -> int:
        y, m, d = (int(x) for x in iso.split("-"))
        return abs((y - want[0]) * 372 + (m - want[1]) * 31 + (d - want[2]))

    return sorted(sorted(held, key=lambda iso: (distance(iso), iso))
                  [:TUNING.refusal.nearest_meetings])




def _states_period(period: str, hit: ItemHit) -> bool:
    """True when the hit's title or passages state the period, in any common writing
    ('2021-24', '2021-2024', '2021–24')."""
    first, last = re.split(r"\s*[-–/]\s*", period)
    tail = last[-2:]
    pattern = rf"{first}\s*[-–/]\s*(?:{first[:2]})?{tail}(?!\d)"
    text = " ".join([hit.item.title] + [p.text for p in hit.passages])
    return bool(re.search(pattern, text))


def _titled_otherwise(periods: tuple[str, ...], hit: ItemHit) -> bool:
    """True when the hit's title names a period and none the question names: the item is
    another year's round of a recurring matter ('Budget 2024-27' for 'Budget 2021-24'),
    whatever its text says of earlier periods."""
    titled = {period_years(p) for p in PERIOD_RE.findall(hit.item.title)}
    return bool(titled) and not titled & {period_years(p) for p in periods}


def _mentions_year(hit: ItemHit, year: int) -> bool:
    """True when the hit's title, passages, decision or recommendation name ``year``
    (also inside a period: 'Budget 2019-22' speaks of 2019)."""
    text = _hit_text(hit)
    return bool(_year_re(year).search(text)) or any(
        first <= year <= last for first, last in map(period_years, PERIOD_RE.findall(text))
    )


def _reports_act(hit: ItemHit, year: int) -> bool:
    """True when a sentence of the hit tells of something done in ``year``: it names the
    year and is told in the past tense ('I 2020 blev ordningen ændret'), not merely
    naming it ('underdækning ... på grund af indkøb af nye beholdere i 2020')."""
    named = _year_re(year)
    return any(
        named.search(sentence) and tells_past(sentence)
        for sentence in split_sentences(_hit_text(hit))
    )


def _year_re(year: int) -> re.Pattern[str]:
    """``year`` as a whole number: not inside 'DK2020' (a partnership's name) or '12020'."""
    return re.compile(rf"(?<![\w-]){year}(?!\d)")


def _hit_text(hit: ItemHit) -> str:
    """The hit's title, decision, recommendation and passages as one text."""
    return " ".join([hit.item.title, hit.decision or "", hit.proposal or ""]
                    + [p.text for p in hit.passages])


def period_years(period: str) -> tuple[int, int]:
    """'2019-22' -> (2019, 2022); '2024–2030' -> (2024, 2030)."""
    first, last = re.split(r"\s*[-–/]\s*", period)
    return int(first), int(first[:2] + last) if len(last) == 2 else int(last)


def _mentioned(body: str, hits: list[ItemHit], retriever: Retriever, question: str) -> bool:
    """True when the best evidence speaks of ``body`` (a body the archive holds no meetings
    of may still be what the documents of other bodies report on: 'the regional council
    decides on 21 December', 'Miljø- og Fødevareklagenævnet' of 'Hvad afgjorde Miljø- og
    Fødevareklagenævnet om Region Vestlands klage'), or when ``body`` is a council of a
    place ('Stevns municipal council', or 'the municipal council' of a question naming
    Stevns's) and the best evidence is a page that prints no body but names that place or
    is filed under it ('stevns.dk/dagsorden/...')."""
    english = body.removeprefix("the ")
    forms = BODY_TYPES_EN.get(english, (body.lower(),))
    # an authority's name read with the words after it ('Miljø- og Fødevareklagenævnet,
    # Region Vestlands'); a council's or a committee's is its place's, not any
    head = body.split(",")[0].strip().lower()
    heads = () if is_council_or_committee(head) else (head,)
    text = " ".join(h.item.title + " " + p.text for h in hits for p in h.passages).lower()
    if any(form in text for form in (*forms, *heads)):
        return True
    place = council_place(body) or council_place(question)
    if place is None:
        return False
    for hit in hits:
        if hit.meeting.body is not None:
            continue
        said = " ".join([retriever.address(hit.meeting), hit.item.title,
                         *(p.text for p in hit.passages)])
        if names_place(place, said):
            return True
    return False


def _mentions_date(hit: ItemHit, date: DateConstraint) -> bool:
    """True when the hit's title, section names ('Social og Sundhed, 6. januar 2020, pkt.
    123': an earlier treatment), decision, recommendation or passages mention the date
    (Danish or numeric form)."""
    text = " ".join([_hit_text(hit), *(s.name for s in hit.item.sections)]).lower()
    month = MONTH_NAMES_DA[(date.month or 1) - 1]
    if date.day is None:
        patterns = [rf"\b{month}\s+{date.year}", rf"[-./]0?{date.month}[-./]{date.year}"]
    else:
        patterns = [
            rf"\b0?{date.day}\.?\s+{month}\s+{date.year}",
            rf"\b0?{date.day}[-./]0?{date.month}[-./]{date.year}",
        ]
    return any(re.search(p, text) for p in patterns)
