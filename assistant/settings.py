"""One place where settings are read from the environment and CLI flags.

Lower layers (ingest/, vectorstore/) take plain arguments; only this module reads env vars.

=====================  ==========================================  ============================
env var                meaning                                     default
=====================  ==========================================  ============================
MEETINGS_DB            embedded Chroma directory                   <repo>/data/index
MEETINGS_CHROMA_URL    use a Chroma server (http://host:port)      unset (embedded)
MEETINGS_MODEL         sentence-transformers model name or path    multilingual-e5-small
MEETINGS_CACHE         cache for the converted default model       <repo>/.cache
MEETINGS_LLM_URL       OpenAI-compatible base URL (…/v1): LLM      unset (extractive answers)
                       writes the answer line, citations verified
MEETINGS_LLM_MODEL     model name sent to that endpoint            unset (required with URL)
MEETINGS_LLM_KEY       bearer token for the endpoint               unset
MEETINGS_LLM_TIMEOUT   seconds per completion                      60
MEETINGS_USERS         users file (names, password hashes, roles)  unset (no roles)
MEETINGS_AUTH_HEADER   reverse proxy's authenticated-user header   unset
MEETINGS_WATCH_MIN_SCORE  topic watch threshold (another model:    0.90 (WATCH_MIN_SCORE)
                       calibrate with bench/watch_replay.py)
=====================  ==========================================  ============================
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vectorstore import Store

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = REPO_ROOT / "data" / "samples" / "kkr-midtjylland"
DEFAULT_MCP_PORT = 7861
"""``meetings mcp --http``'s port: here, so the CLI names it without loading the MCP SDK."""
WATCH_MIN_SCORE = 0.90
"""Topic watch: the least search score (``Retriever.search``'s item score, real model) at
which a new item is recorded for a watch.  Measured by bench/watch_replay.py (60 meetings
of a real municipal archive replayed in 6 batches, 7 topics; docs/BENCHMARKS.md "Topic
watch calibration"):
at 0.90 a digest of ~10 meetings listed 0-8 items for a focused topic, 99 of 123 on topic;
the 0.88-0.90 band was mostly off topic, above 0.91 on-topic items were lost."""

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
    llm_url: str | None = None
    llm_model: str | None = None
    llm_key: str | None = field(default=None, repr=False)
    llm_timeout: str | None = None
    """Raw seconds; checked when the generator is built (inside the CLI's error handling)."""
    users_file: Path | None = None
    """Who may log in to the web app, and their roles (``web.users``)."""
    auth_header: str | None = None
    """A header a reverse proxy sets to the logged-in user (safe only behind that proxy)."""
    watch_min_score: str | None = None
    """Raw ``MEETINGS_WATCH_MIN_SCORE``; :meth:`watch_threshold` checks it."""

    def watch_threshold(self) -> float:
        """The topic watch threshold: the env var when set, else ``WATCH_MIN_SCORE``."""
        if self.watch_min_score is None:
            return WATCH_MIN_SCORE
        try:
            return float(self.watch_min_score)
        except ValueError:
            raise ValueError(f"MEETINGS_WATCH_MIN_SCORE={self.watch_min_score!r}: expected a "
                             "number such as 0.9") from None

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Settings from env vars, with non-None ``overrides`` (CLI flags) winning."""
        base = cls(
            db_dir=Path(os.environ.get("MEETINGS_DB", REPO_ROOT / "data" / "index")),
            chroma_url=os.environ.get("MEETINGS_CHROMA_URL") or None,
            model=os.environ.get("MEETINGS_MODEL") or None,
            llm_url=os.environ.get("MEETINGS_LLM_URL") or None,
            llm_model=os.environ.get("MEETINGS_LLM_MODEL") or None,
            llm_key=os.environ.get("MEETINGS_LLM_KEY") or None,
            llm_timeout=os.environ.get("MEETINGS_LLM_TIMEOUT") or None,
            users_file=Path(os.environ["MEETINGS_USERS"])
            if os.environ.get("MEETINGS_USERS") else None,
            auth_header=os.environ.get("MEETINGS_AUTH_HEADER", "").strip() or None,
            watch_min_score=os.environ.get("MEETINGS_WATCH_MIN_SCORE") or None,
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        if "db_dir" in given:
            given["db_dir"] = Path(given["db_dir"])
        return replace(base, **given)


def _seconds(name: str, raw: str | None, default: float) -> float:
    """A positive number of seconds from env var ``name`` (unset -> ``default``)."""
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise ValueError(f"{name}={raw!r}: expected a positive number of seconds")
    return value


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
    def store(self) -> Store:
        from ingest.chunker import CHUNKER_VERSION
        from vectorstore.store import IndexIdentity, VectorStore, make_client

        client = make_client(self.settings.db_dir, self.settings.chroma_url)
        identity = IndexIdentity(self.embedder.name, self.embedder.dimension, CHUNKER_VERSION)
        return VectorStore(client, identity)

    @cached_property
    def generator(self) -> Any:
        """The LLM answer writer when ``MEETINGS_LLM_URL`` is set, else None (extractive)."""
        s = self.settings
        if not s.llm_url:
            return None
        if not s.llm_model:
            raise ValueError("MEETINGS_LLM_URL is set but MEETINGS_LLM_MODEL is not: name the "
                             "model the endpoint should run")
        if not s.llm_url.startswith(("http://", "https://")):
            raise ValueError(f"MEETINGS_LLM_URL={s.llm_url!r}: expected an http(s) base URL, "
                             "e.g. http://127.0.0.1:11434/v1")
        from .llm import DEFAULT_TIMEOUT, LLMConfig, LLMGenerator

        timeout = _seconds("MEETINGS_LLM_TIMEOUT", s.llm_timeout, DEFAULT_TIMEOUT)
        return LLMGenerator(LLMConfig(s.llm_url, s.llm_model, s.llm_key, timeout))

    @cached_property
    def ingestor(self) -> Any:
        from ingest.pipeline import Ingestor

        return Ingestor(self.store, self.embedder)
