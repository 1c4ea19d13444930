"""Scale benchmark: synthetic archives grown from the real sample chunks, measured per size.

    .venv/bin/python bench/scale.py --sizes 1000,10000,30000,50000,100000 [--embedder real]

Each synthetic document is a copy of one stored sample document, re-dated (a new meeting),
with the digits of every chunk changed and the sentences of every chunk shuffled; its vectors
are the sample chunk's vector plus small Gaussian noise.  They are written through the
product's own store API (``VectorStore.upsert_chunks`` / ``put_document``) into one embedded
Chroma directory, grown size by size.  At each size, in fresh processes:

* app ready: ``Retriever(store, embedder)`` with no saved state (rebuilt from Chroma), then
  again with the state the first one saved (``assistant/retriever_cache.py``);
* warm ``Assistant.ask`` p50/p95 (total and its ``Retriever.search`` part) over the dev
  questions (``tests/data/dev.jsonl``), unfiltered and with a body filter;
* memory per chunk (RSS growth of the retriever over the open store), disk per chunk;
* HNSW recall@10 of the store's vector query against exact search over all vectors.

The seed: ``--embedder hash`` ingests the samples with the fake embedder into a temporary
folder (plumbing, seconds); ``--embedder real`` uses ``--seed-db`` (an index of the samples
built with the real model: ``meetings --db DIR ingest data/samples/kkr-midtjylland``).
Prints one JSON object per size and, with ``--json FILE``, writes them all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.settings import SAMPLE_CORPUS, Services, Settings  # noqa: E402
from ingest.danish import split_sentences  # noqa: E402
from ingest.serialize import meeting_from_dict  # noqa: E402
from vectorstore import Store  # noqa: E402
from vectorstore.filters import Equals, MetadataFilter  # noqa: E402
from vectorstore.store import Metadata  # noqa: E402

DEV_QUESTIONS = ROOT / "tests" / "data" / "dev.jsonl"
WARM_UP = ("Hvad blev besluttet om budgettet for næste år?",
           "What was decided about the budget for next year?")
NOISE = 0.01
"""Standard deviation of the noise per vector component (cosine to the original ~0.98)."""


# --- building ---------------------------------------------------------------------------


@dataclass
class SeedDocument:
    source: str
    doc_hash: str
    payload: dict[str, Any]
    metadata: Metadata
    record_vector: np.ndarray
    chunk_ids: list[str]
    texts: list[str]
    metas: list[Metadata]
    vectors: np.ndarray


def services(db: Path, embedder_kind: str) -> Services:
    """Services for ``db`` with the fake or the real (lazy) embedder."""
    embedder: Any
    if embedder_kind == "hash":
        from vectorstore.embedder import HashEmbedder

        embedder = HashEmbedder()
    else:
        from vectorstore.embedder import load_embedder

        embedder = load_embedder(None, lazy=True)
    return Services(Settings(db_dir=db, chroma_url=None, model=None), embedder=embedder)


def read_seed(store: Store) -> list[SeedDocument]:
    """Every stored document with its chunks and vectors (the material of the copies)."""
    ids, texts, metas, vectors = store.all_chunk_vectors()
    by_source: dict[str, list[int]] = {}
    for i, meta in enumerate(metas):
        by_source.setdefault(str(meta["source"]), []).append(i)
    seeds = []
    for record, vec in store.all_document_vectors():
        rows = by_source.get(record.source, [])
        seeds.append(SeedDocument(
            record.source, record.doc_hash, record.payload, dict(record.metadata), vec,
            [ids[i] for i in rows], [texts[i] for i in rows], [metas[i] for i in rows],
            vectors[rows],
        ))
    return seeds


def scramble(text: str, rng: random.Random) -> str:
    """The same words with other digits and the sentences in another order."""
    text = re.sub(r"\d", lambda _: str(rng.randint(0, 9)), text)
    sentences = split_sentences(text) or [text]
    rng.shuffle(sentences)
    return " ".join(sentences)


def write_copy(store: Store, seed: SeedDocument, copy: int, taken: set[str]) -> int:
    """Store copy number ``copy`` of ``seed``; returns its chunk count."""
    rng = random.Random(f"{seed.doc_hash}-{copy}")
    np_rng = np.random.default_rng(int(hashlib.sha256(f"{seed.doc_hash}-{copy}".encode())
                                       .hexdigest()[:8], 16))
    base = dt.date.fromisoformat(seed.payload.get("date") or "2023-01-01")
    shift = 7 * (copy + 1)
    payload = dict(seed.payload)
    while True:
        date = (base - dt.timedelta(days=shift)).isoformat()
        payload["date"] = date
        meeting_id = meeting_from_dict(payload).meeting_id
        if meeting_id not in taken:
            taken.add(meeting_id)
            break
        shift += 1
    doc_hash = hashlib.sha256(f"{seed.doc_hash}-{copy}".encode()).hexdigest()[:16]
    source = f"/synthetic/{copy:05d}/{Path(seed.source).name}"
    payload.update(meeting_id=meeting_id, doc_hash=doc_hash, source=source, sources=[source])
    ids = [doc_hash + cid[16:] for cid in seed.chunk_ids]
    date_int = int(date.replace("-", ""))
    metas: list[Metadata] = [
        {**m, "date": date, "date_int": date_int, "meeting_id": meeting_id, "source": source,
         "doc_hash": doc_hash}
        for m in seed.metas
    ]
    texts = [scramble(t, rng) for t in seed.texts]
    vectors = seed.vectors + np_rng.normal(0.0, NOISE, seed.vectors.shape).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store.upsert_chunks(ids, vectors, texts, metas)
    meta = {k: v for k, v in seed.metadata.items() if k not in ("source", "doc_hash")}
    meta.update(meeting_id=meeting_id, date=date, date_int=date_int)
    store.put_document(source, doc_hash, payload, meta, seed.record_vector, chunk_ids=ids)
    return len(ids)


def grow(db: Path, seed_db: Path, embedder_kind: str, target: int) -> dict[str, Any]:
    """Add copies to ``db`` until it holds at least ``target`` chunks."""
    seeds = read_seed(services(seed_db, embedder_kind).store)
    store = services(db, embedder_kind).store
    total = store.chunk_count()
    taken = {str(r.metadata.get("meeting_id")) for r in store.all_documents()}
    copy = len(taken) // max(1, len(seeds))
    started = time.perf_counter()
    written = 0
    while total < target:
        for seed in seeds:
            n = write_copy(store, seed, copy, taken)
            total += n
            written += n
        copy += 1
    seconds = time.perf_counter() - started
    return {"chunks": total, "written": written, "write_s": round(seconds, 1),
            "write_chunks_per_s": round(written / seconds, 1) if seconds else None}


def make_hash_seed(folder: Path) -> Path:
    """The samples ingested with the fake embedder (the seed of ``--embedder hash``)."""
    svc = services(folder, "hash")
    report = svc.ingestor.ingest([SAMPLE_CORPUS])
    if not report.ingested:
        raise RuntimeError(f"seed ingest failed: {report.as_dict()}")
    return folder


# --- measuring (in a fresh process) ------------------------------------------------------


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def probe(db: Path, embedder_kind: str, questions: int, recall_queries: int) -> dict[str, Any]:
    """App ready time, memory, warm ask latency and recall@10 for the index at ``db``."""
    from assistant.answer import Assistant
    from assistant.search import Filters, Retriever

    svc = services(db, embedder_kind)
    embedder = svc.embedder
    qs = [json.loads(line)["question"] for line in DEV_QUESTIONS.read_text().splitlines()
          if line.strip()][:questions]
    embedder.embed_query("opvarmning")  # loads the query model outside the timings
    started = time.perf_counter()
    store = svc.store
    opened = time.perf_counter() - started
    gc.collect()
    rss0 = rss_mb()
    started = time.perf_counter()
    retriever = Retriever(store, embedder)
    ready = time.perf_counter() - started
    gc.collect()
    rss1 = rss_mb()
    chunks = len(retriever.chunk_ids)
    assistant = Assistant(retriever)
    search_times: list[float] = []
    original = retriever.search

    def timed_search(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            search_times.append(time.perf_counter() - t0)

    retriever.search = timed_search  # type: ignore[method-assign]
    embed_times: list[float] = []
    embed_query = embedder.embed_query

    def timed_embed(text: str) -> Any:
        t0 = time.perf_counter()
        try:
            return embed_query(text)
        finally:
            embed_times.append(time.perf_counter() - t0)

    embedder.embed_query = timed_embed
    for warm_up in WARM_UP:  # loads what the first Danish and English question load
        assistant.ask(warm_up)
    out: dict[str, Any] = {
        "chunks": chunks, "open_s": round(opened, 2), "ready_s": round(ready, 2),
        "rss_mb": round(rss1, 1), "retriever_mb": round(rss1 - rss0, 1),
        "kb_per_chunk": round((rss1 - rss0) * 1000 / max(chunks, 1), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000, 1),
    }
    body = next(iter(sorted({m.body for m in retriever.meetings.values() if m.body})), None)
    for label, filters in (("ask", None), ("ask_body_filter", Filters(body=body))):
        search_times.clear()
        embed_times.clear()
        for cache in ("_query_cache",):  # every question is new to the embedder
            getattr(embedder, cache, {}).clear()
            getattr(getattr(embedder, "_inner", None), cache, {}).clear()
        totals = []
        for q in qs:
            t0 = time.perf_counter()
            assistant.ask(q, filters=filters)
            totals.append(time.perf_counter() - t0)
        out[label] = {"p50_ms": _ms(statistics.median(totals)), "p95_ms": _ms(_p95(totals)),
                      "search_p50_ms": _ms(statistics.median(search_times)),
                      "search_p95_ms": _ms(_p95(search_times)),
                      "embed_query_p50_ms": _ms(statistics.median(embed_times))}
    out.update(recall(store, embedder, qs, recall_queries, body))
    return out


def recall(
    store: Store, embedder: Any, questions: list[str], n: int, body: str | None
) -> dict[str, Any]:
    """HNSW recall@10 against exact cosine search over every stored vector, and the time of
    a body-filtered vector query in Chroma against the same filter in numpy."""
    ids, _, metas, vectors = store.all_chunk_vectors()
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    queries = [np.asarray(embedder.embed_query(q), dtype=np.float32) for q in questions[:n]]
    hits, chroma_s, exact_s, where_s, mask_s = [], [], [], [], []
    bodies = np.array([str(m.get("body", "")) for m in metas])
    for q in queries:
        q = q / np.linalg.norm(q)
        t0 = time.perf_counter()
        got = {h.chunk_id for h in store.query(q, 10, with_payload=False, total=len(ids))}
        chroma_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        top = np.argpartition(-(unit @ q), 10)[:10]
        exact_s.append(time.perf_counter() - t0)
        hits.append(len(got & {ids[i] for i in top}) / 10)
        t0 = time.perf_counter()
        store.query(q, 200, MetadataFilter((Equals("body", body),)) if body else None,
                    with_payload=False, total=len(ids))
        where_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        rows = np.flatnonzero(bodies == body)
        sims = unit[rows] @ q
        rows[np.argsort(-sims)[:200]]
        mask_s.append(time.perf_counter() - t0)
    return {
        "recall_at_10": round(float(np.mean(hits)), 4) if hits else None,
        "recall_min": round(float(np.min(hits)), 2) if hits else None,
        "hnsw_query_ms": _ms(statistics.median(chroma_s)) if chroma_s else None,
        "exact_query_ms": _ms(statistics.median(exact_s)) if exact_s else None,
        "chroma_where_ms": _ms(statistics.median(where_s)) if where_s else None,
        "numpy_filtered_ms": _ms(statistics.median(mask_s)) if mask_s else None,
    }


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def disk_mb(folder: Path, skip: str = "retriever-cache") -> tuple[float, float]:
    """(index size, saved retriever state size) in MB."""
    index = cache = 0
    for path in folder.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            if skip in path.relative_to(folder).parts:
                cache += size
            else:
                index += size
    return index / 1e6, cache / 1e6


def run_child(args: list[str]) -> dict[str, Any]:
    """Run this script in a fresh process; its last stdout line is a JSON object."""
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def measure(db: Path, seed: Path, embedder_kind: str, sizes: list[int], questions: int,
            recall_queries: int) -> list[dict[str, Any]]:
    results = []
    common = ["--embedder", embedder_kind, "--questions", str(questions),
              "--recall-queries", str(recall_queries)]
    for size in sizes:
        built = run_child(["--grow", str(db), "--seed-db", str(seed), "--to", str(size),
                           "--embedder", embedder_kind])
        shutil.rmtree(db / "retriever-cache", ignore_errors=True)
        cold = run_child(["--probe", str(db), *common])
        warm = run_child(["--probe", str(db), *common])
        index_mb, cache_mb = disk_mb(db)
        row = {"size": size, **built, "rebuild": cold, "cached": warm,
               "disk_mb": round(index_mb, 1), "cache_mb": round(cache_mb, 1),
               "disk_kb_per_chunk": round(index_mb * 1000 / built["chunks"], 2)}
        print(json.dumps(row), flush=True)
        results.append(row)
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,30000,50000,100000",
                    help="comma-separated chunk counts (ascending; one archive grows)")
    ap.add_argument("--embedder", choices=("hash", "real"), default="hash")
    ap.add_argument("--seed-db", type=Path, help="index of the samples (required for real)")
    ap.add_argument("--work", type=Path, help="folder for the synthetic index (default: temp)")
    ap.add_argument("--questions", type=int, default=37)
    ap.add_argument("--recall-queries", type=int, default=37)
    ap.add_argument("--json", type=Path, help="write all results here")
    ap.add_argument("--grow", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--to", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--probe", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.grow:
        print(json.dumps(grow(args.grow, args.seed_db, args.embedder, args.to)))
        return 0
    if args.probe:
        print(json.dumps(probe(args.probe, args.embedder, args.questions, args.recall_queries)))
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="scale-"))
    seed = args.seed_db
    if seed is None:
        if args.embedder == "real":
            ap.error("--embedder real needs --seed-db (an index of the samples, real model)")
        seed = make_hash_seed(work / "seed")
    sizes = sorted(int(s) for s in args.sizes.split(","))
    results = measure(work / "index", seed, args.embedder, sizes, args.questions,
                      args.recall_queries)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
