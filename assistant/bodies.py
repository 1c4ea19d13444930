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
body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ingest.bodies import BODY_ALIASES, canonical_body
from ingest.danish import WORD_RE
from vectorstore.embedder import embed_sentences

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
    ) -> None:
        """``embedder`` (the index's model) lets an English name of a committee find the
        held body with that Danish name, or tell that the archive holds no such body."""
        self.bodies = tuple(sorted({b for b in bodies if b}))
        self.embedder = embedder
        self._vectors: np.ndarray | None = None
        table = BODY_ALIASES if aliases is None else aliases
        self.name_words = frozenset(w for b in self.bodies for w in WORD_RE.findall(b.lower()))
        """Lower-case words of the held bodies' names ('økonomiudvalget', 'glostrup' ...)."""
        self.naming_words = self.name_words | frozenset(
            w for name in [*table, *BODY_TYPES_EN] for w in WORD_RE.findall(name.lower())
        )
        """Every word that can name a body: names, aliases, English body types."""
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
        # 'Byråd 2022-2025' (a body named with its election period) is 'Byrådet'
        committee = re.sub(r"\s+\d{4}(?:\s*[-–]\s*\d{2,4})?$", "", body.split(",")[0].strip())
        committee = committee.lower()
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
        named = canonical_body(question)
        if named and not self._is_held(named):
            unknown.append(named)
            text = _remove(text, named)
        for phrase, english in self._missing_types:
            if phrase.search(text):
                unknown.append(f"the {english}")  # 'the city council' in an archive without one
                text = phrase.sub(" ", text)
        held = self._held_in(text)
        names: list[str] = []
        if not held:
            translated, missing, names = self._english_names(text)
            held, unknown = translated, unknown + missing
        places = self._places(question)
        if places:
            # 'Økonomiudvalget i Hjortsø': that municipality's committee, not another's
            narrowed = [b for b in held if any(p in b.lower() for p in places)]
            held = narrowed or held
        if held:
            return BodyMention(tuple(held), (), tuple(names))
        return BodyMention((), tuple(unknown))

    def _english_names(self, text: str) -> tuple[list[str], list[str], list[str]]:
        """Held bodies named in English ('the Culture and Leisure Committee' ->
        'Kultur- og Fritidsudvalget'), English body names the archive lacks, found by the
        model's closeness of the names in meaning (no dictionary), and the English names
        that named the held ones."""
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
                self._vectors = embed_sentences(self.embedder, list(self.bodies))
            sims = self._vectors @ np.asarray(self.embedder.embed_query(name))
            best = int(np.argmax(sims))
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
    return re.compile(rf"(?<!{_WORD}){re.escape(form)}(?:s|et|en|ets|ens)?(?!{_WORD})", re.I)


def _remove(text: str, name: str) -> str:
    return re.sub(re.escape(name), " ", text, flags=re.I)
