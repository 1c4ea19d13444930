"""Hybrid, item-level, decision-aware retrieval over the stored meetings.

Chunks are scored by the dense model (Chroma query) plus a language-weighted BM25 term,
then grouped by agenda item: results are items, each once, with its best passages.  The
question's named constraints (body, meeting date, doc type) and intent (decision vs
proposal) adjust item scores; they never silently drop items unless the user set a filter.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ingest.models import ROLES, AgendaItem, Meeting
from ingest.sections import section_role
from ingest.serialize import meeting_from_dict
from vectorstore.store import VectorStore

from .bodies import BodyIndex
from .cases import case_index
from .lexical import LexicalIndex
from .query import DateConstraint, QueryAnalysis, analyze

log = logging.getLogger(__name__)

DENSE_CANDIDATES = 200
# BM25 contributes by language: Danish questions share words with the documents,
# English ones mostly do not (measured on the dev set, see docs/BENCHMARKS.md).
LEXICAL_WEIGHT = {"da": 0.06, "en": 0.02}
BODY_MATCH_BONUS = 0.012
BODY_MISMATCH_PENALTY = 0.03
DATE_MATCH_BONUS = 0.025
DATE_MISMATCH_PENALTY = 0.02
DECISION_SECTION_BONUS = 0.01
MINUTES_BONUS_FOR_DECISIONS = 0.008
SECOND_PASSAGE_WEIGHT = 0.15
# At most this many items of one meeting before items of other meetings get their turn
# (one long meeting must not crowd out the others; a timeline needs every meeting).
# Not applied when the question names one meeting by its date.
MAX_ITEMS_PER_MEETING = 2


def parse_date(value: str | None) -> str | None:
    """'' / None -> None; 'YYYY-MM-DD' (or DD-MM-YYYY) -> ISO; otherwise ValueError."""
    value = (value or "").strip()
    if not value:
        return None
    m = re.fullmatch(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})", value)
    if m:
        value = f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date like 2023-06-21") from None


@dataclass(frozen=True)
class Filters:
    """User-set hard filters (CLI flags, API fields, UI controls)."""

    body: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    doc_type: str | None = None
    section: str | None = None

    def where(self) -> dict[str, Any] | None:
        """The equivalent Chroma ``where`` clause (None when no filter is set)."""
        clauses: list[dict[str, Any]] = []
        if self.body:
            clauses.append({"body": self.body})
        if self.doc_type:
            clauses.append({"doc_type": self.doc_type})
        if self.section:
            role = self.section_role()
            clauses.append({"section_role": role} if role else {"section": self.section})
        if self.date_from:
            clauses.append({"date_int": {"$gte": int(self.date_from.replace("-", ""))}})
        if self.date_to:
            clauses.append({"date_int": {"$lte": int(self.date_to.replace("-", ""))}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def section_role(self) -> str | None:
        """The role the section filter means: 'decision' for any decision section, whatever
        it is called in print (Beslutning, Referat:, 'Byrådets beslutning den ...')."""
        if not self.section:
            return None
        if self.section in ROLES:
            return self.section
        return section_role(self.section)

    def accepts(self, meta: dict[str, Any]) -> bool:
        """True when chunk metadata passes every set filter."""
        date = str(meta.get("date", ""))
        return (
            (not self.body or meta.get("body") == self.body)
            and (not self.doc_type or meta.get("doc_type") == self.doc_type)
            and (not self.section or self._section_ok(meta))
            and (not self.date_from or date >= self.date_from)
            and (not self.date_to or date <= self.date_to)
        )


    def _section_ok(self, meta: dict[str, Any]) -> bool:
        role = self.section_role()
        if role:
            return meta.get("section_role") == role
        return meta.get("section") == self.section


@dataclass
class Passage:
    chunk_id: str
    text: str
    section: str
    score: float
    dense: float
    lexical: float


@dataclass
class ItemHit:
    """One agenda item as a search result."""

    meeting: Meeting
    item: AgendaItem
    passages: list[Passage] = field(default_factory=list)
    score: float = 0.0
    dense: float = 0.0

    @property
    def best(self) -> Passage:
        return self.passages[0]

    @property
    def decision(self) -> str | None:
        """The recorded decision; None for agendas (which never record one)."""
        if self.meeting.doc_type == "dagsorden":
            return None
        return self.item.decision

    @property
    def proposal(self) -> str | None:
        return self.item.proposal


LEXICAL_CANDIDATES = 1000
"""BM25 candidates grouped per question beside the dense ones (issue: archive scale)."""


class Retriever:
    """Loads the index once; ``search`` answers in milliseconds after that."""

    def __init__(self, store: VectorStore, embedder: Any) -> None:
        self.store = store
        self.embedder = embedder
        self.refresh()

    def refresh(self) -> None:
        """(Re)load meetings and the lexical index from the store."""
        self.meetings: dict[str, Meeting] = {}
        current: dict[str, str] = {}
        for record in self.store.all_documents():
            payload = {k: v for k, v in record.payload.items() if k != "text"}
            meeting = meeting_from_dict(payload)
            self.meetings[meeting.meeting_id] = meeting
            current[record.source] = record.doc_hash
        ids, texts, metas = self.store.all_chunks()
        self.store_count = len(ids)
        keep = [
            i for i, m in enumerate(metas) if current.get(str(m.get("source"))) == m.get("doc_hash")
        ]
        self.chunk_ids = [ids[i] for i in keep]
        self.chunk_meta = {ids[i]: metas[i] for i in keep}
        self.chunk_text = {ids[i]: texts[i] for i in keep}
        lexical_texts = [f"{metas[i].get('item_title', '')}\n{texts[i]}" for i in keep]
        bodies = [str(metas[i].get("body") or "") for i in keep]
        self.lexical = LexicalIndex(self.chunk_ids, lexical_texts, bodies)
        self.bodies = BodyIndex(m.body for m in self.meetings.values() if m.body)
        self.cases = case_index(self.meetings.values())

    def search(
        self,
        query: QueryAnalysis,
        filters: Filters | None = None,
        limit: int = 10,
        search_text: str | None = None,
    ) -> list[ItemHit]:
        """Items ranked for ``query``; ``search_text`` overrides the text that is embedded."""
        filters = filters or Filters()
        text = search_text or query.text
        vector = self.embedder.embed_query(text)
        dense = {
            h.chunk_id: h.similarity
            for h in self.store.query(vector, DENSE_CANDIDATES, filters.where(),
                                      with_payload=False, total=self.store_count)
            if h.chunk_id in self.chunk_meta
        }
        # English words cannot match Danish text: BM25 gets the lexical form of the text
        lex_raw = self.lexical.scores(
            query.lexical_text
            if search_text is None
            else analyze(search_text, self.bodies).lexical_text
        )
        lex_max = float(lex_raw.max()) if lex_raw.size else 0.0
        lexical: dict[str, float] = {}
        if lex_max > 0:
            # only the best lexical candidates are grouped: at archive scale most chunks
            # share some word with a question, and scoring them all costs a second
            top = np.flatnonzero(lex_raw > 0)
            if top.size > LEXICAL_CANDIDATES:
                top = top[np.argpartition(-lex_raw[top], LEXICAL_CANDIDATES)[:LEXICAL_CANDIDATES]]
            lexical = {self.chunk_ids[i]: float(lex_raw[i]) / lex_max for i in top}
        floor = min(dense.values()) if dense else 0.0
        weight = LEXICAL_WEIGHT.get(query.language, 0.03)
        candidates = set(dense) | {c for c in lexical if filters.accepts(self.chunk_meta[c])}
        passages: list[tuple[str, Passage]] = []
        for cid in candidates:
            meta = self.chunk_meta[cid]
            d = dense.get(cid, floor)
            lx = lexical.get(cid, 0.0)
            score = d + weight * lx + self._section_bonus(query, meta)
            passages.append(
                (str(meta["meeting_id"]) + "\x00" + str(meta["item_number"]),
                 Passage(cid, self.chunk_text[cid], str(meta["section"]), score, d, lx))
            )
        hits = self._group(passages, query)
        hits.sort(key=lambda h: h.score, reverse=True)
        named = {(d.year, d.month) for d in query.dates if d.month is not None}
        if len(named) == 1 and not query.timeline:
            return hits[:limit]  # the question asks about one meeting: no diversity cap
        return cap_per_meeting(hits, MAX_ITEMS_PER_MEETING)[:limit]

    def _section_bonus(self, query: QueryAnalysis, meta: dict[str, Any]) -> float:
        if not query.wants_decision:
            return 0.0
        bonus = MINUTES_BONUS_FOR_DECISIONS if meta.get("doc_type") == "referat" else 0.0
        if meta.get("section_role") == "decision":
            bonus += DECISION_SECTION_BONUS
        return bonus

    def _group(
        self, passages: Iterable[tuple[str, Passage]], query: QueryAnalysis
    ) -> list[ItemHit]:
        grouped: dict[str, list[Passage]] = {}
        for key, passage in passages:
            grouped.setdefault(key, []).append(passage)
        hits: list[ItemHit] = []
        for key, group in grouped.items():
            meeting_id, number = key.split("\x00")
            meeting = self.meetings.get(meeting_id)
            item = meeting.item(number) if meeting else None
            if meeting is None or item is None:
                continue
            group.sort(key=lambda p: p.score, reverse=True)
            score = group[0].score
            if len(group) > 1:
                score += SECOND_PASSAGE_WEIGHT * max(0.0, group[1].score - group[0].score + 0.05)
            score += self._meeting_bonus(query, meeting)
            hits.append(ItemHit(meeting, item, group, score, group[0].dense))
        return hits

    @staticmethod
    def _meeting_bonus(query: QueryAnalysis, meeting: Meeting) -> float:
        bonus = 0.0
        if query.bodies:
            bonus += BODY_MATCH_BONUS if meeting.body in query.bodies else -BODY_MISMATCH_PENALTY
        # A bare year ("i 2022") usually names the period a fact is about, not the meeting;
        # a month or a day names the meeting.
        dates = [d for d in query.dates if d.month is not None]
        if dates:
            held = meeting.date or ""
            if held and (
                any(d.matches(held) for d in dates) or _in_named_period(dates, query, held)
            ):
                bonus += DATE_MATCH_BONUS
            else:
                bonus -= DATE_MISMATCH_PENALTY
        if query.doc_type and query.doc_type == meeting.doc_type:
            bonus += 0.005
        return bonus


def cap_per_meeting(hits: list[ItemHit], cap: int) -> list[ItemHit]:
    """Ranked hits with each meeting's hits beyond ``cap`` moved behind all others."""
    seen: dict[str, int] = {}
    first: list[ItemHit] = []
    rest: list[ItemHit] = []
    for hit in hits:
        n = seen.get(hit.meeting.meeting_id, 0)
        seen[hit.meeting.meeting_id] = n + 1
        (first if n < cap else rest).append(hit)
    return first + rest


def _in_named_period(dates: list[DateConstraint], query: QueryAnalysis, iso: str) -> bool:
    """A timeline question naming two or more months ("fra november 2022 til juni 2023")
    names a period: every meeting inside it matches."""
    if not query.timeline or len(dates) < 2:
        return False
    months = sorted((d.year, d.month or 1) for d in dates)
    year, month = int(iso[:4]), int(iso[5:7])
    return months[0] <= (year, month) <= months[-1]
