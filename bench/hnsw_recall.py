"""HNSW recall@10 of an index's Chroma vector query against exact search over its vectors.

    .venv/bin/python bench/hnsw_recall.py --db COPY [--ef 50,100,200,400,800] [--json OUT]

Query vectors: the questions of the eval files (``--questions``) and ``--sentences`` sentences
sampled (seeded) from stored chunks, each embedded as a question by the index's model.  The
exact top 10 is the cosine top 10 over every vector in the chunk collection (numpy); the
HNSW top 10 is ``VectorStore.query`` (what ``Retriever._dense`` uses above
``TUNING.ranking.exact_search_max`` chunks).  Recall@10 is the share of the exact top 10
that HNSW returns;
``tie-aware`` also counts a returned chunk as found when its similarity equals the exact
10th's (identical chunks stored twice make the exact top 10 ambiguous).

Each ``--ef`` value is set on the collection (``collection.modify``; the setting is stored
in the index) and measured in a fresh process; the original value is set back at the end.
It writes to the index's configuration: point ``--db`` at a copy of an index you must not
change.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.settings import Services, Settings  # noqa: E402
from ingest.danish import split_sentences  # noqa: E402
from vectorstore.store import HNSW, VectorStore  # noqa: E402

DEFAULT_QUESTIONS = (ROOT / "eval" / "greve_tune.jsonl", ROOT / "eval" / "greve_heldout.jsonl")
K = 10


def services(db: Path) -> Services:
    return Services(Settings(db_dir=db, chroma_url=None, model=None))


def open_store(db: Path) -> VectorStore:
    """The embedded index at ``db`` (its Chroma collections are used directly here)."""
    store = services(db).store
    if not isinstance(store, VectorStore):
        raise SystemExit(f"{db}: expected an embedded Chroma index")
    return store


def query_texts(
    db: Path, files: list[Path], n_sentences: int, seed: int
) -> tuple[list[str], int]:
    """The eval questions, then sentences sampled from stored chunks (one per chunk)."""
    texts = [json.loads(line)["question"] for path in files
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    store = open_store(db)
    got = store.chunks.get(include=["documents"])
    docs = got["documents"] or []
    rng = random.Random(seed)
    order = list(range(len(docs)))
    rng.shuffle(order)
    sampled: list[str] = []
    for i in order:
        if len(sampled) >= n_sentences:
            break
        sentences = [s for s in split_sentences(docs[i] or "") if 40 <= len(s) <= 300]
        if sentences:
            sampled.append(rng.choice(sentences))
    return texts + sampled, len(texts)


def exact_top(db: Path, queries: np.ndarray) -> tuple[list[list[str]], np.ndarray, float]:
    """Exact top-10 ids per query, the 10th similarity, and the median seconds per query."""
    ids, _, _, vectors = services(db).store.all_chunk_vectors()
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32)
    tops, tenth, seconds = [], [], []
    for q in queries:
        t0 = time.perf_counter()
        sims = unit @ q
        best = np.argpartition(-sims, K - 1)[:K]
        best = best[np.argsort(-sims[best])]
        seconds.append(time.perf_counter() - t0)
        tops.append([ids[i] for i in best])
        tenth.append(float(sims[best[-1]]))
    return tops, np.asarray(tenth), statistics.median(seconds)


def child(db: Path, ef: int, queries_file: Path) -> dict[str, Any]:
    """Set ef_search, then query every vector through the store (fresh process)."""
    store = open_store(db)
    store.chunks.modify(configuration={"hnsw": {"ef_search": ef}})
    total = store.chunk_count()
    queries = np.load(queries_file, allow_pickle=False)
    store.query(queries[0], K, with_payload=False, total=total)  # loads the HNSW index
    results, seconds = [], []
    for q in queries:
        t0 = time.perf_counter()
        hits = store.query(q, K, with_payload=False, total=total)
        seconds.append(time.perf_counter() - t0)
        results.append([[h.chunk_id, h.similarity] for h in hits])
    return {"ef_search": ef, "results": results,
            "query_ms_p50": round(statistics.median(seconds) * 1000, 2),
            "query_ms_p95": round(sorted(seconds)[int(0.95 * (len(seconds) - 1))] * 1000, 2)}


def run_child(db: Path, ef: int, queries_file: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--db", str(db), "--child", str(ef),
         "--queries-file", str(queries_file)],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"ef {ef} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="a copy of the index (see above)")
    ap.add_argument("--questions", type=Path, nargs="+", default=list(DEFAULT_QUESTIONS))
    ap.add_argument("--sentences", type=int, default=130)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--ef", default="50,100,200,400,800", help="ef_search values to measure")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--queries-file", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.db, args.child, args.queries_file)))
        return 0
    load_before = os.getloadavg()
    texts, n_questions = query_texts(args.db, args.questions, args.sentences, args.seed)
    embedder = services(args.db).embedder
    queries = np.asarray([embedder.embed_query(t) for t in texts], dtype=np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    tops, tenth, exact_s = exact_top(args.db, queries)
    original = int(open_store(args.db).chunks.configuration_json["hnsw"]["ef_search"])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        queries_file = Path(tmp) / "queries.npy"
        np.save(queries_file, queries, allow_pickle=False)
        try:
            for ef in (int(v) for v in args.ef.split(",")):
                got = run_child(args.db, ef, queries_file)
                strict, tied = [], []
                for exact, found, floor in zip(tops, got["results"], tenth, strict=True):
                    ids = {cid for cid, _ in found}
                    strict.append(len(ids & set(exact)) / K)
                    tied.append(min(1.0, sum(cid in exact or sim >= floor - 1e-5
                                             for cid, sim in found) / K))
                row = {"ef_search": ef, "recall_at_10": round(float(np.mean(strict)), 4),
                       "recall_min": round(float(np.min(strict)), 2),
                       "recall_questions": round(float(np.mean(strict[:n_questions])), 4),
                       "recall_sentences": round(float(np.mean(strict[n_questions:])), 4)
                       if len(strict) > n_questions else None,
                       "recall_tie_aware": round(float(np.mean(tied)), 4),
                       "queries_below_0.9": int(sum(r < 0.9 for r in strict)),
                       "hnsw_query_ms_p50": got["query_ms_p50"],
                       "hnsw_query_ms_p95": got["query_ms_p95"]}
                print(json.dumps(row), flush=True)
                rows.append(row)
        finally:
            run_child(args.db, original, queries_file)
    out = {"db": str(args.db), "vectors": int(services(args.db).store.chunk_count()),
           "queries": len(texts), "questions": n_questions,
           "hnsw_settings": HNSW, "stored_ef_search": original,
           "exact_query_ms_p50": round(exact_s * 1000, 2), "by_ef": rows,
           "loadavg_before": [round(x, 2) for x in load_before],
           "loadavg_after": [round(x, 2) for x in os.getloadavg()]}
    text = json.dumps(out, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
