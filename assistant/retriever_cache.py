"""The retriever's loaded state saved beside the index, so that start-up reads files
instead of every chunk, vector and meeting from Chroma and rebuilding BM25 (at 100k chunks:
seconds instead of half a minute; docs/BENCHMARKS.md, "Scale").

An entry is keyed by the store's change signature (chunk count and every document's source
and content hash), the index identity and a fingerprint of the code that builds the state;
any difference means a rebuild, never a stale answer.  A new process reads that signature
from the index's database file without opening Chroma (``vectorstore.store.ChromaFile``):
a cold ``ask`` whose entry matches opens Chroma only for a vector query.  Entries are
written to a temporary folder and renamed into place, so a reader sees a whole entry or
none.  Formats: MessagePack decoded by ``msgspec`` into declared types (meetings straight
into :class:`~ingest.models.Meeting`, whose checks run), JSON and numpy ``.npy`` read with
``allow_pickle=False``; nothing is unpickled.  A file that does not decode into its type, or
counts that disagree, mean a rebuild, and the damaged entry is replaced by the rebuilt one.
msgspec decodes 2-3x faster than the standard library's ``json`` and builds the Meeting
objects itself; MessagePack (strings length-prefixed, no escapes to scan) is a little faster
still than its JSON (docs/BENCHMARKS.md, "Cold ask at 100k chunks").
"""

from __future__ import annotations

import gc
import hashlib
import importlib.metadata
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from ingest.models import Meeting
from vectorstore.store import IndexIdentity, IndexSignature, Metadata

from .lexical import LexicalIndex

log = logging.getLogger(__name__)

CACHE_DIR = "retriever-cache"
FORMAT = 4
"""Bumped whenever what is saved changes (2: the lexical index keeps closed content's
vocabulary apart; 3: meetings and chunks in MessagePack, meetings as Meeting fields; 4: the
municipalities each meeting names), so that older entries are rebuilt."""
_CODE = ("assistant/lexical.py", "assistant/search.py", "assistant/retriever_cache.py",
         "assistant/mentions.py",
         "ingest/serialize.py", "ingest/models.py", "ingest/danish.py")
"""Sources whose change may change the saved state: part of every key."""
_ROOT = Path(__file__).resolve().parents[1]


class _Chunks(msgspec.Struct, forbid_unknown_fields=True):
    """The saved chunks, three aligned lists."""

    ids: list[str]
    texts: list[str]
    metas: list[Metadata]


_ENCODER = msgspec.msgpack.Encoder()
_MEETINGS = msgspec.msgpack.Decoder(list[Meeting])
_CHUNKS = msgspec.msgpack.Decoder(_Chunks)
_MENTIONS = msgspec.msgpack.Decoder(dict[str, dict[str, int]])


@dataclass
class RetrieverState:
    """What a retriever loads: current meetings, the chunks of current document versions
    with their unit vectors, and the lexical index."""

    meetings: list[Meeting]
    chunk_ids: list[str]
    chunk_texts: list[str]
    chunk_metas: list[Metadata]
    vectors: np.ndarray
    lexical: LexicalIndex
    mentions: dict[str, dict[str, int]]
    """The municipalities each meeting's open chunks name (:mod:`.mentions`), by meeting id."""


def cache_key(signature: IndexSignature, identity: IndexIdentity) -> str:
    """A hash of everything the saved state depends on."""
    count, documents = signature
    code = hashlib.sha256()
    for name in _CODE:
        path = _ROOT / name
        code.update(path.read_bytes() if path.exists() else b"")
    versions = [_version(p) for p in ("bm25s", "PyStemmer", "numpy", "msgspec")]
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
    """The entry saved under ``key``, or None: none saved, or one that is unreadable or
    inconsistent, which is removed so that the state rebuilt instead is saved in its place
    (:func:`save` keeps an entry that exists)."""
    folder = root / key
    if not (folder / "manifest.json").is_file():
        return None
    try:
        state = _read(folder, key)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        # msgspec's errors are ValueErrors; AttributeError: a manifest that is no object
        problem = f"unreadable ({exc})"
    else:
        if state is not None:
            return state
        problem = "inconsistent"
    log.warning("retriever cache %s is %s; rebuilding from the index", folder, problem)
    _discard(folder)
    return None


def _read(folder: Path, key: str) -> RetrieverState | None:
    """The entry in ``folder``; None when its parts disagree with its manifest or with
    each other.  Every part decodes into its declared type or raises."""
    about = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if about.get("key") != key or about.get("format") != FORMAT:
        return None
    with gc_paused():
        meetings = _MEETINGS.decode((folder / "meetings.msgpack").read_bytes())
        chunks = _CHUNKS.decode((folder / "chunks.msgpack").read_bytes())
        vectors = np.load(folder / "vectors.npy", allow_pickle=False)
        lexical = LexicalIndex.load(folder / "lexical")
        mentions = _MENTIONS.decode((folder / "mentions.msgpack").read_bytes())
    ids, texts, metas = chunks.ids, chunks.texts, chunks.metas
    if vectors.ndim != 2 or len(meetings) != about.get("meetings"):
        return None
    counts = {len(ids), len(texts), len(metas), len(vectors), len(lexical.ids)}
    if counts != {about.get("chunks")}:
        return None
    return RetrieverState(meetings, ids, texts, metas, vectors, lexical, mentions)


def _discard(folder: Path) -> None:
    """Remove an entry: renamed aside first, so that no reader finds half of it."""
    aside = folder.with_name(f".tmp-{folder.name}-damaged-{os.getpid()}-{time.monotonic_ns()}")
    try:
        os.rename(folder, aside)
    except OSError:  # gone already, or a read-only index: the next start rebuilds again
        return
    shutil.rmtree(aside, ignore_errors=True)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a state is read or derived: that
    creates millions of objects that all stay alive, and each collection the allocations
    trigger walks them all to free nothing (at 100k chunks a third of the load time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def save(root: Path, key: str, state: RetrieverState) -> None:
    """Write ``state`` as the entry for ``key`` and drop older entries.  A failure (read-only
    directory, full disk) costs only the next start-up's time: it is logged, not raised."""
    tmp = root / f".tmp-{key}-{os.getpid()}-{time.monotonic_ns()}"
    try:
        tmp.mkdir(parents=True)
        (tmp / "meetings.msgpack").write_bytes(_ENCODER.encode(state.meetings))
        chunks = _Chunks(state.chunk_ids, state.chunk_texts, state.chunk_metas)
        (tmp / "chunks.msgpack").write_bytes(_ENCODER.encode(chunks))
        np.save(tmp / "vectors.npy", np.ascontiguousarray(state.vectors, dtype=np.float32),
                allow_pickle=False)
        state.lexical.save(tmp / "lexical")
        (tmp / "mentions.msgpack").write_bytes(_ENCODER.encode(state.mentions))
        _write_json(tmp / "manifest.json", {"key": key, "format": FORMAT,
                                            "chunks": len(state.chunk_ids),
                                            "meetings": len(state.meetings)})
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
