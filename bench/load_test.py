"""Load test of the web app: API and UI users at once while a document is uploaded, then an
overflow burst; errors, latency, requests served and the server's memory (issue 13).

It starts the app as users start it, ``python -m app --db TMP serve`` (what
``meetings serve`` and ``make run`` run), on 127.0.0.1 and a free port, over a fresh
temporary index (the start-up ingest embeds the bundled samples, so the passage model is
loaded before the load begins), and stops it at the end.  Then, for ``--warmup`` seconds
(not counted) and ``--duration`` seconds (counted):

- ``--api-users`` users each ask varied questions through ``POST /api/ask``, one after the
  other (topics x phrasings in Danish and English, with and without filters);
- ``--ui-users`` users each hold conversations in one browser tab through the Gradio UI as
  the page does (``/gradio_api/queue/join`` + the ``queue/data`` event stream, the chat
  history sent back): a question, an elliptic follow-up, an English question, then the
  "Ny samtale" button (Gradio keeps a session's state for an hour after its tab closes, so
  a new session per conversation would measure that retention, not the server);
- a quarter into the counted phase one upload, ``POST /api/ingest`` (multipart), ingests
  ``--upload``; after the run the new meeting must be in the index and found by a question.

An answer that is not a 200 with an answer is an error, except a 503 "busy" answer with a
JSON message (the API's in-flight limit, the UI's full queue): a clean overflow, counted
apart.  The server's resident memory (``/proc/PID/status``, Linux) is read at the end of the
warm-up and after the counted phase (and sampled every second for the peak).  Last, more
clients than the API's in-flight limit (``web.api.API_MAX_IN_FLIGHT``) ask at once: the
excess must get 503 with a JSON message and the server must answer normally right after.
The burst opens every connection first and then writes every request at once, so that it
arrives within milliseconds.

    .venv/bin/python bench/load_test.py                # full form: real model, 20 + 5 users,
                                                       # 60 s after 60 s warm-up (~4-5 min)
    .venv/bin/python bench/load_test.py --model hash-64 --api-users 5 --ui-users 2 \\
        --warmup 2 --duration 6                        # the short form tests/test_load.py runs
    .venv/bin/python bench/load_test.py --json out.json

Exit code 0 when everything passed: 0 errors, both kinds of users served, the upload
ingested and searchable, memory growth under ``--max-rss-growth`` (default 10 %), overflow
answered 503 cleanly.  The report is printed (and written as JSON with ``--json``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import mimetypes
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
DEFAULT_UPLOAD = REPO / "tests" / "fixtures" / "glostrup_oeu_2025-11-19.pdf"
REQUEST_TIMEOUT_S = 120.0
UPLOAD_TIMEOUT_S = 600.0

TOPICS = [
    "KlimaMidt", "lånepulje til botilbud", "det specialiserede socialområde",
    "Europæisk Kulturregion", "Erhvervshus Midtjylland", "regelforenkling",
    "udpegninger til regionale fora", "budget for KD-Net", "sundhedsreformen",
    "praksisplanen", "velfærdsteknologi", "klimastrategi", "kollektiv trafik",
    "rekruttering af arbejdskraft", "DK2020", "flygtninge og landstal",
    "godkendelse af referat", "punkter til næste møde", "digitalisering", "beskæftigelse",
]
PHRASINGS = [
    "Hvad blev besluttet om {t}?", "What was decided about {t}?", "Hvad indstilles om {t}?",
    "Hvornår blev {t} drøftet?", "How was {t} handled?", "Hvad er baggrunden for {t}?",
]
ENGLISH = "What was decided about {t}?"
FOLLOW_UPS = ["og hvad skete der i 2023?", "og i 2024?", "hvad var indstillingen?"]
FILTERS: list[dict[str, Any]] = [
    {}, {"k": 3}, {"doc_type": "referat"}, {"decisions_only": True}, {"k": 10},
    {"from": "2023-01-01", "to": "2024-12-31"}, {"doc_type": "dagsorden", "k": 8},
]
UI_ASK_INPUTS = ["textbox", "chatbot", "state", "dropdown", "textbox", "textbox", "radio",
                 "checkbox", "slider", "radio"]
"""Component types of the UI's ask event (web/ui.py ``wire_chat``), as the browser sends."""


