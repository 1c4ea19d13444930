"""Sentence vectors of an embedded index, computed at ingest and read when answering.

An English question's answer sentences are chosen by their closeness in meaning to the
question (``assistant.meaning``): embedding 16 candidate sentences at question time cost
150-400 ms of a 200-650 ms English ``ask`` (docs/BENCHMARKS.md). Ingest embeds each
sentence of the stored text once instead, and a question only reads the vectors back.

The store is a cache beside Chroma, never the index itself: a sentence it lacks (an index
ingested before it existed, a sentence split differently, a Chroma server with no local
folder, a read-only folder) is embedded at question time as before, with the same model,
so answers do not depend on it. It is one SQLite file (WAL: an ingest writes while a
server reads) keyed by a hash of the sentence text, so an unchanged sentence is never
embedded twice, whichever document it comes back in. Vectors are stored as float16 (the
cosines they give differ from float32 in the fourth decimal). A different model empties it.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

FILE_NAME = "sentence-vectors.sqlite3"
SENTENCE_CHARS = 200
"""A sentence is embedded by its first this many characters (most are shorter: 73 on
average in the Greve archive); the answer picker looks sentences up by the same prefix."""
_BATCH = 500  # SQLite's default limit on bound parameters is 999 (older builds)


def sentence_key(text: str) -> str:
    """The prefix of ``text`` that is embedded and looked up (:data:`SENTENCE_CHARS`)."""
    return text[:SENTENCE_CHARS]


def _digest(text: str) -> bytes:
    return hashlib.blake2b(sentence_key(text).encode("utf-8"), digest_size=16).digest()


class SentenceStore:
    """Float16 unit vectors of sentences for one model, in ``path`` (created on first
    write).  Thread-safe; every failure to read or write is logged and treated as "not
    stored", never raised: the store only saves time."""

    def __init__(self, path: Path, model: str, dimension: int) -> None:
        self.path = Path(path)
        self.model = f"{model}/{dimension}"
        self.dimension = dimension
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._broken = False

    def _connection(self, write: bool) -> sqlite3.Connection | None:
        """The open connection; None when the file cannot be used (logged once)."""
        if self._conn is not None or self._broken:
            return self._conn
        if not write and not self.path.exists():
            return None
        try:
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            conn.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB)")
            conn.execute("CREATE TABLE IF NOT EXISTS documents (doc_hash TEXT PRIMARY KEY)")
            row = conn.execute("SELECT value FROM meta WHERE key = 'model'").fetchone()
            if row is None or row[0] != self.model:
                if row is not None:
                    log.info("sentence vectors of %s in %s dropped: the index now uses %s",
                             row[0], self.path, self.model)
                with conn:
                    conn.execute("DELETE FROM vectors")
                    conn.execute("DELETE FROM documents")
                    conn.execute("INSERT OR REPLACE INTO meta VALUES ('model', ?)", (self.model,))
        except (sqlite3.Error, OSError) as exc:
            log.warning("sentence vectors in %s unusable (%s); sentences are embedded when "
                        "a question needs them", self.path, exc)
            self._broken = True
            return None
        self._conn = conn
        return conn

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vector (float32) of each of ``texts`` that has one."""
        by_digest = {_digest(t): t for t in texts}
        found = {
            by_digest[key]: np.frombuffer(blob, dtype=np.float16).astype(np.float32)
            for key, blob in self._vector_rows(list(by_digest), "key, vec")
        }
        return {t: found[t] for t in texts if t in found}

    def missing(self, texts: Iterable[str]) -> list[str]:
        """Those of ``texts`` (distinct, in order) with no stored vector (only the keys are
        read: an ingest asks this of every sentence of every new document)."""
        digests = {key: _digest(key) for key in dict.fromkeys(sentence_key(t) for t in texts)}
        stored = {key for (key,) in self._vector_rows(list(digests.values()), "key")}
        return [t for t, digest in digests.items() if digest not in stored]

    def add(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store one vector per text (rows of ``vectors``, made unit length)."""
        if not len(texts):
            return
        matrix = np.asarray(vectors, dtype=np.float32)
        if matrix.shape != (len(texts), self.dimension):
            raise ValueError(f"sentence vectors: {matrix.shape} for {len(texts)} texts of "
                             f"dimension {self.dimension}")
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix = (matrix / np.where(norms > 0, norms, 1.0)).astype(np.float16)
        rows = [(_digest(t), matrix[i].tobytes()) for i, t in enumerate(texts)]
        self._write("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)

    def has_document(self, doc_hash: str) -> bool:
        """Whether the sentences of the document with ``doc_hash`` were all stored."""
        return bool(self._read("SELECT 1 FROM documents WHERE doc_hash = ?", (doc_hash,)))

    def mark_document(self, doc_hash: str) -> None:
        """Record that every sentence of the document with ``doc_hash`` is stored."""
        self._write("INSERT OR IGNORE INTO documents VALUES (?)", [(doc_hash,)])

    def count(self) -> int:
        """Stored sentence vectors."""
        rows = self._read("SELECT COUNT(*) FROM vectors")
        return int(rows[0][0]) if rows else 0

    def _vector_rows(self, digests: list[bytes], columns: str) -> list[tuple[Any, ...]]:
        """``columns`` of the stored vectors whose keys are among ``digests``."""
        rows: list[tuple[Any, ...]] = []
        for part in _parts(digests):
            rows += self._read(f"SELECT {columns} FROM vectors WHERE key IN ({_marks(part)})",
                               part)
        return rows

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """The rows of one query; none when the file is missing or unusable (logged)."""
        with self._lock:
            conn = self._connection(write=False)
            if conn is None:
                return []
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                log.warning("reading sentence vectors from %s failed: %s", self.path, exc)
                return []

    def _write(self, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
        with self._lock:
            conn = self._connection(write=True)
            if conn is None:
                return
            try:
                with conn:
                    conn.executemany(sql, rows)
            except sqlite3.Error as exc:
                log.warning("writing sentence vectors to %s failed: %s", self.path, exc)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _parts(keys: list[bytes]) -> Iterable[list[bytes]]:
    for start in range(0, len(keys), _BATCH):
        yield keys[start : start + _BATCH]


def _marks(part: Sequence[object]) -> str:
    return ",".join("?" * len(part))
