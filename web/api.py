"""The JSON API (``/api/...``) and the HTML source pages (``/item/...``).

Routes
======
``POST /api/ask``                       ``Answer.as_dict()`` (the ``meetings ask --json`` contract)
``POST /api/ask/stream``                the same, as ``text/event-stream``: ``sentence`` events
                                        (verified LLM sentences), ``dropped``, ``fallback``,
                                        then ``done`` with the ``/api/ask`` JSON
``GET /api/items/<meeting_id>/<number>`` item JSON (meeting header, sections, decision, ...)
``GET /api/meetings``                   outline of every stored meeting
``GET /api/cases/<case number>``        every treatment of a case, in date order
``GET /api/health``                     index/model status, stale-index detection
``POST /api/ingest``                    multipart upload (field ``files``) or ``{"paths": [...]}``;
                                        optional ``body``/``date``/``doc_type`` override them;
                                        ``include_closed`` keeps closed items' content
``/item/<meeting_id>/<number>?hl=<id>`` source item as a plain HTML page, cited passage marked
``GET|POST /api/watch``, ``GET|DELETE /api/watch/<name>``  topic watches and what they found
``GET /feeds/<name>.xml``                Atom feed of one watch's new items

Bad input is answered before any work: 422 names the field (the question's rules are
:mod:`assistant.validate`, shared with the CLI and the UI), 413 a file or request over the
size limit, 415 a file type the readers do not know, 403 a server path outside the
configured roots.

Every route shows closed items as the request's viewer may see them
(:meth:`AppCore.viewer`, :mod:`assistant.access`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.utils import is_body_allowed_for_status_code
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.access import Viewer
from assistant.links import UNNUMBERED, item_url
from assistant.llm import StreamEvent
from assistant.messages import message
from assistant.search import parse_date
from assistant.sourceview import render_item
from assistant.validate import (
    MAX_K,
    MAX_QUESTION_CHARS,
    InputError,
    check_body,
    check_question,
    check_text,
    validate_ask,
)
from assistant.watch import Watch, WatchError, atom_feed, watch_name
from ingest.chunker import format_date, item_label
from ingest.models import Meeting
from ingest.parser import MeetingHints
from ingest.pipeline import IngestReport
from ingest.readers import SUPPORTED_EXTENSIONS
from ingest.serialize import meeting_to_dict, outline_entry

from .core import AppCore, make_filters
from .render import PAGE_HEADERS, error_page, source_page

log = logging.getLogger("web.api")

API_MAX_IN_FLIGHT = 64  # /api/ask requests running or waiting; more -> 503 "busy"
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
UPLOAD_MAX_FILES = 20
MULTIPART_OVERHEAD = 1024 * 1024
"""Room for the multipart framing and form fields above the files' own bytes."""
API_LANGUAGE = "en"
"""Error details are English, as FastAPI's own 422 messages are (one language per client);
the question's own errors come in its language (:mod:`assistant.validate`)."""
BUSY = f"{message('api.busy', 'en')} / {message('api.busy', 'da')}"
"""Said before any question is read, so in both languages."""
INGEST_ROOTS_ENV = "MEETINGS_INGEST_ROOTS"


# --- request models -------------------------------------------------------------------


