"""In-memory BM25 over the stored chunks (Chroma 1.5 has no local lexical search).

Derived state only: built from the ``chunks`` collection when a process starts, rebuilt
after that process ingests or removes documents.  Danish Snowball stemming.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

from ingest.danish import STOPWORDS, WORD_RE, CompoundSplitter, stem_words
from ingest.danish_forms import base_forms

logging.getLogger("bm25s").setLevel(logging.WARNING)


class Analyzer:
    """Lower-case, split, drop stopwords, Danish-stem (all from :mod:`ingest.danish`)."""

    def words(self, text: str) -> list[str]:
        return [w for w in WORD_RE.findall(text.lower()) if w not in STOPWORDS]

    def stem(self, words: list[str]) -> list[str]:
        return stem_words(words)

    def tokens(self, text: str) -> list[str]:
        return self.tokens_of(self.words(text))

    def tokens_of(
        self, words: list[str], compounds: CompoundSplitter | None = None
    ) -> list[str]:
        """Stems of ``words``, each hyphenated word ("KD-Net", "it-udstyr") also as its
        parts, and with ``compounds`` each compound also as its parts ("temamøder" ->
        "tema", "møder"), so that a question naming a part finds it."""
        words = words + [
            p for w in words if "-" in w for p in w.split("-") if p not in STOPWORDS
        ]
        if compounds is not None:
            words += [p for w in words for p in compounds.parts(w)]
        return stem_words(words)


class LexicalIndex:
    """BM25 scores of every chunk for a query, aligned with ``ids``."""

    def __init__(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        groups: Sequence[str] | None = None,
        restricted: Sequence[bool] | None = None,
    ) -> None:
        """``groups`` (one label per text, e.g. its body) keeps a vocabulary per group.

        ``restricted`` (one flag per text) marks texts only some viewers may see (closed
        items' content, :mod:`assistant.access`): their words are kept apart, so that
        which words the archive knows, and how rare they are, never reveals them to the
        others (``known_terms`` and ``idf`` with ``restricted=False``)."""
        self.analyzer = Analyzer()
        self.ids = list(ids)
        self.position = {cid: i for i, cid in enumerate(self.ids)}
        # compounds are split on the texts' side only: their parts are known from the
        # texts, and a question's compound still matches the whole word
        words = [self.analyzer.words(t) for t in texts]
        compounds = CompoundSplitter(Counter(w for doc in words for w in set(doc)))
        corpus = [self.analyzer.tokens_of(doc, compounds) for doc in words]
        flags = list(restricted) if restricted is not None else [False] * len(corpus)
        if len(flags) != len(corpus):
            raise ValueError(f"restricted has {len(flags)} flags for {len(corpus)} texts")
        self.document_frequency: Counter[str] = Counter(t for doc in corpus for t in set(doc))
        self.open_document_frequency: Counter[str] = Counter(
            t for doc, hidden in zip(corpus, flags, strict=True) if not hidden for t in set(doc)
        )
        self.open_count = flags.count(False)
        self.group_vocabulary: dict[str, set[str]] = {}
        self.open_group_vocabulary: dict[str, set[str]] = {}
        for label, doc, hidden in zip(groups or [], corpus, flags, strict=False):
            self.group_vocabulary.setdefault(label, set()).update(doc)
            opened = self.open_group_vocabulary.setdefault(label, set())
            if not hidden:
                opened.update(doc)
        self._derive()
        self._bm25 = bm25s.BM25()
        if self.ids:
            self._bm25.index(corpus, show_progress=False)

    def save(self, folder: Path) -> None:
        """Write the index into ``folder`` (numpy arrays and JSON, no pickle)."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "lexical.json").write_text(json.dumps({
            "ids": self.ids,
            "document_frequency": dict(self.document_frequency),
            "group_vocabulary": {k: sorted(v) for k, v in self.group_vocabulary.items()},
            "open_count": self.open_count,
            "open_document_frequency": dict(self.open_document_frequency),
            "open_group_vocabulary": {
                k: sorted(v) for k, v in self.open_group_vocabulary.items()
            },
        }, ensure_ascii=False), encoding="utf-8")
        if self.ids:
            self._bm25.save(str(folder / "bm25"), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """The index :meth:`save` wrote (rebuilding it from the texts takes 100x longer)."""
        data = json.loads((folder / "lexical.json").read_text(encoding="utf-8"))
        index = cls.__new__(cls)
        index.analyzer = Analyzer()
        index.ids = list(data["ids"])
        index.position = {cid: i for i, cid in enumerate(index.ids)}
        index.document_frequency = Counter(data["document_frequency"])
        index.group_vocabulary = {k: set(v) for k, v in data["group_vocabulary"].items()}
        index.open_count = int(data["open_count"])
        index.open_document_frequency = Counter(data["open_document_frequency"])
        index.open_group_vocabulary = {
            k: set(v) for k, v in data["open_group_vocabulary"].items()
        }
        index._derive()
        index._bm25 = (
            bm25s.BM25.load(str(folder / "bm25"), show_progress=False, allow_pickle=False)
            if index.ids else bm25s.BM25()
        )
        return index

    def scores(self, query: str, stems: Sequence[str] = ()) -> np.ndarray:
        """Raw BM25 score per chunk (zeros when nothing matches); ``stems`` are searched
        as they are (already the index's tokens)."""
        tokens = [t for t in [*self.analyzer.tokens(query), *stems] if t in self.vocabulary]
        if not self.ids or not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def _derive(self) -> None:
        """The vocabularies implied by the document frequencies."""
        self.vocabulary = set(self.document_frequency)
        self.open_vocabulary = set(self.open_document_frequency)

    def idf(self, token: str, restricted: bool = False) -> float:
        """How telling a stemmed word is in this archive (high for rare words, about 0
        for words in most chunks; a word the archive lacks counts as rare).  Counted over
        the open texts only unless ``restricted`` (the viewer may see restricted texts)."""
        n, df = (
            (len(self.ids), self.document_frequency) if restricted
            else (self.open_count, self.open_document_frequency)
        )
        return math.log((n + 1) / (df.get(token, 0) + 0.5))

    def known_terms(
        self, query: str, groups: Sequence[str] = (), restricted: bool = False
    ) -> tuple[list[str], list[str]]:
        """The query's content words split into (in the corpus, not in the corpus); with
        ``groups``, "the corpus" is the texts of those groups only.  Restricted texts count
        only with ``restricted`` (the viewer may see them): a word found only there must
        look exactly like a word found nowhere to everyone else."""
        by_group, everything = (
            (self.group_vocabulary, self.vocabulary) if restricted
            else (self.open_group_vocabulary, self.open_vocabulary)
        )
        vocabularies = [by_group.get(g, set()) for g in groups] or [everything]
        words = self.analyzer.words(query)
        present: list[str] = []
        missing: list[str] = []
        for word in words:
            # a hyphenated compound ("kkr-referat") is known when all its parts are
            parts = [p for p in word.split("-") if p and p not in STOPWORDS] or [word]
            stems = list(self.analyzer.stem(parts))
            whole = self.analyzer.stem([word])[0]
            # Snowball leaves a definite form one step longer than its base: "rutenettet"
            # -> "rutenet", while the text's "rutenet" -> "ruten"; a second step meets it
            again = self.analyzer.stem([whole])[0]
            # 'udgik' is what the minutes write 'udgår', 'åbne' what they write 'åben'
            forms = self.analyzer.stem(list(base_forms(word)))
            known = any(
                whole in v or again in v or all(st in v for st in stems)
                or any(f in v for f in forms) for v in vocabularies
            )
            (present if known else missing).append(word)
        return present, missing
