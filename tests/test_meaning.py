"""Sentence closeness in meaning: scored with the index's model, each sentence embedded once."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.meaning import SentenceVectors
from assistant.tuning import TUNING

MAX_SENTENCES = TUNING.answer.meaning_sentences


def test_each_sentence_is_embedded_once_and_scores_follow_the_vectors(hash_embedder) -> None:
    vectors = SentenceVectors(hash_embedder, cache_size=100)
    sentences = ["Tilskuddet er 87.500 kr.", "Mødet sluttede kl. 12.", "Tilskuddet er 87.500 kr."]
    score = vectors.meaning("tilskuddet 87.500 kr.")
    first = score(sentences)
    assert hash_embedder.passages == 2  # the repeated sentence is embedded once
    assert first.shape == (3,) and first[0] == first[2] and first[0] > first[1]
    again = vectors.meaning("another question")(sentences)
    assert hash_embedder.passages == 2  # a later question embeds nothing new
    query = np.asarray(hash_embedder.embed_query("another question"))
    expected = np.asarray(hash_embedder.embed_passages(sentences[:2])) @ query
    assert np.allclose(again[:2], expected)


def test_the_cache_is_bounded_and_the_work_per_question_too(hash_embedder) -> None:
    vectors = SentenceVectors(hash_embedder, cache_size=5)
    many = [f"Sætning nummer {n} om noget." for n in range(MAX_SENTENCES + 10)]
    scores = vectors.meaning("sætning")(many)
    assert scores.shape == (len(many),)
    assert hash_embedder.passages == MAX_SENTENCES  # only the first ones are embedded
    assert len(vectors._cache) == 5
    # the sentences beyond the limit score as the least close ones
    assert scores[MAX_SENTENCES:].max() == pytest.approx(scores[:MAX_SENTENCES].min())
