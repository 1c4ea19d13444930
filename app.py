"""Web app: Gradio chat (mounted at ``/``), a JSON API (``/api/...``) and an HTML source view.

One process owns the index: it ingests the bundled sample corpus at start, builds one
:class:`~assistant.search.Retriever` + :class:`~assistant.answer.Assistant` and shares them
between all requests (reads only).  Ingests (``POST /api/ingest``) run under a lock and swap
in a freshly loaded retriever, so a request never sees a half-refreshed one.

Routes
======
``/``                                   Gradio UI: chat with cited cards, filters, timeline,
                                        pins -> briefing (DOCX / Markdown)
``/item/<meeting_id>/<number>?hl=<id>`` source item as a plain HTML page, cited passage marked
``POST /api/ask``                       ``Answer.as_dict()`` (the ``meetings ask --json`` contract)
``GET /api/items/<meeting_id>/<number>`` item JSON (meeting header, sections, decision, ...)
``GET /api/meetings``                   outline of every stored meeting
``GET /api/health``                     index/model status, stale-index detection
``POST /api/ingest``                    multipart upload (field ``files``) or ``{"paths": [...]}``;
                                        optional ``body``/``date``/``doc_type`` override them
``/api/docs``                           OpenAPI docs

Auth (optional): HTTP basic auth as an ASGI middleware in front of *everything* (UI, API,
source view, Gradio's file routes); Gradio's own ``auth=`` would protect the UI only.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import base64
import binascii
import datetime as dt
import hashlib
import html
import logging
import re
import secrets
import tempfile
import threading
import uuid
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, Literal

import gradio as gr
from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.datastructures import UploadFile
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.answer import Answer, Assistant
from assistant.briefing import build_briefing, md_escape, to_docx, to_markdown
from assistant.lexical import Analyzer
from assistant.links import UNNUMBERED, item_url
from assistant.query import DA_MARKERS, EN_MARKERS, MONTHS
from assistant.search import Filters, Retriever, parse_date
from assistant.settings import SAMPLE_CORPUS, Services, Settings
from assistant.sourceview import SOURCE_CSS, highlight_terms, render_item
from ingest.chunker import DOC_TYPE_LABEL, format_date
from ingest.models import Meeting
from ingest.parser import MeetingHints
from ingest.pipeline import Ingestor, IngestReport
from ingest.readers import SUPPORTED_EXTENSIONS
from ingest.serialize import meeting_to_dict, outline_entry

log = logging.getLogger("app")

MAX_K = 50
TIMELINE_K = 40
API_MAX_IN_FLIGHT = 64  # /api/ask requests running or waiting; more -> 503 "busy"
UI_CONCURRENCY = 20  # Gradio events running at once (per event)
# Searches computed at once: they are CPU-bound (embedding + BM25), so more than the cores
# only makes every request slower (measured: 20 concurrent clients, see tests/bench_api.py).
SEARCH_PARALLELISM = int(os.environ.get("MEETINGS_SEARCH_THREADS", 0)) or (os.cpu_count() or 2)
UI_QUEUE_SIZE = 64  # Gradio queue; beyond it the browser shows "busy, try again"
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
UPLOAD_MAX_FILES = 20
BUSY = "The server is busy; please try again in a moment. / Serveren er optaget; prøv igen."


# --- shared state ----------------------------------------------------------------------


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


class AppCore:
    """The retriever/assistant every request shares, and the lock that serialises ingests."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._lock = threading.Lock()
        self._searches = threading.BoundedSemaphore(SEARCH_PARALLELISM)
        self.ingestor = Ingestor(services.store, services.embedder)
        self.signature: tuple[int, frozenset[tuple[str, str]]] = (0, frozenset())
        self.assistant = self._load()
        self.analyzer = Analyzer()

    # -- loading ----------------------------------------------------------------------
    def _load(self) -> Assistant:
        self.signature = self._current_signature()
        return Assistant(Retriever(self.services.store, self.services.embedder))

    def _current_signature(self) -> tuple[int, frozenset[tuple[str, str]]]:
        """What the retriever was loaded from: chunk count and (source, hash) per document."""
        got = self.services.store.documents.get(include=["metadatas"])
        docs = frozenset(
            (str(m.get("source", "")), str(m.get("doc_hash", ""))) for m in got["metadatas"] or []
        )
        return self.services.store.chunk_count(), docs

    def reload(self) -> None:
        with self._lock:
            self.assistant = self._load()

    def refresh_if_stale(self) -> bool:
        """Reload when another process changed the stored documents; True if it was stale.

        Note: Chroma's in-process vector index of an embedded directory does not see another
        process's writes until restart; one process (this app) should own the directory.
        """
        if self._current_signature() == self.signature:
            return False
        log.warning("index changed outside this process; reloading meetings and BM25")
        self.reload()
        return True

    @property
    def retriever(self) -> Retriever:
        return self.assistant.retriever

    # -- operations -------------------------------------------------------------------
    def ingest(self, paths: list[str | Path], hints: MeetingHints | None = None) -> dict[str, Any]:
        with self._lock:
            report = self.ingestor.ingest(paths, hints=hints)
            if report.ingested or report.removed:
                self.assistant = self._load()
        return report.as_dict()

    def ask(
        self, question: str, k: int = 5, filters: Filters | None = None,
        search_text: str | None = None, timeline: bool | None = None,
    ) -> Answer:
        assistant = self.assistant
        with self._searches:
            return assistant.ask(question, k=k, filters=filters, search_text=search_text,
                                 timeline=timeline)

    def timeline(self, topic: str, filters: Filters | None = None) -> list[dict[str, Any]]:
        """Every item matching ``topic`` (within the timeline floor), in date order."""
        results = self.ask(topic, k=TIMELINE_K, filters=filters, timeline=True).results
        return sorted(results,
                      key=lambda r: (r["meeting"]["date"], _number_key(r["item"]["number"])))

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
        got = self.services.store.chunks.get(ids=[chunk_id], include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        return (got["documents"] or [""])[0] or "", dict((got["metadatas"] or [{}])[0] or {})

    def paired(self, meeting: Meeting, number: str) -> list[tuple[str, str]]:
        """Links to the same item number in the other document (agenda/minutes) of that day."""
        links = []
        for other in self.retriever.meetings.values():
            if (other.body, other.date) == (meeting.body, meeting.date) and (
                other.doc_type != meeting.doc_type
            ):
                item = other.item(number)
                if item is not None:
                    label = f"{DOC_TYPE_LABEL[other.doc_type]} · pkt. {item.number} {item.title}"
                    links.append((item_url(other.meeting_id, item.number), label))
        return links


    def bodies(self) -> list[str]:
        """The bodies the index holds (the UI's body filter)."""
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


def _number_key(number: str) -> tuple[int, ...]:
    parts = number.split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else (10**9,)


# --- follow-up questions ---------------------------------------------------------------

FOLLOWUP_START = re.compile(
    r"^\s*(og|men|samt|også|hvad med|hvad så med|end|and|but|also|what about|how about)\b",
    re.IGNORECASE,
)
FOLLOWUP_FILLER = {
    "skete", "sket", "så", "der", "samme", "happened", "then", "same", "year", "året", "år",
    "mødet", "meeting", "referat", "dagsorden", "minutes", "agenda", *MONTHS,
}


def is_followup(question: str, body_words: frozenset[str] = frozenset()) -> bool:
    """Elliptic questions ('og hvad skete der i 2025?', 'and in 2025?', 'og i Byrådet?')
    lean on the last one; ``body_words`` are the words of the archive's body names."""
    if FOLLOWUP_START.match(question):
        return True
    words = [w for w in Analyzer().words(question) if w not in DA_MARKERS | EN_MARKERS]
    filler = FOLLOWUP_FILLER | body_words
    return all(w.isdigit() or w in filler for w in words)


def followup_search_text(
    question: str, previous: list[str], body_words: frozenset[str] = frozenset()
) -> str | None:
    """``last standalone question + new question`` for an elliptic question, else None."""
    if not is_followup(question, body_words):
        return None
    topic = next((q for q in reversed(previous) if not is_followup(q, body_words)), None)
    return f"{topic} {question}" if topic else None


# --- HTML rendering (all document text escaped) -------------------------------------------

CARD_TEXT = {
    "da": {
        "decision": "Beslutning:",
        "agenda_no_decision": "Ingen beslutning registreret – dagsorden, indstilling:",
        "agenda_no_decision_bare": "Ingen beslutning registreret – dagsorden.",
        "minutes_no_decision": "Ingen beslutning registreret i referatet.",
        "open": "Åbn kilden ↗",
        "sources": "Kilder",
        "nothing": "Ingen resultater.",
        "timeline_empty": "Ingen punkter fundet om emnet.",
        "recommendation": "Indstilling:",
    },
    "en": {
        "decision": "Decision:",
        "agenda_no_decision": "No decision recorded – agenda, recommendation (Indstilling):",
        "agenda_no_decision_bare": "No decision recorded – agenda.",
        "minutes_no_decision": "No decision recorded in the minutes.",
        "open": "Open source ↗",
        "sources": "Sources",
        "nothing": "No results.",
        "timeline_empty": "No items found on this topic.",
        "recommendation": "Recommendation (Indstilling):",
    },
}

APP_CSS = """
.mc-card { border: 1px solid #d0d7de; border-radius: 8px; padding: .6em .9em; margin: .6em 0; }
.mc-cite { font-weight: 600; }
.mc-rank { color: #57606a; margin-right: .3em; }
.mc-passage { white-space: pre-wrap; max-height: 14em; overflow: auto; margin: .5em 0;
  padding-left: .7em; border-left: 3px solid #d0d7de; }
.mc-decision { background: #f1f8f1; border-left: 3px solid #2e7d32; padding: .3em .6em; }
.mc-nodecision { background: #fff8e6; border-left: 3px solid #c98a00; padding: .3em .6em; }
.mc-open { display: inline-block; margin-top: .4em; }
mark.ma-term { background: #ffe58a; color: inherit; padding: 0; }
.mc-timeline li { margin: .5em 0; }
.mc-date { font-weight: 600; }
"""


def _esc(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def outcome_html(result: dict[str, Any], lang: str) -> str:
    """The decision, or the agenda's 'no decision recorded' line with its recommendation."""
    t = CARD_TEXT[lang]
    if result.get("decision"):
        return (f'<div class="mc-decision"><b>{_esc(t["decision"])}</b> '
                f'{_esc(_squash(result["decision"]))}</div>')
    if result["meeting"]["doc_type"] == "dagsorden":
        if result.get("proposal"):
            return (f'<div class="mc-nodecision"><b>{_esc(t["agenda_no_decision"])}</b> '
                    f'{_esc(_squash(result["proposal"]))}</div>')
        return f'<div class="mc-nodecision"><b>{_esc(t["agenda_no_decision_bare"])}</b></div>'
    return f'<div class="mc-nodecision">{_esc(t["minutes_no_decision"])}</div>'


def card_html(result: dict[str, Any], terms: list[str], lang: str) -> str:
    """One cited result: citation link, highlighted passage, decision, source link."""
    url = _esc(result["url"])
    return (
        f'<div class="mc-card" data-rank="{_esc(result["rank"])}" '
        f'data-chunk="{_esc(result["chunk_id"])}">'
        f'<div class="mc-cite"><span class="mc-rank">[{_esc(result["rank"])}]</span>'
        f'<a class="mc-link" href="{url}" target="_blank" rel="noopener noreferrer">'
        f'{_esc(result["citation"])}</a></div>'
        f'<div class="mc-passage">{highlight_terms(result["text"], terms)}</div>'
        f"{outcome_html(result, lang)}"
        f'<a class="mc-open" href="{url}" target="_blank" rel="noopener noreferrer">'
        f'{_esc(CARD_TEXT[lang]["open"])}</a></div>'
    )


def cards_html(answer: Answer, terms: list[str]) -> str:
    lang = answer.language if answer.language in CARD_TEXT else "da"
    if not answer.results:
        return f'<div id="mc-cards"><p>{_esc(CARD_TEXT[lang]["nothing"])}</p></div>'
    cards = "".join(card_html(r, terms, lang) for r in answer.results)
    return f'<div id="mc-cards">{cards}</div>'


def chat_markdown(answer: Answer) -> str:
    """The chatbot message: escaped summary plus numbered citation links (open in new tab)."""
    lang = answer.language if answer.language in CARD_TEXT else "da"
    lines = [md_escape(line) for line in answer.answer.splitlines()]
    if answer.results:
        lines += ["", f"**{CARD_TEXT[lang]['sources']}:**"]
        lines += [
            f"{r['rank']}. [{md_escape(r['citation'])}]({r['url']})" for r in answer.results
        ]
    return "\n".join(lines)


def timeline_html(results: list[dict[str, Any]], lang: str) -> str:
    t = CARD_TEXT[lang]
    if not results:
        return f'<div id="mc-timeline"><p>{_esc(t["timeline_empty"])}</p></div>'
    rows = []
    for r in results:
        m, it = r["meeting"], r["item"]
        rows.append(
            f'<li><span class="mc-date">{_esc(format_date(m["date"]))}</span> · '
            f'{_esc(m["body"])} · {_esc(DOC_TYPE_LABEL[m["doc_type"]])} · '
            f'<a href="{_esc(r["url"])}" target="_blank" rel="noopener noreferrer">'
            f'pkt. {_esc(it["number"])} {_esc(it["title"])}</a>{outcome_html(r, lang)}</li>'
        )
    return f'<div id="mc-timeline"><ol class="mc-timeline">{"".join(rows)}</ol></div>'


SCROLL_SCRIPT = (
    "document.addEventListener('DOMContentLoaded',function(){"
    "var m=document.getElementById('hl');if(m){m.scrollIntoView({block:'center'});}});"
)
SCROLL_SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCROLL_SCRIPT.encode()).digest()).decode()
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
    f"script-src 'sha256-{SCROLL_SCRIPT_HASH}'; base-uri 'none'; form-action 'none'"
)
PAGE_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60em; margin: 1em auto; padding: 0 1em; }
.ma-top { margin-bottom: 1em; }
"""


def source_page(title: str, body_html: str, lang: str = "da") -> str:
    """A complete, self-contained HTML page (strict CSP: only our scroll script runs)."""
    back = "← Til søgningen" if lang == "da" else "← Back to search"
    return (
        f'<!doctype html><html lang="{_esc(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{SOURCE_CSS}{PAGE_CSS}</style></head><body>"
        f'<nav class="ma-top"><a href="/">{_esc(back)}</a></nav>{body_html}'
        f"<script>{SCROLL_SCRIPT}</script></body></html>"
    )


# --- JSON API --------------------------------------------------------------------------


class AskRequest(BaseModel):
    """Body of ``POST /api/ask`` (``from``/``to`` are ISO dates, inclusive)."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    question: str = Field(min_length=1, max_length=2000)
    k: int = Field(5, ge=1, le=MAX_K)
    body: str | None = Field(None, description="a body as stored (GET /api/meetings lists them)")
    date_from: str | None = Field(None, alias="from", description="YYYY-MM-DD")
    date_to: str | None = Field(None, alias="to", description="YYYY-MM-DD")
    doc_type: Literal["dagsorden", "referat"] | None = None
    section: str | None = Field(None, description="e.g. Beslutning, Indstilling, Baggrund")
    decisions_only: bool = Field(False, description="only decision passages of minutes")

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("question must not be blank")
        return value.strip()

    @field_validator("date_from", "date_to")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        return parse_date(value)


