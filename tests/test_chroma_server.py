"""The same store and pipeline against a Chroma server (`chroma run`) via HttpClient
(the ``chroma_url`` fixture is in conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import free_port

from assistant.settings import Services, Settings
from vectorstore.errors import StoreUnavailableError
from vectorstore.store import HTTP_TIMEOUT_S, make_client


def test_ingest_and_reingest_through_a_chroma_server(chroma_url, corpus_copy, hash_embedder):
    services = Services(Settings(db_dir=Path("unused"), chroma_url=chroma_url, model=None),
                        embedder=hash_embedder)
    report = services.ingestor.ingest([corpus_copy])
    assert report.ingested == 5 and services.store.chunk_count() == report.chunks
    # no folder of ours beside a server: answers embed their sentences when asked
    assert services.store.sentences is None and report.sentences == 0
    again = services.ingestor.ingest([corpus_copy])
    assert again.skipped_unchanged == 5
    session = services.store.client._server._session
    assert session.timeout.read == HTTP_TIMEOUT_S


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(StoreUnavailableError, match="not reachable"):
        make_client(url=f"http://127.0.0.1:{free_port()}")
