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
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ingest.models import ROLES, AgendaItem, Meeting, date_number
from ingest.sections import section_role
from ingest.serialize import meeting_from_dict
from vectorstore import Store
from vectorstore.filters import (
    Between,
    Column,
    Condition,
    Equals,
    MetadataFilter,
    metadata_column,
)
from vectorstore.store import IndexSignature

from . import retriever_cache
from .access import PUBLIC, Viewer, is_closed_content
from .bodies import BodyIndex
from .cases import case_index
from .cognates import Cognates
from .lexical import LexicalIndex
from .mentions import mentions_by_meeting, summed
from .places import PlaceIndex
from .query import QueryAnalysis, analyze
from .tuning import TUNING

log = logging.getLogger(__name__)


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

    def where(self) -> MetadataFilter | None:
        """The same filter for the store and the in-memory search (None when no filter is
        set); dates compare as integers YYYYMMDD (chunk metadata ``date_int``)."""
        role = self.section_role()
        conditions: list[Condition] = [
            Equals(key, value)
            for key, value in (("body", self.body), ("doc_type", self.doc_type),
                               ("section_role", role),
                               ("section", None if role else self.section))
            if value
        ]
        if self.date_from or self.date_to:
            conditions.append(Between("date_int", _day(self.date_from), _day(self.date_to)))
        return MetadataFilter(tuple(conditions)) if conditions else None

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


def _day(iso: str | None) -> int | None:
    """A filter's date as chunk metadata holds it (:func:`date_number`); None: no bound."""
    return date_number(iso) if iso else None


@dataclass(frozen=True)
class Passage:
    """One scored chunk of an item (frozen: a hit's passages are built once, then read)."""

    chunk_id: str
    text: str
    section: str
    score: float
    dense: float
    lexical: float


@dataclass(frozen=True)
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