def question(i: int) -> str:
    """The i-th question: every topic in every phrasing before one repeats."""
    return PHRASINGS[(i // len(TOPICS)) % len(PHRASINGS)].format(t=TOPICS[i % len(TOPICS)])


def api_body(i: int) -> dict[str, Any]:
    """The i-th ``POST /api/ask`` body: a question and one of the filter sets."""
    return {"question": question(i), **FILTERS[i % len(FILTERS)]}


# --- results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One request: when it started (monotonic s), its kind, outcome and latency."""

    started: float
    kind: str  # "api" or "ui"
    outcome: str  # "ok", "busy" (a clean 503) or "error"
    seconds: float
    detail: str = ""


class Recorder:
    """Samples from every user thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.samples: list[Sample] = []

    def add(self, sample: Sample) -> None:
        with self._lock:
            self.samples.append(sample)

    def since(self, t: float) -> list[Sample]:
        with self._lock:
            return [s for s in self.samples if s.started >= t]


@dataclass
class LoadReport:
    api_users: int
    ui_users: int
    warmup_s: float
    duration_s: float
    model: str = ""
    requests: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per kind (api, ui, all): served, busy, errors, p50_ms, p95_ms, per_s."""
    error_samples: list[str] = field(default_factory=list)
    rss_before_mib: float = 0.0
    rss_after_mib: float = 0.0
    rss_peak_mib: float = 0.0
    rss_timeline: list[tuple[float, float]] = field(default_factory=list)
    """(seconds into the counted phase, RSS MiB), every second."""
    upload: dict[str, Any] = field(default_factory=dict)
    overflow: dict[str, Any] = field(default_factory=dict)
    max_rss_growth: float = 0.10
    server_start_s: float = 0.0
    load_average: list[float] = field(default_factory=list)

    @property
    def rss_growth(self) -> float:
        return (self.rss_after_mib - self.rss_before_mib) / self.rss_before_mib

    def failures(self) -> list[str]:
        """Every way the run fell short (empty: it passed)."""
        out = []
        every = self.requests.get("all", {})
        if every.get("errors", 1):
            out.append(f"{every.get('errors')} request(s) failed: {self.error_samples[:3]}")
        for kind, users in (("api", self.api_users), ("ui", self.ui_users)):
            if users and not self.requests.get(kind, {}).get("served"):
                out.append(f"no {kind} request was served")
        if not self.upload.get("ok"):
            out.append(f"upload: {self.upload.get('problem', 'did not run')}")
        if self.rss_growth >= self.max_rss_growth:
            out.append(f"server memory grew {self.rss_growth:.1%} (limit "
                       f"{self.max_rss_growth:.0%}): {self.rss_before_mib:.0f} -> "
                       f"{self.rss_after_mib:.0f} MiB")
        if not self.overflow.get("ok"):
            out.append(f"overflow: {self.overflow.get('problem', 'did not run')}")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "rss_growth": round(self.rss_growth, 4),
                "failures": self.failures()}

    def text(self) -> str:
        lines = [f"model {self.model}: {self.api_users} API + {self.ui_users} UI users, "
                 f"{self.duration_s:.0f} s after {self.warmup_s:.0f} s warm-up "
                 f"(server start {self.server_start_s:.0f} s; load average "
                 f"{', '.join(f'{x:.2f}' for x in self.load_average)})"]
        for kind, r in self.requests.items():
            lines.append(f"  {kind:>3}: served {r['served']} ({r['per_s']:.1f}/s)  busy (503) "
                         f"{r['busy']}  errors {r['errors']}  p50 {r['p50_ms']:.0f} ms  "
                         f"p95 {r['p95_ms']:.0f} ms")
        lines.append(f"  server RSS {self.rss_before_mib:.0f} -> {self.rss_after_mib:.0f} MiB "
                     f"({self.rss_growth:+.1%}; peak {self.rss_peak_mib:.0f} MiB)")
        u = self.upload
        lines.append(f"  upload: {u.get('file')} -> HTTP {u.get('status')} in "
                     f"{u.get('seconds', 0):.1f} s, {u.get('chunks')} chunks, "
                     f"searchable: {u.get('searchable')}")
        o = self.overflow
        lines.append(f"  overflow: {o.get('clients')} at once (limit {o.get('limit')}): "
                     f"{o.get('served')} served, {o.get('busy')} busy (503), "
                     f"{o.get('errors')} errors, then {o.get('after')}")
        lines.append("PASS" if not self.failures() else "FAIL: " + "; ".join(self.failures()))
        return "\n".join(lines)


def summarise(samples: list[Sample], seconds: float) -> dict[str, dict[str, Any]]:
    """Served/busy/error counts and p50/p95 latency of served requests, per kind."""
    out = {}
    for kind in ("api", "ui", "all"):
        mine = [s for s in samples if kind == "all" or s.kind == kind]
        ok = sorted(s.seconds for s in mine if s.outcome == "ok")
        out[kind] = {
            "served": len(ok),
            "busy": sum(s.outcome == "busy" for s in mine),
            "errors": sum(s.outcome == "error" for s in mine),
            "p50_ms": 1000 * statistics.median(ok) if ok else 0.0,
            "p95_ms": 1000 * percentile(ok, 0.95) if ok else 0.0,
            "per_s": len(ok) / seconds if seconds else 0.0,
        }
    return out


def percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- the server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mib(pid: int) -> float:
    """Resident memory of a process (Linux ``/proc``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    start_seconds: float

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]


@contextmanager
def served_app(model: str | None, workdir: Path, port: int | None = None,
               start_timeout: float = 900.0) -> Iterator[Server]:
    """``python -m app --db WORKDIR/index serve`` on 127.0.0.1, until the block ends."""
    port = port or free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1"}
    env.pop("MEETINGS_CHROMA_URL", None)
    env.pop("MEETINGS_INGEST_ROOTS", None)
    if model:
        env["MEETINGS_MODEL"] = model
    log = workdir / "server.log"
    cmd = [sys.executable, "-m", "app", "--db", str(workdir / "index"), "serve",
           "--host", "127.0.0.1", "--port", str(port)]
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log, 0.0)
    try:
        _wait_until_up(server, started + start_timeout)
        server.start_seconds = time.monotonic() - started
        yield server
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _wait_until_up(server: Server, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited ({server.process.returncode}):\n"
                               + server.log_tail())
        try:
            if httpx.get(server.url + "/api/health", timeout=5).json().get("index"):
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not answer /api/health in time:\n" + server.log_tail())


# --- users ------------------------------------------------------------------------------


def classify_api(response: httpx.Response) -> tuple[str, str]:
    """("ok" | "busy" | "error", detail) of an /api/ask response."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code == 200:
        if isinstance(body, dict) and isinstance(body.get("answer"), str) and isinstance(
            body.get("results"), list
        ):
            return "ok", ""
        return "error", f"200 without an answer: {response.text[:200]}"
    if response.status_code == 503 and isinstance(body, dict) and isinstance(
        body.get("detail"), str
    ) and body["detail"]:
        return "busy", body["detail"]
    return "error", f"HTTP {response.status_code}: {response.text[:200]}"


def timed(rec: Recorder, kind: str, call: Callable[[], tuple[str, str]]) -> str:
    """Run one request, record it, return its outcome (a transport failure is an error)."""
    started, t0 = time.monotonic(), time.perf_counter()
    try:
        outcome, detail = call()
    except (httpx.HTTPError, OSError, ValueError, KeyError, TypeError) as exc:
        outcome, detail = "error", f"{type(exc).__name__}: {exc}"
    rec.add(Sample(started, kind, outcome, time.perf_counter() - t0, detail))
    return outcome


def ask_api(client: httpx.Client, body: dict[str, Any]) -> tuple[str, str]:
    return classify_api(client.post("/api/ask", json=body))


def api_user(url: str, first: int, step: int, stop: threading.Event, rec: Recorder) -> None:
    """One API user: ask, wait for the answer, ask the next question, until ``stop``."""
    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S) as client:
        i = first
        while not stop.is_set():
            if timed(rec, "api", partial(ask_api, client, api_body(i))) == "busy":
                time.sleep(0.5)  # as a client honouring Retry-After would, briefly
            i += step


