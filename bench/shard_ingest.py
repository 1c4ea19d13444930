"""One ingest worker against two, into a Chroma server (``chroma run``): wall time,
speed-up and whether both leave the same index (issue 14, benchmark 5).

For each worker count it starts a fresh ``chroma run`` in a temporary folder, runs the
command users run, ``meetings --chroma-url URL ingest --json --workers N CORPUS`` (N = 1
ingests in that process; N > 1 starts N processes on ``--shard i/N``, each with cores / N
torch threads), times it end to end (model loads included), then reads the index back.
Correctness: every run's index must hold the same chunk ids (none twice), the same document
records, a sound ``check``, and vectors with cosine >= 0.99 to the one-worker run's (bf16
sums differ slightly with the thread count).  The machine's load average is recorded
beside the figures: on a shared machine it says what the speed-up could be.

    .venv/bin/python bench/shard_ingest.py                        # real model, the samples
    .venv/bin/python bench/shard_ingest.py --corpus ../shared/corpus/greve --first 5
    .venv/bin/python bench/shard_ingest.py --corpus DIR --workers 1,2,4
    .venv/bin/python bench/shard_ingest.py --model hash-64        # the short form (seconds)
    .venv/bin/python bench/shard_ingest.py --json out.json

Exit code 0 when every run succeeded and matched the one-worker index.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.chunker import CHUNKER_VERSION  # noqa: E402
from ingest.readers import iter_source_files  # noqa: E402
from vectorstore.embedder import load_embedder  # noqa: E402
from vectorstore.server import CHROMA, start_local_server  # noqa: E402
from vectorstore.store import IndexIdentity, VectorStore, make_client  # noqa: E402

SAMPLES = REPO / "data" / "samples" / "kkr-midtjylland"
MIN_COSINE = 0.99


@dataclass
class Run:
    """One worker count: the command's wall time, its report and what the index held."""

    workers: int
    seconds: float
    exit: int
    report: dict[str, Any]
    chunks: int
    chunk_ids_unique: bool
    check_ok: bool
    problems: list[str] = field(default_factory=list)
    min_cosine: float | None = None
    load: float = 0.0
    """The 1-minute load average as the run started (other work on the machine)."""


def start_server(path: Path) -> tuple[str, subprocess.Popen[bytes]]:
    """``chroma run`` on ``path``, once it answers."""
    return start_local_server(path)


def read_index(url: str, model: str, dimension: int) -> tuple[dict[str, Any], VectorStore]:
    """Chunk ids, vectors, documents (hash, the files listed, body, date, type) and their
    meeting ids.  Which of two documents of one meeting keeps the bare meeting id, and which
    of two copies' records lists the other, depends on which was written first (in one
    process too), so ids are compared for being distinct and copies by their file lists."""
    store = VectorStore(make_client(url=url), IndexIdentity(model, dimension, CHUNKER_VERSION))
    ids, _, _, vectors = store.all_chunk_vectors()
    docs = store.all_documents()
    records = sorted((r.doc_hash, tuple(sorted(r.payload.get("sources") or [])),
                      r.payload.get("body"), r.payload.get("date"), r.payload.get("doc_type"))
                     for r in docs)
    return {"ids": ids, "vectors": dict(zip(ids, vectors, strict=True)), "records": records,
            "meeting_ids": [str(r.metadata.get("meeting_id")) for r in docs]}, store


def run_once(workers: int, corpus: Path, model: str | None, root: Path) -> tuple[Run, dict]:
    url, server = start_server(root / f"server-{workers}")
    try:
        env = dict(os.environ, PYTHONPATH=str(REPO))
        env.pop("MEETINGS_CHROMA_URL", None)
        if model:
            env["MEETINGS_MODEL"] = model
        cmd = [sys.executable, "-m", "assistant", "--chroma-url", url, "ingest", "--json",
               "--workers", str(workers), str(corpus)]
        load = os.getloadavg()[0]
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, env=env)
        seconds = time.perf_counter() - started
        try:
            report = json.loads(done.stdout)
        except json.JSONDecodeError:
            report = {"stderr": done.stderr[-2000:]}
        embedder = load_embedder(model, lazy=True)  # name and dimension; loads no weights
        state, store = read_index(url, embedder.name, embedder.dimension)
        health = store.check()
        run = Run(workers, round(seconds, 2), done.returncode, report, len(state["ids"]),
                  len(state["ids"]) == len(set(state["ids"])), health.ok, load=round(load, 2))
        if done.returncode != 0:
            run.problems.append(f"exit {done.returncode}: {done.stderr.strip()[-300:]}")
        return run, state
    finally:
        server.terminate()
        server.wait(timeout=30)