class Retriever:
    """Loads the index once; ``search`` answers in milliseconds after that."""

    def __init__(self, store: Store, embedder: Any) -> None:
        self.store = store
        self.embedder = embedder
        self.refresh()

    def refresh(self) -> None:
        """(Re)load meetings, chunks, their vectors and the lexical index: from the state
        saved beside the index when the store has not changed since it was saved, else
        from the store (then saved for the next start; ``assistant/retriever_cache.py``)."""
        state = self._load_state()
        self.meetings: dict[str, Meeting] = {m.meeting_id: m for m in state.meetings}
        self.chunk_ids = state.chunk_ids
        self.chunk_meta = dict(zip(state.chunk_ids, state.chunk_metas, strict=True))
        self.chunk_text = dict(zip(state.chunk_ids, state.chunk_texts, strict=True))
        self.vectors = state.vectors
        self._has_vector = np.any(state.vectors != 0, axis=1)
        self._columns: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.lexical = state.lexical
        self.cognates = Cognates(self.lexical.open_vocabulary)
        held = sorted(m.date for m in self.meetings.values() if m.date)
        self.span = (held[0], held[-1]) if held else ("", "")
        """The first and last meeting dates the archive holds (ISO; '' when none)."""
        self.mentions = state.mentions
        """The municipalities each meeting's open pages name, how often (by meeting id)."""
        self.bodies = BodyIndex(
            (m.body for m in self.meetings.values() if m.body), embedder=self.embedder,
            mentions=self._body_mentions, placed=self._body_placed,
        )
        with retriever_cache.gc_paused():  # a treatment per case item, all kept
            self.cases = case_index(self.meetings.values())
        self.places = PlaceIndex(self.meetings.values,
                                 lambda meeting_id: self.mentions.get(meeting_id, {}),
                                 self.address)

    @staticmethod
    def address(meeting: Meeting) -> str:
        """Where ``meeting``'s document is filed ('.../stevns.dk/dagsorden/kommunalbestyrelsen-
        22-01-2020.txt'): an archive files a page under its municipality and body even when
        the page never names them."""
        return meeting.source or ""

    def _body_mentions(self, body: str) -> Counter[str]:
        """The municipalities ``body``'s documents name (what the body index reads a
        council's municipality from)."""
        return summed(self.mentions.get(m.meeting_id, {}) for m in self.meetings.values()
                      if m.body == body)

    def _body_placed(self, body: str, place: str) -> bool:
        """True when one of ``body``'s documents is of ``place`` (filed under it, or its
        text names it as its own)."""
        return any(self.places.of(m, place) for m in self.meetings.values() if m.body == body)

    def _load_state(self) -> retriever_cache.RetrieverState:
        """The saved state if the store's signature still matches it, else a fresh one."""
        signature = self.store.signature()
        self.signature: IndexSignature = signature
        """What the store held when this state was read (a reader compares it with the
        store's to tell that its copy is stale)."""
        root = self.store.local_path
        folder = root / retriever_cache.CACHE_DIR if root is not None else None
        key = retriever_cache.cache_key(signature, self.store.identity)
        if folder is not None:
            cached = retriever_cache.load(folder, key)
            if cached is not None:
                return cached
        state = self._state_from_store()
        # saved only when nothing changed while it was read (else it is stale already)
        if folder is not None and self.store.signature() == signature:
            retriever_cache.save(folder, key, state)
        return state

    def _state_from_store(self) -> retriever_cache.RetrieverState:
        """Current meetings, the chunks of current document versions (a chunk whose hash is
        not its record's belongs to a replaced or unfinished version), their unit vectors
        and the lexical index, all read from the store."""
        meetings: list[Meeting] = []
        current: dict[str, str] = {}
        for record in self.store.all_documents():
            meetings.append(meeting_from_dict(record.payload))  # the source text is left out
            current[record.source] = record.doc_hash
        ids, texts, metas, vectors = self.store.all_chunk_vectors()
        keep = [
            i for i, m in enumerate(metas) if current.get(str(m.get("source"))) == m.get("doc_hash")
        ]
        kept_ids = [ids[i] for i in keep]
        unit = vectors[keep]
        norms = np.linalg.norm(unit, axis=1, keepdims=True)
        unit = unit / np.where(norms > 0, norms, 1.0)
        lexical_texts = [f"{metas[i].get('item_title', '')}\n{texts[i]}" for i in keep]
        bodies = [str(metas[i].get("body") or "") for i in keep]
        # closed items' words are kept apart: they must not be "known" to every viewer
        restricted = [is_closed_content(metas[i]) for i in keep]
        kept_texts = [texts[i] for i in keep]
        mentions = mentions_by_meeting([str(metas[i].get("meeting_id")) for i in keep],
                                       kept_texts, [not r for r in restricted])
        return retriever_cache.RetrieverState(
            meetings, kept_ids, kept_texts, [metas[i] for i in keep],
            unit.astype(np.float32),
            LexicalIndex(kept_ids, lexical_texts, bodies, restricted=restricted),
            mentions,
        )

    def _dense(self, vector: np.ndarray, filters: Filters) -> dict[str, float]:
        """Dense candidates: chunk id -> cosine similarity.  Exact over the vectors held in
        memory when a filter is set (a Chroma ``where`` costs ~230 ms at 100k chunks, the
        masked product ~10 ms) or the archive is small; Chroma's HNSW index otherwise."""
        where = filters.where()
        n = len(self.chunk_ids)
        mask = None if where is None else where.mask(self._column, n)
        exact_max = TUNING.ranking.exact_search_max
        if (where is None and n > exact_max) or (where is not None and mask is None):
            return {
                h.chunk_id: h.similarity
                for h in self.store.query(vector, TUNING.ranking.dense_candidates, where,
                                          with_payload=False, total=self.signature[0])
                if h.chunk_id in self.chunk_meta
            }
        q = unit_vector(vector)
        if mask is None:
            rows = np.arange(n)
            sims = self.vectors @ q
        else:
            rows = np.flatnonzero(mask)
            sims = self.vectors[rows] @ q
        wanted = TUNING.ranking.dense_candidates
        if sims.size > wanted:
            best = np.argpartition(-sims, wanted - 1)[:wanted]
        else:
            best = np.arange(sims.size)
        # a zero row is a chunk whose vector the store lost: no vector query returns it
        return {self.chunk_ids[rows[i]]: float(sims[i]) for i in best
                if self._has_vector[rows[i]]}

    def _column(self, key: str) -> Column:
        """(values, present) of one metadata key over ``chunk_ids``, typed for numpy
        comparisons; built on first use."""
        if key not in self._columns:
            self._columns[key] = metadata_column(
                [self.chunk_meta[c].get(key) for c in self.chunk_ids]
            )
        return self._columns[key]

    def search(
        self,
        query: QueryAnalysis,
        filters: Filters | None = None,
        limit: int = 10,
        search_text: str | None = None,
        viewer: Viewer = PUBLIC,
    ) -> list[ItemHit]:
        """Items ranked for ``query``; ``search_text`` overrides the text that is embedded.

        ``viewer`` decides whether closed items' content is searched and shown
        (:mod:`assistant.access`): hidden chunks are never candidates."""
        filters = filters or Filters()
        text = search_text or query.text
        vector = self.embedder.embed_query(text)
        dense = self._dense(vector, filters)
        hidden = np.empty(0, dtype=np.intp) if viewer.sees_closed else self.closed_rows()
        if hidden.size:  # closed items' content: found only by the closed role
            dense = {c: s for c, s in dense.items() if viewer.may_read(self.chunk_meta[c])}
        scaled = self._lexical_scores(query, search_text, hidden)
        lexical: dict[str, float] = {}
        top = np.flatnonzero(scaled > 0)
        if top.size:
            # only the best lexical candidates are grouped: at archive scale most chunks
            # share some word with a question, and scoring them all costs a second
            most = TUNING.ranking.lexical_candidates
            if top.size > most:
                top = top[np.argpartition(-scaled[top], most)[:most]]
            lexical = {self.chunk_ids[i]: float(scaled[i]) for i in top}
        floor = min(dense.values()) if dense else 0.0
        tune = TUNING.ranking
        weight = tune.lexical_weight.get(query.language, tune.lexical_weight_other)
        candidates = set(dense) | {c for c in lexical if filters.accepts(self.chunk_meta[c])}
        passages: list[tuple[str, Passage]] = []
        for cid in candidates:
            meta = self.chunk_meta[cid]
            passage = self._passage(cid, dense.get(cid, floor), lexical.get(cid, 0.0), weight,
                                    query)
            passages.append((item_key(meta["meeting_id"], meta["item_number"]), passage))
        hits = self._group(passages, query)
        # equal scores in a fixed order (candidates come from sets: runs would differ)
        hits.sort(key=lambda h: (-h.score, h.meeting.meeting_id, h.item.order))
        named = {(d.year, d.month) for d in query.dates if d.month is not None}
        if len(named) != 1 or query.timeline:  # a question naming one meeting: no cap
            hits = cap_per_meeting(hits, TUNING.ranking.max_items_per_meeting)
        unit = unit_vector(vector)
        found = [self._all_passages(h, unit, scaled, weight, query, filters, viewer)
                 for h in hits[:limit]]
        return viewer.hits(found)

    def _passage(
        self, cid: str, dense: float, lexical: float, weight: float, query: QueryAnalysis
    ) -> Passage:
        """Chunk ``cid`` scored for ``query``: its closeness in meaning, its (scaled) lexical
        score at the language's weight and the bonus its section earns."""
        meta = self.chunk_meta[cid]
        score = dense + weight * lexical + self._section_bonus(query, meta)
        return Passage(cid, self.chunk_text[cid], str(meta["section"]), score, dense, lexical)

    def _lexical_scores(
        self, query: QueryAnalysis, search_text: str | None, hidden: np.ndarray
    ) -> np.ndarray:
        """Every chunk's lexical (BM25) score scaled to 0..1 by the best; hidden rows 0."""
        # English words cannot match Danish text: BM25 gets the lexical form of the text
        read = query if search_text is None else analyze(
            search_text, self.bodies, self.cognates)
        raw = self.lexical.scores(read.lexical_text, read.lexical_stems)
        if hidden.size:
            raw = raw.copy()
            raw[hidden] = 0.0
        best = float(raw.max()) if raw.size else 0.0
        return raw / best if best > 0 else raw

    def _all_passages(
        self, hit: ItemHit, unit: np.ndarray, lexical: np.ndarray, weight: float,
        query: QueryAnalysis, filters: Filters, viewer: Viewer,
    ) -> ItemHit:
        """``hit`` with its passages chosen from all of its item's chunks, not only those
        among the archive-wide candidates: the passage that holds what was asked is often
        not among an archive's best few hundred (an English question's words cannot meet
        Danish text).  Its rank and score stay as they were."""
        rows = self.item_rows().get(item_key(hit.meeting.meeting_id, hit.item.number))
        if rows is None or rows.size <= 1:
            return hit
        sims = self.vectors[rows] @ unit
        passages: list[Passage] = []
        for row, d in zip(rows.tolist(), sims.tolist(), strict=True):
            cid = self.chunk_ids[row]
            meta = self.chunk_meta[cid]
            if not (self._has_vector[row] and filters.accepts(meta) and viewer.may_read(meta)):
                continue
            lx = float(lexical[row]) if lexical.size else 0.0
            passages.append(self._passage(cid, d, lx, weight, query))
        if not passages:
            return hit
        passages.sort(key=lambda p: (-p.score, p.chunk_id))
        # the best passage is kept first: it is what the item was found (and is cited) by
        best = hit.passages[0]
        ordered = [best, *(p for p in passages if p.chunk_id != best.chunk_id)]
        return replace(hit, passages=ordered)

    def item_rows(self) -> dict[str, np.ndarray]:
        """Each item's chunk rows (in ``chunk_ids`` order), worked out once per load."""
        cached = getattr(self, "_rows_by_item", None)
        if cached is None or cached[0] is not self.chunk_ids:
            rows: dict[str, list[int]] = {}
            for k, cid in enumerate(self.chunk_ids):
                meta = self.chunk_meta[cid]
                rows.setdefault(item_key(meta["meeting_id"], meta["item_number"]), []).append(k)
            cached = (self.chunk_ids, {k: np.asarray(v, dtype=np.intp) for k, v in rows.items()})
            self._rows_by_item = cached
        return cached[1]

    def row_items(self) -> np.ndarray:
        """The item (an index into :meth:`item_rows`' order) of each chunk row."""
        cached = getattr(self, "_items_by_row", None)
        if cached is None or cached[0] is not self.chunk_ids:
            items = np.zeros(len(self.chunk_ids), dtype=np.intp)
            for k, rows in enumerate(self.item_rows().values()):
                items[rows] = k
            cached = (self.chunk_ids, items)
            self._items_by_row = cached
        return cached[1]

    def closed_rows(self) -> np.ndarray:
        """Rows (in ``chunk_ids`` order) of closed items' content chunks, which only the
        ``closed`` role may find (:mod:`assistant.access`); worked out once per load."""
        cached = getattr(self, "_closed_rows", None)
        if cached is None or cached[0] is not self.chunk_ids:
            rows = [k for k, cid in enumerate(self.chunk_ids)
                    if is_closed_content(self.chunk_meta[cid])]
            cached = (self.chunk_ids, np.asarray(rows, dtype=np.intp))
            self._closed_rows = cached
        return cached[1]

    def _section_bonus(self, query: QueryAnalysis, meta: dict[str, Any]) -> float:
        if not query.wants_decision:
            return 0.0
        tune = TUNING.ranking
        bonus = tune.minutes_bonus_for_decisions if meta.get("doc_type") == "referat" else 0.0
        if meta.get("section_role") == "decision":
            bonus += tune.decision_section_bonus
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
            group.sort(key=lambda p: (-p.score, p.chunk_id))
            score = group[0].score
            if len(group) > 1:
                gain = max(0.0, group[1].score - group[0].score + 0.05)
                score += TUNING.ranking.second_passage_weight * gain
            score += self._meeting_bonus(query, meeting) + _title_year_bonus(query, item)
            hits.append(ItemHit(meeting, item, group, score, group[0].dense))
        return hits

    @staticmethod
    def _meeting_bonus(query: QueryAnalysis, meeting: Meeting) -> float:
        bonus = 0.0
        if query.bodies:
            tune = TUNING.ranking
            bonus += (tune.body_match_bonus if meeting.body in query.bodies
                      else -tune.body_mismatch_penalty)
        # A bare year ("i 2022") usually names the period a fact is about, not the meeting;
        # a month or a day names the meeting.
        dates = [d for d in query.dates if d.month is not None]
        if dates:
            held = meeting.date or ""
            if held and (
                any(d.matches(held) for d in dates) or query.in_period(held)
            ):
                bonus += TUNING.ranking.date_match_bonus
            else:
                bonus -= TUNING.ranking.date_mismatch_penalty
        if query.doc_type and query.doc_type == meeting.doc_type:
            bonus += 0.005
        return bonus


_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def _title_year_bonus(query: QueryAnalysis, item: AgendaItem) -> float:
    """A matter that recurs every year ('Befolkningsprognose 2023', 'Budget 2025-28'):
    when the question names a bare year, the item whose title carries it is the one
    asked about, and one whose title carries only other years is not."""
    # a year with a month or day names a meeting; the meeting date is scored elsewhere
    asked = set(query.matter_years)
    if not asked:
        return 0.0
    titled = {int(y) for y in _YEAR_RE.findall(item.title)}
    if not titled:
        return 0.0
    return TUNING.ranking.title_year_bonus if titled & asked else -TUNING.ranking.title_year_bonus


def unit_vector(vector: Any) -> np.ndarray:
    """``vector`` as a flat float32 unit vector (a zero vector stays zero)."""
    q = np.asarray(vector, dtype=np.float32).ravel()
    return q / (float(np.linalg.norm(q)) or 1.0)


def item_key(meeting_id: object, item_number: object) -> str:
    return f"{meeting_id}\x00{item_number}"


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