@dataclass(frozen=True)
class UiEvents:
    """The Gradio events behind the chat's send and "new conversation" buttons (found in
    ``/config`` by the buttons' id and label, as the page finds them)."""

    ask: tuple[int, int]  # (fn_index, trigger_id)
    new: tuple[int, int]
    prefix: str

    @classmethod
    def find(cls, url: str) -> UiEvents:
        from web.ui import UI_TEXT

        config = httpx.get(url + "/config", timeout=30).json()
        kinds = {c["id"]: c["type"] for c in config["components"]}
        buttons = {c.get("props", {}).get("elem_id") or c.get("props", {}).get("value"): c["id"]
                   for c in config["components"] if c["type"] == "button"}
        send, new = buttons["send"], buttons[UI_TEXT["da"]["new"]]
        deps = {t[0]: d for d in config["dependencies"] for t in d["targets"]
                if t[1] == "click"}
        got = [kinds[i] for i in deps[send]["inputs"]]
        if got != UI_ASK_INPUTS or deps[new]["inputs"]:
            raise RuntimeError(f"the UI's ask event takes {got}, this test sends "
                               f"{UI_ASK_INPUTS}: update bench/load_test.py")
        return cls((int(deps[send]["id"]), send), (int(deps[new]["id"]), new),
                   str(config.get("api_prefix", "/gradio_api")))


