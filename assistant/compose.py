"""Pick the sentences that answer: what the question asks for first.

A question expects a kind of answer - a figure (how many, how much), a date (when), a
person (who), a list (which), or a statement.  Sentences of the best results are scored by
the question's words they contain, each weighted by how telling it is in this archive
(inverse document frequency, so "kommune" or a body's name that every passage shares
counts for little), plus a bonus when the sentence holds the expected kind of answer; a
sentence that introduces a list ("... følgende punkter:") brings its list lines along.
Nothing here knows a body, a meeting or a topic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest.danish import split_sentences

ANSWER_TYPES = ("number", "date", "person", "list", "statement")

_TYPE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number", re.compile(
        r"\b(hvor (?:mange|meget|stor|store)|hvilket beløb|hvad koster|how (?:many|much)"
        r"|what (?:amount|share|percentage)|hvor høj|antal(?:let)?\b|beløb)", re.I)),
    ("date", re.compile(r"\b(hvornår|hvilken dato|when|what date|by what date|deadline)\b",
                        re.I)),
    ("person", re.compile(r"\b(hvem|who|whom)\b", re.I)),
    ("list", re.compile(r"\b(hvilke|which|list|name the|what are the)\b", re.I)),
)  # fmt: skip

_NUMBER_RE = re.compile(
    r"\d[\d.,]*\s*(?:%|pct|procent|mio|mia|kr|mill|milliard|million|tusind|stk|pladser|"
    r"personer|borgere|kommuner|timer|dage|uger|måneder|år|km|m2|kvm)|\d+[.,]\d+|\b\d{2,}\b",
    re.I,
)
_DATE_RE = re.compile(
    r"\b\d{1,2}\.\s*(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober"
    r"|november|december)\b|\b(?:januar|februar|marts|april|maj|juni|juli|august|september"
    r"|oktober|november|december)\s+\d{4}\b|\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b|"
    r"\b(?:uge|kvartal)\s+\d|\b(?:19|20)\d{2}\b",
    re.I,
)
_NAME_RE = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÆØÅ][a-zæøåé]+(?:\s+[A-ZÆØÅ][a-zæøåé]+)+")
_LIST_LINE_RE = re.compile(r"^(?:[-•*–]\s|\d{1,2}[.)]\s|[a-zæøå][.)]\s)")

TYPE_BONUS = 0.35
"""Added to a sentence that holds the kind of answer the question expects (0..1 scale)."""
RANK_PENALTY = 0.12
"""Taken off per result rank below the first: lower results must be clearly better."""
KEEP_RATIO = 0.6
"""Further sentences are kept when they score at least this share of the best one."""
MAX_LIST_LINES = 8


def answer_type(question: str) -> str:
    """The kind of answer a question expects (one of ``ANSWER_TYPES``)."""
    for kind, pattern in _TYPE_PATTERNS:
        if pattern.search(question):
            return kind
    return "statement"


def holds(kind: str, sentence: str) -> bool:
    """True when ``sentence`` holds an answer of ``kind`` (a figure, a date, a name ...)."""
    if kind == "number":
        return bool(_NUMBER_RE.search(sentence))
    if kind == "date":
        return bool(_DATE_RE.search(sentence))
    if kind == "person":
        return bool(_NAME_RE.search(sentence))
    if kind == "list":
        return bool(_LIST_LINE_RE.match(sentence)) or sentence.rstrip().endswith(":")
    return False


@dataclass(frozen=True)
class Candidate:
    """A sentence of result ``rank`` (1-based) at ``position`` in its text, with a score."""

    rank: int
    position: int
    text: str
    score: float


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
        self, weights: dict[str, float], kind: str, texts: Sequence[tuple[int, str]]
    ) -> list[Candidate]:
        """Every sentence of ``texts`` ((rank, text) pairs) with its score."""
        total = sum(weights.values()) or 1.0
        found: list[Candidate] = []
        for rank, text in texts:
            sentences = split_sentences(text)
            for pos, sentence in enumerate(sentences):
                words = set(self.tokens(sentence))
                overlap = sum(w for t, w in weights.items() if t in words) / total
                bonus = TYPE_BONUS if overlap > 0 and holds(kind, sentence) else 0.0
                score = overlap + bonus - RANK_PENALTY * (rank - 1) - 0.005 * pos
                found.append(Candidate(rank, pos, sentence, score))
        return found

    def pick(
        self,
        weights: dict[str, float],
        kind: str,
        texts: Sequence[tuple[int, str]],
        limit: int = 3,
        exclude: Sequence[str] = (),
    ) -> list[Candidate]:
        """The best sentences in reading order: the best one, then those nearly as good
        (at most ``limit``), each with the list lines it introduces."""
        skip = {_squash(e) for e in exclude}
        pool: list[Candidate] = []
        for c in self.candidates(weights, kind, texts):
            key = _squash(c.text)
            if key not in skip:  # overlapping chunks repeat sentences: each counts once
                skip.add(key)
                pool.append(c)
        if not pool:
            return []
        ranked = sorted(pool, key=lambda c: c.score, reverse=True)
        best = ranked[0]
        if best.score <= 0:
            return []
        chosen = [best] + [
            c for c in ranked[1:limit] if c.score >= KEEP_RATIO * best.score and c.score > 0
        ]
        chosen = _with_list_lines(chosen, pool)
        return sorted(chosen, key=lambda c: (c.rank, c.position))


_INTRODUCES_RE = re.compile(r":\s*$|\b(?:følgende|the following)\b", re.I)
MAX_LIST_ENTRY = 80
"""A line after a list's introduction is an entry when it is this short or marked."""


