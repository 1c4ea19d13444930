"""The same store and pipeline against a Chroma server (`chroma run`) via HttpClient."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.settings import Services, Settings
from vectorstore.errors import StoreUnavailableError
from vectorstore.store import HTTP_TIMEOUT_S, make_client

CHROMA = Path(sys.executable).with_name("chroma")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def chroma_url(tmp_path):
    if not CHROMA.exists():
        pytest.skip("chroma CLI not installed in this environment")
    port = free_port()
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            make_client(url=url)
            break
        except StoreUnavailableError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not start within 30 s")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_ingest_and_reingest_through_a_chroma_server(chroma_url, corpus_copy, hash_embedder):
    services = Services(Settings(db_dir=Path("unused"), chroma_url=chroma_url, model=None),
                        embedder=hash_embedder)
    report = services.ingestor.ingest([corpus_copy])
    assert report.ingested == 5 and services.store.chunk_count() == report.chunks
    again = services.ingestor.ingest([corpus_copy])
    assert again.skipped_unchanged == 5
    session = services.store.client._server._session
    assert session.timeout.read == HTTP_TIMEOUT_S


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(StoreUnavailableError, match="not reachable"):
        make_client(url=f"http://127.0.0.1:{free_port()}")