@dataclass
class BrowserTab:
    """One browser tab: its Gradio session and the chat history the page sends back."""

    client: httpx.Client
    events: UiEvents
    session: str = field(default_factory=lambda: uuid.uuid4().hex)
    history: list[Any] = field(default_factory=list)

    def ask(self, text: str) -> tuple[str, str]:
        """One question (``"ok" | "busy" | "error"``, detail): question, chat history,
        state (kept by the server), filters unset, k 5, Danish UI."""
        data = [text, self.history, None, "", "", "", "", False, 5, "da"]
        outcome, detail, output = self._run(self.events.ask, data)
        if outcome != "ok":
            return outcome, detail
        new = output["data"][0]
        answered = isinstance(new, list) and len(new) == len(self.history) + 2 and new[-1].get(
            "role") == "assistant" and new[-1].get("content")
        if not answered:
            return "error", f"no answer added to the chat: {new!r:.200}"
        self.history = new
        return "ok", ""

    def new_conversation(self) -> tuple[str, str]:
        """The "Ny samtale" button: the server forgets the previous questions."""
        outcome, detail, output = self._run(self.events.new, [])
        if outcome == "ok" and output["data"][0] != []:
            return "error", f"the chat was not cleared: {output['data'][0]!r:.200}"
        self.history = []
        return outcome, detail

    def _run(self, event: tuple[int, int], data: list[Any]) -> tuple[str, str, dict[str, Any]]:
        """Join the queue and read the event stream until the result (as the page does)."""
        prefix = self.events.prefix
        joined = self.client.post(f"{prefix}/queue/join", json={
            "data": data, "fn_index": event[0], "trigger_id": event[1],
            "session_hash": self.session, "event_data": None})
        if joined.status_code == 503:  # the UI queue is full: the page says "busy"
            return "busy", joined.text[:200], {}
        if joined.status_code != 200:
            return "error", f"join HTTP {joined.status_code}: {joined.text[:200]}", {}
        with self.client.stream("GET", f"{prefix}/queue/data",
                                params={"session_hash": self.session}) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                msg = json.loads(line[5:])
                if msg.get("msg") == "unexpected_error":
                    return "error", f"unexpected_error: {msg.get('message')}", {}
                if msg.get("msg") == "process_completed":
                    output = msg.get("output") or {}
                    if not msg.get("success"):
                        return "error", f"UI error: {output.get('error')}", {}
                    return "ok", "", output
        return "error", "the event stream ended without a result", {}


