"""The state every request shares: one retriever + assistant, swapped whole on ingest.

One process owns the index: ingests run under a lock and build a fresh retriever before it
replaces the old one, so a request never sees a half-refreshed one; searches (CPU-bound)
run at most ``SEARCH_PARALLELISM`` at a time.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.access import PUBLIC, Viewer
from assistant.answer import Answer, Assistant
from assistant.lexical import Analyzer
from assistant.links import item_url
from assistant.llm import StreamEvent, ask_streaming
from assistant.messages import message
from assistant.query import DA_MARKERS, EN_MARKERS
from assistant.search import Filters, Retriever
from assistant.settings import Services
from assistant.watch import Match, Watch, WatchError, WatchStore, item_keys
from ingest.chunker import DOC_TYPE_LABEL, item_label
from ingest.danish import number_key
from ingest.models import AgendaItem, Meeting
from ingest.parser import MeetingHints
from ingest.pipeline import Ingestor
from vectorstore.store import IndexSignature

from .users import Authenticator

log = logging.getLogger("web")

TIMELINE_K = 40
# Searches computed at once: they are CPU-bound (embedding + BM25), so more than the cores
# only makes every request slower (measured: 20 concurrent clients, see tests/bench_api.py).
SEARCH_PARALLELISM = int(os.environ.get("MEETINGS_SEARCH_THREADS", 0)) or (os.cpu_count() or 2)


def make_filters(
    body: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    doc_type: str | None = None,
    section: str | None = None,
    decisions_only: bool = False,
) -> Filters:
    """Filters from UI/API values ('' means unset); decisions only implies minutes."""
    if decisions_only:
        # a decision section filter covers KKR's Beslutning and KD-Net's "Referat:" alike
        return Filters(body or None, date_from or None, date_to or None, "referat", "Beslutning")
    return Filters(body or None, date_from or None, date_to or None, doc_type or None,
                   section or None)


def example_questions(meetings: Iterable[Meeting], languages: Sequence[str]) -> list[str]:
    """One question per entry of ``languages`` about items the index holds (the chat's
    examples; none for an empty index), the same for the same index.

    Newest meetings first, one per body before any body's second, so the examples show
    the archive's range; of each, the item with the most text among those whose title only
    one meeting day carries (standing items - approving the minutes, any other business -
    recur and show nothing of the archive); closed items never.  The question asks for
    what the item records: the decision in minutes, else the proposal
    (``assistant/locales``, table ``[examples]``)."""
    ordered = sorted(meetings, key=lambda m: (m.date or "", m.meeting_id), reverse=True)
    days: dict[str, set[tuple[str | None, str | None]]] = {}
    for meeting in ordered:
        for item in meeting.items:
            days.setdefault(item.title, set()).add((meeting.body, meeting.date))
    seen: Counter[str | None] = Counter()
    turn: dict[str, int] = {}
    for meeting in ordered:  # a body's newest meeting has turn 0, its next turn 1, ...
        turn[meeting.meeting_id] = seen[meeting.body]
        seen[meeting.body] += 1
    questions: list[str] = []
    asked: set[str] = set()
    for meeting in sorted(ordered, key=lambda m: turn[m.meeting_id]):  # stable: newest first
        if len(questions) == len(languages):
            break
        items = [i for i in meeting.items if not i.closed and i.title not in asked
                 and len(days[i.title]) == 1 and _text_length(i) > 0]
        if items:
            item = max(items, key=_text_length)
            asked.add(item.title)
            kind = ("decided" if meeting.doc_type == "referat" and item.decision
                    else "proposed" if item.proposal else "about")
            questions.append(message(f"examples.{kind}", languages[len(questions)],
                                     title=item.title))
    return questions


def _text_length(item: AgendaItem) -> int:
    return sum(len(s.text.strip()) for s in item.sections)


class AppCore:
    """The retriever/assistant every request shares, and the lock that serialises ingests."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._lock = threading.Lock()
        self._searches = threading.BoundedSemaphore(SEARCH_PARALLELISM)
        self.ingestor = Ingestor(services.store, services.embedder)
        self.signature: IndexSignature = (0, frozenset())
        self.assistant = self._load()
        self.analyzer = Analyzer()
        self.auth = Authenticator()
        """Who a request's headers say is asking (``create_app`` sets the configured one)."""
        self.watches = WatchStore.beside(services.settings.db_dir)
        """The topic watches of this index, refreshed after every ingest."""

    # -- loading ----------------------------------------------------------------------
    def _load(self) -> Assistant:
        retriever = Retriever(self.services.store, self.services.embedder)
        self.signature = retriever.signature  # read once, before the state it describes
        return Assistant(retriever, self.services.generator)

    def reload(self) -> None:
        with self._lock:
            self.assistant = self._load()

    def refresh_if_stale(self) -> bool:
        """Reload when another process changed the stored documents; True if it was stale.

        Note: Chroma's in-process vector index of an embedded directory does not see another
        process's writes until restart; one process (this app) should own the directory.
        """
        if self.services.store.signature() == self.signature:
            return False
        log.warning("index changed outside this process; reloading meetings and BM25")
        self.reload()
        return True

    @property
    def retriever(self) -> Retriever:
        return self.assistant.retriever

    # -- operations -------------------------------------------------------------------
    def viewer(self, headers: Any) -> Viewer:
        """The viewer (roles) of a request with these headers; no roles when unknown."""
        return self.auth.identify(headers) or PUBLIC

    def ingest(
        self, paths: list[str | Path], hints: MeetingHints | None = None,
        include_closed: bool = False,
    ) -> dict[str, Any]:
        with self._lock:
            report = self.ingestor.ingest(paths, hints=hints, include_closed=include_closed)
            watched: dict[str, int] = {}
            if report.ingested or report.removed:
                self.assistant = self._load()
                watched = self.refresh_watches()
        return {**report.as_dict(), **({"watches": watched} if watched else {})}

    def refresh_watches(self) -> dict[str, int]:
        """Record what each topic watch finds among the newly ingested items (the number
        per watch); a watch file that cannot be read is logged by name, never rewritten."""
        try:
            added = self.watches.refresh(self.retriever, self.services.settings.watch_threshold())
        except WatchError as exc:
            log.error("watches not refreshed: %s", exc)
            return {}
        return {name: len(found) for name, found in added.items()}

    def add_watch(self, name: str, query: str, body: str | None,
                  backfill: bool = False) -> tuple[Watch, list[Match]]:
        """A new watch whose baseline is every item loaded now (none with ``backfill``:
        then the existing matches are recorded at once)."""
        retriever = self.retriever
        watch = self.watches.add(name, query, body,
                                 {} if backfill else item_keys(retriever.meetings.values()))
        if not backfill:
            return watch, []
        found = self.watches.refresh(retriever, self.services.settings.watch_threshold())
        return watch, found.get(name, [])

    def ask(
        self, question: str, k: int = 5, filters: Filters | None = None,
        search_text: str | None = None, timeline: bool | None = None,
        viewer: Viewer = PUBLIC,
    ) -> Answer:
        assistant = self.assistant
        with self._searches:
            return assistant.ask(question, k=k, filters=filters, search_text=search_text,
                                 timeline=timeline, viewer=viewer)

    def ask_stream(
        self, question: str, k: int = 5, filters: Filters | None = None,
        search_text: str | None = None, viewer: Viewer = PUBLIC,
    ) -> Iterator[StreamEvent]:
        """:meth:`ask` with an LLM's answer line streamed, verified sentence by sentence
        (:func:`assistant.llm.ask_streaming`); the search holds a search slot, the model's
        writing does not.  Without an LLM: one ``done`` event with the extractive answer."""
        return ask_streaming(self.assistant, question, gate=self._searches, k=k,
                             filters=filters, search_text=search_text, viewer=viewer)

    def timeline(
        self, topic: str, filters: Filters | None = None, viewer: Viewer = PUBLIC
    ) -> list[dict[str, Any]]:
        """Every item matching ``topic`` (within the timeline floor), in date order."""
        results = self.ask(topic, k=TIMELINE_K, filters=filters, timeline=True,
                           viewer=viewer).results
        return sorted(results,
                      key=lambda r: (r["meeting"]["date"], number_key(r["item"]["number"])))

    def query_terms(self, text: str) -> list[str]:
        """Words of a question worth highlighting in passages."""
        skip = DA_MARKERS | EN_MARKERS
        return [w for w in self.analyzer.words(text) if len(w) >= 3 and w not in skip]

    # -- source lookups ---------------------------------------------------------------
    def meeting(self, meeting_id: str) -> Meeting | None:
        return self.retriever.meetings.get(meeting_id)

    def chunk(self, chunk_id: str) -> tuple[str, dict[str, Any]] | None:
        """(text, metadata) of a stored chunk, from memory or else from the store."""
        retriever = self.retriever
        if chunk_id in retriever.chunk_text:
            return retriever.chunk_text[chunk_id], dict(retriever.chunk_meta[chunk_id])
        found = self.services.store.get_chunk(chunk_id)
        return None if found is None else (found[0], dict(found[1]))

    def paired(self, meeting: Meeting, number: str) -> list[tuple[str, str]]:
        """Links to the same item number in the other document (agenda/minutes) of that day."""
        links = []
        for other in self.retriever.meetings.values():
            if (other.body, other.date) == (meeting.body, meeting.date) and (
                other.doc_type != meeting.doc_type
            ):
                item = other.item(number)
                if item is not None:
                    label = " · ".join([DOC_TYPE_LABEL[other.doc_type],
                                        item_label(item.number, item.title)])
                    links.append((item_url(other.meeting_id, item.number), label))
        return links

    def examples(self, languages: Sequence[str]) -> list[str]:
        """Example questions about what the index holds (:func:`example_questions`)."""
        return example_questions(self.retriever.meetings.values(), languages)

    def bodies(self) -> list[str]:
        """The bodies the index holds (the UI's body filter, the API's body check)."""
        return list(self.retriever.bodies.bodies)

    def body_words(self) -> frozenset[str]:
        """Lower-case words of the held bodies' names (filler in follow-up questions)."""
        return self.retriever.bodies.name_words

    def same_case(self, meeting: Meeting, number: str) -> list[tuple[str, str]]:
        """Links to the other treatments of this item's case (Samme sag), in date order."""
        item = meeting.item(number)
        if item is None or not item.case_number:
            return []
        return [
            (t.url(), t.label())
            for t in self.assistant.case(item.case_number)
            if (t.meeting.meeting_id, t.item.number) != (meeting.meeting_id, number)
        ]
