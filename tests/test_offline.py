"""Nothing reaches out: ingest, ask and the web app run with outbound networking blocked.

The product must work on a machine without internet (PLATFORM_NOTES: no model hub at run
time), and must not phone home (Gradio analytics, Chroma's posthog telemetry, a Hugging
Face version check).  A socket guard refuses, and records, every connection, datagram and
name lookup that is not for the loopback interface; each test passes only with zero
recorded attempts.  The guard itself is tested first, so a guard that records nothing
cannot make the others pass.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import serve_in_thread

QUESTION = "Hvad blev besluttet om KlimaMidt?"


def _is_loopback(address: Any) -> bool:
    """An AF_UNIX path, ``localhost`` or a loopback IP (127.0.0.0/8, ::1) is loopback."""
    if isinstance(address, (str, bytes)):
        return True  # AF_UNIX socket path
    host = address[0] if isinstance(address, tuple) and address else address
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # any other host name is outbound


def _is_ip(host: Any) -> bool:
    try:
        ipaddress.ip_address(host.decode() if isinstance(host, bytes) else str(host))
    except ValueError:
        return False
    return True


class NetworkGuard:
    """Monkeypatched socket entry points; ``attempts`` lists what was refused."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.attempts: list[str] = []
        self._lock = threading.Lock()
        real_connect = socket.socket.connect
        real_connect_ex = socket.socket.connect_ex
        real_sendto = socket.socket.sendto
        real_getaddrinfo = socket.getaddrinfo

        def refuse(what: str) -> OSError:
            with self._lock:
                self.attempts.append(what)
            return ConnectionRefusedError(f"outbound network blocked by the test: {what}")

        def connect(sock: socket.socket, address: Any) -> None:
            if not _is_loopback(address):
                raise refuse(f"connect {address!r}")
            real_connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            if not _is_loopback(address):
                raise refuse(f"connect_ex {address!r}")
            return real_connect_ex(sock, address)

        def sendto(sock: socket.socket, data: Any, *args: Any) -> int:
            address = args[-1]
            if not _is_loopback(address):
                raise refuse(f"sendto {address!r}")
            return real_sendto(sock, data, *args)

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            # an IP literal needs no lookup (its connect is checked); a name needs DNS
            if host is not None and not _is_loopback((host, 0)) and not _is_ip(host):
                with self._lock:
                    self.attempts.append(f"getaddrinfo {host!r}")
                raise socket.gaierror(socket.EAI_NONAME, f"name lookup blocked: {host}")
            return real_getaddrinfo(host, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket.socket, "sendto", sendto)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture()
def guard(monkeypatch: pytest.MonkeyPatch) -> NetworkGuard:
    return NetworkGuard(monkeypatch)


def test_the_guard_refuses_and_records_outbound_but_not_loopback(guard: NetworkGuard) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1, never routed
    with pytest.raises(httpx.ConnectError):
        httpx.get("https://huggingface.co/api/models", timeout=1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, pytest.raises(OSError):
        udp.sendto(b"x", ("8.8.8.8", 53))
    assert guard.attempts == [
        "connect ('192.0.2.1', 80)", "getaddrinfo 'huggingface.co'", "sendto ('8.8.8.8', 53)"
    ]
    with socket.socket() as server:  # loopback stays usable (the live server needs it)
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
    assert len(guard.attempts) == 3


@pytest.fixture()
def offline_app(
    guard: NetworkGuard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Any]]:
    """Chroma client, sample ingest (fake embedder) and the whole web app, all built and
    served under the guard.

    Telemetry is switched *on* in the environment (as a user's shell might have it): the
    product must turn it off itself (``analytics_enabled=False`` on the Blocks,
    ``anonymized_telemetry=False`` on the Chroma client), not rely on conftest's defaults.
    """
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "True")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "True")
    from app import create_app
    from assistant.settings import Services, Settings
    from vectorstore.embedder import HashEmbedder

    services = Services(Settings(db_dir=tmp_path / "index", chroma_url=None, model=None),
                        embedder=HashEmbedder())  # fmt: skip
    app = create_app(services, ingest_roots=[tmp_path])
    url, server, thread = serve_in_thread(app, "uvicorn-offline")
    try:
        yield url, services
    finally:
        server.should_exit = True
        thread.join(10)


def test_ingest_ask_and_the_web_app_make_no_outbound_connection(
    guard: NetworkGuard, offline_app: tuple[str, Any], tmp_path: Path
) -> None:
    from assistant.answer import Assistant
    from assistant.search import Retriever

    url, services = offline_app
    assert len(services.store.all_documents()) == 5  # the start-up ingest of the samples
    answer = Assistant(Retriever(services.store, services.embedder)).ask(QUESTION, k=5)
    assert answer.results

    upload = tmp_path / "kd-net-2026-10-01.txt"
    upload.write_text("Dagsorden\nKD-Net\nDato: 01-10-2026 09:00\n\n1. Cykelstier\n"
                      "Indstilling\nDet indstilles, at planen godkendes.\n", encoding="utf-8")
    with httpx.Client(base_url=url, timeout=60) as client:
        assert client.get("/api/health").status_code == 200
        r = client.post("/api/ask", json={"question": QUESTION})
        assert r.status_code == 200 and r.json()["results"], r.text
        r = client.post("/api/ingest", json={"paths": [str(upload)]})
        assert r.status_code == 200 and r.json()["ingested"] == 1, r.text
        assert client.get("/api/meetings").status_code == 200
        page = client.get("/")  # the Gradio UI page and its config
        assert page.status_code == 200 and "<html" in page.text.lower()
        assert client.get("/config").status_code == 200
    time.sleep(0.5)  # give background threads (telemetry, version checks) a moment to try
    assert guard.attempts == []


@pytest.mark.slow
def test_real_model_ingest_and_ask_make_no_outbound_connection(
    guard: NetworkGuard, request: pytest.FixtureRequest, tmp_path: Path, sample_dir: Path
) -> None:
    """The real model loads offline (when this test is the first to ask for the session's
    model, its load runs under the guard too); ``meetings ask`` answers with it."""
    from assistant.cli import main

    real_embedder = request.getfixturevalue("real_embedder")
    factory = request.getfixturevalue("services_factory")
    services = factory(tmp_path / "index", real_embedder)
    report = services.ingestor.ingest(sorted(sample_dir.glob("*.txt"))[:2])
    assert report.ingested == 2, report.as_dict()
    assert main(["--db", str(tmp_path / "index"), "ask", QUESTION]) == 0
    assert guard.attempts == []
