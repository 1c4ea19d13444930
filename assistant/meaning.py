"""Closeness in meaning of answer sentences to a question, with the index's own model.

Word overlap cannot tell which Danish sentence answers an English question ("how large a
grant" / "lokaletilskud på 87.500 kr."), and within Danish it favours the sentence that
repeats the question over the one that answers it.  The embedding model that ranked the
passages also scores their sentences: each candidate sentence is embedded as a passage and
compared with the question's query vector.  Ingest stores the vector of every sentence of
the index (:mod:`vectorstore.sentences`), so a question reads them instead of embedding
them (150-400 ms of an English ask); a sentence not stored there is embedded now.  Vectors
are remembered (a bounded LRU), so a follow-up or a repeated question reads nothing again.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

from vectorstore.embedder import embed_sentences
from vectorstore.sentences import SentenceStore, sentence_key

from .compose import Meaning
from .tuning import TUNING

_PART_RE = re.compile(
    r",?\s+(?:and|og)\s+(?=(?:how|what|who|whom|when|where|which|why|whether|hvordan|hvad"
    r"|hvem|hvornår|hvor|hvilke|hvilken|hvilket|hvorfor)\b)", re.I)
"""Where a question's next part begins (', and how is the current capacity assessed?')."""


def question_parts(question: str) -> list[str]:
    """The parts of a several-part question, each a question of its own; one part for most."""
    parts = [p.strip(" ,?") for p in _PART_RE.split(question)]
    return [p for p in parts if p] or [question]


CACHE_SIZE = 20_000
"""Sentence vectors kept (384 floats each: about 30 MB at this size)."""


class SentenceVectors:
    """Embeds sentences once and scores them against a question."""

    def __init__(
        self, embedder: Any, stored: SentenceStore | None = None, cache_size: int = CACHE_SIZE
    ) -> None:
        self.embedder = embedder
        self.stored = stored
        self.embedded = 0
        """Sentences embedded at question time (not found in the LRU or the store)."""
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
        if missing and self.stored is not None:
            kept = self.stored.get(missing)
            self._remember(kept, found)
            missing = [s for s in missing if s not in kept]
        if missing:
            self.embedded += len(missing)
            fresh = embed_sentences(self.embedder, missing)
            self._remember(dict(zip(missing, map(np.asarray, fresh), strict=True)), found)
        if not sentences:
            return np.empty((0, 0), dtype=np.float32)
        return np.vstack([found[s] for s in sentences])

    def _remember(self, vectors: dict[str, np.ndarray], found: dict[str, np.ndarray]) -> None:
        with self._lock:
            for text, vector in vectors.items():
                found[text] = self._cache[text] = vector
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def meaning(self, question: str) -> Meaning:
        """A scorer of sentences against ``question`` (cosine similarity; for a several-part
        question the closest of the whole and each part)."""
        parts = question_parts(question)

        def score(sentences: Sequence[str]) -> np.ndarray:
            if not sentences:
                return np.zeros(0, dtype=np.float32)
            head = [sentence_key(s) for s in sentences[: TUNING.answer.meaning_sentences]]
            # each part of a several-part question is asked too: a sentence that answers
            # its second part is close to that part, not to the whole
            texts = [question, *parts] if len(parts) > 1 else [question]
            queries = np.vstack([np.asarray(self.embedder.embed_query(t), dtype=np.float32)
                                 for t in texts])
            sims = (self.vectors(head) @ queries.T).max(axis=1)
            out = np.full(len(sentences), float(sims.min()), dtype=np.float32)
            out[: len(head)] = sims
            return out

        return score