class AskRequest(BaseModel):
    """Body of ``POST /api/ask`` (``from``/``to`` are ISO dates, inclusive).

    Only the types are checked here; the values are checked by
    :func:`assistant.validate.validate_ask` (one rule set with the CLI and the UI).  The
    limits below only document those rules in the OpenAPI schema."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    question: str = Field(json_schema_extra={"minLength": 1, "maxLength": MAX_QUESTION_CHARS})
    k: int = Field(5, json_schema_extra={"minimum": 1, "maximum": MAX_K})
    body: str | None = Field(None, description="a body as stored (GET /api/meetings lists them)")
    date_from: str | None = Field(None, alias="from", description="YYYY-MM-DD")
    date_to: str | None = Field(None, alias="to", description="YYYY-MM-DD, not before from")
    doc_type: Literal["dagsorden", "referat"] | None = None
    section: str | None = Field(None, description="e.g. Beslutning, Indstilling, Baggrund")
    decisions_only: bool = Field(False, description="only decision passages of minutes")


class IngestPaths(BaseModel):
    model_config = ConfigDict(extra="forbid")

    paths: list[str] = Field(min_length=1, max_length=1000)
    body: str | None = Field(default=None, max_length=200)
    date: str | None = None
    doc_type: Literal["dagsorden", "referat"] | None = None
    include_closed: bool = Field(False, description="also store closed items' content "
                                 "(admin role when roles are configured)")


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
                        "include_closed": {"type": "boolean",
                                           "description": "also store closed items' content"},
                    },
                    "required": ["files"],
                }
            },
            "application/json": {"schema": IngestPaths.model_json_schema()},
        },
    }
}


# --- error responses ------------------------------------------------------------------


class SafeJSONResponse(JSONResponse):
    """JSON that survives echoing what a client sent: a lone surrogate (``"\\ud800"`` is
    valid JSON, but no UTF-8) is written as a JSON escape instead of failing with a 500."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            return json.dumps(content, ensure_ascii=True, allow_nan=False, indent=None,
                              separators=(",", ":")).encode("ascii")


def input_error_response(request: Request, exc: Exception) -> JSONResponse:
    """A refused value as 422 in FastAPI's own error shape (``loc`` names the field), so a
    client reads one format whether the type or the value was wrong."""
    assert isinstance(exc, InputError)
    detail = [{"type": "value_error", "loc": ["body", exc.field], "msg": exc.message()}]
    return SafeJSONResponse({"detail": detail}, status_code=422)


def request_error_response(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 for a malformed request, minus echoed values JSON cannot carry (an
    infinite number sent as ``1e400``), which would otherwise turn the 422 into a 500."""
    assert isinstance(exc, RequestValidationError)
    detail = []
    for error in exc.errors():
        item = {"type": error["type"], "loc": list(error["loc"]), "msg": error["msg"]}
        for key in ("input", "ctx"):
            value = _json_value(error.get(key))
            if value is not None:
                item[key] = value
        detail.append(item)
    return SafeJSONResponse({"detail": detail}, status_code=422)


def http_error_response(request: Request, exc: Exception) -> Response:
    """FastAPI's answer to an HTTPException, through :class:`SafeJSONResponse` (details
    name the client's files and paths, whatever characters they hold)."""
    assert isinstance(exc, StarletteHTTPException)
    headers = getattr(exc, "headers", None)
    if not is_body_allowed_for_status_code(exc.status_code):
        return Response(status_code=exc.status_code, headers=headers)
    return SafeJSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)


def _json_value(value: Any) -> Any:
    """``value`` made JSON-ready, or None when it cannot be written as standard JSON."""
    if value is None:
        return None
    try:
        encoded = jsonable_encoder(value)
        json.dumps(encoded, allow_nan=False)
    except (TypeError, ValueError):
        return None
    return encoded


# --- helpers --------------------------------------------------------------------------


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


def _ingest_hints(body: Any, date: Any, doc_type: Any) -> MeetingHints | None:
    """The body/date/doc type a client states for its files (422 when malformed)."""
    values = [v.strip() if isinstance(v, str) and v.strip() else None
              for v in (body, date, doc_type)]
    if not any(values):
        return None
    try:
        return MeetingHints(body=values[0], date=values[1], doc_type=values[2])
    except ValueError as exc:
        raise HTTPException(422, message("api.bad_ingest_field", API_LANGUAGE, error=exc)) from None


def _safe_upload_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "upload"
    return base[-120:]