def introduces_list(sentence: str) -> bool:
    """'... følgende punkter:' / '... har udpeget følgende repræsentanter ...'."""
    return bool(_INTRODUCES_RE.search(sentence))


def _with_list_lines(chosen: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
    """A chosen sentence that introduces a list brings the entries that follow it."""
    by_place = {(c.rank, c.position): c for c in pool}
    result = list(chosen)
    taken = {(c.rank, c.position) for c in chosen}
    for c in chosen:
        if not introduces_list(c.text):
            continue
        marked: bool | None = None  # a list is all marked ('- x') or all bare lines
        for step in range(1, MAX_LIST_LINES + 1):
            nxt = by_place.get((c.rank, c.position + step))
            if nxt is None or introduces_list(nxt.text):
                break
            is_marked = bool(_LIST_LINE_RE.match(nxt.text))
            bare_entry = len(nxt.text) <= MAX_LIST_ENTRY and ". " not in nxt.text
            if marked is None:
                marked = is_marked
            if is_marked != marked or not (is_marked or bare_entry):
                break
            if (nxt.rank, nxt.position) not in taken:
                result.append(nxt)
                taken.add((nxt.rank, nxt.position))
    return result


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def cite(picked: Sequence[Candidate], rank_of: Callable[[Candidate], int] | None = None) -> str:
    """The picked sentences as answer text, each followed by its result marker; a list
    introduction and its entries read as one sentence with one marker."""
    parts: list[str] = []
    run: list[str] = []
    run_rank = 0
    for c in picked:
        rank = rank_of(c) if rank_of else c.rank
        entry = bool(_LIST_LINE_RE.match(c.text))
        if run and entry and rank == run_rank:
            run.append(_LIST_LINE_RE.sub("", c.text).rstrip(" .;"))
            continue
        if run:
            parts.append(_join_run(run, run_rank))
        run, run_rank = [c.text.rstrip() if introduces_list(c.text) else c.text], rank
    if run:
        parts.append(_join_run(run, run_rank))
    return " ".join(parts)


def _join_run(run: list[str], rank: int) -> str:
    head, entries = run[0], run[1:]
    if not entries:
        return f"{head} [{rank}]"
    head = head if head.endswith(":") else head.rstrip(".") + ":"
    return f"{head} {'; '.join(entries)}. [{rank}]"
