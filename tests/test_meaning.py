"""Sentence closeness in meaning: scored with the index's model, each sentence embedded once."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.meaning import SentenceVectors, question_parts
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


@pytest.mark.parametrize(("question", "parts"), [
    ("What is KKR Midtjylland asked to do with the practice plan, and how is the current "
     "capacity assessed?",
     ["What is KKR Midtjylland asked to do with the practice plan",
      "how is the current capacity assessed"]),
    ("Who chairs the network and what is its main position?",
     ["Who chairs the network", "what is its main position"]),
    ("What did the board decide about the budget and the tax?",
     ["What did the board decide about the budget and the tax"]),
    ("Who stepped in, and until when?", ["Who stepped in, and until when"]),
])
def test_a_question_s_parts_begin_with_a_question_word_after_and(question: str,
                                                                  parts: list[str]) -> None:
    assert question_parts(question) == parts


def test_a_sentence_close_to_one_part_of_a_question_scores_as_close(hash_embedder) -> None:
    """Each part of a several-part question is asked too: a sentence scores its closeness
    to the whole question or to the part it answers, whichever is closer."""
    vectors = SentenceVectors(hash_embedder, cache_size=100)
    question = "Hvad koster tilskuddet, and how is the capacity assessed?"
    sentences = ["Tilskuddet koster 87.500 kr.", "How is the capacity assessed"]
    scores = vectors.meaning(question)(sentences)
    passages = np.asarray(hash_embedder.embed_passages(sentences))
    queries = [np.asarray(hash_embedder.embed_query(q)) for q in
               (question, *question_parts(question))]
    assert np.allclose(scores, np.max([passages @ q for q in queries], axis=0))
    assert scores[1] > float(passages[1] @ queries[0])  # its part is closer than the whole
