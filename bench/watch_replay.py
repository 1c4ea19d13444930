"""Topic watch calibration: replay an archive in date order and see what each digest says.

    .venv/bin/python bench/watch_replay.py [FOLDER] [--meetings 50] [--batches 5]
        [--embedder real|hash] [--json FILE]

The first ``--meetings`` meetings of FOLDER (default: the Greve FirstAgenda archive,
``../shared/corpus/greve``) are sorted by meeting date and split into ``--batches`` batches.
Batch 1 is ingested, then the watches of ``TOPICS`` are added (baseline: batch 1); each
later batch is ingested through the product's own ingest and watch refresh
(``WatchStore.refresh``, the code ``meetings ingest`` runs) with no threshold, so every new
item is recorded with its score.  For each batch and watch it prints how many new items a
digest would list at each candidate threshold (``--thresholds``), and the items above the
lowest one with their scores and citations, to be judged on/off topic by reading them.
``--json FILE`` writes every recorded item (watch, batch, score, citation, outcome line).

``--embedder hash`` (the fake embedder) checks the plumbing in seconds; calibration needs
the real model (``--embedder real``, the default): ~50 Greve meetings take ~10 minutes of
CPU on 2 cores.  The result is the ``WATCH_MIN_SCORE`` of ``assistant/settings.py``;
figures: docs/BENCHMARKS.md, "Topic watch calibration".
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.search import Retriever  # noqa: E402
from assistant.settings import WATCH_MIN_SCORE, Services, Settings  # noqa: E402
from assistant.watch import WatchStore, item_keys, outcome_line  # noqa: E402

DEFAULT_FOLDER = ROOT.parent / "shared" / "corpus" / "greve"
TOPICS: list[tuple[str, str, str | None]] = [
    # (name, query, body): generic municipal topics, none written for one document
    ("klima", "klimatilpasning og oversvømmelse", None),
    ("trafik", "trafiksikkerhed og cykelstier", None),
    ("aeldre", "plejehjem og ældrepleje", None),
    ("boliger", "lokalplan for nye boliger", None),
    ("beskaeftigelse", "ledighed og beskæftigelsesindsats", None),
    ("budget", "budget", "Økonomiudvalget"),  # one word, one body (the filter)
    ("skole", "folkeskolen", None),
]
DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2})_(\d{2})")


def meeting_files(folder: Path, count: int) -> list[Path]:
    """The first ``count`` meeting files in meeting date (and time) order.  FirstAgenda
    file names carry the meeting start; other files sort by name."""
    def key(path: Path) -> tuple[str, str]:
        m = DATE_IN_NAME.search(path.name)
        return (f"{m[1]}T{m[2]}:{m[3]}" if m else "", path.name)

    files = sorted((p for p in folder.iterdir() if p.suffix.lower() in (".json", ".txt",
                                                                         ".pdf", ".docx")),
                   key=key)
    return files[:count]


def batches_of(files: list[Path], n: int) -> list[list[Path]]:
    size = -(-len(files) // n)
    return [files[i:i + size] for i in range(0, len(files), size)]


class SavedVectors:
    """The real embedder, except for passages whose vectors another index of the same
    archive, built with the same model and chunker, saved in its retriever cache
    (``<db>/retriever-cache/<key>/``: chunk ids and unit vectors): those are taken from
    there, as the product's own ingest reuses a stored vector (``embed_hash``).  Only saves
    time; anything it does not know is embedded by the model."""

    def __init__(self, inner: Any, table: dict[str, np.ndarray]) -> None:
        self.inner = inner
        self.table = table
        self.reused = self.embedded = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in texts if t not in self.table]
        fresh = iter(self.inner.embed_passages(missing)) if missing else iter(())
        self.embedded += len(missing)
        self.reused += len(texts) - len(missing)
        return np.stack([self.table[t] if t in self.table else next(fresh) for t in texts])


def saved_vectors(index: Path, files: list[Path], chunker: Any) -> dict[str, np.ndarray]:
    """Embedded text -> vector for the chunks of ``files`` that ``index``'s retriever cache
    holds (chunk ids derive from content, so they match across indexes)."""
    from ingest.pipeline import load_meeting, source_key

    folder = next((index / "retriever-cache").iterdir())
    import msgspec

    ids = msgspec.msgpack.decode((folder / "chunks.msgpack").read_bytes())["ids"]
    vectors = np.load(folder / "vectors.npy", allow_pickle=False)
    row = {cid: i for i, cid in enumerate(ids)}
    table: dict[str, np.ndarray] = {}
    for path in files:
        doc, meeting = load_meeting(path, source=source_key(path))
        for chunk in chunker.chunk_meeting(meeting, doc.text):
            if chunk.chunk_id in row:
                table[chunk.embed_text] = vectors[row[chunk.chunk_id]]
    return table


def make_services(db: Path, kind: str, files: list[Path], vectors_from: Path | None = None
                  ) -> Services:
    embedder: Any
    if kind == "hash":
        from vectorstore.embedder import HashEmbedder

        embedder = HashEmbedder()
    else:
        from ingest.chunker import Chunker
        from vectorstore.embedder import load_embedder

        embedder = load_embedder(None, lazy=True)
        if vectors_from is not None:
            chunker = Chunker(embedder.count_tokens, max_tokens=embedder.max_tokens)
            embedder = SavedVectors(embedder, saved_vectors(vectors_from, files, chunker))
    return Services(Settings(db_dir=db, chroma_url=None, model=None), embedder=embedder)


def replay(folder: Path, meetings: int, batches: int, kind: str, db: Path,
           topics: list[tuple[str, str, str | None]] = TOPICS,
           log: Any = print, vectors_from: Path | None = None) -> dict[str, Any]:
    """Ingest the batches in order, watches added after the first; every new item's score
    per batch and watch (the figures the report prints)."""
    files = meeting_files(folder, meetings)
    services = make_services(db, kind, files, vectors_from)
    parts = batches_of(files, batches)
    store = WatchStore.beside(db)
    rows: list[dict[str, Any]] = []
    per_batch: list[dict[str, Any]] = []
    for number, part in enumerate(parts, 1):
        work = db.parent / f"batch-{number}"
        work.mkdir(parents=True, exist_ok=True)
        for path in part:
            shutil.copyfile(path, work / path.name)
        started = time.perf_counter()
        report = services.ingestor.ingest([work])
        ingest_s = time.perf_counter() - started
        started = time.perf_counter()
        retriever = Retriever(services.store, services.embedder)
        if number == 1:
            baseline = item_keys(retriever.meetings.values())
            for name, query, body in topics:
                store.add(name, query, body, baseline)
            added: dict[str, Any] = {}
        else:
            added = store.refresh(retriever, threshold=-1.0)
        refresh_s = time.perf_counter() - started
        dates = sorted(m.date or "" for m in retriever.meetings.values())
        info = {"batch": number, "meetings": len(part), "items": report.items,
                "chunks": report.chunks, "ingest_s": round(ingest_s, 1),
                "refresh_s": round(refresh_s, 1), "last_date": dates[-1] if dates else ""}
        per_batch.append(info)
        log(f"batch {number}: {info}")
        for name, found in added.items():
            for m in found:
                rows.append({"watch": name, "batch": number, "score": round(m.score, 4),
                             "public": m.public, "citation": m.result["citation"],
                             "outcome": outcome_line(m.result), "url": m.result["url"]})
    embedder = services.embedder
    if isinstance(embedder, SavedVectors):
        log(f"passages: {embedder.reused} vectors reused from {vectors_from}, "
            f"{embedder.embedded} embedded")
    return {"embedder": embedder.name, "batches": per_batch, "items": rows,
            "topics": [{"name": n, "query": q, "body": b} for n, q, b in topics]}


def summarize(result: dict[str, Any], thresholds: list[float]) -> list[dict[str, Any]]:
    """Per batch and watch: new items, and how many a digest lists at each threshold."""
    table = []
    for batch in result["batches"][1:]:
        for topic in result["topics"]:
            scores = [r["score"] for r in result["items"]
                      if r["batch"] == batch["batch"] and r["watch"] == topic["name"]]
            table.append({"batch": batch["batch"], "watch": topic["name"],
                          "new_items": len(scores),
                          "listed": {str(t): sum(s >= t for s in scores) for t in thresholds}})
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    ap.add_argument("--meetings", type=int, default=50)
    ap.add_argument("--batches", type=int, default=5)
    ap.add_argument("--embedder", choices=["real", "hash"], default="real")
    ap.add_argument("--thresholds", default="0.80,0.81,0.82,0.83,0.84,0.85,0.86,0.87",
                    help="candidate thresholds (comma-separated)")
    ap.add_argument("--show", type=int, default=12, help="items shown per batch and watch")
    ap.add_argument("--json", type=Path, help="write every recorded item here")
    ap.add_argument("--vectors-from", type=Path,
                    help="an index of the same archive built with the real model: reuse the "
                    "passage vectors its retriever cache saved (saves the embedding time)")
    args = ap.parse_args(argv)
    if not args.folder.is_dir():
        print(f"no folder {args.folder}", file=sys.stderr)
        return 2
    thresholds = [float(t) for t in args.thresholds.split(",")]
    base = Path(tempfile.mkdtemp(prefix="watch-replay-"))
    try:
        result = replay(args.folder, args.meetings, args.batches, args.embedder, base / "index",
                        vectors_from=args.vectors_from)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    result["table"] = summarize(result, thresholds)
    result["current_threshold"] = WATCH_MIN_SCORE
    print(f"\n{'batch':>5} {'watch':<15} {'new':>5} " + " ".join(f"{t:>5}" for t in thresholds))
    for row in result["table"]:
        print(f"{row['batch']:>5} {row['watch']:<15} {row['new_items']:>5} "
              + " ".join(f"{row['listed'][str(t)]:>5}" for t in thresholds))
    low = min(thresholds)
    for row in result["table"]:
        items = sorted((r for r in result["items"] if r["batch"] == row["batch"]
                        and r["watch"] == row["watch"] and r["score"] >= low),
                       key=lambda r: -r["score"])
        if items:
            print(f"\nbatch {row['batch']} · {row['watch']}:")
        for r in items[: args.show]:
            print(f"  {r['score']:.4f}  {r['citation']}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