def compare(run: Run, state: dict, base: dict) -> None:
    """What differs from the one-worker index goes into ``run.problems``."""
    if sorted(state["ids"]) != sorted(base["ids"]):
        missing = set(base["ids"]) - set(state["ids"])
        extra = set(state["ids"]) - set(base["ids"])
        run.problems.append(f"chunk ids differ: {len(missing)} missing, {len(extra)} extra")
    if state["records"] != base["records"]:
        run.problems.append("document records differ")
    if len(set(state["meeting_ids"])) != len(state["meeting_ids"]):
        run.problems.append("two documents share a meeting id")
    shared = [cid for cid in base["ids"] if cid in state["vectors"]]
    if shared:
        a = np.stack([base["vectors"][c] for c in shared])
        b = np.stack([state["vectors"][c] for c in shared])
        run.min_cosine = round(float(np.min(np.sum(a * b, axis=1))), 5)
        if run.min_cosine < MIN_COSINE:
            run.problems.append(f"vectors differ: min cosine {run.min_cosine}")
    if not run.chunk_ids_unique:
        run.problems.append("a chunk id is stored twice")
    if not run.check_ok:
        run.problems.append("meetings check finds problems")


def machine() -> str:
    """CPU model, cores and the SIMD flags that decide the embedding path."""
    try:
        text = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown CPU"
    info = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    flags = set(info.get("Flags", "").split())
    wanted = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16")
              if f in flags]
    return (f"{info.get('Model name', '?').strip()}, {info.get('CPU(s)', '?').strip()} CPUs, "
            f"flags {' '.join(wanted) or 'none of avx2/avx512'}")


def bench(corpus: Path, counts: list[int], model: str | None) -> dict[str, Any]:
    """Every worker count in turn; the figures and the verdict."""
    if not CHROMA.exists():
        raise SystemExit(f"{CHROMA} not found: install chromadb into this virtualenv")
    root = Path(tempfile.mkdtemp(prefix="shard-bench-"))
    load_before = os.getloadavg()
    runs: list[Run] = []
    try:
        base: dict | None = None
        for count in counts:
            run, state = run_once(count, corpus, model, root)
            if base is None:
                base = state
            else:
                compare(run, state, base)
            runs.append(run)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    first = runs[0].seconds
    return {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "corpus": str(corpus),
        "model": model or "multilingual-e5-small",
        "runs": [asdict(r) | {"speedup": round(first / r.seconds, 2) if r.seconds else None}
                 for r in runs],
        "ok": all(r.exit == 0 and not r.problems for r in runs),
    }


def table(result: dict[str, Any]) -> str:
    lines = ["| workers | load at start | wall s | ingest s | documents | chunks | split "
             "(docs / chunks per worker) | speed-up | precision/device | min cosine vs 1 "
             "| correct |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in result["runs"]:
        rep = r["report"]
        verdict = "yes" if not r["problems"] and r["exit"] == 0 else "; ".join(r["problems"])
        split = " + ".join(str(w["documents"]) for w in rep.get("workers") or []) or "-"
        if rep.get("workers"):
            split += " / " + " + ".join(str(w["chunks"]) for w in rep["workers"])
        lines.append(f"| {r['workers']} | {r['load']} | {r['seconds']:.1f} | "
                     f"{rep.get('seconds', 0):.1f} | {rep.get('documents')} | {r['chunks']} | "
                     f"{split} | x{r['speedup']} | "
                     f"{rep.get('precision')}/{rep.get('device')} | "
                     f"{r['min_cosine'] if r['min_cosine'] is not None else '-'} | {verdict} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=SAMPLES, help="folder to ingest "
                    "(default: the samples)")
    ap.add_argument("--first", type=int, help="only the first K files of the corpus (sorted "
                    "by path), copied into a temporary folder")
    ap.add_argument("--workers", default="1,2", help="worker counts, the first is the "
                    "baseline (default 1,2)")
    ap.add_argument("--model", help="MEETINGS_MODEL for the ingest (default: the real model; "
                    "hash-64 for the short form)")
    ap.add_argument("--json", type=Path, help="also write the result as JSON here")
    args = ap.parse_args(argv)
    counts = [int(x) for x in args.workers.split(",")]
    with tempfile.TemporaryDirectory(prefix="shard-corpus-") as tmp:
        corpus = args.corpus
        if args.first:
            corpus = Path(tmp) / args.corpus.name
            corpus.mkdir()
            for path in iter_source_files([args.corpus])[: args.first]:
                shutil.copy(path, corpus / path.relative_to(args.corpus).as_posix()
                            .replace("/", "_"))
        result = bench(corpus, counts, args.model)
        result["corpus"] = f"{args.corpus}" + (f" (first {args.first} files)" if args.first
                                               else "")
        result["files"] = len(iter_source_files([corpus]))
    print(f"{result['date']}; {result['machine']}; load average before "
          f"{result['load_before']}, after {result['load_after']}; model {result['model']}; "
          f"corpus {result['corpus']}, {result['files']} files")
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
