"""``meetings ingest --workers N``: N ingest processes on this machine against one Chroma
server, process i ingesting ``--shard i/N`` of the same files (``ingest/shards.py``).

Each worker is the same command line run as a child (``python -m assistant ... ingest
--shard i/N --json``), so it commits each document as a single process does (chunks, then
the document record, then the old version's chunks go); a worker that fails or is killed
loses at most the document it was writing.  The parent only waits, merges the workers'
reports, then prunes (``--prune``) and settles what the workers could not see of each
other (``ingest.shards.settle``).  Torch in each worker gets cores / N threads (unless
``OMP_NUM_THREADS`` is set), so N workers do not fight over the same cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from ingest.pipeline import FileError, FileWarning, IngestReport
from ingest.shards import Shard, keyed_files, settle

from .settings import Services

EMBEDDED_REFUSAL = (
    "--workers needs a Chroma server: the embedded index (--db) takes one writer at a time "
    "(each process keeps its own copy of the vector index, so parallel writers corrupt it). "
    "Start one with `chroma run --path DIR --host 127.0.0.1 --port 8000` and pass "
    "--chroma-url http://127.0.0.1:8000 (or set MEETINGS_CHROMA_URL)"
)

SUMMED = ("documents", "ingested", "meetings", "items", "chunks", "skipped_unchanged",
          "removed", "duplicates", "moved", "embedded", "reused")
"""Report fields that add up over workers (the others are lists, or the run's own)."""
STDERR_TAIL = 2000
"""Characters of a failed worker's stderr kept for its message."""


@dataclass
class WorkerResult:
    """One worker's exit status, its ``--json`` report (None if it printed none) and the
    end of its stderr."""

    shard: Shard
    returncode: int
    report: dict[str, Any] | None
    stderr: str
    seconds: float

    @property
    def failed(self) -> bool:
        return self.returncode != 0 or self.report is None

    def problem(self) -> str:
        """Why the worker failed, in one line: its own last error line, or its exit code."""
        lines = [ln for ln in self.stderr.strip().splitlines() if ln.strip()]
        if self.report is not None and not lines:
            return "none of its files could be ingested"
        return lines[-1].strip() if lines else f"exited with {self.returncode}, no report"

    def summary(self) -> str:
        """One line for the terminal as the worker ends."""
        d = self.as_dict()
        state = f"failed (exit {self.returncode}): {d['problem']}" if self.failed else "done"
        return (f"worker {self.shard} {state}  documents: {d['documents']}  ingested: "
                f"{d['ingested']}  skipped unchanged: {d['skipped_unchanged']}  chunks: "
                f"{d['chunks']}  failed: {d['failed']}  ({self.seconds:.1f} s)")

    def as_dict(self) -> dict[str, Any]:
        report = self.report or {}
        out: dict[str, Any] = {
            "shard": str(self.shard), "exit": self.returncode,
            "seconds": round(self.seconds, 3),
            **{k: report.get(k, 0) for k in ("documents", "ingested", "skipped_unchanged",
                                             "chunks")},
            "failed": len(report.get("errors") or []),
        }
        if self.failed:
            out["problem"] = self.problem()
            out["errors"] = report.get("errors") or []
        return out


def worker_command(base: Sequence[str], ingest_args: Sequence[str], shard: Shard) -> list[str]:
    """The child's command line: ``base`` (interpreter and global options), ``ingest``,
    the parent's ingest options and paths, and its shard."""
    return [*base, "ingest", "--json", "--no-progress", "--as-worker", "--shard", str(shard),
            *ingest_args]


def worker_env(count: int, environ: dict[str, str] | None = None) -> dict[str, str]:
    """The children's environment: the parent's, with cores / ``count`` torch threads each."""
    env = dict(os.environ if environ is None else environ)
    env.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // count)))
    return env


def run_workers(
    commands: Sequence[Sequence[str]],
    shards: Sequence[Shard],
    env: dict[str, str],
    on_done: Callable[[WorkerResult], None] | None = None,
) -> list[WorkerResult]:
    """Start every command at once and wait for all of them; ``on_done`` hears of each as
    it ends.  Output goes to temporary files, so a long report never blocks a child on a
    full pipe.  If the parent is interrupted, the children still running are stopped."""
    started = time.perf_counter()
    running: list[tuple[subprocess.Popen[bytes], IO[bytes], IO[bytes], Shard]] = []
    results: dict[int, WorkerResult] = {}
    try:
        for command, shard in zip(commands, shards, strict=True):
            stdout: IO[bytes] = tempfile.TemporaryFile()
            stderr: IO[bytes] = tempfile.TemporaryFile()
            child = subprocess.Popen(list(command), stdout=stdout, stderr=stderr, env=env)
            running.append((child, stdout, stderr, shard))
        while len(results) < len(running):
            for i, (proc, out, err, shard) in enumerate(running):
                if i in results or proc.poll() is None:
                    continue
                results[i] = _collect(proc, out, err, shard, time.perf_counter() - started)
                if on_done is not None:
                    on_done(results[i])
            time.sleep(0.2)
    finally:
        for proc, out, err, _ in running:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)
            out.close()
            err.close()
    return [results[i] for i in range(len(running))]


