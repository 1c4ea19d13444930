"""Closeness in meaning of answer sentences to a question, with the index's own model.

Word overlap cannot tell which Danish sentence answers an English question ("how large a
grant" / "lokaletilskud på 87.500 kr."), and within Danish it favours the sentence that
repeats the question over the one that answers it.  The embedding model that ranked the
passages also scores their sentences: each candidate sentence is embedded as a passage and
compared with the question's query vector.  Sentence vectors are remembered (a bounded LRU),
so a follow-up or a repeated question embeds nothing new.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

from vectorstore.embedder import embed_sentences

from .compose import Meaning
from .tuning import TUNING

CACHE_SIZE = 20_000
"""Sentence vectors kept (384 floats each: about 30 MB at this size)."""


class SentenceVectors:
    """Embeds sentences once and scores them against a question."""

    def __init__(self, embedder: Any, cache_size: int = CACHE_SIZE) -> None:
        self.embedder = embedder
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def vectors(self, sentences: Sequence[str]) -> np.ndarray:
        """One unit vector per sentence (embedded as passages; cached by text)."""
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for s in sentences:
                vector = self._cache.get(s)
                if vector is not None:
                    self._cache.move_to_end(s)
                    found[s] = vector
        missing = [s for s in dict.fromkeys(sentences) if s not in found]
        if missing:
            fresh = embed_sentences(self.embedder, missing)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    found[text] = self._cache[text] = np.asarray(vector)
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        if not sentences:
            return np.empty((0, 0), dtype=np.float32)
        return np.vstack([found[s] for s in sentences])

    def meaning(self, question: str) -> Meaning:
        """A scorer of sentences against ``question`` (cosine similarity)."""

        def score(sentences: Sequence[str]) -> np.ndarray:
            if not sentences:
                return np.zeros(0, dtype=np.float32)
            tune = TUNING.answer
            head = [s[: tune.meaning_chars] for s in sentences[: tune.meaning_sentences]]
            query = np.asarray(self.embedder.embed_query(question), dtype=np.float32)
            sims = self.vectors(head) @ query
            out = np.full(len(sentences), float(sims.min()), dtype=np.float32)
            out[: len(head)] = sims
            return out

        return score