def check_request_size(request: Request) -> None:
    """413 before reading a body that cannot fit (the limit is per file, so a request may
    carry up to ``UPLOAD_MAX_FILES`` of them)."""
    length = request.headers.get("content-length", "")
    limit = UPLOAD_MAX_FILES * UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD
    if length.isdigit() and int(length) > limit:
        raise HTTPException(413, message(
            "api.request_too_large", API_LANGUAGE, size=int(length) // 2**20,
            limit=limit // 2**20, files=UPLOAD_MAX_FILES, file_limit=UPLOAD_MAX_BYTES // 2**20,
        ))


def check_uploads(uploads: Sequence[UploadFile]) -> None:
    """Refuse the whole request, before anything is saved, when a file has a type the
    readers do not know (415) or is over the size limit (413); the message names them."""
    unsupported = [u.filename or "upload" for u in uploads
                   if Path(_safe_upload_name(u.filename or "")).suffix.lower()
                   not in SUPPORTED_EXTENSIONS]
    if unsupported:
        raise HTTPException(415, message(
            "api.unsupported_type", API_LANGUAGE, files=", ".join(unsupported[:10]),
            allowed=", ".join(SUPPORTED_EXTENSIONS),
        ))
    too_big = [u.filename or "upload" for u in uploads
               if u.size is not None and u.size > UPLOAD_MAX_BYTES]
    if too_big:
        raise HTTPException(413, message("api.file_too_large", API_LANGUAGE,
                                         limit=UPLOAD_MAX_BYTES // 2**20,
                                         files=", ".join(too_big[:10])))


