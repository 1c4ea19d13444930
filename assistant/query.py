"""Read a question: its language, intent, and the hard constraints it names.

Staff name meetings in their questions ("at the June 2023 meeting", "på byrådsmødet i
november 2022", "den 21. juni 2023"): those constraints decide which of several meetings
on the same topic is meant, and whether the archive can answer at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ingest.danish import ENGLISH_MONTHS, find_dates
from ingest.danish import MONTH_NAMES as MONTHS

from .answertypes import answer_type, answer_types
from .bodies import BodyIndex, BodyMention
from .cognates import Cognates
from .compare import CHANGE_SPAN
from .glossary import translate_terms
from .places import question_places

DA_MARKERS = {
    "og", "i", "på", "af", "til", "om", "hvad", "hvem", "hvor", "hvornår", "hvordan",
    "hvilke", "hvilken", "blev", "er", "der", "det", "den", "de", "mødet", "møde", "skal",
    "med", "for", "som", "har", "besluttet", "besluttede", "mange", "meget", "ifølge",
}
EN_MARKERS = {
    "the", "what", "who", "when", "how", "which", "was", "were", "is", "are", "of", "did",
    "does", "and", "to", "in", "on", "at", "about", "for", "meeting", "decided", "decide",
    "many", "much", "has", "have", "will", "by",
}

DECISION_PATTERNS = [
    r"\bbeslut\w*", r"\bvedt\w*", r"\btiltr\w*", r"\bgodkend\w*", r"\budfald\w*",
    r"\bdecid\w*", r"\bdecision\w*", r"\boutcome\b", r"\bresolv\w*", r"\bapprov\w*",
    # 'What came out of the discussion', 'Hvad kom der ud af drøftelsen'
    r"\bcame out of\b", r"\bkom der ud af\b",
    r"\bconclu\w*", r"\bagreed\b", r"\bkonklu\w*", r"\bresultat\w* af drøftelsen",
    # a vote is recorded with the decision ('how did the two votes go', 'hvem stemte imod')
    r"\bvot(?:e|es|ed|ing)\b", r"\bstemte\b", r"\bafstemning\w*",
]
PROPOSAL_PATTERNS = [
    r"\bindstil\w*", r"\bforesl\w*", r"\bpropos(?!al)\w*",
    r"\brecommend\w*", r"\basked to\b", r"\bskal .{0,40}tage stilling\b", r"\btage stilling\b",
]
PROPOSAL_NOUN_PATTERNS = [r"\bforslag\w*", r"\bproposal\w*"]
"""A proposal named as a thing ("besluttede ... om forslaget om ...") asks for the
proposal only when no verb asks for a decision."""
_SPAN_OPEN = r"\b(?:from|between|fra|mellem)\s+"
_SPAN_JOIN = r"\s+(?:to|and|til|og)\s+"
_YEAR = r"(?:19|20)\d\d"
"""The parts of a span of years ('from 2018 to 2022', 'mellem 2022 og 2024')."""
TIMELINE_PATTERNS = [
    r"\btrace\b", r"\bhow (?:did|has|have|was|were) .{0,160}\b(?:develop|evolv)",
    r"\bover time\b", r"\bwhich meetings\b", r"\bhistory\b", r"\btimeline\b",
    r"\bforløb\w*", r"\bhvordan (?:har|er|blev|var) .{0,160}\budvikl",
    r"\bhvilke møder\b", r"\btidslinje\b",
    # a span of two named months or years ("from November 2024 to September 2025")
    _SPAN_OPEN + rf"(?:\w+\s+)?{_YEAR}" + _SPAN_JOIN + rf"(?:\w+\s+)?{_YEAR}\b",
    r"\bfulgt op\b", r"\bfollowed up\b", r"\bhvordan blev .* behandlet\b", CHANGE_SPAN,
]

DOC_TYPE_PATTERNS = {
    "referat": r"\breferat\w*|\bminutes\b",
    "dagsorden": r"\bdagsorden\w*|\bagenda\w*",
}


PERIOD_RE = re.compile(r"(?<![\d-])((?:19|20)\d{2}\s*[-–/]\s*(?:(?:19|20)\d{2}|\d{2}))(?![\d-])")
"""A period ('Budget 2021-24', '2022-2026')."""


@dataclass(frozen=True)
class DateConstraint:
    """A date the question names: year, optionally month and day."""

    year: int
    month: int | None = None
    day: int | None = None

    def matches(self, iso: str) -> bool:
        y, m, d = (int(x) for x in iso.split("-"))
        return (
            y == self.year
            and (self.month is None or m == self.month)
            and (self.day is None or d == self.day)
        )

    def label(self) -> str:
        if self.day and self.month:
            return f"{self.day:02d}.{self.month:02d}.{self.year}"
        if self.month:
            return f"{self.month:02d}.{self.year}"
        return str(self.year)


@dataclass(frozen=True)
class QueryAnalysis:
    """What the question asks for, beyond its words."""

    text: str
    language: str
    intent: str
    bodies: tuple[str, ...] = ()
    unknown_bodies: tuple[str, ...] = ()
    body_names: tuple[str, ...] = ()
    """The English names it gives held bodies ('the Planning and Safety Committee'): words
    that name a body, not the topic."""
    dates: tuple[DateConstraint, ...] = ()
    doc_type: str | None = None
    timeline: bool = False
    numbers: tuple[str, ...] = field(default=())
    act_years: tuple[int, ...] = ()
    """Years the question dates a past act to ('What price did the council accept in
    2026', 'Hvad besluttede udvalget i 2024'): no document can report an act of a year
    after the archive's last meeting."""
    matter_years: tuple[int, ...] = ()
    """Bare years that may name a recurring matter ('Budget 2025', 'the 2024 forecast'), not
    the start or end of something ('from 2025', 'by 2030', 'until 2026')."""
    lexical_text: str = ""
    lexical_stems: tuple[str, ...] = ()
    """Stems of the archive an English question's words are spelled like (already stemmed:
    searched as they are, beside ``lexical_text``)."""
    kind: str = "statement"
    """The main kind of answer expected (one of ``ANSWER_TYPES``)."""
    kinds: tuple[str, ...] = ("statement",)
    """Every kind it asks for (a two-part question asks for two), ``kind`` first."""
    periods: tuple[str, ...] = ()
    """Periods it asks about ('Budget 2021-24'): the best evidence must state them."""
    places: tuple[str, ...] = ()
    """Places it names as the owner of a body ('Økonomiudvalget i Middelfart'): answered
    from that municipality's documents (``assistant/places.py``)."""
    own_words: str = ""
    """The words the archive must hold for the question to be about it: all of a Danish
    question's; of an English one only those written as the documents write them (Danish
    letters, digits) - never a translation, and no English name of a Danish thing."""

    def masked_bodies(self) -> str:
        """The text with every body name it gives (held, unknown, or a held one's English
        name) blanked to '|' and spaces of the same length: words that name a body, not
        the topic or a place, at the offsets of the text."""
        text = self.text
        for name in (*self.body_names, *self.unknown_bodies, *self.bodies):
            text = re.sub(re.escape(name), lambda m: "|" + " " * (len(m.group()) - 1), text,
                          flags=re.I)
        return text

    @property
    def wants_decision(self) -> bool:
        return self.intent == "decision"

    def period(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """The span a timeline question names ("from November 2024 to September 2025",
        "fra 2022 til 2024"): its first and last (year, month), or None."""
        if not self.timeline or len(self.dates) < 2:
            return None
        first = min((d.year, d.month or 1) for d in self.dates)
        last = max((d.year, d.month or 12) for d in self.dates)
        return first, last

    def in_period(self, iso: str) -> bool:
        """True when the meeting date ``iso`` lies in the named :meth:`period`."""
        span = self.period()
        if span is None or not iso:
            return False
        return span[0] <= (int(iso[:4]), int(iso[5:7])) <= span[1]


def detect_language(text: str) -> str:
    """'da' or 'en', by function words and Danish letters (Danish by default).  Letters
    of capitalised words do not count: an English question names Danish bodies and places
    ('Faxe's Children and Learning Committee (Børn & Læringsudvalget)', 'Køge')."""
    words = re.findall(r"[a-zæøåé]+", text.lower())
    common = " ".join(re.findall(r"(?<![\wæøåÆØÅ])[a-zæøåé][\wæøå]*", text))
    da = sum(w in DA_MARKERS for w in words) + 2 * len(re.findall(r"[æøå]", common))
    en = sum(w in EN_MARKERS for w in words)
    return "en" if en > da else "da"


def is_intent_word(word: str) -> bool:
    """True for a word that says what kind of answer is wanted ('besluttede', 'vedtog',
    'anbefalede', 'indstillede'), not what it is about."""
    low = word.lower()
    patterns = [p.replace(r"\b", "") for p in
                DECISION_PATTERNS + PROPOSAL_PATTERNS + PROPOSAL_NOUN_PATTERNS]
    return any(re.fullmatch(p, low) for p in patterns if " " not in p) or bool(
        _INTENT_VERB_RE.fullmatch(low)
    )


_INTENT_VERB_RE = re.compile(r"(?:anbefal|vedt[oa]g|besl|indstil|godkend|afvis|tiltr)\w*")


_WHAT_IS_RE = re.compile(  # not a cleft: 'what is it that they decided' asks the decision
    r"\s*(?:(?:what|who|which)\s+(?:is|are)|(?:hvad|hvem)\s+er)\b(?!\s+(?:it|det)\b)")
_RELATIVE_RE = re.compile(r"\b(?:that|which|som|der)\b")
"""'What is X that ... agreed on?' asks what X is; the decision verb sits in the relative
clause that names X."""


def detect_intent(text: str) -> str:
    """'decision', 'proposal', or 'fact'."""
    low = text.lower()

    def first(patterns: list[str]) -> int | None:
        found = [m.start() for p in patterns if (m := re.search(p, low))]
        return min(found) if found else None

    decided, proposed = first(DECISION_PATTERNS), first(PROPOSAL_PATTERNS)
    copula = _WHAT_IS_RE.match(low)
    if copula and decided is not None and _RELATIVE_RE.search(low, copula.end(), decided):
        decided = None  # "what is the 'fast track' that KL and the state agreed on": a thing
    if proposed is not None and (decided is None or proposed < decided):
        return "proposal"  # "what did the administration recommend the committee decide"
    if decided is not None:
        return "decision"  # "hvad besluttede udvalget om forslaget?"
    return "proposal" if first(PROPOSAL_NOUN_PATTERNS) is not None else "fact"


def extract_dates(text: str) -> tuple[DateConstraint, ...]:
    """Dates the question names: '21. juni 2023', 'June 2023', '21 June 2023', '2023',
    '21-06-2023', 'June 21, 2023', '2023-06-21'.  Year ranges like '2022-2026' are not
    constraints, nor is a day and month without a year."""
    return tuple(
        DateConstraint(d.year, d.month, d.day) for d in find_dates(text) if d.year is not None
    )


def names_in(text: str) -> list[str]:
    """Words of an English question that can match Danish documents verbatim: names and
    terms written as in the documents (a project's name, "lægevagten", "SAG-2023-00155")
    - capitalised words not opening a sentence, words with Danish letters or digits, and
    quoted or parenthesised terms."""
    found: list[str] = []
    for m in re.finditer(r"(?:^|(?<=\s))[\"'‘“(]([^\"'’”)]{2,80})[\"'’”)]", text):
        found.append(m[1])
    for m in re.finditer(r"[\w-]+", text):
        word = m.group()
        before = text[: m.start()].rstrip()
        sentence_start = not before or before[-1] in ".?!:"
        if word.lower() in MONTHS or re.fullmatch(r"\d{1,4}", word):
            continue  # dates are constraints, not words to match
        if re.search(r"[æøåÆØÅ0-9]", word) or (word[0].isupper() and not sentence_start):
            found.append(word)
    return found


def english_own_words(text: str) -> str:
    """The words of an English question written as the documents write them: names and
    terms with Danish letters or digits - of an English compound only those parts ('72-hour'
    is '72': the documents write '72 timers')."""
    parts = [p for w in names_in(text) for p in re.split(r"[-‐–]", w)]
    return " ".join(p for p in parts if re.search(r"[æøåÆØÅ0-9]", p))


_SPAN_WORD_RE = re.compile(
    # not a bare 'til': 'afsat til 2025' is 'set aside for 2025'
    r"\b(?:from|since|until|till|by|before|after|fra|siden|indtil|til\s+og\s+med|inden|før"
    r"|efter)(?:\s+(?:og\s+med|the\s+end\s+of|udgangen\s+af|end|slutningen\s+af))?\s+$",
    re.I)


def matter_years(text: str) -> tuple[int, ...]:
    """The bare years of ``text`` (no month or day with them) not opened by a word of time
    span ('from 2025', 'fra og med 2026', 'by the end of 2030')."""
    bare = {d.year for d in extract_dates(text) if d.month is None}
    years = []
    for m in re.finditer(r"(?<![\d-])((?:19|20)\d{2})(?![\d-])", text):
        if int(m[1]) in bare and not _SPAN_WORD_RE.search(text[: m.start()]):
            years.append(int(m[1]))
    return tuple(dict.fromkeys(years))


_ACT_YEAR_RE = re.compile(
    r"\b(?:in|during|i|i\s+løbet\s+af|in\s+the\s+course\s+of)\s+((?:19|20)\d{2})(?![\d-])",
    re.I)
"""A year an event happened in ('in 2026', 'i løbet af 2026'); not 'for 2026', 'til 2026'
(what an act is about or aims at)."""
_PAST_RE = re.compile(
    # English past auxiliaries ('did', 'was'); Danish past, strong forms too, and perfect
    # ('besluttede', 'vedtog', 'deltog', 'var', 'har ... solgt')
    r"\b(?:did|was|were|had|(?!allerede\b)[a-zæøå]{3,}ede|vedtog|blev|havde|deltog|tog|fik"
    r"|gav|gik|kom|stod|fandt|var|har\s+(?:\w+\s+){0,3}?"
    r"[a-zæøå]{3,}(?:et|t))\b", re.I)

_PROSPECT_RE = re.compile(
    r"\b(?:expect|forecast|project|plan|budget|estimat|target|will|would|should|allocat"
    r"|reserv|set aside|forvent|prognos|planl|skøn|estimer|skal|skulle|ville|mål|afsat"
    r"|afsætt|bidrag)\w*", re.I)
"""Words that look ahead or set money aside for a year ('How many residents was the
town expected to have in 2030?', 'Hvor meget blev afsat i 2026?'): the year is then what was
foreseen or funded, not when something was done."""


def tells_past(text: str) -> bool:
    """True when ``text`` is told in the past tense ('besluttede', 'vedtog', 'did')."""
    return bool(_PAST_RE.search(text))


def act_years(text: str) -> tuple[int, ...]:
    """The years ``text`` dates a past act to: a year opened by 'in'/'i'/'during' in a
    question told in the past tense that does not look ahead ('What price did the council
    accept in 2026 ...')."""
    if not tells_past(text) or _PROSPECT_RE.search(text):
        return ()
    return tuple(dict.fromkeys(int(m[1]) for m in _ACT_YEAR_RE.finditer(text)))


def spelled_like(text: str, cognates: Cognates) -> tuple[str, ...]:
    """The archive's stems that the lower-case words of an English question (names are
    searched as written) are spelled like, dates left out."""
    words = re.findall(r"(?<![\w-])[a-z]+(?![\w-])", text)
    return tuple(dict.fromkeys(
        stem for w in words if w not in ENGLISH_MONTHS for stem in cognates.of(w)))


def _without(text: str, names: tuple[str, ...]) -> str:
    """``text`` without the English body names it uses (their words name a body - 'the
    Planning and Safety Committee' - and are no topic to translate and search for)."""
    for name in names:
        text = text.replace(name, " ")
    return text


_YEAR_SPAN_RE = re.compile(_SPAN_OPEN + f"({_YEAR})" + _SPAN_JOIN + rf"({_YEAR})\b", re.I)
"""A span of bare years: a timeline's span without the month words it may name."""


def within_archive(query: QueryAnalysis, first: str, last: str) -> QueryAnalysis:
    """``query`` read against the archive's first and last meeting dates (ISO).

    A span of bare years reaching outside them ('How much did spending rise from 2018 to
    2022?' of an archive that starts in 2022) cannot be the meetings asked about: it is the
    period a matter's figures cover.  Its years then bound no timeline and are no meeting
    dates, and the span alone makes no timeline."""
    if not first or not last:
        return query
    outside = [m for m in _YEAR_SPAN_RE.finditer(query.text)
               if int(m[1]) < int(first[:4]) or int(m[2]) > int(last[:4])]
    if not outside:
        return query
    years = {int(y) for m in outside for y in m.groups()}
    rest = query.text.lower()
    for m in outside:
        rest = rest.replace(m.group().lower(), " ")
    return replace(
        query,
        dates=tuple(d for d in query.dates if d.month is not None or d.year not in years),
        timeline=query.timeline and any(re.search(p, rest) for p in TIMELINE_PATTERNS),
    )


def analyze(
    text: str, body_index: BodyIndex | None = None, cognates: Cognates | None = None
) -> QueryAnalysis:
    """Analyse a question; ``body_index`` (the archive's bodies) resolves the bodies it
    names - without it no body is recognised; ``cognates`` (the archive's vocabulary)
    finds the Danish words an English question's words are spelled like."""
    low = text.lower()
    mention = body_index.mention(text) if body_index is not None else BodyMention()
    doc_type = next((t for t, p in DOC_TYPE_PATTERNS.items() if re.search(p, low)), None)
    numbers = tuple(re.findall(r"\b\d+(?:[.,]\d+)?\b", low))
    language = detect_language(text)
    return QueryAnalysis(
        text=text,
        language=language,
        lexical_text=text if language == "da" else " ".join(
            names_in(text) + translate_terms(_without(text, mention.english_names))),
        lexical_stems=() if language == "da" or cognates is None else spelled_like(
            _without(text, mention.english_names), cognates),
        intent=detect_intent(text),
        kind=answer_type(text),
        kinds=answer_types(text),
        periods=tuple(PERIOD_RE.findall(text)),
        own_words=text if language == "da" else english_own_words(text),
        places=question_places(text),
        bodies=mention.held,
        unknown_bodies=mention.unknown,
        body_names=mention.english_names,
        dates=extract_dates(text),
        doc_type=doc_type,
        timeline=any(re.search(p, low) for p in TIMELINE_PATTERNS),
        numbers=numbers,
        matter_years=matter_years(text),
        act_years=act_years(text),
    )