def ui_user(url: str, first: int, step: int, events: UiEvents, stop: threading.Event,
            rec: Recorder) -> None:
    """One browser user in one tab: conversations of a question, an elliptic follow-up and
    an English question, then "Ny samtale" (not timed; a failure is an error)."""
    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S) as client:
        tab, i = BrowserTab(client, events), first
        while not stop.is_set():
            for text in (question(i), FOLLOW_UPS[i % len(FOLLOW_UPS)],
                         ENGLISH.format(t=TOPICS[(i + 3) % len(TOPICS)])):
                if stop.is_set():
                    break
                timed(rec, "ui", partial(tab.ask, text))
            started = time.monotonic()
            outcome, detail = tab.new_conversation()
            if outcome != "ok":
                rec.add(Sample(started, "ui", outcome, time.monotonic() - started, detail))
            i += step


# --- upload, overflow -------------------------------------------------------------------


def upload(url: str, path: Path, result: dict[str, Any]) -> None:
    """``POST /api/ingest`` of one file (multipart); fills ``result``."""
    result.update(file=path.name, ok=False)
    t0 = time.perf_counter()
    try:
        with httpx.Client(base_url=url, timeout=UPLOAD_TIMEOUT_S) as client:
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            r = client.post("/api/ingest", files={"files": (path.name, path.read_bytes(), mime)})
        report = r.json()
    except (httpx.HTTPError, ValueError) as exc:
        result.update(problem=f"{type(exc).__name__}: {exc}")
        return
    result.update(status=r.status_code, seconds=time.perf_counter() - t0,
                  ingested=report.get("ingested"), chunks=report.get("chunks"),
                  errors=report.get("errors"))
    if r.status_code != 200 or report.get("ingested") != 1 or report.get("errors"):
        result.update(problem=f"HTTP {r.status_code}: {json.dumps(report)[:300]}")


def check_upload_searchable(url: str, before: dict[str, Any], result: dict[str, Any]) -> None:
    """The uploaded meeting is in the index (counts grew by it) and a question made of its
    longest item title finds it."""
    if "problem" in result:
        return
    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S) as client:
        health = client.get("/api/health").json()
        meetings = client.get("/api/meetings").json()
        new = [m for m in meetings if m["meeting_id"] not in before["meeting_ids"]]
        grew = (health["meetings"] - before["meetings"], health["chunks"] - before["chunks"])
        if len(new) != 1 or grew != (1, result["chunks"]):
            result.update(problem=f"the index grew by {grew} (meetings, chunks), new meetings "
                                  f"{[m['meeting_id'] for m in new]}; expected 1 and "
                                  f"{result['chunks']}")
            return
        title = max((item["title"] for item in new[0]["items"]), key=len)
        answer = client.post("/api/ask", json={"question": title, "k": 5}).json()
    found = [r["meeting"]["meeting_id"] for r in answer.get("results", [])]
    result.update(searchable=new[0]["meeting_id"] in found, meeting_id=new[0]["meeting_id"])
    if not result["searchable"]:
        result.update(problem=f"asking {title!r} did not find {new[0]['meeting_id']}: {found}")
    else:
        result["ok"] = True


def index_state(url: str) -> dict[str, Any]:
    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S) as client:
        health = client.get("/api/health").json()
        ids = {m["meeting_id"] for m in client.get("/api/meetings").json()}
    return {"meetings": health["meetings"], "chunks": health["chunks"], "meeting_ids": ids}


