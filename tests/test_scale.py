"""Archive scale: the saved retriever state, exact in-memory dense search, vector reuse on
re-ingest, and a short form of ``bench/scale.py`` (fake embedder, real Chroma)."""

from __future__ import annotations

import gc
import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import pytest
from conftest import load_bench

from assistant import retriever_cache, search
from assistant.query import analyze
from assistant.search import Filters, Retriever
from assistant.tuning import TUNING
from ingest.pipeline import load_meeting, source_key
from vectorstore.filters import Between, Equals, MetadataFilter, metadata_column

REPO = Path(__file__).resolve().parents[1]




@pytest.fixture()
def ingested(hash_services: Any, corpus_copy: Path) -> tuple[Any, Path]:
    report = hash_services.ingestor.ingest([corpus_copy])
    assert report.ingested == 5
    return hash_services, corpus_copy


def _no_store_reads(monkeypatch: pytest.MonkeyPatch, store: Any) -> None:
    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("the store was read although a saved state matched")

    monkeypatch.setattr(store, "all_chunk_vectors", refuse)
    monkeypatch.setattr(store, "all_documents", refuse)


QUESTIONS = ["Hvad blev besluttet om KlimaMidt?", "budget for kollektiv trafik",
             "Who chairs KD-Net?"]


def _ranking(retriever: Retriever, question: str, filters: Filters | None = None) -> list[Any]:
    hits = retriever.search(analyze(question, retriever.bodies), filters, limit=10)
    return [(h.meeting.meeting_id, h.item.number, [p.chunk_id for p in h.passages],
             round(h.score, 5)) for h in hits]


# --- saved retriever state ----------------------------------------------------------------


def test_saved_state_is_loaded_when_the_index_is_unchanged(ingested, monkeypatch):
    services, _ = ingested
    store = services.store
    built = Retriever(store, services.embedder)
    entries = list((store.local_path / retriever_cache.CACHE_DIR).iterdir())
    assert len(entries) == 1 and (entries[0] / "manifest.json").is_file()

    _no_store_reads(monkeypatch, store)
    loaded = Retriever(store, services.embedder)
    assert loaded.chunk_ids == built.chunk_ids and len(loaded.chunk_ids) == store.chunk_count()
    assert loaded.chunk_meta == built.chunk_meta and loaded.chunk_text == built.chunk_text
    assert np.array_equal(loaded.vectors, built.vectors)
    assert loaded.meetings == built.meetings and loaded.cases == built.cases
    assert all(isinstance(s.text, str) for m in loaded.meetings.values() for i in m.items
               for s in i.sections)
    assert loaded.mentions == built.mentions and built.mentions  # the samples name towns
    assert loaded.lexical.document_frequency == built.lexical.document_frequency
    assert loaded.lexical.group_vocabulary == built.lexical.group_vocabulary
    for q in QUESTIONS:
        assert np.array_equal(loaded.lexical.scores(q), built.lexical.scores(q))
        assert _ranking(loaded, q) == _ranking(built, q)
        assert _ranking(loaded, q)  # something was found


def test_a_changed_index_is_never_served_from_the_saved_state(ingested, monkeypatch):
    services, corpus = ingested
    store = services.store
    keys: list[str] = []
    real_load = retriever_cache.load

    def recording_load(root: Path, key: str) -> Any:
        keys.append(key)
        return real_load(root, key)

    monkeypatch.setattr(retriever_cache, "load", recording_load)
    Retriever(store, services.embedder)
    target = next(corpus.glob("002_*.txt"))
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("KlimaMidt", "KlimaMidtjylland"), encoding="utf-8")
    assert services.ingestor.ingest([corpus]).ingested == 1

    fresh = Retriever(store, services.embedder)
    assert len(keys) == 2 and keys[0] != keys[1]
    texts = [fresh.chunk_text[c] for c in fresh.chunk_ids
             if fresh.chunk_meta[c]["source"] == source_key(target)]
    assert any("KlimaMidtjylland" in t for t in texts)
    assert set(fresh.chunk_ids) == set(store.all_chunks()[0])
    # a removed document is gone from the next reader too, and only one entry is kept
    services.ingestor.remove([target])
    after = Retriever(store, services.embedder)
    assert not any(after.chunk_meta[c]["source"] == source_key(target) for c in after.chunk_ids)
    assert len(list((store.local_path / retriever_cache.CACHE_DIR).iterdir())) == 1


def _edit_msgpack(path: Path, change: Any) -> None:
    data = msgspec.msgpack.decode(path.read_bytes())
    change(data)
    path.write_bytes(msgspec.msgpack.encode(data))