class IngestPaths(BaseModel):
    model_config = ConfigDict(extra="forbid")

    paths: list[str] = Field(min_length=1, max_length=1000)
    body: str | None = Field(default=None, max_length=200)
    date: str | None = None
    doc_type: Literal["dagsorden", "referat"] | None = None


def _ingest_hints(body: Any, date: Any, doc_type: Any) -> MeetingHints | None:
    """The body/date/doc type a client states for its files (422 when malformed)."""
    values = [v.strip() if isinstance(v, str) and v.strip() else None
              for v in (body, date, doc_type)]
    if not any(values):
        return None
    try:
        return MeetingHints(body=values[0], date=values[1], doc_type=values[2])
    except ValueError as exc:
        raise HTTPException(422, f"bad ingest field: {exc}") from None


class _InFlight:
    """Counts running /api/ask calls; refuses new ones beyond a limit (-> 503 busy)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.count = 0
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        with self._lock:
            if self.count >= self.limit:
                raise HTTPException(503, BUSY, headers={"Retry-After": "2"})
            self.count += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.count -= 1


INGEST_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        "body": {"type": "string", "description": "body of every file"},
                        "date": {"type": "string", "format": "date"},
                        "doc_type": {"type": "string", "enum": ["dagsorden", "referat"]},
                    },
                    "required": ["files"],
                }
            },
            "application/json": {"schema": IngestPaths.model_json_schema()},
        },
    }
}


def _safe_upload_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "upload"
    return base[-120:]


async def _save_uploads(
    uploads: list[UploadFile], folder: Path
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Save accepted uploads under ``folder``; returns ({saved path: original name}, errors)."""
    saved: dict[str, str] = {}
    errors: list[dict[str, str]] = []
    folder.mkdir(parents=True, exist_ok=True)
    for upload in uploads:
        original = upload.filename or "upload"
        name = _safe_upload_name(original)
        if Path(name).suffix.lower() not in SUPPORTED_EXTENSIONS:
            kinds = ", ".join(SUPPORTED_EXTENSIONS)
            errors.append({"file": original, "reason": f"unsupported file type (use {kinds})"})
            continue
        data = await upload.read(UPLOAD_MAX_BYTES + 1)
        if not data:
            errors.append({"file": original, "reason": "empty file"})
            continue
        if len(data) > UPLOAD_MAX_BYTES:
            errors.append(
                {"file": original, "reason": f"larger than {UPLOAD_MAX_BYTES // 2**20} MB"}
            )
            continue
        path = folder / name
        path.write_bytes(data)
        saved[str(path.resolve())] = original
    return saved, errors


