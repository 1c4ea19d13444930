"""Pick the sentences that answer: what the question asks for first.

A question expects a kind of answer - a figure (how many, how much), a date (when), a
person (who), a list (which), or a statement.  Sentences of the best results are scored by
the question's words they contain, each weighted by how telling it is in this archive
(inverse document frequency, so "kommune" or a body's name that every passage shares
counts for little), by their closeness in meaning to the question when a scorer is given
(English questions: words cannot cross languages), plus a bonus when the sentence holds the
expected kind of answer and one when it is part of a recorded decision.  After the best
sentence, the next is the one that answers a part of the question no chosen sentence
answers yet.  Lists are read by their structure: an entry counts the words of the line that
introduces it ("Biodiversitet:" above "- name"), and a chosen entry or introduction brings
the rest of its list.  Nothing here knows a body, a meeting or a topic.

Kept whole: scoring, list reading and citing work on the same candidates - their places,
list heads and shared words - and splitting them would pass those structures between
modules for no reader's gain.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ingest.danish import DANISH_MONTHS, split_sentences
from ingest.danish import text_key as _squash

from .tuning import TUNING

_NUMBER_RE = re.compile(
    r"\d[\d.,]*\s*(?:%|pct|procent|mio|mia|kr|mill|milliard|million|tusind|stk|pladser|"
    r"personer|borgere|kommuner|timer|dage|uger|måneder|år|km|m2|kvm)|\d+[.,]\d+|"
    r"\b(?!(?:19|20)\d\d\b)\d{2,}\b",  # a bare year is a date, not the figure asked for
    re.I,
)
_COUNT_RE = re.compile(r"(?<![\d.,])\d{1,3}\s+([a-zæøå][\wæøå-]+)")
"""A small count and the word it counts ('3 høringsmøder', '12 medlemmer')."""
_AMOUNT_RE = re.compile(
    r"\d[\d.,]*\s*(?:%|pct\b|procent|kr\b|kroner|mio\b|mia\b|mill|milliard|million|t\.\s*kr)"
    r"|\bkr\.?\s*\d", re.I)
"""A sum of money or a rate ('854 kr.', '1,56 mio. kr.', '0,4 %', 'kr. 2.250')."""
_DA_MONTH = "|".join(DANISH_MONTHS)
_DATE_RE = re.compile(  # any date-like phrase, also week and quarter: what a 'when' asks for
    rf"\b\d{{1,2}}\.\s*(?:{_DA_MONTH})\b|\b(?:{_DA_MONTH})\s+\d{{4}}\b"
    r"|\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b|\b(?:uge|kvartal)\s+\d|\b(?:19|20)\d{2}\b",
    re.I,
)
_NAME_RE = re.compile(
    r"(?<![.!?]\s)(?<!^)\b[A-ZÆØÅ][a-zæøåé]+(?:\s+[A-ZÆØÅ][a-zæøåé]+)+"
    r"|^[A-ZÆØÅ][a-zæøåé]+(?:\s+[A-ZÆØÅ][a-zæøåé]+)+"  # a sentence opening with a full name
)
_DECIDED_RE = re.compile(
    r"\b(?:besluttede|besluttet|vedtog|vedtaget|godkendte|godkendt|tiltrådte|tiltrådt"
    r"|afviste|decided|approved|adopted|agreed|rejected)\b", re.I)
"""A sentence that reports a decision taken ("Her blev det besluttet at ...")."""
_REASON_RE = re.compile(
    r"(?<!\w)pga\.|\b(?:grundet|på grund af|fordi|som følge af|skyldes|skyldtes|begrundet"
    r"|begrundelse|årsag\w*|idet|eftersom|derfor|i forlængelse af|i lyset af|baggrunden for"
    r"|med henblik på|for at|behov for|nødvendig\w*"
    r"|because|due to|owing to|as a result of|therefore|in order to|so that|need for)\b", re.I)
"""A sentence that gives a reason or a purpose ('... ønsker at træde ud grundet et betydeligt
arbejdspres', 'I forlængelse af en ny lov ... skal Tandplejen udvide kapaciteten', '... for at
forhindre en spredning af forurening')."""
_FREQUENCY_RE = re.compile(
    r"\b(?:\w+ gange? (?:om|pr\.?|i|hver) (?:dagen|ugen|måneden|året|dag|uge|måned|år)"
    r"|dagligt|ugentligt|månedligt|årligt|hver(?:t)? (?:dag|uge|måned|år|kvartal)"
    r"|\w+ times? (?:a|per|each) (?:day|week|month|year)|daily|weekly|monthly|yearly"
    r"|annually)\b", re.I)
"""A sentence that says how often ('rengøres to gange om dagen', 'hver uge')."""
_ATTACHMENT_RE = re.compile(r"^\s*(?:\./\.|bilag\s*\d*\s*[:.)–-]|bilag\s+\d+\b)", re.I)
"""A line that refers to an attachment ('./.' is the Danish margin mark for one)."""
_LIST_LINE_RE = re.compile(r"^(?:[-•*–]\s|\d{1,2}[.)]\s|[a-zæøå][.)]\s)")
_INLINE_LIST_RE = re.compile(
    r":\s+[^\s:;][^:;]{0,80}?,\s*[^:;,]{1,80}?\s(?:og|samt|eller|and|or)\s+\S")
"""An enumeration run into its sentence after a colon ('... tre strategispor: Det hele
menneske, Fagligt stærke specialområder og Ét Socialområde.')."""
_MARK_RE = re.compile(r"^[-•*–]\s")


Meaning = Callable[[Sequence[str]], np.ndarray]
"""Similarity in meaning of each sentence to the question (cosine of the embeddings)."""


def holds(kind: str, sentence: str) -> bool:
    """True when ``sentence`` holds an answer of ``kind`` (a figure, a date, a name ...)."""
    if kind == "number":
        return bool(_NUMBER_RE.search(_DATE_RE.sub(" ", sentence)))  # '16. februar' counts nothing
    if kind == "amount":
        return bool(_AMOUNT_RE.search(sentence))
    if kind == "date":
        return bool(_DATE_RE.search(sentence))
    if kind == "person":
        return bool(_NAME_RE.search(sentence))
    if kind == "list":
        return (bool(_LIST_LINE_RE.match(sentence)) or sentence.rstrip().endswith(":")
                or bool(_INLINE_LIST_RE.search(sentence)))
    if kind == "decision":
        return bool(_DECIDED_RE.search(sentence))
    if kind == "reason":
        return bool(_REASON_RE.search(sentence))
    if kind == "frequency":
        return bool(_FREQUENCY_RE.search(sentence))
    return False


@dataclass(frozen=True)
class Candidate:
    """A sentence of result ``rank`` (1-based) at ``position`` in its text, with a score;
    ``head`` is the position of the line that introduces the list it is an entry of;
    ``terms`` the question terms it shares (with its list heading), ``base`` its score
    without them (meaning, answer kind, rank and place)."""

    rank: int
    position: int
    text: str
    score: float
    head: int | None = None
    terms: frozenset[str] = frozenset()
    base: float = 0.0
    kinds: frozenset[str] = frozenset()
    """The asked kinds of answer it holds (counted only where it is related to the question)."""


class SentencePicker:
    """Scores sentences against a question with archive-wide word weights."""

    def __init__(
        self, tokens: Callable[[str], list[str]], idf: Callable[[str], float]
    ) -> None:
        self.tokens = tokens
        self.idf = idf

    def weights(self, question_terms: Sequence[str]) -> dict[str, float]:
        """Each distinct question term with its weight (never negative)."""
        return {t: max(self.idf(t), 0.0) for t in dict.fromkeys(question_terms)}

    def candidates(
        self,
        weights: dict[str, float],
        kind: str | Sequence[str],
        texts: Sequence[tuple[int, str]],
        meaning: Meaning | None = None,
        favoured: Sequence[str] = (),
        meaning_limit: int | None = None,
    ) -> list[Candidate]:
        """Every sentence of ``texts`` ((rank, text) pairs) with its score: the question's
        words it shares, its closeness in meaning (when ``meaning`` is given), a bonus
        when it holds the kind of answer asked for, and one when it is part of a
        ``favoured`` text (a recorded decision: what the body did).  ``kind`` is one kind
        of answer or several (a two-part question)."""
        kinds = (kind,) if isinstance(kind, str) else tuple(kind)
        total = sum(weights.values()) or 1.0
        favour = [_squash(f) for f in favoured if f]
        split = [(rank, split_sentences(text)) for rank, text in texts]
        placed = [(rank, pos, s) for rank, sentences in split for pos, s in enumerate(sentences)]
        heads = {
            (rank, pos): head
            for rank, sentences in split
            for pos, head in enumerate(list_heads(sentences))
        }
        words_at = {(rank, pos): set(self.tokens(sentence)) for rank, pos, sentence in placed}
        shared: list[frozenset[str]] = []
        for rank, pos, _ in placed:
            # a list entry is about what its introductions say ("Biodiversitet:" / "- name")
            words = set(words_at[(rank, pos)])
            up = heads[(rank, pos)]
            while up is not None:
                words |= words_at[(rank, up)]
                up = heads[(rank, up)]
            shared.append(frozenset(t for t in weights if t in words))
        overlaps = [sum(weights[t] for t in terms) / total for terms in shared]
        limit = meaning_limit or TUNING.answer.meaning_sentences
        close = (self._closeness(meaning, placed, overlaps, kinds, limit)
                 if meaning and placed else None)
        found: list[Candidate] = []
        for n, (rank, pos, sentence) in enumerate(placed):
            if _ATTACHMENT_RE.match(sentence):
                continue  # "./. Bilag 2: Høringssvar": names a document, answers nothing
            head = heads[(rank, pos)]
            terms, overlap = shared[n], overlaps[n]
            near = float(close[n]) if close is not None else 0.0
            # why the best item's matter is done is told in its own words ('I forlængelse af
            # en ny lov ...' for 'Hvorfor skal tandklinikken flyttes?'): its reasons count
            related = (overlap > 0 or near >= TUNING.answer.meaning_type_floor
                       or (rank == 1 and "reason" in kinds))
            held = frozenset(k for k in kinds if related and self._holds(k, sentence, weights))
            bonus = TUNING.answer.type_bonus if held else 0.0
            if related and any(_squash(sentence) in f for f in favour):
                bonus += TUNING.answer.favoured_bonus
            base = TUNING.answer.meaning_weight * near + bonus - _place_penalty(rank, pos)
            found.append(Candidate(rank, pos, sentence, overlap + base, head, terms, base, held))
        return found

    @staticmethod
    def _closeness(
        meaning: Meaning, placed: Sequence[tuple[int, int, str]], overlaps: Sequence[float],
        kinds: Sequence[str], limit: int,
    ) -> np.ndarray:
        """Closeness in meaning (0..1 within the candidates) of the ``limit`` most promising
        sentences - shared words, the kind of answer held, rank and place - and the lowest
        for the rest: embedding every sentence costs ~10 ms each."""
        tune = TUNING.answer
        prior = [overlaps[n] + (tune.type_bonus if any(holds(k, s) for k in kinds) else 0.0)
                 - _place_penalty(rank, pos) for n, (rank, pos, s) in enumerate(placed)]
        order = sorted(range(len(placed)), key=lambda n: -prior[n])[:limit]
        sims = np.asarray(meaning([placed[n][2] for n in order]), dtype=np.float32)
        out = np.full(len(placed), float(sims.min()) if sims.size else 0.0, dtype=np.float32)
        out[order] = sims[: len(order)]
        return _spread(out)

    def _holds(self, kind: str, sentence: str, weights: dict[str, float]) -> bool:
        """:func:`holds`, where a count of a thing the question names holds a number, a
        person must be one the question does not name (who stepped in for Ronni Mark
        Nielsen is not Ronni Mark Nielsen), and a name whose words fill the archive is a
        place or a body, not a person."""
        if kind == "number":
            # 'hvor mange høringsmøder' -> '3 høringsmøder': a count of the asked thing
            counted = (self.tokens(m[1]) for m in _COUNT_RE.finditer(sentence))
            return holds(kind, sentence) or any(set(t) & weights.keys() for t in counted)
        if kind != "person":
            return holds(kind, sentence)
        floor = TUNING.answer.person_word_idf
        for m in _NAME_RE.finditer(sentence):
            words = set(self.tokens(m.group()))
            if not words <= weights.keys() and all(self.idf(w) >= floor for w in words):
                return True
        return False

    def pick(
        self,
        weights: dict[str, float],
        kind: str | Sequence[str],
        texts: Sequence[tuple[int, str]],
        limit: int = 3,
        exclude: Sequence[str] = (),
        meaning: Meaning | None = None,
        favoured: Sequence[str] = (),
        meaning_limit: int | None = None,
    ) -> list[Candidate]:
        """The best sentences in reading order: the best one, then (at most ``limit`` in
        all) those nearly as good once the question words already answered count no more
        - so a two-part question gets a sentence for each part - each with its list."""
        skip = {_squash(e) for e in exclude}
        pool: list[Candidate] = []
        for c in self.candidates(weights, kind, texts, meaning, favoured, meaning_limit):
            key = _squash(c.text)
            if key not in skip:  # overlapping chunks repeat sentences: each counts once
                skip.add(key)
                pool.append(c)
        if not pool:
            return []
        best = max(pool, key=lambda c: c.score)
        if best.score <= 0:
            return []
        total = sum(weights.values()) or 1.0
        chosen = [best]
        covered = set(best.terms)
        rest = [c for c in pool if c is not best]
        while rest and len(chosen) < limit:
            gains = [_gain(c, weights, covered, total) for c in rest]
            top = max(range(len(rest)), key=gains.__getitem__)
            # a sentence with question words not yet answered (another part of the
            # question) earns its place more easily than one that repeats the same words
            fresh = any(t not in covered for t in rest[top].terms)
            ratio = TUNING.answer.fresh_keep_ratio if fresh else TUNING.answer.keep_ratio
            if gains[top] < ratio * best.score or gains[top] <= 0:
                break
            chosen.append(rest[top])
            covered |= rest[top].terms
            del rest[top]
        chosen += _for_unanswered_kinds(kind, chosen, rest, best.score)
        chosen = _with_list_lines(chosen, pool)
        return sorted(chosen, key=lambda c: (c.rank, c.position))


_INTRODUCES_RE = re.compile(r":\s*$|\b(?:følgende|the following)\b", re.I)


def introduces_list(sentence: str) -> bool:
    """'... følgende punkter:' / '... har udpeget følgende repræsentanter ...' / an
    unmarked line ending in ';' ("Udvalget ønsker, at der fremlægges sager om;")."""
    if _INTRODUCES_RE.search(sentence):
        return True
    return sentence.rstrip().endswith(";") and not _MARK_RE.match(sentence)


def list_heads(sentences: Sequence[str]) -> list[int | None]:
    """For each sentence, the position of the introduction whose list it is an entry of.

    After an introduction the first line always belongs to it (a colon promises one); the
    following lines do while they look alike - all marked ('- x', '2) x') or all short bare
    lines - up to ``TUNING.answer.max_list_lines``.  The next introduction starts a new list."""
    heads: list[int | None] = [None] * len(sentences)
    head: int | None = None
    marked: bool | None = None
    count = 0
    for i, sentence in enumerate(sentences):
        following = sentences[i + 1] if i + 1 < len(sentences) else ""
        # 'Administrationen indstiller,' above '- at ...' lines: the recommendation's points
        opens = (sentence.rstrip().endswith(",") and not _LIST_LINE_RE.match(sentence)
                 and bool(_LIST_LINE_RE.match(following)))
        if introduces_list(sentence) or opens:
            # "...følgende repræsentanter." + "Biodiversitet:" + entries: a sub-list
            if head is not None and count == 0:
                heads[i] = head
            elif head is not None and heads[head] is not None:
                heads[i] = heads[head]
            head, marked, count = i, None, 0
            continue
        if head is None:
            continue
        is_marked = bool(_LIST_LINE_RE.match(sentence))
        bare = len(sentence) <= TUNING.answer.max_list_entry and ". " not in sentence
        promised = count == 0 and sentences[head].rstrip().endswith(":")
        alike = marked is None or is_marked == marked
        # '1. ... om;' then '- a', '- b', then '2. ...': the next point, not an entry
        sibling = is_marked and _marker(sentence) == _marker(sentences[head])
        if sibling or count >= TUNING.answer.max_list_lines or not (
            promised or (alike and (is_marked or bare))
        ):
            head = None
            continue
        marked = is_marked if marked is None else marked
        heads[i] = head
        count += 1
    return heads


def _marker(line: str) -> str | None:
    """The kind of list mark a line starts with: bullet, number or letter (None: none)."""
    m = _LIST_LINE_RE.match(line)
    if m is None:
        return None
    mark = m.group(0)[0]
    return "number" if mark.isdigit() else "letter" if mark.isalpha() else "bullet"


def _with_list_lines(chosen: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
    """A chosen list introduction brings its entries (and sub-lists); a chosen entry
    brings its introductions and its sibling entries (a name means nothing without its
    heading)."""
    by_place = {(c.rank, c.position): c for c in pool}
    taken = {(c.rank, c.position) for c in chosen}
    result = list(chosen)

    def add(place: tuple[int, int]) -> None:
        if place in by_place and place not in taken:
            result.append(by_place[place])
            taken.add(place)

    whole: set[tuple[int, int]] = set()  # introductions whose whole list comes along
    for c in chosen:
        if introduces_list(c.text):
            whole.add((c.rank, c.position))
        if c.head is not None:
            whole.add((c.rank, c.head))
        up = c.head
        while up is not None and (c.rank, up) in by_place:
            add((c.rank, up))
            up = by_place[(c.rank, up)].head
    grew = True
    while grew:
        grew = False
        for c in pool:
            place = (c.rank, c.position)
            if (c.rank, c.head) not in whole:
                continue
            if place not in taken:
                add(place)
                grew = True
            if introduces_list(c.text) and place not in whole:
                whole.add(place)
                grew = True
    return result


def _place_penalty(rank: int, position: int) -> float:
    """What a sentence loses for its result's rank and its place in the text (earlier
    sentences of better results state the matter)."""
    return TUNING.answer.rank_penalty * (rank - 1) + 0.005 * position


def _for_unanswered_kinds(
    kind: str | Sequence[str], chosen: list[Candidate], rest: list[Candidate], best: float
) -> list[Candidate]:
    """For each kind a several-part question asks for ('who ..., and until when?') that no
    chosen sentence holds, the best related sentence holding it, when it scores at least
    ``TUNING.answer.kind_keep_ratio`` of the best sentence."""
    if isinstance(kind, str):
        return []
    added: list[Candidate] = []
    for wanted in kind:
        if any(wanted in c.kinds for c in chosen + added):
            continue
        holders = [c for c in rest if wanted in c.kinds and c not in added]
        top = max(holders, key=lambda c: c.score, default=None)
        if top is not None and top.score >= TUNING.answer.kind_keep_ratio * best:
            added.append(top)
    return added


def _gain(c: Candidate, weights: dict[str, float], covered: set[str], total: float) -> float:
    """A candidate's score once the question words in ``covered`` count only in part."""
    fresh = sum(weights[t] for t in c.terms if t not in covered) / total
    shared = sum(weights[t] for t in c.terms if t in covered) / total
    return c.base + fresh + TUNING.answer.covered_share * shared


def _spread(similarity: np.ndarray) -> np.ndarray:
    """Similarities rescaled to 0..1 within one question's candidates (an embedding model's
    cosines crowd into a narrow band, so only their order and spread carry meaning)."""
    low, high = float(similarity.min()), float(similarity.max())
    if high - low < 1e-6:
        return np.zeros_like(similarity)
    return (similarity - low) / (high - low)


def cite(picked: Sequence[Candidate], rank_of: Callable[[Candidate], int] | None = None) -> str:
    """The picked sentences as answer text, each followed by its result marker; a list
    introduction and its entries read as one sentence with one marker."""
    parts: list[str] = []
    run: list[str] = []
    run_rank = 0
    members: set[tuple[int, int]] = set()  # (rank, position) of the run's lines
    for c in picked:
        rank = rank_of(c) if rank_of else c.rank
        # an entry joins the run of its own introduction, never another sentence's
        if run and rank == run_rank and (c.rank, c.head) in members:
            run.append(_entry_text(c.text))
            members.add((c.rank, c.position))
            continue
        if run:
            parts.append(_join_run(run, run_rank))
        run, run_rank = [c.text.rstrip() if introduces_list(c.text) else c.text], rank
        members = {(c.rank, c.position)}
    if run:
        parts.append(_join_run(run, run_rank))
    return " ".join(parts)


_TRAILING_JOIN_RE = re.compile(r"[\s.;,]+(?:(?:og|samt|eller|and|or)[\s.;,]*)?$", re.I)


def _entry_text(line: str) -> str:
    """A list line as an entry of a joined run: no mark, and no closing punctuation or
    conjunction ('- at X godkendes, og' -> 'at X godkendes'); the run's '; ' joins them."""
    return _TRAILING_JOIN_RE.sub("", _LIST_LINE_RE.sub("", line))


def _join_run(run: list[str], rank: int) -> str:
    head, entries = run[0], run[1:]
    if not entries:
        return f"{head} [{rank}]"
    head = head if head.endswith(":") else head.rstrip(".;,") + ":"
    text = head
    for n, entry in enumerate(entries):
        # a sub-list's heading ("Biodiversitet:") joins its entries without a separator
        text += " " if n == 0 or entries[n - 1].endswith(":") else "; "
        text += entry
    return f"{text}. [{rank}]"
