"""The storage interface everything above ``vectorstore/`` uses: :class:`Store`.

Ingest, search, the web app, the CLI, the MCP server and the benchmarks reach the index only
through these methods, never through Chroma's collections; tests/test_store_protocol.py
checks that :class:`vectorstore.store.VectorStore` implements the interface and that no
module outside this package touches a collection or builds a filter for one.

One class, :class:`~vectorstore.store.VectorStore`, implements it for both of Chroma's
clients (:func:`~vectorstore.store.make_client`: an embedded ``PersistentClient``, created
on first use by :class:`~vectorstore.store.LocalClient`, or an ``HttpClient`` for a Chroma
server): they share Chroma's client API, and what differs (``local_path`` is None for a
server, HTTP timeouts, an embedded index's signature read from its database file while
Chroma is not open) is decided inside the class.  Another
backend would be a second class with these methods.

Kept free of Chroma and numpy imports at run time (only for type checking), so that
``import vectorstore`` stays cheap for modules that never open an index.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np

    from .filters import MetadataFilter
    from .sentences import SentenceStore
    from .store import (
        ChunkHit,
        DocumentRecord,
        IndexHealth,
        IndexIdentity,
        IndexSignature,
        Metadata,
    )

class Store(Protocol):
    """Chunks (id, vector, text, flat metadata) and one record per source document.

    Write order of an ingest (crash-safe): :meth:`upsert_chunks`, then :meth:`put_document`
    (the commit point), then :meth:`delete_stale_chunks`.  Readers trust only chunks whose
    ``doc_hash`` is their document record's."""

    @property
    def identity(self) -> IndexIdentity:
        """The model, dimension and chunker the index was built with."""
        ...

    @property
    def local_path(self) -> Path | None:
        """The embedded index's folder (derived state is kept beside it); None for a server."""
        ...

    @property
    def sentences(self) -> SentenceStore | None:
        """Sentence vectors kept beside an embedded index (None: none kept, a question
        embeds the sentences it needs)."""
        ...

    # --- chunks ---------------------------------------------------------------------------
    def upsert_chunks(
        self,
        ids: Sequence[str],
        embeddings: np.ndarray,
        texts: Sequence[str],
        metadatas: Sequence[Metadata],
    ) -> None: ...

    def delete_stale_chunks(self, source: str, keep_hash: str | None) -> int:
        """Delete ``source``'s chunks whose doc_hash is not ``keep_hash`` (all if None)."""
        ...

    def delete_unlisted_chunks(self, source: str, keep: Collection[str]) -> int:
        """Delete ``source``'s chunks whose id is not in ``keep``."""
        ...

    def chunk_ids_of(self, source: str, doc_hash: str | None = None) -> list[str]:
        """Ids of ``source``'s stored chunks (of one version when ``doc_hash`` is given)."""
        ...

    def chunk_count(self) -> int: ...

    def all_chunks(self) -> tuple[list[str], list[str], list[Metadata]]: ...

    def all_chunk_vectors(self) -> tuple[list[str], list[str], list[Metadata], np.ndarray]: ...

    def vectors_by_embed_hash(self, hashes: Collection[str]) -> dict[str, np.ndarray]: ...

    def query(
        self,
        embedding: np.ndarray,
        n: int,
        where: MetadataFilter | None = None,
        *,
        with_payload: bool = True,
        total: int | None = None,
    ) -> list[ChunkHit]: ...

    def get_chunk(self, chunk_id: str) -> tuple[str, Metadata] | None: ...

    def signature(self) -> IndexSignature:
        """The chunk count and every document record's (source, doc_hash), as stored now:
        any write by any process changes it; readers key saved state by it."""
        ...

    # --- documents ------------------------------------------------------------------------
    def get_document(self, source: str) -> DocumentRecord | None: ...

    def put_document(
        self,
        source: str,
        doc_hash: str,
        payload: dict[str, Any],
        meta: Metadata,
        embedding: np.ndarray,
        *,
        chunk_ids: Sequence[str] | None = None,
    ) -> None: ...

    def delete_document(self, source: str) -> int: ...

    def documents_with(
        self, *, meeting_id: str | None = None, doc_hash: str | None = None
    ) -> list[DocumentRecord]: ...

    def move_document(self, old_source: str, new_source: str) -> int: ...

    def all_documents(self) -> list[DocumentRecord]: ...

    def all_document_vectors(self) -> list[tuple[DocumentRecord, np.ndarray]]:
        """Every document record with its stored record vector."""
        ...

    # --- health ---------------------------------------------------------------------------
    def check(
        self,
        repair: bool = False,
        *,
        lexical_ids: Collection[str] | None = None,
        required_metadata: Collection[str] = (),
    ) -> IndexHealth: ...