def item_json(core: AppCore, meeting: Meeting, number: str) -> dict[str, Any]:
    header = {k: v for k, v in meeting_to_dict(meeting).items() if k not in ("items", "text")}
    index = next(i for i, it in enumerate(meeting.items) if it.number == number)
    item = meeting.items[index]
    data = asdict(item)
    data.update(decision=item.decision if meeting.doc_type == "referat" else None,
                proposal=item.proposal, url=item_url(meeting.meeting_id, item.number))
    neighbours = {
        key: meeting.items[index + off].number if 0 <= index + off < len(meeting.items) else None
        for key, off in (("previous", -1), ("next", 1))
    }
    paired = [{"url": href, "label": label} for href, label in core.paired(meeting, number)]
    return {"meeting": header, "item": data, **neighbours, "paired": paired}


def _lookup(core: AppCore, meeting_id: str, number: str) -> Meeting:
    number = _item_number(number)
    meeting = core.meeting(meeting_id)
    if meeting is None:
        raise HTTPException(404, f"meeting {meeting_id!r} not found (GET /api/meetings lists them)")
    if meeting.item(number) is None:
        have = ", ".join(i.number for i in meeting.items)
        raise HTTPException(
            404, f"item {number!r} not found in meeting {meeting_id!r} (items: {have})"
        )
    return meeting


