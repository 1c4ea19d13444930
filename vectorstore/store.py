"""Chroma-backed storage: a ``chunks`` collection and a ``documents`` collection.

This module knows nothing about meetings: it stores records (id, vector, text, flat
metadata) and per-source document records, and enforces that an index is only ever opened
with the embedding model and chunker it was built with.

Write order for a changed source (crash-safe; README, "What ingest does"):
1. upsert the new chunks (ids derive from the new content hash, so nothing is overwritten);
2. upsert the document record with the new hash - the commit point;
3. delete that source's chunks whose hash is not the current one.
Readers only trust chunks whose ``doc_hash`` equals their document record's hash.

Kept whole: the write order and the hash rule above span both collections, so one class
enforces them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import sqlite3
import threading
import zlib
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import numpy as np

from .crashpoint import crashpoint
from .errors import IndexMismatchError, StoreUnavailableError
from .filters import Between, Equals, MetadataFilter
from .sentences import FILE_NAME as SENTENCE_FILE
from .sentences import SentenceStore

log = logging.getLogger(__name__)

CHUNKS = "chunks"
DOCUMENTS = "documents"
HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 400, "max_neighbors": 32}
HTTP_TIMEOUT_S = 30.0

Metadata = dict[str, str | int | float | bool]
CHUNK_IDS = "chunk_ids"
"""Payload key of a document record that lists its chunks' ids (``check`` compares them;
records written before the list existed promise only a count, metadata ``chunks``)."""
EMBED_HASH = "embed_hash"
"""Chunk metadata key: a hash of the exact text that was embedded (vector reuse)."""
PAYLOAD = "payload_z"
"""Document-record metadata key: the record's payload (JSON), zlib-compressed and base64
encoded; the record's document string is then empty.  Chroma indexes every document string
in its SQLite full-text (trigram) index, which nothing here searches: a meeting payload
there (its full source text and every section's text, ~140 KB for a Greve meeting) took
~870 KB of disk per meeting, this ~160 KB (docs/BENCHMARKS.md, "Source text out of
Chroma's full-text index").  In the same record, so that the one upsert stays the commit
point and backups, clones and a Chroma server carry it unchanged.  Records written before
(payload JSON in the document string) are read as they are."""
IndexSignature = tuple[int, frozenset[tuple[str, str]]]
"""Chunk count and (source, doc_hash) per document: see :meth:`VectorStore.signature`."""
CHROMA_FILE = "chroma.sqlite3"
"""Chroma's database in an embedded index folder (:class:`ChromaFile` reads it)."""
_T = TypeVar("_T")
_OPENED: set[Path] = set()
"""Embedded index folders this process has opened with Chroma (:class:`LocalClient`; the
product opens embedded indexes only through :func:`make_client`)."""
_OPEN_LOCK = threading.Lock()
"""Held while this process opens Chroma on a folder or reads a folder's file directly, so
that no direct read overlaps Chroma's use of the same file (see :class:`ChromaFile`)."""


@dataclass(frozen=True)
class IndexIdentity:
    """What an index was built with; opening it with anything else is an error."""

    model: str
    dimension: int
    chunker_version: str

    def as_metadata(self) -> Metadata:
        return {
            "model": self.model,
            "dimension": self.dimension,
            "chunker_version": self.chunker_version,
        }


@dataclass(frozen=True)
class DocumentRecord:
    """One stored source document: its content hash and its parsed payload (JSON)."""

    source: str
    doc_hash: str
    payload: dict[str, Any]
    metadata: Metadata


@dataclass(frozen=True)
class ChunkHit:
    """A chunk returned by a vector query, with its cosine similarity."""

    chunk_id: str
    text: str
    metadata: Metadata
    similarity: float


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def _internal_error() -> type[Exception]:
    """chromadb's InternalError (imported when an error is being handled: Chroma is open)."""
    import chromadb.errors

    return chromadb.errors.InternalError


def make_client(db_dir: Path | None = None, url: str | None = None) -> Any:
    """An embedded client at ``db_dir`` (a :class:`LocalClient`: Chroma is opened on first
    use), or an HttpClient for ``url``."""
    if url:
        import chromadb

        parsed = urlparse(url)
        if not parsed.hostname:
            raise StoreUnavailableError(f"MEETINGS_CHROMA_URL {url!r} is not http://host:port")
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or 8000,
                ssl=parsed.scheme == "https",
                settings=_chroma_settings(),
            )
            _set_http_timeout(client, HTTP_TIMEOUT_S)
            client.heartbeat()
        except Exception as exc:  # chromadb raises many transport types; name the server
            raise StoreUnavailableError(f"Chroma server at {url} is not reachable: {exc}") from exc
        return client
    if db_dir is None:
        raise ValueError("either db_dir or url is required")
    db_dir.mkdir(parents=True, exist_ok=True)
    return LocalClient(db_dir)


class LocalClient:
    """Chroma's embedded client for one index folder, created on first use; every other
    attribute is the client's.

    Why: importing chromadb and opening the client cost ~1.5 s, and Chroma's first read of
    a collection in a process replays the write log it has not yet folded into its vector
    index (~1 s for the Greve documents collection, docs/BENCHMARKS.md "Cold ask").  A
    reader whose saved state still matches the index (:meth:`VectorStore.signature`, read
    from :class:`ChromaFile`) needs Chroma only for a vector query, and one that searches
    in memory (a small archive) never."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._client: Any = None

    @property
    def opened(self) -> bool:
        """Whether Chroma has been opened on this folder in this process, by any client
        (:class:`ChromaFile` may read the folder's database only while it has not)."""
        return self._client is not None or self.path.resolve() in _OPENED

    def open(self) -> Any:
        """The PersistentClient (created on the first call)."""
        if self._client is None:
            import chromadb

            with _OPEN_LOCK:
                if self._client is None:
                    _OPENED.add(self.path.resolve())  # first: a failed open may hold files
                    self._client = chromadb.PersistentClient(path=str(self.path),
                                                             settings=_chroma_settings())
        return self._client

    def close(self) -> None:
        """Release Chroma's files (nothing to release when it was never opened)."""
        if self._client is not None:
            self._client.close()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "_client":
            raise AttributeError(name)
        return getattr(self.open(), name)


class ChromaFile:
    """Reads what :meth:`VectorStore.signature` and the identity check need straight from an
    embedded index's ``chroma.sqlite3`` (read-only, one transaction), without chromadb.

    The values are exactly what Chroma's API answers, taken from the same tables its
    metadata reader uses: the chunk count and every document record's source and doc_hash
    (of each collection's metadata segment), the collections' metadata.  Every method
    returns None, and the caller asks Chroma, whenever it cannot vouch for that: the file,
    a collection or a table is missing or unlike Chroma 1.x's layout, the database is
    locked or damaged, a value is not a string, or Chroma's write log holds an operation it
    has not yet applied to the metadata segment (a writer between its two transactions, or
    one that crashed there: Chroma applies it on its next read).

    Used only while this process has not opened Chroma on the folder
    (:meth:`VectorStore._from_file`): chromadb links its own SQLite, and POSIX locks belong
    to the process, so closing this connection could drop a lock Chroma's copy holds.
    Other processes are SQLite's ordinary concurrent readers and writers."""

    TENANT, DATABASE = "default_tenant", "default_database"
    """Where Chroma's PersistentClient keeps collections unless told otherwise."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def identities(self) -> dict[str, dict[str, Any]] | None:
        """Collection name -> its metadata, for both collections; None if either is
        missing (a new index: Chroma creates it) or the file cannot be read."""
        return self._read(self._identities)

    def signature(self) -> IndexSignature | None:
        """:meth:`VectorStore.signature`'s value, or None (ask Chroma)."""
        return self._read(self._signature)

    def _read(self, reader: Callable[[sqlite3.Connection], _T | None]) -> _T | None:
        path = self.folder / CHROMA_FILE
        if not path.is_file():
            return None
        uri = f"{path.resolve().as_uri()}?mode=ro"
        try:
            with closing(sqlite3.connect(uri, uri=True, timeout=5.0,
                                         isolation_level=None)) as con:
                con.execute("BEGIN")  # one snapshot for every statement
                return reader(con)
        except (sqlite3.Error, ValueError) as exc:
            log.debug("reading %s directly failed (%s); asking Chroma", path, exc)
            return None

    def _collections(self, con: sqlite3.Connection) -> dict[str, str] | None:
        rows = con.execute(
            "SELECT c.name, c.id FROM collections c JOIN databases d ON d.id = c.database_id "
            "WHERE d.name = ? AND d.tenant_id = ? AND c.name IN (?, ?)",
            (self.DATABASE, self.TENANT, CHUNKS, DOCUMENTS),
        ).fetchall()
        found = {str(name): str(cid) for name, cid in rows}
        return found if len(found) == len(rows) == 2 else None

    def _identities(self, con: sqlite3.Connection) -> dict[str, dict[str, Any]] | None:
        collections = self._collections(con)
        if collections is None:
            return None
        out: dict[str, dict[str, Any]] = {}
        for name, cid in collections.items():
            rows = con.execute("SELECT key, str_value, int_value, float_value, bool_value "
                               "FROM collection_metadata WHERE collection_id = ?", (cid,))
            out[name] = {str(key): _value(s, i, f, b) for key, s, i, f, b in rows}
        return out

    def _signature(self, con: sqlite3.Connection) -> IndexSignature | None:
        collections = self._collections(con)
        if collections is None:
            return None
        segments = {name: self._current_segment(con, cid)
                    for name, cid in collections.items()}
        chunks, documents = segments[CHUNKS], segments[DOCUMENTS]
        if chunks is None or documents is None:
            return None
        (count,) = con.execute("SELECT COUNT(*) FROM embeddings WHERE segment_id = ?",
                               (chunks,)).fetchone()
        values: dict[int, dict[str, Any]] = {
            int(rid): {} for (rid,) in con.execute(
                "SELECT id FROM embeddings WHERE segment_id = ?", (documents,))
        }
        for rid, key, text, number, real, flag in con.execute(
            "SELECT m.id, m.key, m.string_value, m.int_value, m.float_value, m.bool_value "
            "FROM embedding_metadata m JOIN embeddings e ON e.id = m.id "
            "WHERE e.segment_id = ? AND m.key IN ('source', 'doc_hash')", (documents,)
        ):
            if text is None and (number, real, flag) != (None, None, None):
                return None  # not a string: Chroma's API would say how it reads
            values[int(rid)][str(key)] = text or ""
        docs = frozenset((v.get("source", ""), v.get("doc_hash", "")) for v in values.values())
        return int(count), docs

    def _current_segment(self, con: sqlite3.Connection, collection: str) -> str | None:
        """The collection's metadata segment, if it holds every operation Chroma's write
        log has for the collection (else None: Chroma's next read applies the rest)."""
        rows = con.execute(
            "SELECT id FROM segments WHERE collection = ? AND scope = 'METADATA' "
            "AND type = 'urn:chroma:segment/metadata/sqlite'", (collection,)
        ).fetchall()
        if len(rows) != 1:
            return None
        segment = str(rows[0][0])
        applied = con.execute("SELECT seq_id FROM max_seq_id WHERE segment_id = ?",
                              (segment,)).fetchone()
        logged = max(
            (int(seq) for topic, seq in con.execute(
                "SELECT topic, MAX(seq_id) FROM embeddings_queue GROUP BY topic")
             if str(topic).rsplit("/", 1)[-1] == collection),
            default=0,
        )
        done = int(applied[0]) if applied and applied[0] is not None else 0
        return segment if logged <= done else None


def _value(text: Any, number: Any, real: Any, flag: Any) -> Any:
    """One metadata value as Chroma returns it from its typed columns."""
    if text is not None:
        return text
    if number is not None:
        return int(number)
    if real is not None:
        return float(real)
    return None if flag is None else bool(flag)


def _set_http_timeout(client: Any, seconds: float) -> None:
    """chromadb's HttpClient has no timeout setting; set it on its httpx session."""
    server = getattr(client, "_server", None)
    session = getattr(server, "_session", None)
    if session is not None and hasattr(session, "timeout"):
        import httpx

        session.timeout = httpx.Timeout(seconds)


def chroma_where(where: MetadataFilter | None) -> dict[str, Any] | None:
    """A filter in Chroma's ``where`` dialect: one clause per condition (a range gives one
    per bound), ``$and`` over several; None for no filter or an empty one."""
    clauses: list[dict[str, Any]] = []
    for condition in where.conditions if where is not None else ():
        if isinstance(condition, Equals):
            clauses.append({condition.key: condition.value})
            continue
        assert isinstance(condition, Between)
        if condition.low is not None:
            clauses.append({condition.key: {"$gte": condition.low}})
        if condition.high is not None:
            clauses.append({condition.key: {"$lte": condition.high}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class VectorStore:
    """The two collections, opened for one :class:`IndexIdentity`: the implementation of
    :class:`vectorstore.Store` for an embedded index and a Chroma server alike (the client
    from :func:`make_client` is the only difference)."""

    def __init__(self, client: Any, identity: IndexIdentity) -> None:
        self.client = client
        self.identity = identity
        self._collections: dict[str, Any] = {}
        self._max_batch: int | None = None
        self.sentences: SentenceStore | None = (
            SentenceStore(client.path / SENTENCE_FILE, identity.model, identity.dimension)
            if isinstance(client, LocalClient) else None)
        """Sentence vectors beside an embedded index (:mod:`vectorstore.sentences`); None
        for a Chroma server, whose answers embed their sentences when asked."""
        stored = self._from_file(ChromaFile.identities)
        if stored is None:  # a new index, a server, or Chroma already open: open it now
            self._opened_collections()
            return
        for name, meta in stored.items():  # an existing index: Chroma opens on first use
            self._check_identity(name, meta)

    def _from_file(self, read: Callable[[ChromaFile], _T | None]) -> _T | None:
        """``read`` of the embedded index's database file while this process has not opened
        Chroma on it (:class:`ChromaFile`); None otherwise, or when the file cannot tell."""
        client = self.client
        if not isinstance(client, LocalClient):
            return None
        with _OPEN_LOCK:
            return None if client.opened else read(ChromaFile(client.path))

    def _opened_collections(self) -> dict[str, Any]:
        if not self._collections:
            self._collections = {name: self._open(name) for name in (CHUNKS, DOCUMENTS)}
        return self._collections

    @property
    def chunks(self) -> Any:
        """Chroma's chunks collection (opened on first use)."""
        return self._opened_collections()[CHUNKS]

    @property
    def documents(self) -> Any:
        """Chroma's documents collection (opened on first use)."""
        return self._opened_collections()[DOCUMENTS]

    @property
    def max_batch(self) -> int:
        """The most records one Chroma call takes."""
        if self._max_batch is None:
            self._max_batch = int(self.client.get_max_batch_size())
        return self._max_batch

    def _open(self, name: str) -> Any:
        existing = {getattr(c, "name", str(c)) for c in self.client.list_collections()}
        if name in existing:
            col = self.client.get_collection(name, embedding_function=None)
            self._check_identity(name, dict(col.metadata or {}))
            return col
        # get_or_create: processes opening one new server index together (ingest shards)
        # race to create it; the loser gets the winner's collection, identity-checked
        col = self.client.get_or_create_collection(
            name,
            metadata=self.identity.as_metadata(),
            configuration={"hnsw": HNSW},
            embedding_function=None,
        )
        self._check_identity(name, dict(col.metadata or {}))
        crashpoint("collection_create")
        return col

    def _check_identity(self, name: str, meta: dict[str, Any]) -> None:
        want = self.identity.as_metadata()
        got = {k: meta.get(k) for k in want}
        if got != want:
            raise IndexMismatchError(
                f"index collection {name!r} was built with {got}, but this run uses {want}; "
                "use another --db directory or rebuild the index (delete it and ingest again)"
            )

    # --- chunks -------------------------------------------------------------------
    def upsert_chunks(
        self,
        ids: Sequence[str],
        embeddings: np.ndarray,
        texts: Sequence[str],
        metadatas: Sequence[Metadata],
    ) -> None:
        """Upsert chunk records in batches no larger than the store's limit."""
        if not (len(ids) == len(embeddings) == len(texts) == len(metadatas)):
            raise ValueError("ids, embeddings, texts and metadatas differ in length")
        for lo in range(0, len(ids), self.max_batch):
            hi = lo + self.max_batch
            self.chunks.upsert(
                ids=list(ids[lo:hi]),
                embeddings=np.asarray(embeddings[lo:hi], dtype=np.float32),
                documents=list(texts[lo:hi]),
                metadatas=[dict(m) for m in metadatas[lo:hi]],
            )
            crashpoint("chunk_write")

    def delete_stale_chunks(self, source: str, keep_hash: str | None) -> int:
        """Delete chunks of ``source`` whose doc_hash is not ``keep_hash`` (all if None)."""
        got = self.chunks.get(where={"source": source}, include=["metadatas"])
        stale = [
            cid
            for cid, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
            if keep_hash is None or (meta or {}).get("doc_hash") != keep_hash
        ]
        for lo in range(0, len(stale), self.max_batch):
            self.chunks.delete(ids=stale[lo : lo + self.max_batch])
            crashpoint("stale_delete")
        return len(stale)

    def delete_unlisted_chunks(self, source: str, keep: Collection[str]) -> int:
        """Delete ``source``'s chunks whose id is not in ``keep`` (a rewrite of the same
        content with fewer chunks: without its closed items' content)."""
        extra = [cid for cid in self.chunk_ids_of(source) if cid not in keep]
        self._delete_chunks(extra)
        return len(extra)

    def chunk_ids_of(self, source: str, doc_hash: str | None = None) -> list[str]:
        """Ids of ``source``'s stored chunks; of one version when ``doc_hash`` is given."""
        where: dict[str, Any] = {"source": source}
        if doc_hash is not None:
            where = {"$and": [where, {"doc_hash": doc_hash}]}
        return list(self.chunks.get(where=where, include=[])["ids"])

    def _delete_chunks(self, ids: Sequence[str]) -> None:
        for lo in range(0, len(ids), self.max_batch):
            self.chunks.delete(ids=list(ids[lo : lo + self.max_batch]))

    def chunk_count(self) -> int:
        return int(self.chunks.count())

    @property
    def local_path(self) -> Path | None:
        """The embedded index directory; None for a Chroma server.  Readers keep derived
        state (their loaded chunks and lexical index) beside it."""
        if isinstance(self.client, LocalClient):
            return self.client.path
        settings = self.client.get_settings()
        if not getattr(settings, "is_persistent", False):
            return None
        if "fastapi" in str(getattr(settings, "chroma_api_impl", "")).lower():
            return None
        return Path(settings.persist_directory)

    def all_chunk_vectors(
        self,
    ) -> tuple[list[str], list[str], list[Metadata], np.ndarray]:
        """Every chunk's id, text, metadata and vector (float32, one row per id), read in
        one pass: what a reader that searches exactly in memory loads.  A chunk whose vector
        the vector index lost (``check`` calls it unreachable) gets a row of zeros: a vector
        query cannot return it either."""
        ids: list[str] = []
        texts: list[str] = []
        metas: list[Metadata] = []
        rows: list[np.ndarray] = []
        total = self.chunk_count()
        dim = self.identity.dimension
        for offset in range(0, total, self.max_batch):
            try:
                got = self.chunks.get(
                    include=["documents", "metadatas", "embeddings"],
                    limit=self.max_batch,
                    offset=offset,
                )
                vectors = got["embeddings"]
                batch = np.asarray(vectors if vectors is not None else [], dtype=np.float32)
            except _internal_error():  # some vectors are gone: find which
                got = self.chunks.get(
                    include=["documents", "metadatas"], limit=self.max_batch, offset=offset
                )
                batch = np.zeros((len(got["ids"]), dim), dtype=np.float32)
                for i, (_, vector) in enumerate(self._embeddings(list(got["ids"]))):
                    v = None if vector is None else np.asarray(vector, dtype=np.float32).ravel()
                    if v is not None and v.shape[0] == dim:
                        batch[i] = v
            ids.extend(got["ids"])
            texts.extend(got["documents"] or [])
            metas.extend(dict(m or {}) for m in got["metadatas"] or [])
            if len(batch):
                rows.append(batch.reshape(len(batch), -1))
        matrix = np.concatenate(rows) if rows else np.zeros((0, dim), dtype=np.float32)
        if len(matrix) != len(ids):
            raise ValueError(f"{len(ids)} chunks but {len(matrix)} vectors: run `meetings check`")
        return ids, texts, metas, matrix

    def vectors_by_embed_hash(self, hashes: Collection[str]) -> dict[str, np.ndarray]:
        """Stored vectors of chunks whose embedded text hashes to one of ``hashes`` (any
        document, any version: a vector depends only on the text and the index's model),
        so that re-ingesting a document embeds only what changed."""
        found: dict[str, np.ndarray] = {}
        wanted = sorted(set(hashes))
        step = max(1, min(self.max_batch, 500))
        for lo in range(0, len(wanted), step):
            try:
                got = self.chunks.get(
                    where={EMBED_HASH: {"$in": wanted[lo : lo + step]}},
                    include=["metadatas", "embeddings"],
                )
            except _internal_error():  # a vector lost from the vector index
                log.warning("stored vectors unreadable; embedding those passages again")
                continue
            vectors = got["embeddings"]
            for meta, vector in zip(
                got["metadatas"] or [], vectors if vectors is not None else [], strict=False
            ):
                key = str((meta or {}).get(EMBED_HASH, ""))
                v = np.asarray(vector, dtype=np.float32).ravel()
                sound = v.shape[0] == self.identity.dimension and np.all(np.isfinite(v))
                if key and key not in found and sound and np.any(v):
                    found[key] = v
        return found

    def all_chunks(self) -> tuple[list[str], list[str], list[Metadata]]:
        """Every chunk's id, text and metadata (for the in-memory lexical index)."""
        ids: list[str] = []
        texts: list[str] = []
        metas: list[Metadata] = []
        total = self.chunk_count()
        for offset in range(0, total, self.max_batch):
            got = self.chunks.get(
                include=["documents", "metadatas"], limit=self.max_batch, offset=offset
            )
            ids.extend(got["ids"])
            texts.extend(got["documents"] or [])
            metas.extend(dict(m or {}) for m in got["metadatas"] or [])
        return ids, texts, metas

    def query(
        self,
        embedding: np.ndarray,
        n: int,
        where: MetadataFilter | None = None,
        *,
        with_payload: bool = True,
        total: int | None = None,
    ) -> list[ChunkHit]:
        """Nearest chunks by cosine similarity, optionally filtered by metadata (``where``,
        in Chroma's terms: :func:`chroma_where`).

        ``with_payload=False`` returns ids and similarities only (10x faster: callers that
        hold texts and metadata in memory need nothing else); ``total`` (the collection
        size, when the caller knows it) saves a count query."""
        total = self.chunk_count() if total is None else total
        if total == 0:
            return []
        res = self.chunks.query(
            query_embeddings=[np.asarray(embedding, dtype=np.float32)],
            n_results=min(n, total),
            where=chroma_where(where),
            include=["documents", "metadatas", "distances"] if with_payload else ["distances"],
        )
        ids = res["ids"][0]
        texts = (res["documents"] or [[""] * len(ids)])[0]
        metas = (res["metadatas"] or [[{}] * len(ids)])[0]
        return [
            ChunkHit(cid, text or "", dict(meta or {}), 1.0 - float(dist))
            for cid, text, meta, dist in zip(
                ids, texts, metas, (res["distances"] or [[]])[0], strict=True
            )
        ]

    def get_chunk(self, chunk_id: str) -> tuple[str, Metadata] | None:
        """(text, metadata) of one stored chunk, or None (a link may outlive its chunk).

        Like every reader, only a chunk of its document's current version: one left by an
        interrupted write or replacement (its hash is not the record's) is None too."""
        got = self.chunks.get(ids=[chunk_id], include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        meta = dict((got["metadatas"] or [{}])[0] or {})
        record = self.documents.get(ids=[document_id(str(meta.get("source", "")))],
                                    include=["metadatas"])
        if not record["ids"] or (record["metadatas"] or [{}])[0].get("doc_hash") != meta.get(
            "doc_hash"
        ):
            return None
        return (got["documents"] or [""])[0] or "", meta

    def signature(self) -> IndexSignature:
        """What the index holds, cheaply (no chunk texts): the chunk count and each
        document's (source, doc_hash).  It changes whenever any process adds, replaces or
        removes a document, so a long-running reader can tell that its copy is stale.

        Read from the database file (:class:`ChromaFile`, ~10 ms) while this process has
        not opened Chroma on the index: the same value without Chroma's first read of each
        collection (~1.3 s on Greve).  From Chroma otherwise, and whenever the file cannot
        vouch for it."""
        found = self._from_file(ChromaFile.signature)
        if found is not None:
            return found
        got = self.documents.get(include=["metadatas"])
        docs = frozenset(
            (str(m.get("source", "")), str(m.get("doc_hash", ""))) for m in got["metadatas"] or []
        )
        return self.chunk_count(), docs

    # --- documents ----------------------------------------------------------------
    def get_document(self, source: str) -> DocumentRecord | None:
        got = self.documents.get(ids=[document_id(source)], include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        return _record(got["documents"][0], got["metadatas"][0])

    def put_document(
        self, source: str, doc_hash: str, payload: dict[str, Any], meta: Metadata,
        embedding: np.ndarray, *, chunk_ids: Sequence[str] | None = None,
    ) -> None:
        """Write the document record: the commit point of an ingest.  ``chunk_ids`` (the
        chunks this version consists of) go into the payload for ``check``."""
        if chunk_ids is not None:
            payload = {**payload, CHUNK_IDS: list(chunk_ids)}
        metadata: Metadata = {
            **meta, "source": source, "doc_hash": doc_hash, PAYLOAD: pack_payload(payload),
        }
        self.documents.upsert(
            ids=[document_id(source)],
            embeddings=np.asarray([embedding], dtype=np.float32),
            # "" (not None): an upsert without documents would keep an older record's
            # inline payload, which readers prefer (see _record)
            documents=[""],
            metadatas=[metadata],
        )
        crashpoint("record_commit")

    def delete_document(self, source: str) -> int:
        """Remove a source's record and all its chunks; returns chunks removed."""
        self.documents.delete(ids=[document_id(source)])
        return self.delete_stale_chunks(source, keep_hash=None)

    def documents_with(
        self, *, meeting_id: str | None = None, doc_hash: str | None = None
    ) -> list[DocumentRecord]:
        """Stored documents of one meeting id or with one content hash."""
        clauses: list[dict[str, Any]] = []
        if meeting_id is not None:
            clauses.append({"meeting_id": meeting_id})
        if doc_hash is not None:
            clauses.append({"doc_hash": doc_hash})
        if not clauses:
            raise ValueError("documents_with needs meeting_id or doc_hash")
        where = clauses[0] if len(clauses) == 1 else {"$and": clauses}
        got = self.documents.get(where=where, include=["documents", "metadatas"])
        return [
            _record(doc, meta)
            for doc, meta in zip(got["documents"] or [], got["metadatas"] or [], strict=True)
        ]

    def move_document(self, old_source: str, new_source: str) -> int:
        """Re-key a stored document to the path it was moved to, without re-embedding.

        Order (each step idempotent, so an interrupted move is finished by running it
        again): the chunks' ``source`` first, then the new record, then the old record
        goes.  Returns the number of chunks moved."""
        record = self.get_document(old_source)
        if record is None:
            raise KeyError(old_source)
        got = self.chunks.get(where={"source": old_source}, include=["metadatas"])
        ids = list(got["ids"])
        metas = [dict(m or {}, source=new_source) for m in got["metadatas"] or []]
        for lo in range(0, len(ids), self.max_batch):
            self.chunks.update(ids=ids[lo : lo + self.max_batch],
                               metadatas=metas[lo : lo + self.max_batch])
        stored = self.documents.get(ids=[document_id(old_source)], include=["embeddings"])
        payload = dict(record.payload, source=new_source)
        sources = [new_source if s == old_source else s for s in payload.get("sources") or []]
        payload["sources"] = sources or [new_source]
        meta = {k: v for k, v in record.metadata.items() if k not in ("source", "doc_hash")}
        self.put_document(new_source, record.doc_hash, payload, meta,
                          np.asarray(stored["embeddings"][0], dtype=np.float32))
        self.documents.delete(ids=[document_id(old_source)])
        return len(ids)

    def check(
        self,
        repair: bool = False,
        *,
        lexical_ids: Collection[str] | None = None,
        required_metadata: Collection[str] = (),
    ) -> IndexHealth:
        """Everything that makes the index answer wrongly or incompletely, and (``repair``)
        the fixes that need no embedder.

        Found: the model/dimension/chunker the collections record against this run's, and
        the stored vectors' dimension; orphan chunks (no document record for their source);
        stale chunks (a replaced version's, left by an interrupted run); unreachable chunks
        (no vector in the vector index, a malformed vector or metadata, a text missing, or
        an id their record does not list); documents with none or only some of their
        chunks; and ids the lexical (BM25) index holds that the vector index cannot return
        or the other way round.  ``lexical_ids`` are the ids of a built lexical index; without
        them, the ids a reader would index (its record's source and hash) are compared.
        ``required_metadata`` are the keys search reads from every chunk.

        Repair deletes orphan, stale and unreachable chunks and drops the record of every
        document that lost chunks, so that the next ingest of its file writes it again
        (``reingest`` names them).  A model/dimension mismatch needs a rebuild.

        Kept whole: one pass over every record and chunk decides each finding and
        its repair.
        """
        health = IndexHealth(identity=self.identity.as_metadata())
        health.identity_problems = self._identity_problems()
        records = {r.source: r for r in self.all_documents()}
        ids, texts, metas = self.all_chunks()
        health.documents, health.chunks = len(records), len(ids)
        vectors = self._sound_vectors(ids, health)
        indexed: set[str] = set()  # what a reader's lexical index holds (record's source+hash)
        held: dict[str, set[str]] = {}
        for cid, text, meta in zip(ids, texts, metas, strict=True):
            source, doc_hash = str(meta.get("source") or ""), str(meta.get("doc_hash") or "")
            record = records.get(source)
            if not source or not doc_hash:
                health.unreachable_chunks.append(cid)
            elif record is None:
                health.orphan_chunks.append(cid)
            elif doc_hash != record.doc_hash:
                health.stale_chunks.append(cid)
            else:
                indexed.add(cid)
                listed = record.payload.get(CHUNK_IDS)
                malformed = not (isinstance(text, str) and text.strip()) or any(
                    k not in meta for k in required_metadata
                )
                if cid not in vectors or malformed or (
                    isinstance(listed, list) and cid not in listed
                ):
                    health.unreachable_chunks.append(cid)
                else:
                    held.setdefault(source, set()).add(cid)
        for source, record in records.items():
            have = held.get(source, set())
            listed = record.payload.get(CHUNK_IDS)
            if isinstance(listed, list):
                promised, complete = len(listed), have >= set(listed)
            else:
                promised = int(record.metadata.get("chunks", 0) or 0)
                complete = len(have) >= promised
            if promised and not have:
                health.documents_without_chunks.append(source)
            elif not complete:
                health.incomplete_documents.append(source)
        reachable = set().union(*held.values()) if held else set()
        lexical = set(lexical_ids) if lexical_ids is not None else indexed
        health.lexical_only = sorted(lexical - reachable)
        health.vector_only = sorted(reachable - lexical)
        if repair and not health.ok and not health.identity_problems:
            self._repair(health)  # under another model every chunk looks broken: rebuild
        return health

    def _identity_problems(self) -> list[str]:
        """The collections' recorded model/dimension/chunker against this run's (they are
        checked at open; another process may have rebuilt the index since)."""
        want = self.identity.as_metadata()
        problems = []
        for name in (CHUNKS, DOCUMENTS):
            meta = dict(self.client.get_collection(name, embedding_function=None).metadata or {})
            got = {k: meta.get(k) for k in want}
            if got != want:
                problems.append(f"collection {name!r} records {got}, this run uses {want}")
        return problems

    def _sound_vectors(self, ids: list[str], health: IndexHealth) -> set[str]:
        """Ids whose vector the vector index holds, of the index's dimension, finite and
        non-zero (cosine of a zero vector is undefined); wrong dimensions are an identity
        problem."""
        sound: set[str] = set()
        dims: set[int] = set()
        for lo in range(0, len(ids), self.max_batch):
            for cid, vector in self._embeddings(ids[lo : lo + self.max_batch]):
                if vector is None:
                    continue
                v = np.asarray(vector, dtype=np.float32).ravel()
                if v.shape[0] != self.identity.dimension:
                    dims.add(int(v.shape[0]))
                elif np.all(np.isfinite(v)) and np.any(v):
                    sound.add(cid)
        if dims:
            health.identity_problems.append(
                f"stored vectors have dimension {sorted(dims)}, the model gives "
                f"{self.identity.dimension}"
            )
        return sound

    def _embeddings(self, ids: list[str]) -> Iterator[tuple[str, Any]]:
        """(id, vector or None) per id.  Chroma fails a whole ``get`` when one id is missing
        from the vector index, so a failing batch is halved until those ids are found."""
        if not ids:
            return
        try:
            got = self.chunks.get(ids=ids, include=["embeddings"])
        except _internal_error():
            if len(ids) == 1:
                yield ids[0], None
                return
            mid = len(ids) // 2
            yield from self._embeddings(ids[:mid])
            yield from self._embeddings(ids[mid:])
            return
        vectors = got["embeddings"]
        found = dict(zip(got["ids"], vectors if vectors is not None else [], strict=False))
        for cid in ids:
            yield cid, found.get(cid)

    def _repair(self, health: IndexHealth) -> None:
        """Delete what no reader may use; drop the records of documents that lost chunks."""
        self._delete_chunks(health.orphan_chunks + health.stale_chunks
                            + health.unreachable_chunks)
        for source in health.reingest:
            self.delete_document(source)
        health.repaired = True

    def all_documents(self) -> list[DocumentRecord]:
        got = self.documents.get(include=["documents", "metadatas"])
        return [
            _record(doc, meta)
            for doc, meta in zip(got["documents"] or [], got["metadatas"] or [], strict=True)
        ]

    def all_document_vectors(self) -> list[tuple[DocumentRecord, np.ndarray]]:
        """Every document record with its stored record vector (float32)."""
        got = self.documents.get(include=["documents", "metadatas", "embeddings"])
        vectors = got["embeddings"] if got["embeddings"] is not None else []
        return [
            (_record(doc, meta), np.asarray(vec, dtype=np.float32))
            for doc, meta, vec in zip(
                got["documents"] or [], got["metadatas"] or [], vectors, strict=True
            )
        ]


@dataclass
class IndexHealth:
    """What ``VectorStore.check`` found; ``ok`` when nothing needs repair.

    ``as_dict`` keeps the keys of earlier releases (``ok``, ``documents``, ``chunks``,
    ``orphan_chunks`` as a count, ``incomplete_documents``, ``repaired``) and adds the rest."""

    documents: int = 0
    chunks: int = 0
    identity: Metadata = field(default_factory=dict)
    """Model, dimension and chunker version this run expects (and the index records)."""
    identity_problems: list[str] = field(default_factory=list)
    """Where the index disagrees with that identity: only a rebuild fixes it."""
    orphan_chunks: list[str] = field(default_factory=list)
    """Chunks whose document record is missing (a removed file, an interrupted first write)."""
    stale_chunks: list[str] = field(default_factory=list)
    """Chunks of a replaced version of a stored document (an interrupted replacement)."""
    unreachable_chunks: list[str] = field(default_factory=list)
    """Chunks a query cannot return or search cannot use: no or a malformed vector, missing
    metadata or text, or an id their document record does not list."""
    documents_without_chunks: list[str] = field(default_factory=list)
    """Sources whose record promises chunks of which the index holds none (usable)."""
    incomplete_documents: list[str] = field(default_factory=list)
    """Sources holding some but not all of the chunks their record promises."""
    lexical_only: list[str] = field(default_factory=list)
    """Ids the lexical (BM25) index holds that the vector index cannot return."""
    vector_only: list[str] = field(default_factory=list)
    """Ids the vector index returns that the lexical index lacks."""
    repaired: bool = False

    @property
    def reingest(self) -> list[str]:
        """Sources to ingest again (repair drops their records so that ingest rewrites them)."""
        return self.documents_without_chunks + self.incomplete_documents

    @property
    def ok(self) -> bool:
        return not (
            self.identity_problems or self.orphan_chunks or self.stale_chunks
            or self.unreachable_chunks or self.documents_without_chunks
            or self.incomplete_documents or self.lexical_only or self.vector_only
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "documents": self.documents,
            "chunks": self.chunks,
            "identity": self.identity,
            "identity_problems": self.identity_problems,
            "orphan_chunks": len(self.orphan_chunks),
            "stale_chunks": len(self.stale_chunks),
            "unreachable_chunks": len(self.unreachable_chunks),
            "documents_without_chunks": self.documents_without_chunks,
            "incomplete_documents": self.incomplete_documents,
            "lexical_only": len(self.lexical_only),
            "vector_only": len(self.vector_only),
            "reingest": self.reingest,
            "repaired": self.repaired,
        }


def _record(document: str | None, meta: Any) -> DocumentRecord:
    """A record as stored: its payload from the document string where that holds one (a
    record written before :data:`PAYLOAD`, or rewritten since by a release that wrote it
    there), else from the compressed metadata value, which ``metadata`` leaves out."""
    metadata = dict(meta or {})
    packed = metadata.pop(PAYLOAD, None)
    source = str(metadata.get("source", ""))
    if (document or "").strip() or packed is None:
        payload = json.loads(document or "{}")
    else:
        payload = unpack_payload(packed, source)
    return DocumentRecord(
        source=source,
        doc_hash=str(metadata.get("doc_hash", "")),
        payload=payload,
        metadata=metadata,
    )


def pack_payload(payload: dict[str, Any]) -> str:
    """``payload`` as the ASCII value of :data:`PAYLOAD`: JSON, zlib, base64."""
    raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return base64.b64encode(zlib.compress(raw)).decode("ascii")


def unpack_payload(packed: Any, source: str) -> dict[str, Any]:
    """Inverse of :func:`pack_payload`; a damaged value is an error naming the record."""
    try:
        raw = zlib.decompress(base64.b64decode(str(packed), validate=True))
        data = json.loads(raw.decode("utf-8"))  # str parses faster than bytes
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(
            f"document record of {source!r}: metadata {PAYLOAD!r} is not a compressed "
            f"payload ({exc}): the index is damaged; restore a backup or rebuild it"
        ) from exc
    if not isinstance(data, dict):
        raise ValueError(f"document record of {source!r}: metadata {PAYLOAD!r} is not an object")
    return data


def document_id(source: str) -> str:
    """Stable record id for a source path."""
    return "doc-" + hashlib.sha256(source.encode("utf-8")).hexdigest()[:24]