def _set_role(meetings: list[dict[str, Any]]) -> None:
    item = next(i for m in meetings for i in m["items"] if i["sections"])
    item["sections"][0]["role"] = "nonsense"  # Section's own check refuses it


DAMAGE = {
    "truncated chunks": lambda e: (e / "chunks.msgpack").write_bytes(
        (e / "chunks.msgpack").read_bytes()[: (e / "chunks.msgpack").stat().st_size // 2]),
    "a meeting its type refuses": lambda e: _edit_msgpack(e / "meetings.msgpack", _set_role),
    "a metadata value of another type": lambda e: _edit_msgpack(
        e / "chunks.msgpack", lambda c: c["metas"][3].update(date_int=None)),
    "a chunk fewer": lambda e: _edit_msgpack(
        e / "chunks.msgpack", lambda c: [c[k].pop() for k in ("ids", "texts", "metas")]),
    "a meeting fewer": lambda e: _edit_msgpack(e / "meetings.msgpack", lambda m: m.pop()),
    "garbage vectors": lambda e: (e / "vectors.npy").write_bytes(b"\x93NUMPY garbage"),
    "vectors of another shape": lambda e: np.save(
        e / "vectors.npy", np.zeros(3, dtype=np.float32), allow_pickle=False),
    "a missing part": lambda e: (e / "meetings.msgpack").unlink(),
    "a manifest that is no object": lambda e: (e / "manifest.json").write_text("[]"),
}


def _counting_store_reads(monkeypatch: pytest.MonkeyPatch, store: Any) -> list[int]:
    calls: list[int] = []
    real = store.all_chunk_vectors

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "all_chunk_vectors", counting)
    return calls


def _same_state(a: Retriever, b: Retriever) -> bool:
    return (a.chunk_ids == b.chunk_ids and a.chunk_meta == b.chunk_meta
            and a.chunk_text == b.chunk_text and np.array_equal(a.vectors, b.vectors)
            and a.meetings == b.meetings and a.mentions == b.mentions
            and all(_ranking(a, q) == _ranking(b, q)
                                                 for q in QUESTIONS))


@pytest.mark.parametrize("damage", DAMAGE, ids=str)
def test_a_damaged_saved_state_is_rebuilt_and_replaced(ingested, monkeypatch, damage):
    services, _ = ingested
    store = services.store
    built = Retriever(store, services.embedder)
    (entry,) = (store.local_path / retriever_cache.CACHE_DIR).iterdir()
    DAMAGE[damage](entry)
    reads = _counting_store_reads(monkeypatch, store)
    again = Retriever(store, services.embedder)
    assert reads == [1] and _same_state(again, built)
    # the rebuilt state took the damaged entry's place: the next reader loads it
    assert [p.name for p in (store.local_path / retriever_cache.CACHE_DIR).iterdir()] == [
        entry.name]
    _no_store_reads(monkeypatch, store)
    assert _same_state(Retriever(store, services.embedder), built)


def test_an_entry_in_the_previous_format_is_rebuilt(ingested, monkeypatch):
    """Format 2 kept meetings and chunks as JSON.  Under its own key (an upgrade) or copied
    by hand under the current one, such an entry is never read; the rebuilt state replaces
    it."""
    services, _ = ingested
    store = services.store
    built = Retriever(store, services.embedder)
    cache = store.local_path / retriever_cache.CACHE_DIR
    (current,) = (p.name for p in cache.iterdir())
    with monkeypatch.context() as patch:
        patch.setattr(retriever_cache, "FORMAT", 2)
        previous = retriever_cache.cache_key(store.signature(), store.identity)
    assert previous != current
    for key in (previous, current):
        for entry in cache.iterdir():
            shutil.rmtree(entry)
        _previous_format(cache / key, key, built)
        with monkeypatch.context() as patch:
            reads = _counting_store_reads(patch, store)
            assert _same_state(Retriever(store, services.embedder), built) and reads == [1]
        assert [p.name for p in cache.iterdir()] == [current]
        manifest = json.loads((cache / current / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["format"] == retriever_cache.FORMAT
    _no_store_reads(monkeypatch, store)
    assert _same_state(Retriever(store, services.embedder), built)


def _previous_format(folder: Path, key: str, built: Retriever) -> None:
    """An entry as format 2 wrote it: meetings and chunks as JSON."""
    from ingest.serialize import meeting_to_dict

    folder.mkdir()
    (folder / "meetings.json").write_text(json.dumps(
        [meeting_to_dict(m) for m in built.meetings.values()], ensure_ascii=False))
    (folder / "chunks.json").write_text(json.dumps({
        "ids": built.chunk_ids, "texts": [built.chunk_text[c] for c in built.chunk_ids],
        "metas": [built.chunk_meta[c] for c in built.chunk_ids]}, ensure_ascii=False))
    np.save(folder / "vectors.npy", built.vectors, allow_pickle=False)
    built.lexical.save(folder / "lexical")
    (folder / "manifest.json").write_text(json.dumps(
        {"key": key, "format": 2, "chunks": len(built.chunk_ids)}))


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_a_state_leaves_the_garbage_collector_as_it_was(ingested, enabled):
    services, _ = ingested
    Retriever(services.store, services.embedder)  # saves the state the next one reads
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert Retriever(services.store, services.embedder).chunk_ids
        assert gc.isenabled() == enabled
    finally:
        gc.enable() if was else gc.disable()


# --- exact dense search --------------------------------------------------------------------


FILTERS = [
    Filters(body="KKR Midtjylland"),
    Filters(doc_type="referat"),
    Filters(date_from="2023-03-01"),
    Filters(date_from="2023-01-01", date_to="2023-06-30", doc_type="dagsorden"),
    Filters(section="Beslutning"),
    Filters(body="KD-Net", section="Indstilling"),
]


@pytest.mark.parametrize("filters", [Filters(), *FILTERS], ids=repr)
def test_exact_dense_search_equals_chromas(ingested, filters):
    services, _ = ingested
    retriever = Retriever(services.store, services.embedder)
    for q in QUESTIONS:
        vector = services.embedder.embed_query(q)
        exact = retriever._dense(vector, filters)
        chroma = {
            h.chunk_id: h.similarity
            for h in services.store.query(vector, TUNING.ranking.dense_candidates, filters.where(),
                                          with_payload=False)
        }
        assert exact.keys() == chroma.keys()
        assert all(abs(exact[c] - chroma[c]) < 1e-5 for c in exact)
        assert all(filters.accepts(retriever.chunk_meta[c]) for c in exact)
    if filters.where() is not None:
        assert any(not filters.accepts(m) for m in retriever.chunk_meta.values())


def test_filtered_rankings_are_the_same_as_through_chroma(ingested, monkeypatch):
    services, _ = ingested
    retriever = Retriever(services.store, services.embedder)
    exact = {(q, f): _ranking(retriever, q, f) for q in QUESTIONS for f in FILTERS}
    monkeypatch.setattr(MetadataFilter, "mask", lambda *a: None)  # Chroma's where
    for (q, f), ranking in exact.items():
        assert _untied(_ranking(retriever, q, f)) == _untied(ranking)


def _untied(ranking: list[Any]) -> tuple[list[float], list[Any]]:
    """A ranking's scores in order, and its items in order where the score decides it:
    items with equal scores (frequent with the fake embedder) come in set order."""
    scores = [r[3] for r in ranking]
    decided = sorted((r for r in ranking if scores.count(r[3]) == 1), key=lambda r: -r[3])
    return scores, decided


def test_filter_mask_covers_its_conditions_or_declines():
    metas = [{"body": "A", "n": 3, "ok": True}, {"body": "B", "n": 5, "ok": False},
             {"body": "A", "n": 7}]

    def column(key: str) -> Any:
        return metadata_column([m.get(key) for m in metas])

    def mask(*conditions: Equals | Between) -> list[bool] | None:
        got = MetadataFilter(conditions).mask(column, len(metas))
        return None if got is None else got.tolist()

    assert mask() == [True, True, True]
    assert mask(Equals("body", "A")) == [True, False, True]
    assert mask(Between("n", low=5)) == [False, True, True]
    assert mask(Between("n", high=5)) == [True, True, False]
    assert mask(Between("n", 4, 6)) == [False, True, False]
    assert mask(Equals("body", "A"), Between("n", high=4)) == [True, False, False]
    assert mask(Equals("ok", False)) == [False, True, False]  # a chunk without the key: no match
    assert mask(Equals("n", "3")) is None  # a type Chroma would compare differently
    assert mask(Equals("n", True)) is None
    assert mask(Between("body", low=1)) is None


# --- vectors reused on re-ingest -----------------------------------------------------------


def test_editing_one_item_embeds_only_that_items_chunks(ingested):
    services, corpus = ingested
    ingestor, store, counting = services.ingestor, services.store, services.embedder
    target = next(corpus.glob("002_*.txt"))
    _, before = load_meeting(target, source=source_key(target))
    old_texts = {c.embed_text for c in ingestor.chunker.chunk_meeting(before, None)}
    item = max(before.items, key=lambda i: len(i.sections))
    sentence = item.sections[0].text.strip().split("\n")[0]
    text = target.read_text(encoding="utf-8")
    assert text.count(sentence) == 1, sentence
    target.write_text(text.replace(sentence, sentence + " Tilføjet ved genindlæsning."),
                      encoding="utf-8")
    _, after = load_meeting(target, source=source_key(target))
    new_chunks = ingestor.chunker.chunk_meeting(after, None)
    changed = [c for c in new_chunks if c.embed_text not in old_texts]
    assert changed and {c.item_number for c in changed} == {item.number}

    counting.passages = 0
    report = ingestor.ingest([corpus])
    assert (report.ingested, report.skipped_unchanged) == (1, 4)
    # the edit's one new sentence is embedded for the sentence vectors; no other sentence
    assert report.sentences == 1
    assert counting.passages == len(changed) + 1 + 1  # + the record's title + the sentence
    assert (report.embedded, report.reused) == (len(changed), len(new_chunks) - len(changed))
    # every stored vector is the one the embedder gives for that chunk's text
    got = store.chunks.get(where={"source": source_key(target)}, include=["embeddings"])
    stored = dict(zip(got["ids"], got["embeddings"], strict=True))
    expected = counting.inner.embed_passages([c.embed_text for c in new_chunks])
    for chunk, vector in zip(new_chunks, expected, strict=True):
        assert np.allclose(stored[chunk.chunk_id], vector, atol=1e-6)
    assert store.check().ok


# --- bench/scale.py short form ------------------------------------------------------------


def test_scale_bench_short_form(tmp_path):
    """Grow a 1k-chunk synthetic archive through the store API, then measure it twice: the
    first reader rebuilds and saves its state, the second loads it."""
    bench = load_bench("scale")
    seed = bench.make_hash_seed(tmp_path / "seed")
    db = tmp_path / "index"
    built = bench.grow(db, seed, "hash", 1000)
    assert 1000 <= built["chunks"] < 1300 and built["written"] == built["chunks"]
    cold = bench.probe(db, "hash", questions=4, recall_queries=4)
    warm = bench.probe(db, "hash", questions=4, recall_queries=4)
    for row in (cold, warm):
        assert row["chunks"] == built["chunks"]
        assert row["ask"]["p95_ms"] >= row["ask"]["search_p95_ms"] > 0
        assert row["recall_at_10"] >= 0.9
    index_mb, cache_mb = bench.disk_mb(db)
    assert index_mb > 0 and cache_mb > 0
    # the copies differ from their seed (digits, sentence order, dates), vectors are close
    seeds = bench.read_seed(bench.services(seed, "hash").store)
    copies = bench.read_seed(bench.services(db, "hash").store)
    assert {c.payload["date"] for c in copies}.isdisjoint({s.payload["date"] for s in seeds})
    first = next(c for c in copies if Path(c.source).name == Path(seeds[0].source).name)
    assert first.texts != seeds[0].texts
    assert np.min(np.sum(first.vectors * seeds[0].vectors, axis=1)) > 0.9


# --- an item's passages -------------------------------------------------------------------


def test_a_results_passages_are_chosen_from_all_of_its_items_chunks(ingested, monkeypatch):
    """With only a handful of archive-wide candidates, a result still shows its item's best
    chunks (every one scored against the question), the candidate it was found by first."""
    services, _ = ingested
    retriever = Retriever(services.store, services.embedder)
    question = analyze("Hvad blev besluttet om KlimaMidt?", retriever.bodies)
    ranking = replace(TUNING.ranking, dense_candidates=2, lexical_candidates=2)
    monkeypatch.setattr(search, "TUNING", replace(TUNING, ranking=ranking))
    narrow = retriever.search(question, limit=3)
    assert narrow
    for hit in narrow:
        own = [cid for cid, meta in retriever.chunk_meta.items()
               if meta["meeting_id"] == hit.meeting.meeting_id
               and meta["item_number"] == hit.item.number]
        assert sorted(p.chunk_id for p in hit.passages) == sorted(own)
        rest = hit.passages[1:]
        assert [p.score for p in rest] == sorted((p.score for p in rest), reverse=True)
    assert max(len(h.passages) for h in narrow) > 2  # more than the candidates held
    # a result keeps the passage it was found (and is cited) by first: a candidate
    dense = retriever._dense(services.embedder.embed_query(question.text), Filters())
    assert len(dense) == 2
    assert all(h.best.chunk_id in dense or h.best.lexical > 0 for h in narrow)
