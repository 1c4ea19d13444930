"""Chroma-backed storage: a ``chunks`` collection and a ``documents`` collection.

This module knows nothing about meetings: it stores records (id, vector, text, flat
metadata) and per-source document records, and enforces that an index is only ever opened
with the embedding model and chunker it was built with.

Write order for a changed source (crash-safe; README, "What ingest does"):
1. upsert the new chunks (ids derive from the new content hash, so nothing is overwritten);
2. upsert the document record with the new hash - the commit point;
3. delete that source's chunks whose hash is not the current one.
Readers only trust chunks whose ``doc_hash`` equals their document record's hash.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from .errors import IndexMismatchError, StoreUnavailableError

log = logging.getLogger(__name__)

CHUNKS = "chunks"
DOCUMENTS = "documents"
HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 400, "max_neighbors": 32}
HTTP_TIMEOUT_S = 30.0

Metadata = dict[str, str | int | float | bool]


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


def make_client(db_dir: Path | None = None, url: str | None = None) -> Any:
    """An embedded PersistentClient at ``db_dir``, or an HttpClient for ``url``."""
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if url:
        parsed = urlparse(url)
        if not parsed.hostname:
            raise StoreUnavailableError(f"MEETINGS_CHROMA_URL {url!r} is not http://host:port")
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or 8000,
                ssl=parsed.scheme == "https",
                settings=settings,
            )
            _set_http_timeout(client, HTTP_TIMEOUT_S)
            client.heartbeat()
        except Exception as exc:  # chromadb raises many transport types; name the server
            raise StoreUnavailableError(f"Chroma server at {url} is not reachable: {exc}") from exc
        return client
    if db_dir is None:
        raise ValueError("either db_dir or url is required")
    db_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(db_dir), settings=settings)


def _set_http_timeout(client: Any, seconds: float) -> None:
    """chromadb's HttpClient has no timeout setting; set it on its httpx session."""
    server = getattr(client, "_server", None)
    session = getattr(server, "_session", None)
    if session is not None and hasattr(session, "timeout"):
        import httpx

        session.timeout = httpx.Timeout(seconds)


class VectorStore:
    """The two collections, opened for one :class:`IndexIdentity`."""

    def __init__(self, client: Any, identity: IndexIdentity) -> None:
        self.client = client
        self.identity = identity
        self.chunks = self._open(CHUNKS)
        self.documents = self._open(DOCUMENTS)
        self.max_batch = int(client.get_max_batch_size())

    def _open(self, name: str) -> Any:
        existing = {getattr(c, "name", str(c)) for c in self.client.list_collections()}
        if name in existing:
            col = self.client.get_collection(name, embedding_function=None)
            self._check_identity(name, dict(col.metadata or {}))
            return col
        return self.client.create_collection(
            name,
            metadata=self.identity.as_metadata(),
            configuration={"hnsw": HNSW},
            embedding_function=None,
        )

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
        return len(stale)

    def chunk_count(self) -> int:
        return int(self.chunks.count())

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
        where: dict[str, Any] | None = None,
        *,
        with_payload: bool = True,
        total: int | None = None,
    ) -> list[ChunkHit]:
        """Nearest chunks by cosine similarity, optionally filtered by metadata.

        ``with_payload=False`` returns ids and similarities only (10x faster: callers that
        hold texts and metadata in memory need nothing else); ``total`` (the collection
        size, when the caller knows it) saves a count query."""
        total = self.chunk_count() if total is None else total
        if total == 0:
            return []
        res = self.chunks.query(
            query_embeddings=[np.asarray(embedding, dtype=np.float32)],
            n_results=min(n, total),
            where=where or None,
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

    # --- documents ----------------------------------------------------------------
    def get_document(self, source: str) -> DocumentRecord | None:
        got = self.documents.get(ids=[document_id(source)], include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        return _record(got["documents"][0], got["metadatas"][0])

    def put_document(
        self, source: str, doc_hash: str, payload: dict[str, Any], meta: Metadata,
        embedding: np.ndarray,
    ) -> None:
        """Write the document record: the commit point of an ingest."""
        metadata: Metadata = {**meta, "source": source, "doc_hash": doc_hash}
        self.documents.upsert(
            ids=[document_id(source)],
            embeddings=np.asarray([embedding], dtype=np.float32),
            documents=[json.dumps(payload, ensure_ascii=False)],
            metadatas=[metadata],
        )

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

    def check(self, repair: bool = False) -> IndexHealth:
        """Find chunks no document owns (a replaced version, a removed file, an interrupted
        write) and documents with fewer chunks than their record says; with ``repair``,
        delete the orphans and drop the records of incomplete documents so that the next
        ingest of those files writes them again.  The model/dimension/chunker identity is
        checked when the store is opened."""
        records = {r.source: r for r in self.all_documents()}
        ids, _, metas = self.all_chunks()
        health = IndexHealth(documents=len(records), chunks=len(ids))
        held: dict[str, int] = {}
        for cid, meta in zip(ids, metas, strict=True):
            record = records.get(str(meta.get("source", "")))
            if record is None or meta.get("doc_hash") != record.doc_hash:
                health.orphan_chunks.append(cid)
            else:
                held[record.source] = held.get(record.source, 0) + 1
        for source, record in records.items():
            promised = int(record.metadata.get("chunks", 0) or 0)
            if held.get(source, 0) < promised:
                health.incomplete_documents.append(source)
        if repair and not health.ok:
            for lo in range(0, len(health.orphan_chunks), self.max_batch):
                self.chunks.delete(ids=health.orphan_chunks[lo : lo + self.max_batch])
            for source in health.incomplete_documents:
                self.delete_document(source)
            health.repaired = True
        return health

    def all_documents(self) -> list[DocumentRecord]:
        got = self.documents.get(include=["documents", "metadatas"])
        return [
            _record(doc, meta)
            for doc, meta in zip(got["documents"] or [], got["metadatas"] or [], strict=True)
        ]


@dataclass
class IndexHealth:
    """What ``VectorStore.check`` found; ``ok`` when nothing needs repair."""

    documents: int = 0
    chunks: int = 0
    orphan_chunks: list[str] = field(default_factory=list)
    """Chunks of no stored document, or of a replaced version of one."""
    incomplete_documents: list[str] = field(default_factory=list)
    """Sources whose record promises more chunks than the index holds."""
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not self.orphan_chunks and not self.incomplete_documents

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "documents": self.documents,
            "chunks": self.chunks,
            "orphan_chunks": len(self.orphan_chunks),
            "incomplete_documents": self.incomplete_documents,
            "repaired": self.repaired,
        }


def _record(document: str | None, meta: Any) -> DocumentRecord:
    metadata = dict(meta or {})
    return DocumentRecord(
        source=str(metadata.get("source", "")),
        doc_hash=str(metadata.get("doc_hash", "")),
        payload=json.loads(document or "{}"),
        metadata=metadata,
    )


def document_id(source: str) -> str:
    """Stable record id for a source path."""
    return "doc-" + hashlib.sha256(source.encode("utf-8")).hexdigest()[:24]