def _collect(proc: subprocess.Popen[bytes], out: IO[bytes], err: IO[bytes], shard: Shard,
             seconds: float) -> WorkerResult:
    out.seek(0)
    err.seek(0)
    report: dict[str, Any] | None
    try:
        report = json.loads(out.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        report = None
    stderr = err.read().decode("utf-8", "replace")[-STDERR_TAIL:]
    return WorkerResult(shard, int(proc.returncode), report, stderr, seconds)


def merge_reports(results: Sequence[WorkerResult], seconds: float) -> IngestReport:
    """One report for the whole run: counts summed, errors, warnings and sources joined,
    the precision and device of a worker that embedded, the parent's wall time."""
    merged = IngestReport(seconds=round(seconds, 3))
    for result in results:
        report = result.report or {}
        for name in SUMMED:
            setattr(merged, name, getattr(merged, name) + int(report.get(name) or 0))
        merged.errors += [FileError(**e) for e in report.get("errors") or []]
        merged.warnings += [FileWarning(**w) for w in report.get("warnings") or []]
        merged.ingested_sources += list(report.get("ingested_sources") or [])
        for name in ("precision", "device"):
            if report.get(name) and (report.get("chunks") or not getattr(merged, name)):
                setattr(merged, name, str(report[name]))
    return merged


def child_base(chroma_url: str, model: str | None, verbose: bool) -> list[str]:
    """Interpreter and global options of a worker: the same server and model as the parent."""
    base = [sys.executable, "-m", "assistant", "--chroma-url", chroma_url]
    if model:
        base += ["--model", model]
    if verbose:
        base.append("-v")
    return base


def ingest_with_workers(
    services: Services,
    paths: Sequence[str],
    count: int,
    ingest_args: Sequence[str],
    *,
    prune: bool = False,
    verbose: bool = False,
    on_done: Callable[[WorkerResult], None] | None = None,
) -> tuple[IngestReport, list[WorkerResult]]:
    """Run ``count`` workers on ``paths`` (``ingest_args``: the options every worker gets,
    paths included), wait, merge their reports, then prune and settle in this process."""
    chroma_url = services.settings.chroma_url
    if not chroma_url:
        raise ValueError(EMBEDDED_REFUSAL)
    started = time.perf_counter()
    shards = [Shard(i, count) for i in range(1, count + 1)]
    base = child_base(chroma_url, services.settings.model, verbose)
    commands = [worker_command(base, ingest_args, shard) for shard in shards]
    results = run_workers(commands, shards, worker_env(count), on_done)
    report = merge_reports(results, 0.0)
    if prune:
        report.removed += services.ingestor.prune([p for p, _ in keyed_files(paths)])
    report.settled = settle(services.ingestor)
    report.seconds = round(time.perf_counter() - started, 3)
    return report, results
