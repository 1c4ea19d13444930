"""Sentence vectors kept beside an embedded index: computed at ingest, read by answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.meaning import SentenceVectors
from ingest.danish import split_sentences
from vectorstore.sentences import SENTENCE_CHARS, SentenceStore, sentence_key


def _store(tmp_path: Path, model: str = "m", dimension: int = 4) -> SentenceStore:
    return SentenceStore(tmp_path / "s.sqlite3", model, dimension)


def test_vectors_round_trip_as_unit_vectors_keyed_by_the_sentence_prefix(tmp_path) -> None:
    store = _store(tmp_path)
    long = "Udvalget " + "godkendte " * 40
    store.add(["Tilskuddet er 87.500 kr.", long], np.array([[3.0, 4, 0, 0], [0, 0, 0, 2]]))
    assert store.count() == 2
    got = store.get(["Tilskuddet er 87.500 kr.", "Ukendt sætning.", long[:SENTENCE_CHARS]])
    assert set(got) == {"Tilskuddet er 87.500 kr.", long[:SENTENCE_CHARS]}
    assert np.allclose(got["Tilskuddet er 87.500 kr."], [0.6, 0.8, 0, 0], atol=1e-3)
    assert store.missing(["Ukendt sætning.", long, "Ukendt sætning."]) == ["Ukendt sætning."]
    with pytest.raises(ValueError, match="dimension 4"):
        store.add(["a"], np.zeros((1, 3)))


def test_another_model_empties_the_store(tmp_path) -> None:
    first = _store(tmp_path)
    first.add(["En sætning."], np.ones((1, 4)))
    first.mark_document("doc")
    first.close()
    other = _store(tmp_path, model="another")
    assert other.get(["En sætning."]) == {} and not other.has_document("doc")
    assert _store(tmp_path, model="another").count() == 0


def test_an_unusable_file_is_treated_as_empty_never_raised(tmp_path) -> None:
    (tmp_path / "s.sqlite3").mkdir()  # a folder where the database file should be
    store = _store(tmp_path)
    store.add(["En sætning."], np.ones((1, 4)))  # logged, not raised
    assert store.get(["En sætning."]) == {} and store.count() == 0


def _stored_texts(services) -> list[str]:
    """Every stored chunk's text (through Chroma itself)."""
    collection = services.store._opened_collections()["chunks"]
    return list(collection.get(include=["documents"])["documents"])


def test_ingest_stores_every_sentence_once_and_answers_read_them(
    hash_services, corpus_copy, hash_embedder
) -> None:
    report = hash_services.ingestor.ingest([corpus_copy])
    store = hash_services.store.sentences
    sentences = [s for t in _stored_texts(hash_services) for s in split_sentences(t)]
    assert report.sentences == len({sentence_key(s) for s in sentences}) > 100
    assert store.missing(sentences) == []
    again = hash_services.ingestor.ingest([corpus_copy])
    assert again.skipped_unchanged == 5 and again.sentences == 0

    before = hash_embedder.passages
    vectors = SentenceVectors(hash_embedder, store)
    scores = vectors.meaning("tilskud")(sentences[:10])
    assert hash_embedder.passages == before and vectors.embedded == 0  # read, not embedded
    query = np.asarray(hash_embedder.embed_query("tilskud"))
    live = np.asarray(hash_embedder.embed_passages(sentences[:10])) @ query
    assert np.allclose(scores, live, atol=2e-3)  # float16 storage
    vectors.meaning("tilskud")(["En sætning som intet dokument har."])
    assert vectors.embedded == 1


def test_without_sentences_ingest_embeds_none_and_a_later_ingest_fills_them_in(
    hash_services, corpus_copy
) -> None:
    hash_services.ingestor.keep_sentences = False
    first = hash_services.ingestor.ingest([corpus_copy])
    assert first.ingested == 5 and first.sentences == 0
    assert hash_services.store.sentences.count() == 0
    hash_services.ingestor.keep_sentences = True
    later = hash_services.ingestor.ingest([corpus_copy])  # unchanged documents: filled in
    assert later.skipped_unchanged == 5 and later.embedded == 0 and later.sentences > 100
    sentences = [s for t in _stored_texts(hash_services) for s in split_sentences(t)]
    assert hash_services.store.sentences.missing(sentences) == []


def test_a_crash_before_the_chunks_are_written_keeps_the_sentences(
    hash_services, corpus_copy, monkeypatch
) -> None:
    one = sorted(corpus_copy.iterdir())[0]
    store = hash_services.store

    def crash(*args, **kwargs):
        raise RuntimeError("crash while writing chunks")

    monkeypatch.setattr(store, "upsert_chunks", crash)
    with pytest.raises(RuntimeError):
        hash_services.ingestor.write_meeting(*_parsed(one))
    monkeypatch.undo()
    kept = store.sentences.count()
    assert kept > 0
    report = hash_services.ingestor.ingest([one])
    assert report.ingested == 1 and report.sentences == 0 and store.sentences.count() == kept


def _parsed(path: Path):
    from ingest.pipeline import load_meeting, source_key

    doc, meeting = load_meeting(path, None, source=source_key(path))
    return meeting, doc.text


def test_a_copied_index_folder_brings_its_sentence_vectors(hash_services, corpus_copy, tmp_path,
                                                           services_factory, hash_embedder):
    hash_services.ingestor.ingest([corpus_copy])
    source = hash_services.store.local_path
    copy = tmp_path / "copy"
    hash_services.store.sentences.close()
    shutil.copytree(source, copy)
    other = services_factory(copy, hash_embedder)
    assert other.store.sentences.count() == hash_services.store.sentences.count() > 100


def test_cli_ingest_no_sentences_and_the_report(tmp_path, corpus_copy, hash_embedder, capsys,
                                                services_factory) -> None:
    import json

    from assistant.cli import main

    services = services_factory(tmp_path / "db", hash_embedder)
    db = str(tmp_path / "db")
    assert main(["--db", db, "ingest", "--json", "--no-sentences", str(corpus_copy)],
                services) == 0
    skipped = json.loads(capsys.readouterr().out)
    assert skipped["ingested"] == 5 and skipped["sentences"] == 0
    assert main(["--db", db, "ingest", str(corpus_copy)], services) == 0
    line = capsys.readouterr().out.splitlines()[0]
    filled = services.store.sentences.count()
    assert filled > 100 and f"sentences: {filled}  " in line, line
