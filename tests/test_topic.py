"""An English question's topic, checked by meaning (assistant/topic.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant import topic
from assistant.access import PUBLIC
from assistant.noanswer import assess_answerable
from assistant.query import analyze
from assistant.search import Retriever, item_key
from assistant.topic import items_nearer, off_topic, topic_words
from vectorstore.embedder import HashEmbedder

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "kkr-midtjylland"


@pytest.mark.parametrize(("question", "words", "phrase"), [
    ("What did the City Council decide about subsidising a ferry service from Greve?",
     "City subsidising ferry service Greve", "subsidising a ferry service from Greve"),
    ("How many beehives has the municipality placed on the roofs of its buildings in 2024?",
     "beehives placed roofs buildings", "beehives has the municipality placed on the roofs of "
     "its buildings"),
    ("What was decided at the meeting on 3 March 2024?", "", ""),
])
def test_the_topic_is_the_question_without_its_frame(question: str, words: str,
                                                     phrase: str) -> None:
    """Question and function words, intent verbs, body words, months and figures are frame;
    the phrase shown is the longest run of topic words as the question wrote it."""
    assert topic_words(analyze(question)) == (words, phrase)


def test_a_body_s_english_name_is_no_topic() -> None:
    """The English name a question gives a held body names the body, not the topic: it is
    left out of the words and breaks the run shown."""
    query = dataclasses.replace(
        analyze("What did the Planning and Safety Committee decide about a tiny-house "
                "community in Greve?"),
        body_names=("the Planning and Safety Committee",))
    assert topic_words(query) == ("tiny-house community Greve",
                                  "tiny-house community in Greve")


@pytest.fixture(scope="module")
def hash_retriever(tmp_path_factory: pytest.TempPathFactory, services_factory: Any) -> Retriever:
    services = services_factory(tmp_path_factory.mktemp("topic") / "index", HashEmbedder())
    assert services.ingestor.ingest([SAMPLES]).ingested == 5
    return Retriever(services.store, services.embedder)


def test_items_nearer_counts_items_not_passages(hash_retriever: Retriever) -> None:
    """Items with at least one passage nearer to the vector than the hit's nearest passage,
    each item counted once: checked against a count done item by item; the item that holds
    the vector's nearest passage has none ahead of it."""
    retriever = hash_retriever
    query = analyze("Hvad blev besluttet om KlimaMidt?", retriever.bodies)
    hits = retriever.search(query, None, limit=10)
    vector = retriever.vectors[17] + retriever.vectors[40]
    sims = retriever.vectors @ (vector / np.linalg.norm(vector))
    rows = retriever.item_rows()
    counts = []
    for hit in hits:
        own = float(sims[rows[item_key(hit.meeting.meeting_id, hit.item.number)]].max())
        expected = sum(1 for r in rows.values() if float(sims[r].max()) > own)
        counts.append(expected)
        assert items_nearer(retriever, vector, hit, PUBLIC) == expected
    assert len(set(counts)) > 1  # the hits stand at different distances
    nearest = retriever.chunk_meta[retriever.chunk_ids[int(np.argmax(sims))]]
    own_hit = dataclasses.replace(
        hits[0], meeting=retriever.meetings[nearest["meeting_id"]],
        item=next(i for i in retriever.meetings[nearest["meeting_id"]].items
                  if i.number == nearest["item_number"]))
    assert items_nearer(retriever, vector, own_hit, PUBLIC) == 0


@pytest.fixture(scope="module")
def real_retriever(real_services: Any) -> Retriever:
    return Retriever(real_services.store, real_services.embedder)


@pytest.fixture()
def few_items(monkeypatch: pytest.MonkeyPatch) -> None:
    """The samples hold 61 items: the two signs' constants are set for an archive of this
    size (the product's are set on archives of thousands of items, where more items stand
    ahead of a near miss and the ranking below the best is more crowded)."""
    refusal = dataclasses.replace(topic.TUNING.refusal, topic_items_ahead=10,
                                  flat_ranking_gap=0.025)
    monkeypatch.setattr(topic, "TUNING", dataclasses.replace(topic.TUNING, refusal=refusal))


def _verdict(retriever: Retriever, question: str) -> Any:
    query = analyze(question, retriever.bodies)
    hits = retriever.search(query, None, limit=10)
    return assess_answerable(query, hits, retriever)


@pytest.mark.slow
@pytest.mark.parametrize(("question", "phrase"), [
    ("What did KKR Midtjylland decide about a ferry service for the islands?",
     "ferry service for the islands"),
    ("What did KKR Midtjylland decide about stray cats?", "stray cats"),
])
def test_an_english_question_on_a_matter_never_treated_is_refused_by_meaning(
    real_retriever: Retriever, few_items: None, question: str, phrase: str
) -> None:
    verdict = _verdict(real_retriever, question)
    assert not verdict.answerable and verdict.code == "off_topic", verdict
    assert verdict.params["topic"] == phrase
    assert verdict.reason.startswith(f"The archive does not appear to treat «{phrase}»")


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    "What did KKR Midtjylland decide about KlimaMidt funding?",
    "Which tasks will move from the regions to the municipalities under the health reform?",
])
def test_an_english_question_on_a_treated_matter_passes_the_topic_check(
    real_retriever: Retriever, few_items: None, question: str
) -> None:
    query = analyze(question, real_retriever.bodies)
    hits = real_retriever.search(query, None, limit=10)
    assert off_topic(query, hits, real_retriever, PUBLIC) == ""


def test_a_danish_question_is_checked_by_its_words_not_here(hash_retriever: Retriever,
                                                            few_items: None) -> None:
    """A Danish question's words are looked up in the archive (missing_terms): the check
    by meaning is for questions whose words cannot be."""
    query = analyze("Hvad besluttede KKR Midtjylland om en færgerute til Samsø?",
                    hash_retriever.bodies)
    hits = hash_retriever.search(query, None, limit=10)
    assert off_topic(query, hits, hash_retriever, PUBLIC) == ""