async def _save_uploads(
    uploads: list[UploadFile], folder: Path
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Save checked uploads under ``folder``; returns ({saved path: original name}, errors
    for files whose content cannot be ingested, e.g. empty ones)."""
    saved: dict[str, str] = {}
    errors: list[dict[str, str]] = []
    folder.mkdir(parents=True, exist_ok=True)
    for upload in uploads:
        original = upload.filename or "upload"
        data = await upload.read(UPLOAD_MAX_BYTES + 1)
        if len(data) > UPLOAD_MAX_BYTES:  # the multipart parser did not say its size
            raise HTTPException(413, message("api.file_too_large", API_LANGUAGE,
                                             limit=UPLOAD_MAX_BYTES // 2**20, files=original))
        if not data:
            errors.append({"file": original, "reason": message("api.empty_file", API_LANGUAGE)})
            continue
        path = folder / _safe_upload_name(original)
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
        raise HTTPException(404, message("api.meeting_not_found", API_LANGUAGE,
                                         meeting_id=meeting_id))
    if meeting.item(number) is None:
        have = ", ".join(i.number for i in meeting.items)
        raise HTTPException(404, message("api.item_not_found", API_LANGUAGE, number=number,
                                         meeting_id=meeting_id, have=have))
    return meeting


def _item_number(segment: str) -> str:
    """The item number in a URL segment ('-' is the unnumbered item)."""
    return "" if segment == UNNUMBERED else segment


def env_roots() -> list[Path]:
    """The folders ``MEETINGS_INGEST_ROOTS`` names (``os.pathsep``-separated)."""
    raw = os.environ.get(INGEST_ROOTS_ENV, "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


def _inside(path: str, roots: Sequence[Path]) -> bool:
    """True when ``path`` (links resolved) lies in one of ``roots``; a path the system
    cannot even resolve (a NUL byte in it) lies nowhere."""
    try:
        resolved = Path(path).resolve()
    except (OSError, ValueError):
        return False
    return any(resolved == root or resolved.is_relative_to(root) for root in roots)


# --- routes ---------------------------------------------------------------------------


def register_api(
    app: FastAPI, core: AppCore, uploads_dir: Path, ingest_roots: Sequence[Path] = ()
) -> None:
    """Add the API and source-page routes to ``app`` (before Gradio is mounted at ``/``)."""
    app.add_exception_handler(InputError, input_error_response)
    app.add_exception_handler(RequestValidationError, request_error_response)
    app.add_exception_handler(StarletteHTTPException, http_error_response)
    _register_search(app, core)
    _register_sources(app, core)
    _register_admin(app, core, uploads_dir, ingest_roots)
    _register_watch(app, core)


def _register_search(app: FastAPI, core: AppCore) -> None:
    in_flight = _InFlight(API_MAX_IN_FLIGHT)

    @app.post("/api/ask", tags=["search"], summary="Ask a question; cited answer",
              responses={422: {"description": "a field is invalid; `loc` names it"}})
    async def api_ask(req: AskRequest, request: Request) -> dict[str, Any]:
        """Returns exactly the ``meetings ask --json`` contract (``Answer.as_dict()``).

        Async, so that a request is counted in flight when it arrives: a plain function
        first waits, uncounted, for one of the thread pool's 40 workers, so the limit
        (64) was never reached and a flood queued without end (bench/load_test.py)."""
        ok = validate_ask(req.question, k=req.k, body=req.body, date_from=req.date_from,
                          date_to=req.date_to, doc_type=req.doc_type, section=req.section,
                          bodies=core.bodies())
        filters = make_filters(ok.body, ok.date_from, ok.date_to, ok.doc_type, ok.section,
                               req.decisions_only)
        viewer = core.viewer(request.headers)
        with in_flight:
            return await run_in_threadpool(
                lambda: core.ask(ok.question, k=ok.k, filters=filters, viewer=viewer).as_dict())

    _register_stream(app, core, in_flight)


def _register_stream(app: FastAPI, core: AppCore, in_flight: _InFlight) -> None:
    @app.post("/api/ask/stream", tags=["search"], response_class=StreamingResponse,
              summary="Ask a question; the answer line streamed as server-sent events",
              responses={200: {"content": {"text/event-stream": {}},
                               "description": "events sentence, dropped, fallback, done"},
                         422: {"description": "a field is invalid; `loc` names it"}})
    async def api_ask_stream(req: AskRequest, request: Request) -> StreamingResponse:
        """``POST /api/ask`` with an LLM's answer line as it is written; each ``data`` is JSON.

        ``sentence`` {"text"}: a sentence already verified against its cited passages;
        ``dropped`` {"sentence", "reason"}: one left out (after the model finished);
        ``fallback`` {"answer"}: the extractive answer with a notice replaces the streamed
        sentences; ``done``: exactly the ``/api/ask`` JSON.  Without an LLM only ``done``.
        Counted in flight with ``/api/ask`` until the stream ends."""
        ok = validate_ask(req.question, k=req.k, body=req.body, date_from=req.date_from,
                          date_to=req.date_to, doc_type=req.doc_type, section=req.section,
                          bodies=core.bodies())
        filters = make_filters(ok.body, ok.date_from, ok.date_to, ok.doc_type, ok.section,
                               req.decisions_only)
        events = core.ask_stream(ok.question, k=ok.k, filters=filters,
                                 viewer=core.viewer(request.headers))
        in_flight.__enter__()  # 503 now, before the response starts
        release = _release_once(in_flight)
        body = _sse(events, release)
        weakref.finalize(body, release)  # also when a client leaves before the first event
        return StreamingResponse(body, media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _release_once(in_flight: _InFlight) -> Callable[[], None]:
    held = [True]
    lock = threading.Lock()

    def release() -> None:
        with lock:
            if not held[0]:
                return
            held[0] = False
        in_flight.__exit__(None, None, None)

    return release


def _sse(events: Iterator[StreamEvent], release: Callable[[], None]) -> Iterator[str]:
    """Answer events as server-sent events (ASCII JSON: a lone surrogate a client sent
    cannot break the UTF-8 stream); leaves the in-flight count when the stream ends."""
    try:
        for event in events:
            if event.kind == "sentence":
                data: Any = {"text": event.text}
            elif event.kind == "dropped":
                data = event.dropped
            elif event.kind == "fallback":
                data = {"answer": event.text}
            else:
                data = event.answer.as_dict() if event.answer is not None else {}
            yield f"event: {event.kind}\ndata: {json.dumps(data, allow_nan=False)}\n\n"
    finally:
        release()


def _register_sources(app: FastAPI, core: AppCore) -> None:
    @app.get("/api/cases/{case_number:path}", tags=["sources"],
             summary="Case history: every treatment of a case number, in date order")
    def api_case(case_number: str, request: Request) -> list[dict[str, Any]]:
        treatments = core.assistant.case(case_number, core.viewer(request.headers))
        if not treatments:
            raise HTTPException(404, message("api.case_not_found", API_LANGUAGE,
                                             number=case_number))
        return [t.as_dict() for t in treatments]

    @app.get("/api/items/{meeting_id}/{item_number}", tags=["sources"])
    def api_item(meeting_id: str, item_number: str, request: Request) -> dict[str, Any]:
        """One agenda item with its meeting header, sections, attachments, decision."""
        meeting = core.viewer(request.headers).meeting(_lookup(core, meeting_id, item_number))
        return item_json(core, meeting, _item_number(item_number))

    @app.get("/api/meetings", tags=["sources"])
    def api_meetings(request: Request) -> list[dict[str, Any]]:
        """Every stored meeting with its items (the ``meetings outline --json`` shape)."""
        viewer = core.viewer(request.headers)
        meetings = sorted(core.retriever.meetings.values(),
                          key=lambda m: (m.date, m.body, m.doc_type))
        return [outline_entry(viewer.meeting(m)) for m in meetings]

    @app.get("/item/{meeting_id}/{item_number}", response_class=HTMLResponse,
             tags=["sources"], summary="Source item page (deep link)")
    def item_page(
        request: Request, meeting_id: str, item_number: str, hl: str | None = None,
        q: str | None = None, lang: Literal["da", "en"] = "da",
    ) -> HTMLResponse:
        """The agenda item as HTML; ``hl`` (a chunk id) marks the cited passage
        (``<mark id="hl">``) and scrolls to it; ``q`` highlights words."""
        try:
            meeting = _lookup(core, meeting_id, item_number)
        except HTTPException as exc:
            page = error_page(exc.status_code, str(exc.detail), lang)
            return HTMLResponse(page, status_code=exc.status_code, headers=PAGE_HEADERS)
        number = _item_number(item_number)
        highlight = section = None
        if hl:
            found = core.chunk(hl)
            if found and (found[1].get("meeting_id"), str(found[1].get("item_number"))) == (
                meeting_id, number
            ):
                highlight, section = found[0], str(found[1].get("section") or "") or None
        fragment = render_item(
            meeting, number, highlight=highlight, highlight_section=section,
            query_terms=core.query_terms(q or ""), paired=core.paired(meeting, number),
            same_case=core.same_case(meeting, number), language=lang,
            viewer=core.viewer(request.headers),
        )
        item = meeting.item(number)
        title = f"{meeting.body} {format_date(meeting.date)} " + item_label(
            number, item.title if item else "")
        return HTMLResponse(source_page(title, fragment, lang), headers=PAGE_HEADERS)


def _register_admin(
    app: FastAPI, core: AppCore, uploads_dir: Path, ingest_roots: Sequence[Path]
) -> None:
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
            return SafeJSONResponse({"index": False, "error": str(exc)}, status_code=503)
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
        return SafeJSONResponse(body)

    @app.post("/api/ingest", tags=["admin"], openapi_extra=INGEST_OPENAPI,
              responses={403: {"description": "a path outside the allowed folders"},
                         413: {"description": "a file or the request is too large"},
                         415: {"description": "a file type the readers do not know"},
                         422: {"description": "nothing could be ingested; errors name files"}})
    async def api_ingest(request: Request) -> JSONResponse:
        """Add documents while the app runs: upload files (multipart field ``files``) or
        name server-side paths (JSON ``{"paths": [...]}``).  200 when something was
        ingested or was unchanged, 422 when nothing could be; errors name each file."""
        ctype = request.headers.get("content-type", "")
        names: dict[str, str] = {}
        errors: list[dict[str, str]] = []
        if ctype.startswith("multipart/form-data"):
            check_request_size(request)
            form = await request.form(max_files=UPLOAD_MAX_FILES)
            uploads = [v for k, v in form.multi_items()
                       if k in ("files", "file") and isinstance(v, UploadFile)]
            if not uploads:
                raise HTTPException(422, message("api.no_files", API_LANGUAGE))
            hints = _ingest_hints(form.get("body"), form.get("date"), form.get("doc_type"))
            include_closed = _flag("include_closed", form.get("include_closed"))
            _may_include_closed(core, core.viewer(request.headers), include_closed)
            check_uploads(uploads)
            names, errors = await _save_uploads(uploads, uploads_dir)
            paths: list[str | Path] = list(names)
        elif ctype.startswith("application/json"):
            paths, hints, errors, include_closed = await _server_paths(request, ingest_roots)
            _may_include_closed(core, core.viewer(request.headers), include_closed)
        else:
            raise HTTPException(415, message("api.bad_content_type", API_LANGUAGE))
        report: dict[str, Any] = (
            await run_in_threadpool(core.ingest, paths, hints, include_closed)
            if paths else IngestReport().as_dict()
        )
        for err in report["errors"]:  # name uploads by their own file name; drop failed ones
            if err["file"] in names:
                Path(err["file"]).unlink(missing_ok=True)
                err["file"] = names[err["file"]]
        report["errors"] = errors + report["errors"]
        report["documents"] += len(errors)
        report["ok"] = report["ingested"] + report["skipped_unchanged"] > 0
        return SafeJSONResponse(report, status_code=200 if report["ok"] else 422)


def _flag(name: str, value: Any) -> bool:
    """A multipart boolean field: absent/''/false/0/no -> False, true/1/yes/on -> True."""
    text = value.strip().lower() if isinstance(value, str) else ""
    if text in ("", "false", "0", "no", "off"):
        return False
    if text in ("true", "1", "yes", "on"):
        return True
    raise HTTPException(422, message("api.bad_flag", API_LANGUAGE, name=name, value=value))


class WatchRequest(BaseModel):
    """Body of ``POST /api/watch`` (the ``meetings watch add`` arguments)."""

    model_config = ConfigDict(extra="forbid")

    query: str = Field(json_schema_extra={"minLength": 1, "maxLength": MAX_QUESTION_CHARS})
    name: str | None = Field(None, description="letters, digits, '-', '_' (default: from "
                             "the query)")
    body: str | None = Field(None, description="only this body, as stored")
    backfill: bool = Field(False, description="also record the matching items indexed now")


def _register_watch(app: FastAPI, core: AppCore) -> None:
    """Topic watches (``assistant/watch.py``): every viewer reads the matches it may see;
    adding and removing need the admin role when roles are configured."""

    def watches() -> dict[str, Watch]:
        try:
            return core.watches.load()
        except WatchError as exc:  # names the file; nothing is rewritten
            raise HTTPException(500, str(exc)) from None

    def one(name: str) -> Watch:
        watch = watches().get(name)
        if watch is None:
            raise HTTPException(404, message("api.watch_not_found", API_LANGUAGE, name=name))
        return watch

    def admin(request: Request) -> None:
        if core.auth.roles_configured and not core.viewer(request.headers).is_admin:
            raise HTTPException(403, message("api.watch_admin", API_LANGUAGE))

    @app.get("/api/watch", tags=["watch"], summary="Topic watches with their match counts")
    def api_watches(request: Request) -> list[dict[str, Any]]:
        viewer = core.viewer(request.headers)
        return [w.summary(viewer) for w in watches().values()]

    @app.get("/api/watch/{name}", tags=["watch"],
             summary="One watch's recorded items, newest first, with citations")
    def api_watch(name: str, request: Request, since: str | None = None) -> dict[str, Any]:
        try:
            day = parse_date(since)
        except ValueError as exc:
            raise HTTPException(422, message("api.bad_since", API_LANGUAGE, error=exc)) from None
        return one(name).as_dict(core.viewer(request.headers), day)

    @app.post("/api/watch", tags=["watch"], status_code=201,
              summary="Add a watch (baseline: the items indexed now)",
              responses={403: {"description": "roles are configured and the user is not admin"},
                         409: {"description": "a watch of that name exists"}})
    def api_watch_add(req: WatchRequest, request: Request) -> dict[str, Any]:
        admin(request)
        query = check_question(req.query)
        bodies = core.bodies()
        body = check_body(req.body, bodies) if bodies else check_text("body", req.body)
        try:
            name = watch_name(req.name, query)
        except WatchError as exc:
            raise InputError("name", str(exc), str(exc)) from None
        if name in watches():
            raise HTTPException(409, message("api.watch_exists", API_LANGUAGE, name=name))
        watch, found = core.add_watch(name, query, body, req.backfill)
        return {**watch.summary(core.viewer(request.headers)), "recorded": len(found)}

    @app.delete("/api/watch/{name}", tags=["watch"], summary="Remove a watch and its matches")
    def api_watch_remove(name: str, request: Request) -> dict[str, Any]:
        admin(request)
        one(name)
        watch = core.watches.remove(name)
        return {"removed": watch.name, "matches": len(watch.matches)}

    @app.get("/feeds/{name}.xml", tags=["watch"], response_class=Response,
             summary="Atom 1.0 feed of one watch's new items",
             responses={200: {"content": {"application/atom+xml": {}}}})
    def feed(name: str, request: Request) -> Response:
        xml = atom_feed(one(name), core.viewer(request.headers), str(request.base_url))
        return Response(xml, media_type="application/atom+xml; charset=utf-8")


def _may_include_closed(core: AppCore, viewer: Viewer, include_closed: bool) -> None:
    """403 for ``include_closed`` from a user without the admin role, when roles are
    configured (a users file); without roles whoever may ingest may ask for it."""
    if include_closed and core.auth.roles_configured and not viewer.is_admin:
        raise HTTPException(403, message("api.include_closed_admin", API_LANGUAGE))


async def _server_paths(
    request: Request, roots: Sequence[Path]
) -> tuple[list[str | Path], MeetingHints | None, list[dict[str, str]], bool]:
    """The existing paths of a JSON ingest request (403 outside ``roots``), its hints, an
    error for each path that does not exist, and its ``include_closed``."""
    try:
        body = IngestPaths.model_validate(await request.json())
    except ValueError as exc:
        raise HTTPException(422, message("api.bad_paths_body", API_LANGUAGE, error=exc)) from None
    hints = _ingest_hints(body.body, body.date, body.doc_type)
    if not roots:
        raise HTTPException(403, message("api.paths_disabled", API_LANGUAGE,
                                         env=INGEST_ROOTS_ENV))
    outside = [p for p in body.paths if not _inside(p, roots)]
    if outside:
        raise HTTPException(403, message("api.paths_outside", API_LANGUAGE,
                                         env=INGEST_ROOTS_ENV, paths=", ".join(outside[:5])))
    paths: list[str | Path] = []
    errors: list[dict[str, str]] = []
    for p in body.paths:
        if Path(p).exists():
            paths.append(p)
        else:
            errors.append({"file": p, "reason": message("api.no_such_path", API_LANGUAGE)})
    return paths, hints, errors, body.include_closed
