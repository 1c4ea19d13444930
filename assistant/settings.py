"""One place where settings are read from the environment and CLI flags.

Lower layers (ingest/, vectorstore/) take plain arguments; only this module reads env vars.

=====================  ==========================================  ============================
env var                meaning                                     default
=====================  ==========================================  ============================
MEETINGS_DB            embedded Chroma directory                   <repo>/data/index
MEETINGS_CHROMA_URL    use a Chroma server (http://host:port)      unset (embedded)
MEETINGS_MODEL         sentence-transformers model name or path    multilingual-e5-small
MEETINGS_CACHE         cache for the converted default model       <repo>/.cache
=====================  ==========================================  ============================
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = REPO_ROOT / "data" / "samples" / "kkr-midtjylland"

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one process."""

    db_dir: Path
    chroma_url: str | None
    model: str | None

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Settings from env vars, with non-None ``overrides`` (CLI flags) winning."""
        base = cls(
            db_dir=Path(os.environ.get("MEETINGS_DB", REPO_ROOT / "data" / "index")),
            chroma_url=os.environ.get("MEETINGS_CHROMA_URL") or None,
            model=os.environ.get("MEETINGS_MODEL") or None,
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        if "db_dir" in given:
            given["db_dir"] = Path(given["db_dir"])
        return replace(base, **given)


class Services:
    """Lazily built embedder + store + ingestor for one Settings (model loaded once)."""

    def __init__(self, settings: Settings, embedder: Any = None) -> None:
        self.settings = settings
        self._embedder = embedder

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from vectorstore.embedder import load_embedder

            self._embedder = load_embedder(self.settings.model, lazy=True)
        return self._embedder

    @cached_property
    def store(self) -> Any:
        from ingest.chunker import CHUNKER_VERSION
        from vectorstore.store import IndexIdentity, VectorStore, make_client

        client = make_client(self.settings.db_dir, self.settings.chroma_url)
        identity = IndexIdentity(self.embedder.name, self.embedder.dimension, CHUNKER_VERSION)
        return VectorStore(client, identity)

    @cached_property
    def ingestor(self) -> Any:
        from ingest.pipeline import Ingestor

        return Ingestor(self.store, self.embedder)
