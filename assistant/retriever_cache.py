"""The retriever's loaded state saved beside the index, so that start-up reads files
instead of every chunk, vector and meeting from Chroma and rebuilding BM25 (at 100k chunks:
seconds instead of half a minute; docs/BENCHMARKS.md, "Scale").

An entry is keyed by the store's change signature (chunk count and every document's source
and content hash), the index identity and a fingerprint of the code that builds the state;
any difference means a rebuild, never a stale answer.  A new process reads that signature
from the index's database file without opening Chroma (``vectorstore.store.ChromaFile``):
a cold ``ask`` whose entry matches opens Chroma only for a vector query.  Entries are
written to a temporary folder and renamed into place, so a reader sees a whole entry or
none.  Formats: JSON and numpy ``.npy`` read with ``allow_pickle=False``; nothing is
unpickled.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vectorstore.store import IndexIdentity, IndexSignature, Metadata

from .lexical import LexicalIndex

log = logging.getLogger(__name__)

CACHE_DIR = "retriever-cache"
FORMAT = 2
"""Bumped whenever what is saved changes (2: the lexical index keeps closed content's
vocabulary apart), so that older entries are rebuilt."""
_CODE = ("assistant/lexical.py", "assistant/search.py", "assistant/retriever_cache.py",
         "ingest/serialize.py", "ingest/models.py", "ingest/danish.py")
"""Sources whose change may change the saved state: part of every key."""
_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class RetrieverState:
    """What a retriever loads: current meetings (payload without source text), the chunks
    of current document versions with their unit vectors, and the lexical index."""

    meetings: list[dict[str, Any]]
    chunk_ids: list[str]
    chunk_texts: list[str]
    chunk_metas: list[Metadata]
    vectors: np.ndarray
    lexical: LexicalIndex


def cache_key(signature: IndexSignature, identity: IndexIdentity) -> str:
    """A hash of everything the saved state depends on."""
    count, documents = signature
    code = hashlib.sha256()
    for name in _CODE:
        path = _ROOT / name
        code.update(path.read_bytes() if path.exists() else b"")
    versions = [_version(p) for p in ("bm25s", "PyStemmer", "numpy")]
    blob = json.dumps(
        [FORMAT, code.hexdigest(), versions, identity.as_metadata(), count, sorted(documents)],
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return ""


def load(root: Path, key: str) -> RetrieverState | None:
    """The entry saved under ``key``, or None (none saved, another key, or unreadable)."""
    folder = root / key
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return None
    try:
        if json.loads(manifest.read_text(encoding="utf-8")).get("key") != key:
            return None
        meetings = _read_json(folder / "meetings.json")
        chunks = _read_json(folder / "chunks.json")
        vectors = np.load(folder / "vectors.npy", allow_pickle=False)
        lexical = LexicalIndex.load(folder / "lexical")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("retriever cache %s unreadable (%s); rebuilding from the index", folder, exc)
        return None
    ids, texts, metas = chunks["ids"], chunks["texts"], chunks["metas"]
    if not (len(ids) == len(texts) == len(metas) == len(vectors) == len(lexical.ids)):
        log.warning("retriever cache %s is inconsistent; rebuilding from the index", folder)
        return None
    return RetrieverState(meetings, ids, texts, metas, vectors, lexical)


def save(root: Path, key: str, state: RetrieverState) -> None:
    """Write ``state`` as the entry for ``key`` and drop older entries.  A failure (read-only
    directory, full disk) costs only the next start-up's time: it is logged, not raised."""
    tmp = root / f".tmp-{key}-{os.getpid()}-{time.monotonic_ns()}"
    try:
        tmp.mkdir(parents=True)
        _write_json(tmp / "meetings.json", state.meetings)
        _write_json(tmp / "chunks.json",
                    {"ids": state.chunk_ids, "texts": state.chunk_texts,
                     "metas": state.chunk_metas})
        np.save(tmp / "vectors.npy", np.ascontiguousarray(state.vectors, dtype=np.float32),
                allow_pickle=False)
        state.lexical.save(tmp / "lexical")
        _write_json(tmp / "manifest.json", {"key": key, "format": FORMAT,
                                            "chunks": len(state.chunk_ids)})
        target = root / key
        if target.exists():
            shutil.rmtree(tmp, ignore_errors=True)  # another process saved the same state
        else:
            os.rename(tmp, target)
    except OSError as exc:
        log.warning("could not save the retriever cache in %s: %s", root, exc)
        shutil.rmtree(tmp, ignore_errors=True)
        return
    for other in root.iterdir():
        # older entries go; so does a temporary folder a killed process left (an hour old)
        try:
            age = time.time() - other.stat().st_mtime
        except OSError:  # another process removed it meanwhile
            continue
        leftover = other.name.startswith(".tmp-") and age > 3600
        if other.name != key and (leftover or not other.name.startswith(".tmp-")):
            shutil.rmtree(other, ignore_errors=True)


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