def _item_number(segment: str) -> str:
    """The item number in a URL segment ('-' is the unnumbered item)."""
    return "" if segment == UNNUMBERED else segment


INGEST_ROOTS_ENV = "MEETINGS_INGEST_ROOTS"


def _env_roots() -> list[Path]:
    raw = os.environ.get(INGEST_ROOTS_ENV, "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


def _inside(path: str, roots: Sequence[Path]) -> bool:
    """True when ``path`` (links resolved) lies in one of ``roots``."""
    resolved = Path(path).resolve()
    return any(resolved == root or resolved.is_relative_to(root) for root in roots)


def register_api(
    app: FastAPI, core: AppCore, uploads_dir: Path, ingest_roots: Sequence[Path] = ()
) -> None:
    in_flight = _InFlight(API_MAX_IN_FLIGHT)

    @app.post("/api/ask", tags=["search"], summary="Ask a question; cited answer")
    def api_ask(req: AskRequest) -> dict[str, Any]:
        """Returns exactly the ``meetings ask --json`` contract (``Answer.as_dict()``)."""
        filters = make_filters(req.body, req.date_from, req.date_to, req.doc_type,
                               req.section, req.decisions_only)
        with in_flight:
            return core.ask(req.question, k=req.k, filters=filters).as_dict()

    @app.get("/api/cases/{case_number:path}", tags=["sources"],
             summary="Case history: every treatment of a case number, in date order")
    def api_case(case_number: str) -> list[dict[str, Any]]:
        treatments = core.assistant.case(case_number)
        if not treatments:
            raise HTTPException(404, f"no agenda item with case number {case_number!r}")
        return [t.as_dict() for t in treatments]

    @app.get("/api/items/{meeting_id}/{item_number}", tags=["sources"])
    def api_item(meeting_id: str, item_number: str) -> dict[str, Any]:
        """One agenda item with its meeting header, sections, attachments, decision."""
        meeting = _lookup(core, meeting_id, item_number)
        return item_json(core, meeting, _item_number(item_number))

    @app.get("/api/meetings", tags=["sources"])
    def api_meetings() -> list[dict[str, Any]]:
        """Every stored meeting with its items (the ``meetings outline --json`` shape)."""
        meetings = sorted(core.retriever.meetings.values(),
                          key=lambda m: (m.date, m.body, m.doc_type))
        return [outline_entry(m) for m in meetings]

    @app.get("/api/health", tags=["admin"])
    def api_health(full: bool = False) -> JSONResponse:
        """Index status; reloads (and says ``stale``) when the index changed underneath.
        ``?full=true`` adds ``meetings check`` (reads every chunk: slow on big archives)."""
        try:
            stale = core.refresh_if_stale()
            chunks = core.services.store.chunk_count()
            check = core.services.store.check().as_dict() if full else None
        except Exception as exc:  # the store is down or unreadable: say so
            log.exception("health check failed")
            return JSONResponse({"index": False, "error": str(exc)}, status_code=503)
        retriever = core.retriever
        body: dict[str, Any] = {
            "index": chunks > 0,
            "model": core.services.embedder.name,
            "chunks": chunks,
            "meetings": len(retriever.meetings),
            "loaded_chunks": len(retriever.chunk_ids),
            "stale": stale,
        }
        if check is not None:
            body["check"] = check
        return JSONResponse(body)

    @app.post("/api/ingest", tags=["admin"], openapi_extra=INGEST_OPENAPI)
    async def api_ingest(request: Request) -> JSONResponse:
        """Add documents while the app runs: upload files (multipart field ``files``) or
        name server-side paths (JSON ``{"paths": [...]}``).  200 when something was
        ingested or was unchanged, 422 when nothing could be; errors name each file."""
        ctype = request.headers.get("content-type", "")
        names: dict[str, str] = {}
        errors: list[dict[str, str]] = []
        if ctype.startswith("multipart/form-data"):
            form = await request.form(max_files=UPLOAD_MAX_FILES)
            uploads = [v for k, v in form.multi_items()
                       if k in ("files", "file") and isinstance(v, UploadFile)]
            if not uploads:
                raise HTTPException(422, "no files: send them in the multipart field 'files'")
            hints = _ingest_hints(form.get("body"), form.get("date"), form.get("doc_type"))
            names, errors = await _save_uploads(uploads, uploads_dir)
            paths: list[str | Path] = list(names)
        elif ctype.startswith("application/json"):
            try:
                body = IngestPaths.model_validate(await request.json())
            except ValueError as exc:
                raise HTTPException(422, f"expected {{'paths': [...]}}: {exc}") from None
            hints = _ingest_hints(body.body, body.date, body.doc_type)
            if not ingest_roots:
                raise HTTPException(
                    403, f"server-side paths are disabled; upload the files, or set "
                    f"{INGEST_ROOTS_ENV} to the folders the server may read"
                )
            outside = [p for p in body.paths if not _inside(p, ingest_roots)]
            if outside:
                raise HTTPException(
                    403, f"not inside the folders the server may read ({INGEST_ROOTS_ENV}): "
                    + ", ".join(outside[:5])
                )
            paths = []
            for p in body.paths:
                if Path(p).exists():
                    paths.append(p)
                else:
                    errors.append({"file": p, "reason": "no such file or folder"})
        else:
            raise HTTPException(415, "send multipart/form-data (files) or JSON {'paths': [...]}")
        report: dict[str, Any] = (
            await run_in_threadpool(core.ingest, paths, hints)
            if paths else IngestReport().as_dict()
        )
        for err in report["errors"]:  # name uploads by their own file name; drop failed ones
            if err["file"] in names:
                Path(err["file"]).unlink(missing_ok=True)
                err["file"] = names[err["file"]]
        report["errors"] = errors + report["errors"]
        report["documents"] += len(errors)
        report["ok"] = report["ingested"] + report["skipped_unchanged"] > 0
        return JSONResponse(report, status_code=200 if report["ok"] else 422)

    @app.get("/item/{meeting_id}/{item_number}", response_class=HTMLResponse,
             tags=["sources"], summary="Source item page (deep link)")
    def item_page(
        meeting_id: str, item_number: str, hl: str | None = None, q: str | None = None,
        lang: Literal["da", "en"] = "da",
    ) -> HTMLResponse:
        item_number = _item_number(item_number)
        """The agenda item as HTML; ``hl`` (a chunk id) marks the cited passage
        (``<mark id="hl">``) and scrolls to it; ``q`` highlights words."""
        headers = {"Content-Security-Policy": PAGE_CSP, "X-Content-Type-Options": "nosniff",
                   "Referrer-Policy": "no-referrer"}
        try:
            meeting = _lookup(core, meeting_id, item_number)
        except HTTPException as exc:
            page = source_page("404", f"<h1>404</h1><p>{_esc(exc.detail)}</p>", lang)
            return HTMLResponse(page, status_code=404, headers=headers)
        highlight = section = None
        if hl:
            found = core.chunk(hl)
            if found and (found[1].get("meeting_id"), str(found[1].get("item_number"))) == (
                meeting_id, item_number
            ):
                highlight, section = found[0], str(found[1].get("section") or "") or None
        body = render_item(
            meeting, item_number, highlight=highlight, highlight_section=section,
            query_terms=core.query_terms(q or ""), paired=core.paired(meeting, item_number),
            same_case=core.same_case(meeting, item_number),
            language=lang,
        )
        item = meeting.item(item_number)
        title = f"{meeting.body} {format_date(meeting.date)} pkt. {item_number} " + (
            item.title if item else "")
        return HTMLResponse(source_page(title, body, lang), headers=headers)


# --- auth ------------------------------------------------------------------------------


class BasicAuthMiddleware:
    """HTTP basic auth for every route (UI, API, source pages, Gradio internals)."""

    def __init__(self, app: ASGIApp, username: str, password: str) -> None:
        self.app = app
        self.expected = f"{username}:{password}".encode()

    def _ok(self, header: bytes | None) -> bool:
        if not header or not header[:6].lower() == b"basic ":
            return False
        try:
            given = base64.b64decode(header[6:].strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        return secrets.compare_digest(given, self.expected)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if self._ok(dict(scope["headers"]).get(b"authorization")):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        response = PlainTextResponse(
            "Login required", status_code=401,
            headers={"WWW-Authenticate": 'Basic realm="meetings", charset="UTF-8"'},
        )
        await response(scope, receive, send)


# --- Gradio UI -------------------------------------------------------------------------

UI_TEXT = {
    "da": {
        "header": "## Mødeassistent\n"
                  "Spørg på dansk eller engelsk. Hvert svar citerer dagsordener og referater; "
                  "klik på en kilde for at se punktet.",
        "chat": "Samtale", "question": "Spørgsmål",
        "placeholder": "Fx: Hvad blev besluttet om KlimaMidt?",
        "send": "Spørg", "new": "Ny samtale", "chat_tab": "Spørg", "timeline_tab": "Tidslinje",
        "filters": "### Filtre", "body": "Organ", "all": "Alle", "from": "Fra dato (ÅÅÅÅ-MM-DD)",
        "to": "Til dato (ÅÅÅÅ-MM-DD)", "doc_type": "Dokumenttype", "agenda": "Dagsorden",
        "minutes": "Referat", "decisions": "Kun beslutninger", "k": "Antal resultater",
        "pick": "Vælg passager", "pin": "Fastgør valgte", "topic": "Emne",
        "topic_ph": "Fx: KlimaMidt", "show_timeline": "Vis tidslinje",
        "briefing": "### Briefing", "pins": "Fastgjorte passager", "remove": "Fjern markerede",
        "clear": "Ryd alle", "btitle": "Titel", "group": "Gruppér efter", "by_meeting": "Møde",
        "by_topic": "Emne", "docx": "Eksportér DOCX", "md": "Eksportér Markdown",
        "file": "Download", "lang": "Sprog / Language", "no_pins": "Ingen fastgjorte passager.",
        "pinned": "{n} passage(r) fastgjort.",
    },
    "en": {
        "header": "## Meeting assistant\n"
                  "Ask in Danish or English. Every answer cites agendas and minutes; "
                  "click a source to see the item.",
        "chat": "Conversation", "question": "Question",
        "placeholder": "E.g.: What was decided about KlimaMidt?",
        "send": "Ask", "new": "New conversation", "chat_tab": "Ask", "timeline_tab": "Timeline",
        "filters": "### Filters", "body": "Body", "all": "All", "from": "From date (YYYY-MM-DD)",
        "to": "To date (YYYY-MM-DD)", "doc_type": "Document type", "agenda": "Agenda",
        "minutes": "Minutes", "decisions": "Decisions only", "k": "Number of results",
        "pick": "Select passages", "pin": "Pin selected", "topic": "Topic",
        "topic_ph": "E.g.: KlimaMidt", "show_timeline": "Show timeline",
        "briefing": "### Briefing", "pins": "Pinned passages", "remove": "Remove selected",
        "clear": "Clear all", "btitle": "Title", "group": "Group by", "by_meeting": "Meeting",
        "by_topic": "Topic", "docx": "Export DOCX", "md": "Export Markdown",
        "file": "Download", "lang": "Sprog / Language", "no_pins": "No pinned passages.",
        "pinned": "{n} passage(s) pinned.",
    },
}
EXAMPLES = [
    "Hvad blev besluttet om KlimaMidt?",
    "og hvad skete der i 2023?",
    "What was decided about the lånepulje til botilbud?",
]


def _pick_choices(results: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(f"[{r['rank']}] {r['citation']}", r["chunk_id"]) for r in results]


def _pin_choices(pins: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(r["citation"], r["chunk_id"]) for r in pins]


def _base_url(request: gr.Request | None) -> str:
    inner = getattr(request, "request", None)
    if inner is not None and hasattr(inner, "base_url"):
        return str(inner.base_url).rstrip("/")
    host = request.headers.get("host") if request is not None else None
    return f"http://{host}" if host else ""


def _ui_filters(body: str, date_from: str, date_to: str, doc_type: str,
                decisions: bool) -> Filters:
    try:
        return make_filters(body, parse_date(date_from), parse_date(date_to), doc_type,
                            None, decisions)
    except ValueError as exc:
        raise gr.Error(str(exc)) from None


def build_ui(core: AppCore, export_dir: Path) -> gr.Blocks:
    """The Gradio Blocks app; all state is per session (gr.State)."""
    t = UI_TEXT["da"]
    with gr.Blocks(title="Mødeassistent", analytics_enabled=False,
                   delete_cache=(3600, 3600)) as demo:
        header = gr.Markdown(t["header"])
        asked = gr.State([])  # previous questions of this conversation (raw text)
        results = gr.State([])  # current answer's result dicts
        tl_results = gr.State([])
        pins = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                with gr.Tabs():
                    with gr.Tab(t["chat_tab"], id="chat") as chat_tab:
                        chatbot = gr.Chatbot(label=t["chat"], height=380, elem_id="chatbot",
                                             feedback_options=None)
                        with gr.Row():
                            question = gr.Textbox(label=t["question"], placeholder=t["placeholder"],
                                                  scale=5, elem_id="question", max_length=2000)
                            send = gr.Button(t["send"], variant="primary", scale=1,
                                             elem_id="send")
                        gr.Examples(EXAMPLES, inputs=[question])
                        new_chat = gr.Button(t["new"], size="sm")
                        cards = gr.HTML("", elem_id="cards")
                        pick = gr.CheckboxGroup([], label=t["pick"], elem_id="pick")
                        pin = gr.Button(t["pin"], elem_id="pin")
                    with gr.Tab(t["timeline_tab"], id="timeline") as tl_tab:
                        topic = gr.Textbox(label=t["topic"], placeholder=t["topic_ph"],
                                           elem_id="topic")
                        tl_btn = gr.Button(t["show_timeline"], variant="primary")
                        tl_html = gr.HTML("", elem_id="timeline-html")
                        tl_pick = gr.CheckboxGroup([], label=t["pick"])
                        tl_pin = gr.Button(t["pin"])
            with gr.Column(scale=1, min_width=260):
                lang = gr.Radio([("Dansk", "da"), ("English", "en")], value="da",
                                label=t["lang"], elem_id="lang")
                filters_md = gr.Markdown(t["filters"])
                body = gr.Dropdown([(t["all"], ""), *[(b, b) for b in core.bodies()]], value="",
                                   label=t["body"], elem_id="f-body")
                date_from = gr.Textbox(label=t["from"], elem_id="f-from")
                date_to = gr.Textbox(label=t["to"], elem_id="f-to")
                doc_type = gr.Radio([(t["all"], ""), (t["agenda"], "dagsorden"),
                                     (t["minutes"], "referat")], value="", label=t["doc_type"])
                decisions = gr.Checkbox(False, label=t["decisions"], elem_id="f-decisions")
                k = gr.Slider(1, 20, value=5, step=1, label=t["k"])
                briefing_md = gr.Markdown(t["briefing"])
                pinned = gr.CheckboxGroup([], label=t["pins"], elem_id="pinned")
                with gr.Row():
                    remove = gr.Button(t["remove"], size="sm")
                    clear = gr.Button(t["clear"], size="sm")
                btitle = gr.Textbox(label=t["btitle"], elem_id="b-title")
                group = gr.Radio([(t["by_meeting"], "meeting"), (t["by_topic"], "topic")],
                                 value="meeting", label=t["group"])
                with gr.Row():
                    docx_btn = gr.Button(t["docx"], elem_id="export-docx")
                    md_btn = gr.Button(t["md"], elem_id="export-md")
                download = gr.File(label=t["file"], interactive=False, elem_id="download")

        filter_inputs = [body, date_from, date_to, doc_type, decisions]

        def on_ask(q: str, history: list[Any], previous: list[str], b: str, f: str, to: str,
                   d: str, dec: bool, n: float) -> tuple[Any, ...]:
            q = (q or "").strip()
            if not q:
                return history, previous, gr.skip(), gr.skip(), gr.skip(), ""
            filters = _ui_filters(b, f, to, d, dec)
            search_text = followup_search_text(q, previous, core.body_words())
            answer = core.ask(q, k=int(n), filters=filters, search_text=search_text)
            terms = core.query_terms(search_text or q)
            history = [*(history or []), {"role": "user", "content": md_escape(q)},
                       {"role": "assistant", "content": chat_markdown(answer)}]
            return (history, [*previous, q], cards_html(answer, terms), answer.results,
                    gr.update(choices=_pick_choices(answer.results), value=[]), "")

        gr.on([send.click, question.submit], on_ask,
              [question, chatbot, asked, *filter_inputs, k],
              [chatbot, asked, cards, results, pick, question],
              concurrency_limit=UI_CONCURRENCY, concurrency_id="ask", api_visibility="private")

        def on_new() -> tuple[Any, ...]:
            return [], [], "", [], gr.update(choices=[], value=[])

        new_chat.click(on_new, None, [chatbot, asked, cards, results, pick],
                       api_visibility="private")
        chatbot.clear(on_new, None, [chatbot, asked, cards, results, pick],
                      api_visibility="private")

        def on_timeline(tp: str, b: str, f: str, to: str, d: str, dec: bool,
                        ui: str) -> tuple[Any, ...]:
            tp = (tp or "").strip()
            if not tp:
                return gr.skip(), gr.skip(), gr.skip()
            items = core.timeline(tp, _ui_filters(b, f, to, d, dec))
            choices = [(f"{format_date(r['meeting']['date'])} · {r['citation']}", r["chunk_id"])
                       for r in items]
            return (timeline_html(items, ui), items, gr.update(choices=choices, value=[]))

        gr.on([tl_btn.click, topic.submit], on_timeline, [topic, *filter_inputs, lang],
              [tl_html, tl_results, tl_pick], concurrency_limit=UI_CONCURRENCY,
              concurrency_id="timeline", api_visibility="private")

        def on_pin(selected: list[str], current: list[dict[str, Any]],
                   pinned_now: list[dict[str, Any]], ui: str) -> tuple[Any, ...]:
            have = {p["chunk_id"] for p in pinned_now}
            chosen = [r for r in current if r["chunk_id"] in (selected or [])
                      and r["chunk_id"] not in have]
            new = [*pinned_now, *chosen]
            gr.Info(UI_TEXT[ui]["pinned"].format(n=len(new)))
            return new, gr.update(choices=_pin_choices(new), value=[]), gr.update(value=[])

        pin.click(on_pin, [pick, results, pins, lang], [pins, pinned, pick],
                  api_visibility="private")
        tl_pin.click(on_pin, [tl_pick, tl_results, pins, lang], [pins, pinned, tl_pick],
                     api_visibility="private")

        def on_remove(selected: list[str], pinned_now: list[dict[str, Any]]) -> tuple[Any, ...]:
            new = [p for p in pinned_now if p["chunk_id"] not in (selected or [])]
            return new, gr.update(choices=_pin_choices(new), value=[])

        remove.click(on_remove, [pinned, pins], [pins, pinned], api_visibility="private")
        clear.click(lambda: ([], gr.update(choices=[], value=[])), None, [pins, pinned],
                    api_visibility="private")

        def export(fmt: str, pinned_now: list[dict[str, Any]], title: str, grouping: str,
                   ui: str, request: gr.Request) -> str | None:
            if not pinned_now:
                gr.Warning(UI_TEXT[ui]["no_pins"])
                return None
            briefing = build_briefing(pinned_now, title=(title or "").strip() or None,
                                      language=ui, base_url=_base_url(request),
                                      group_by=grouping or "meeting")
            folder = export_dir / uuid.uuid4().hex
            folder.mkdir(parents=True)
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
            path = folder / f"briefing-{stamp}.{fmt}"
            if fmt == "docx":
                to_docx(briefing, path)
            else:
                path.write_text(to_markdown(briefing), encoding="utf-8")
            return str(path)

        export_inputs = [pins, btitle, group, lang]

        def export_docx(p: list[dict[str, Any]], ti: str, g: str, ui: str,
                        request: gr.Request) -> str | None:
            return export("docx", p, ti, g, ui, request)

        def export_md(p: list[dict[str, Any]], ti: str, g: str, ui: str,
                      request: gr.Request) -> str | None:
            return export("md", p, ti, g, ui, request)

        docx_btn.click(export_docx, export_inputs, download, api_visibility="private")
        md_btn.click(export_md, export_inputs, download, api_visibility="private")

        def on_lang(ui: str) -> tuple[Any, ...]:
            u = UI_TEXT[ui]
            return (
                u["header"], gr.update(label=u["chat"]),
                gr.update(label=u["question"], placeholder=u["placeholder"]), u["send"], u["new"],
                gr.update(label=u["chat_tab"]), gr.update(label=u["timeline_tab"]),
                u["filters"],
                gr.update(label=u["body"],
                          choices=[(u["all"], ""), *[(b, b) for b in core.bodies()]]),
                gr.update(label=u["from"]), gr.update(label=u["to"]),
                gr.update(label=u["doc_type"], choices=[(u["all"], ""),
                          (u["agenda"], "dagsorden"), (u["minutes"], "referat")]),
                gr.update(label=u["decisions"]), gr.update(label=u["k"]),
                gr.update(label=u["pick"]), u["pin"],
                gr.update(label=u["topic"], placeholder=u["topic_ph"]), u["show_timeline"],
                gr.update(label=u["pick"]), u["pin"], u["briefing"], gr.update(label=u["pins"]),
                u["remove"], u["clear"], gr.update(label=u["btitle"]),
                gr.update(label=u["group"], choices=[(u["by_meeting"], "meeting"),
                                                     (u["by_topic"], "topic")]),
                u["docx"], u["md"], gr.update(label=u["file"]),
            )

        lang.change(on_lang, lang, [
            header, chatbot, question, send, new_chat, chat_tab, tl_tab, filters_md, body,
            date_from, date_to, doc_type, decisions, k, pick, pin, topic, tl_btn, tl_pick,
            tl_pin, briefing_md, pinned, remove, clear, btitle, group, docx_btn, md_btn,
            download,
        ], api_visibility="private")
    return demo


# --- app assembly ----------------------------------------------------------------------


def create_app(
    services: Services,
    *,
    ingest_samples: bool = True,
    auth: tuple[str, str] | None = None,
    uploads_dir: Path | None = None,
    ingest_roots: Sequence[Path] | None = None,
) -> FastAPI:
    """The whole web app as one FastAPI app (API routes first, Gradio mounted at ``/``).

    ``uploads_dir`` keeps files posted to /api/ingest (their path is their identity in the
    index); default: ``uploads`` beside the index directory.  ``ingest_roots`` are the only
    folders whose files ``POST /api/ingest {"paths": [...]}`` may read (default: the
    ``MEETINGS_INGEST_ROOTS`` environment variable, folders separated by ``os.pathsep``;
    none set: server-side paths are refused, uploads still work).
    """
    core = AppCore(services)
    if ingest_samples:
        report = core.ingest([SAMPLE_CORPUS])
        log.info("sample corpus: %s", {k: report[k] for k in ("ingested", "skipped_unchanged")})
    uploads = Path(uploads_dir or Path(services.settings.db_dir).parent / "uploads")
    export_dir = Path(tempfile.mkdtemp(prefix="meetings-export-"))

    app = FastAPI(title="Meeting assistant API", docs_url="/api/docs", redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Cited search over Danish municipal agendas and minutes.")
    app.state.core = core
    roots = ingest_roots if ingest_roots is not None else _env_roots()
    register_api(app, core, uploads, [Path(r).resolve() for r in roots])
    if auth is not None:
        app.add_middleware(BasicAuthMiddleware, username=auth[0], password=auth[1])

    demo = build_ui(core, export_dir)
    demo.queue(default_concurrency_limit=UI_CONCURRENCY, max_size=UI_QUEUE_SIZE)
    return gr.mount_gradio_app(
        app, demo, path="/", footer_links=[], run_history=False, allowed_paths=[str(export_dir)],
        blocked_paths=[str(Path(services.settings.db_dir).resolve()), str(uploads.resolve())],
        show_error=False, max_file_size=UPLOAD_MAX_BYTES, ssr_mode=False, enable_monitoring=False,
        mcp_server=False, css=APP_CSS,
    )


def serve(
    host: str = "127.0.0.1",
    port: int = 7860,
    services: Services | None = None,
    auth: tuple[str, str] | None = None,
) -> None:
    """Build the app (ingests the samples, loads the model) and serve it with uvicorn."""
    import uvicorn

    services = services or Services(Settings.from_env())
    app = create_app(services, auth=auth)
    print(f"meetings: serving on http://{host}:{port}/  (API docs: /api/docs)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)


if __name__ == "__main__":
    serve()
