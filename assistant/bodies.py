"""Which of the archive's bodies a question names - and which bodies it names that the
archive does not hold.

Everything comes from the index and the alias table, nothing from code: the bodies are
the ones ingest stored ("Økonomiudvalget, Hjortsø Kommune", "Kontaktråd Vest"), named
in a question by their full name, their committee name without the municipality
("Økonomiudvalget", also inflected: "Økonomiudvalgets", "økonomiudvalgsmødet"), an
alias of the table (``ingest/body_aliases.json``), a leading acronym that only one body
has, the English name of a Danish body type ("the City Council" -> Byrådet), or an English
name the index's own model finds the same in meaning ("the Culture and Leisure Committee"
-> Kultur- og Fritidsudvalget; "the Harbour Committee" is then a body the archive lacks).  A body
the question names in Danish document style (``ingest.bodies.canonical_body``) that the
archive lacks is reported, so the assistant can say so instead of answering from another
body.  So is a council of another municipality ("Roskilde Byråd", "the City Council of
Roskilde"): a held council's municipality is in its name or, when its name does not say it
("Byråd 2022-2025"), the one its own documents name most.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ingest.bodies import BODY_ALIASES, canonical_body
from ingest.danish import DANISH_MONTHS, ENGLISH_MONTHS, STOPWORDS, WORD_RE, stem_words
from vectorstore.embedder import embed_sentences

from .mentions import MUNICIPALITY_RE
from .tuning import TUNING

BODY_TYPES_EN: dict[str, tuple[str, ...]] = {
    "city council": ("byråd", "kommunalbestyrels"),
    "town council": ("byråd", "kommunalbestyrels"),
    "municipal council": ("kommunalbestyrels", "byråd"),
    "borough council": ("kommunalbestyrels", "byråd"),
    "regional council": ("regionsråd",),
    "finance committee": ("økonomiudvalg",),
    "economic committee": ("økonomiudvalg",),
    "economic affairs committee": ("økonomiudvalg",),
    "executive committee": ("økonomiudvalg",),
    "board of directors": ("bestyrelse",),
    "board": ("bestyrelse",),
}
"""English names of Danish body types -> stems of the Danish names (general knowledge of
Danish local government, not of any archive)."""

_WORD = r"[\wæøåÆØÅ]"

_ENGLISH_BODY_RE = re.compile(
    r"\b((?:[A-ZÆØÅ][\w'’-]*,?\s+(?:(?:and|&)\s+)?){1,6})"
    r"(Committee|Council|Board|Commission|Forum)\b"
)
"""An English body name: capitalised words before a body type ('Culture and Leisure
Committee', "Hjortsø's Harbour Committee")."""
_PLACE = r"(?-i:[A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?)"
_COUNCIL = r"(?:byråd\w*|kommunalbestyrelse\w*|(?:city|town|municipal|borough) council)"
_PLACE_COUNCIL_RE = re.compile(
    rf"(?<![\wæøå-])(?P<before>{_PLACE})(?:s|['’]s)?\s+(?:{_COUNCIL}"
    r"|kommunes\s+\w*(?:udvalg|byråd|kommunalbestyrelse)\w*"
    r"|municipality['’]s\s+(?:[\w-]+\s+){0,4}?(?:committee|council|board))(?![\wæøå])"
    rf"|(?<![\wæøå]){_COUNCIL}\s+(?:i|in|of|for)\s+(?P<after>{_PLACE})(?:\s+(?:Kommune|Municipality))?",
    re.I,
)
"""A council named with its municipality: 'Roskilde Byråd', 'Byrådet i Roskilde', 'Roskilde
Kommunes Økonomiudvalg', 'the City Council of Roskilde', "Roskilde Municipality's Finance
Committee"."""
_NOT_PLACES = frozenset(
    "the a an did does do what which who how when why has have had is was were in of for "
    "and or by at to on monday tuesday wednesday thursday friday saturday sunday mandag "
    "tirsdag onsdag torsdag fredag lørdag søndag".split()
) | frozenset(DANISH_MONTHS) | frozenset(ENGLISH_MONTHS)
"""Words that may stand capitalised beside a council's name ('What did the ...', 'the City
Council in May')."""
_COUNCIL_STEMS = ("byråd", "kommunalbestyrels")
_BODY_KINDS = ((*_COUNCIL_STEMS, "regionsråd", "council"), ("udvalg", "committee"))
"""Kinds of body as a name says them, in Danish and English: councils and committees."""


def own_name(body: str) -> str:
    """A body's name without its municipality and election period ('Økonomiudvalget,
    Hjortsø Kommune', 'Byråd 2022-2025' -> 'Økonomiudvalget', 'Byråd'); a comma that lists
    the body's areas ('Teknik, Erhverv og Miljøudvalget') stays."""
    name = re.sub(r"\s+\d{4}(?:\s*[-–]\s*\d{2,4})?$", "", body.strip())
    head, _, rest = name.partition(",")
    listing = not re.search(BODY_WORD, head) and re.search(BODY_WORD, rest)
    return name if listing else head.strip()


def council_place(name: str) -> str | None:
    """The municipality a body's name is qualified with ('Stevns municipal council',
    'Kommunalbestyrelsen i Rødovre' -> 'Stevns', 'Rødovre'); None for an unqualified name."""
    m = _PLACE_COUNCIL_RE.search(name)
    return (m.group("before") or m.group("after")) if m else None


BODY_WORD = r"(?i:\w*(?:udvalg|bestyrelse|råd)\w*|council|committee|board)"
"""A word that names a body in a question, Danish or English ('Økonomiudvalgets',
'kommunalbestyrelse', 'Committee'): what an owner's name stands before or after."""
_PLACE_WORDS = frozenset("kommune kommunes municipality region city town".split())
"""Words that say a place is one, not which ('Albertslund Kommunes udvalg')."""


def is_no_place(word: str) -> bool:
    """True when a capitalised ``word`` before or after a body's name is no place: a
    question or function word, a weekday, a month or a word for a place ('What', 'Hvad',
    'the Council in May', 'Kommunes')."""
    low = word.lower()
    return low in _NOT_PLACES or low in STOPWORDS or low in _PLACE_WORDS


def is_council_or_committee(name: str) -> bool:
    """True when ``name`` is of a kind the archive's meetings are held by - a council or a
    committee ('Regionsrådet', 'Økonomiudvalget') -, not an authority its pages report on
    ('Miljø- og Fødevareklagenævnet')."""
    low = name.lower()
    return any(k in low for kind in _BODY_KINDS for k in kind)


def folded(text: str) -> tuple[str, str]:
    """``text`` lower-cased with its Danish letters written both ways web addresses and
    file names write them ('Køge' -> 'koege', 'koge'; 'Brønderslev' -> 'bronderslev')."""
    low = text.lower()
    return (low.replace("æ", "ae").replace("ø", "oe").replace("å", "aa"),
            low.replace("æ", "ae").replace("ø", "o").replace("å", "a"))


def home_municipality(body: str, mentions: Mapping[str, int]) -> str | None:
    """The municipality a council belongs to: the one its name says ('Hjortsø Byråd',
    'Byrådet, Hjortsø Kommune'), else the one its documents name most (``mentions``:
    'Hjortsø Kommune' on every page of its minutes); None when they name none."""
    named = MUNICIPALITY_RE.search(body) or re.match(rf"({_PLACE})\s+{_COUNCIL}", body, re.I)
    if named:
        return named.group(1).lower()
    counts: Counter[str] = Counter()
    for name, n in mentions.items():
        counts[name.lower()] += n
    return counts.most_common(1)[0][0] if counts else None


@dataclass(frozen=True)
class BodyMention:
    """What a question says about bodies: the held bodies it names and the names of
    bodies it names that the archive does not hold."""

    held: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    english_names: tuple[str, ...] = ()
    """The English names in the question that named held bodies ('Planning and Safety
    Committee'): their words name the body, not the topic."""


class BodyIndex:
    """The bodies of one archive and the ways a question may name them."""

    def __init__(
        self,
        bodies: Iterable[str],
        aliases: Mapping[str, str] | None = None,
        embedder: Any = None,
        mentions: Callable[[str], Mapping[str, int]] | None = None,
        placed: Callable[[str, str], bool] | None = None,
    ) -> None:
        """``embedder`` (the index's model) lets an English name of a committee find the
        held body with that Danish name, or tell that the archive holds no such body;
        ``mentions`` (the municipalities a body's documents name, how often:
        :mod:`.mentions`) tells a held council's municipality when its name does not;
        ``placed(body, place)`` tells that one of the body's documents is of the place
        (several towns' 'Byrådet' are one name: each document says its own town)."""
        self.bodies = tuple(sorted({b for b in bodies if b}))
        self.embedder = embedder
        self._mentions = mentions
        self._placed = placed
        self._homes: frozenset[str] | None = None
        self._body_homes: dict[str, str | None] = {}
        self._vectors: np.ndarray | None = None
        table = BODY_ALIASES if aliases is None else aliases
        self.name_words = frozenset(w for b in self.bodies for w in WORD_RE.findall(b.lower()))
        """Lower-case words of the held bodies' names ('økonomiudvalget', 'glostrup' ...)."""
        self.naming_words = self.name_words | frozenset(
            w for name in [*table, *BODY_TYPES_EN] for w in WORD_RE.findall(name.lower())
        )
        """Every word that can name a body: names, aliases, English body types."""
        self.naming_stems = frozenset(stem_words(sorted(self.naming_words)))
        """Their stems: a body named in another inflection ('Hjortsø Byråd' for 'Byrådet')."""
        self._patterns: list[tuple[re.Pattern[str], str]] = []
        first_tokens: dict[str, list[str]] = {}
        for body in self.bodies:
            for form in self._forms(body):
                self._patterns.append((_pattern(form), body))
            head = body.split()[0]
            if len(head) >= 2 and head.isupper():
                first_tokens.setdefault(head.lower(), []).append(body)
        for alias, body in table.items():
            if body in self.bodies:
                self._patterns.append((_pattern(alias), body))
        self._names = list(self._patterns)  # what can say that a named body is held
        for acronym, owners in first_tokens.items():
            if len(owners) == 1:  # an acronym names the one body that starts with it
                self._patterns.append((_pattern(acronym), owners[0]))
        self._missing_types: list[tuple[re.Pattern[str], str]] = []
        for english, stems in BODY_TYPES_EN.items():
            phrase = re.compile(rf"\b{re.escape(english)}s?\b", re.I)
            owners = _typed(self.bodies, stems)
            for owner in owners:
                self._patterns.append((phrase, owner))
            if not owners:
                self._missing_types.append((phrase, english))

    @staticmethod
    def _forms(body: str) -> list[str]:
        """'Økonomiudvalget, Glostrup Kommune' -> the full name and 'økonomiudvalg' (the
        committee's stem, which matches 'Økonomiudvalgets' and 'økonomiudvalgsmødet')."""
        forms = [body.lower()]
        committee = own_name(body).lower()
        if committee != forms[0]:
            forms.append(committee)
        stem = re.sub(r"(?:et|en)$", "", committee)
        if len(stem) >= 5 and " " not in stem:
            forms.append(stem + "*")
        return forms

    def mention(self, question: str) -> BodyMention:
        """The held bodies ``question`` names, and the names of bodies it names that the
        archive lacks (only when it names no held body: a held body named beside another
        is the one asked about)."""
        text = question
        unknown: list[str] = []
        for m in _PLACE_COUNCIL_RE.finditer(question):
            if self._other_municipality(m.group("before") or m.group("after"), m.start()):
                unknown.append(" ".join(m.group(0).split()))
                text = text.replace(m.group(0), " ")
        named = canonical_body(text)
        if named and not self._is_held(named):
            unknown.append(named)
            text = _remove(text, named)
        for phrase, english in self._missing_types:
            if phrase.search(text):
                unknown.append(f"the {english}")  # 'the city council' in an archive without one
                text = phrase.sub(" ", text)
        held = self._held_in(text)
        names: list[str] = []
        places = self._places(question)
        if not held:
            translated, missing, names = self._english_names(text, places)
            held, unknown = translated, unknown + missing
        if places:
            # 'Økonomiudvalget i Hjortsø': that municipality's committee, not another's
            narrowed = [b for b in held if any(p in b.lower() for p in places)]
            held = narrowed or held
        if held:
            return BodyMention(tuple(held), (), tuple(names))
        return BodyMention((), tuple(unknown))

    def _other_municipality(self, place: str, at: int) -> bool:
        """True when ``place`` names a municipality whose council the archive does not
        hold while it holds another's (a capitalised first or function word is no place)."""
        low = place.lower()
        if at == 0 or low in _NOT_PLACES or low in STOPWORDS or low in self.name_words:
            return False
        homes = self.council_homes()
        # 'Hjortsøs byråd': the genitive of the held council's municipality
        if not homes or low in homes or low.removesuffix("s") in homes:
            return False
        return self._placed is None or not any(
            self._placed(b, p) for b in self._councils() for p in {place, place.removesuffix("s")})

    def may_be(self, name: str, body: str | None) -> bool:
        """True when ``name``, a body of a municipality the archive names nowhere ('Kommunal-
        bestyrelsen i Rødovre', 'Mariagerfjord Kommunes Udvalg'), may be the held ``body``:
        one of the same kind (council or committee) whose documents never say which
        municipality they belong to.  Else a page that names no municipality could never
        answer a question that does."""
        if not body:
            return False
        kinds = [kind for kind in _BODY_KINDS if any(k in name.lower() for k in kind)]
        if not any(k in body.lower() for kind in kinds for k in kind):
            return False
        return self.placed_nowhere(body)

    def placed_nowhere(self, body: str | None) -> bool:
        """True when neither ``body``'s name nor its documents say which municipality it
        belongs to (so a municipality the archive names nowhere may be its own)."""
        if not body or self._mentions is None:
            return False
        if body not in self._body_homes:
            self._body_homes[body] = home_municipality(body, self._mentions(body))
        return self._body_homes[body] is None

    def council_homes(self) -> frozenset[str]:
        """The municipalities of the held councils (computed once, on first need: it reads
        their documents)."""
        if self._homes is None:
            mentions = self._mentions or (lambda body: {})
            homes = (home_municipality(b, mentions(b)) for b in self._councils())
            self._homes = frozenset(h for h in homes if h)
        return self._homes

    def _councils(self) -> list[str]:
        return [b for b in self.bodies if any(s in b.lower() for s in _COUNCIL_STEMS)]

    def _english_names(
        self, text: str, places: Sequence[str] = ()
    ) -> tuple[list[str], list[str], list[str]]:
        """Held bodies named in English ('the Culture and Leisure Committee' ->
        'Kultur- og Fritidsudvalget'), English body names the archive lacks, found by the
        model's closeness of the names in meaning (no dictionary), and the English names
        that named the held ones.  Of the held bodies close enough to a name, one that
        carries a municipality of ``places`` in its name comes first ("Hjortsø's Technical
        Committee" is 'Teknikudvalget, Hjortsø Kommune' before another town's)."""
        if self.embedder is None or not self.bodies:
            return [], [], []
        held: list[str] = []
        missing: list[str] = []
        names: list[str] = []
        for m in _ENGLISH_BODY_RE.finditer(text):
            name = " ".join(m.group(0).split())
            words = name.split()
            # 'The ...', "Hjortsø's ..." (the owner, not part of the name)
            while words and (words[0].lower() in {"the", "a", "an"}
                             or re.search(r"['’]s?$", words[0])):
                words = words[1:]
            name = " ".join(words)
            if len(name.split()) < 2:
                continue
            if self._vectors is None:
                # the fast path for short texts: an ask-only process naming a body in
                # English must not load the passage model for it
                # a name is compared with the body's own name: 'Finance Committee' is as
                # close to 'Økonomiudvalget, Hjortsø Kommune' as to 'Økonomiudvalget'
                self._vectors = embed_sentences(self.embedder,
                                                [own_name(b) for b in self.bodies])
            sims = self._vectors @ np.asarray(self.embedder.embed_query(name))
            best = int(np.argmax(sims))
            placed = [n for n, body in enumerate(self.bodies)
                      if sims[n] >= TUNING.refusal.same_body
                      and any(p in body.lower() for p in places)]
            best = max(placed, key=lambda n: float(sims[n])) if placed else best
            if sims[best] >= TUNING.refusal.same_body:
                held.append(self.bodies[best])
                names.append(name)
            elif sims[best] < TUNING.refusal.other_body:
                missing.append(name)
        return held, missing, names

    def _held_in(self, text: str) -> list[str]:
        found: list[str] = []
        for pattern, body in self._patterns:
            if body not in found and pattern.search(text):
                found.append(body)
        return found

    def _is_held(self, name: str) -> bool:
        """A body name the question uses is held when it is, or names, a held body (an
        acronym that only one held body has does not count: another region's body)."""
        return name in self.bodies or any(p.search(name) for p, _ in self._names)

    def _places(self, question: str) -> list[str]:
        """Municipality names in the question that some held body carries."""
        places = {
            m.group(1).lower()
            for b in self.bodies
            for m in [re.search(r",\s*([\wæøåÆØÅ-]+)\s+(?:Kommune|Regionskommune)", b)]
            if m
        }
        low = question.lower()
        return [p for p in places if re.search(rf"\b{re.escape(p)}\w*", low)]


def _typed(bodies: Iterable[str], stems: tuple[str, ...]) -> list[str]:
    """The bodies of a Danish body type (its name stems): those whose name begins with it
    ('Byråd 2022-2025', 'Økonomiudvalget, Hjortsø Kommune') when there are any - not a body
    merely named after it ('.Spørgsmål / Svar til Byrådet') -, else those that hold it
    ('Hjortsø Byråd')."""
    holding = [b for b in bodies if any(s in b.lower() for s in stems)]
    heads = [b for b in holding if next(iter(WORD_RE.findall(b.lower())), "").startswith(stems)]
    return heads or holding


def _pattern(form: str) -> re.Pattern[str]:
    """A whole-word, case-insensitive pattern; a trailing '*' lets the word go on."""
    if form.endswith("*"):
        return re.compile(rf"(?<!{_WORD}){re.escape(form[:-1])}{_WORD}*", re.I)
    words = form.split()
    # a name's definite words may be said indefinitely ('Hjortsø Kommunes Udvalg for Teknik'
    # names 'Udvalget for Teknik'); its last word takes any ending
    inner = [re.escape(w[:-2]) + "(?:et|en)?s?" if len(w) > 5 and w.endswith(("et", "en"))
             else re.escape(w) for w in words[:-1]]
    name = r"\s+".join([*inner, re.escape(words[-1])]) if words else ""
    return re.compile(rf"(?<!{_WORD}){name}(?:s|et|en|ets|ens)?(?!{_WORD})", re.I)


def _remove(text: str, name: str) -> str:
    return re.sub(re.escape(name), " ", text, flags=re.I)