def overflow(url: str, clients: int, limit: int) -> dict[str, Any]:
    """``clients`` asks at once, more than ``limit`` may be in flight: every one is answered
    200 or 503 with a JSON message, at least ``limit`` are served, and the next ask is
    served.  Returns the counts, ``ok`` and (when not ok) ``problem``."""
    t0 = time.perf_counter()
    answers = burst(url, "/api/ask", [api_body(10_000 + i) for i in range(clients)])
    seconds = time.perf_counter() - t0
    outcomes = [classify_api(a) for a in answers]
    counts = {k: sum(o == k for o, _ in outcomes) for k in ("ok", "busy", "error")}
    with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S) as client:
        after, _ = ask_api(client, api_body(20_000))
    busy = [a for a, (o, _) in zip(answers, outcomes, strict=True) if o == "busy"]
    result: dict[str, Any] = {
        "clients": clients, "limit": limit, "served": counts["ok"], "busy": counts["busy"],
        "errors": counts["error"], "after": "served" if after == "ok" else after,
        "seconds": round(seconds, 1),
        "busy_message": busy[0].json()["detail"] if busy else None,
        "retry_after": busy[0].headers.get("retry-after") if busy else None,
    }
    problems = []
    if counts["error"]:
        problems.append(f"{counts['error']} errors: "
                        f"{[d for o, d in outcomes if o == 'error'][:2]}")
    if not counts["busy"]:
        problems.append(f"{clients} at once and none answered 503 (limit {limit})")
    if counts["ok"] < min(limit, clients):
        problems.append(f"only {counts['ok']} served, fewer than the limit {limit}")
    if after != "ok":
        problems.append(f"the ask after the burst was {after}")
    result["ok"] = not problems
    if problems:
        result["problem"] = "; ".join(problems)
    return result


