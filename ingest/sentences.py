"""The sentence vectors an ingest keeps beside the index (:mod:`vectorstore.sentences`).

Every sentence of a stored document's chunks is embedded once, as a passage, in batches -
the vectors an English question's answer sentences are chosen by - so that answering reads
them instead of embedding them (docs/BENCHMARKS.md, "Sentence vectors at ingest").  A
document is marked done under a key of what decides its chunk texts, so that an unchanged
document is never split again, and one stored before sentence vectors were kept is filled
in by the next ingest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from vectorstore.sentences import SentenceStore

from .chunker import CHUNKER_VERSION
from .danish import split_sentences
from .models import Chunk


def document_key(doc_hash: str, closed_content: bool) -> str:
    """What decides a document's chunk texts: its content, the chunker, closed content."""
    return f"{doc_hash}:{CHUNKER_VERSION}{':closed' if closed_content else ''}"


def embed_new_sentences(
    store: SentenceStore, embed: Callable[[list[str]], object], key: str,
    chunks: Sequence[Chunk],
) -> int:
    """Embed the sentences of ``chunks`` the store lacks, then mark ``key`` done; returns
    how many were embedded."""
    missing = store.missing(s for c in chunks for s in split_sentences(c.text))
    if missing:
        store.add(missing, np.asarray(embed(missing)))
    store.mark_document(key)
    return len(missing)