def burst(url: str, path: str, bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    """POST every body at once: all connections are opened first, then every request is
    written in one go, so they reach the server within milliseconds however slow this
    client is (threads with a client each arrive too slowly to pass a limit of 64)."""
    parsed = httpx.URL(url)
    host, port = parsed.host, parsed.port or 80

    def raw(body: dict[str, Any]) -> bytes:
        data = json.dumps(body).encode("utf-8")
        return (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: "
                f"application/json\r\nContent-Length: {len(data)}\r\nConnection: close"
                "\r\n\r\n").encode("ascii") + data

    async def one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
        data = await reader.read()  # until the server closes (Connection: close)
        writer.close()
        return data

    async def run() -> list[bytes]:
        conns = await asyncio.gather(*(asyncio.open_connection(host, port) for _ in bodies))
        for (_, writer), body in zip(conns, bodies, strict=True):
            writer.write(raw(body))
        await asyncio.gather(*(writer.drain() for _, writer in conns))
        return await asyncio.gather(*(one(r, w) for r, w in conns))

    raws = asyncio.run(asyncio.wait_for(run(), REQUEST_TIMEOUT_S + 30))
    request = httpx.Request("POST", url + path)
    return [_parse_response(data, request) for data in raws]


def _parse_response(data: bytes, request: httpx.Request) -> httpx.Response:
    """An HTTP/1.1 response read off a socket (uvicorn sends JSON with Content-Length)."""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines[0].startswith("HTTP/1.1 "):
        return httpx.Response(599, text=f"no HTTP response: {data[:100]!r}", request=request)
    headers = [(name, value) for name, _, value in
               (line.partition(": ") for line in lines[1:] if ": " in line)]
    return httpx.Response(int(lines[0].split()[1]), headers=headers, content=body,
                          request=request)


# --- the run ----------------------------------------------------------------------------


def run_load(server: Server, *, api_users: int, ui_users: int, warmup: float,
             duration: float, upload_file: Path, overflow_clients: int | None = None,
             max_rss_growth: float = 0.10, model: str = "") -> LoadReport:
    """The whole test against a started server (see the module docstring)."""
    from web.api import API_MAX_IN_FLIGHT

    report = LoadReport(api_users, ui_users, warmup, duration, model=model,
                        max_rss_growth=max_rss_growth, server_start_s=server.start_seconds)
    rec, stop = Recorder(), threading.Event()
    events = UiEvents.find(server.url)
    before = index_state(server.url)
    users = [threading.Thread(target=api_user, args=(server.url, n, api_users, stop, rec))
             for n in range(api_users)]
    users += [threading.Thread(target=ui_user, args=(server.url, n * 7, ui_users, events,
                                                     stop, rec)) for n in range(ui_users)]
    for t in users:
        t.daemon = True
        t.start()
    time.sleep(warmup)
    report.rss_before_mib = report.rss_peak_mib = rss_mib(server.pid)
    counted_from = time.monotonic()
    _sample_rss(server.pid, stop, report.rss_timeline)
    uploader = threading.Thread(target=upload, args=(server.url, upload_file, report.upload),
                                daemon=True)
    time.sleep(duration / 4)
    uploader.start()
    time.sleep(max(0.0, counted_from + duration - time.monotonic()))
    counted = time.monotonic() - counted_from
    stop.set()
    for t in users:
        t.join(REQUEST_TIMEOUT_S + 30)
    uploader.join(UPLOAD_TIMEOUT_S)
    report.rss_after_mib = rss_mib(server.pid)
    report.rss_peak_mib = max([report.rss_after_mib, *(m for _, m in report.rss_timeline)])
    samples = [s for s in rec.since(counted_from) if s.started < counted_from + counted]
    report.requests = summarise(samples, counted)
    report.error_samples = [f"{s.kind}: {s.detail}" for s in samples if s.outcome == "error"][:10]
    if uploader.is_alive():
        report.upload["problem"] = f"not finished after {UPLOAD_TIMEOUT_S:.0f} s"
    else:
        check_upload_searchable(server.url, before, report.upload)
    report.overflow = overflow(server.url, overflow_clients or 3 * API_MAX_IN_FLIGHT,
                               API_MAX_IN_FLIGHT)
    report.load_average = list(os.getloadavg())
    return report


def _sample_rss(pid: int, stop: threading.Event, into: list[tuple[float, float]]) -> None:
    """Append (seconds, RSS MiB) of the server every second until ``stop`` (a timeline tells
    a leak, which keeps growing, from a high-water mark, which levels off)."""
    t0 = time.monotonic()

    def sample() -> None:
        while not stop.wait(1.0):
            into.append((round(time.monotonic() - t0, 1), round(rss_mib(pid), 1)))

    threading.Thread(target=sample, daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api-users", type=int, default=20)
    parser.add_argument("--ui-users", type=int, default=5)
    parser.add_argument("--duration", type=float, default=60.0, help="counted seconds")
    parser.add_argument("--warmup", type=float, default=60.0,
                        help="uncounted seconds first (with the real model the server's RSS "
                        "rises for ~45 s of load before it levels off: docs/BENCHMARKS.md)")
    parser.add_argument("--model", help="MEETINGS_MODEL for the server (default: the real "
                        "model; hash-64 is the fast fake embedder)")
    parser.add_argument("--upload", type=Path, default=DEFAULT_UPLOAD, help="file to ingest")
    parser.add_argument("--overflow-clients", type=int,
                        help="asks at once in the overflow burst (default 3x the limit)")
    parser.add_argument("--max-rss-growth", type=float, default=0.10)
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    model = args.model or os.environ.get("MEETINGS_MODEL") or "multilingual-e5-small"
    with tempfile.TemporaryDirectory(prefix="meetings-load-") as tmp:
        with served_app(args.model, Path(tmp)) as server:
            report = run_load(server, api_users=args.api_users, ui_users=args.ui_users,
                              warmup=args.warmup, duration=args.duration,
                              upload_file=args.upload, overflow_clients=args.overflow_clients,
                              max_rss_growth=args.max_rss_growth, model=model)
    print(report.text())
    if args.json:
        args.json.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2,
                                        default=str), encoding="utf-8")
    return 0 if not report.failures() else 1


if __name__ == "__main__":
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    raise SystemExit(main())
