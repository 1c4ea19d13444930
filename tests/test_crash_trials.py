"""kill -9 during ingest (issue 13): the short form of ``bench/crash_trials.py`` on every test
run, the full 20 trials as a slow test, and proof that the trial's inspection catches a torn
document (so that its "pass" means something)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load_bench

from ingest.pipeline import source_key
from vectorstore.crashpoint import ENV, POINTS, parse_target

REPO = Path(__file__).resolve().parents[1]


trials = load_bench("crash_trials")


def test_crash_target_is_parsed_strictly():
    assert parse_target(None) is None and parse_target("") is None
    assert parse_target("record_commit:2") == ("record_commit", 2)
    for bad in ("record_commit", "record_commit:0", "chunk_writes:1", "parse:x"):
        with pytest.raises(ValueError, match=ENV):
            parse_target(bad)
    # every point a trial aims at exists
    assert {t.point for t in trials.trials(13) if t.point} <= set(POINTS)
    assert len(trials.trials(13)) == 20


def test_short_crash_trials_leave_old_or_new_versions_and_rerun_heals():
    outcomes = trials.run_trials(list(trials.SHORT))
    assert [o.violations for o in outcomes] == [[], [], []]
    assert all(o.killed for o in outcomes)
    first, before_commit, after_commit = outcomes
    # killed at the third chunk write of a first ingest: two documents stored, the third's
    # chunks written without a record (orphans nobody reads), the rest never started
    assert first.state == "2 new, 3 absent" and not first.leftovers.startswith("0 orphan")
    # a replacement killed before its commit point keeps the old version (new chunks unread)
    assert before_commit.state == "2 old, 3 unchanged" and "0 stale" not in before_commit.leftovers
    # ... and after it has the new version, with the old chunks left over until the re-run
    assert after_commit.state == "1 old, 1 new, 3 unchanged"
    assert after_commit.rerun == "1 ingested, 4 unchanged"


def test_inspection_flags_a_torn_document(tmp_path):
    """A document whose record names the new version but holds only some of its chunks
    must be reported: a trial can fail."""
    corpus = tmp_path / "corpus"
    trials.reset_corpus(corpus, "first")
    old = trials.versions(corpus)
    services = trials.open_services(tmp_path / "db")
    services.ingestor.ingest([corpus])
    trials.edit(corpus)
    new = trials.versions(corpus)
    assert trials.inspect_after_kill(services, old, new)[2] == []  # all old: consistent

    target = sorted(corpus.iterdir())[trials.EDITED[0]]
    source = source_key(target)
    store = services.store
    # tear it: write the new record over the old chunks, with half of the new chunks
    services.ingestor.write_meeting(*_meeting(target, source))
    half = sorted(new[source].chunk_ids)[: len(new[source].chunk_ids) // 2]
    store.chunks.delete(ids=half)
    state, _, violations = trials.inspect_after_kill(services, old, new)
    assert "1 new" in state
    assert any(f"{target.name}: " in v and "expected" in v for v in violations), violations
    assert any(v.startswith("check after the kill") for v in violations), violations


def _meeting(path: Path, source: str) -> tuple[object, str]:
    from ingest.pipeline import load_meeting

    doc, meeting = load_meeting(path, source=source)
    return meeting, doc.text


@pytest.mark.slow
def test_all_twenty_crash_trials():
    outcomes = trials.run_trials(trials.trials(13))
    failed = {o.number: o.violations for o in outcomes if not o.passed}
    assert not failed, failed
    assert sum(o.killed for o in outcomes if "timed" not in o.kill) == 16


def test_get_chunk_never_returns_a_version_that_is_not_current(
    hash_services, corpus_copy, monkeypatch
):
    """Regression (found by the trials): the source view's store fallback returned chunks
    of an uncommitted or replaced version, which every other reader ignores."""
    ingestor, store = hash_services.ingestor, hash_services.store
    ingestor.ingest([corpus_copy])
    target = sorted(corpus_copy.iterdir())[trials.EDITED[0]]
    source = source_key(target)
    current = store.get_document(source)
    kept = next(iter(store.chunks.get(where={"source": source})["ids"]))
    trials.edit(corpus_copy)
    meeting, text = _meeting(target, source)
    chunks = ingestor.chunker.chunk_meeting(meeting, text)
    store.upsert_chunks([c.chunk_id for c in chunks],
                        hash_services.embedder.embed_passages([c.embed_text for c in chunks]),
                        [c.text for c in chunks], [c.metadata() for c in chunks])
    # written, not committed: the new chunks exist but are no current version
    assert store.chunks.get(ids=[chunks[0].chunk_id])["ids"]
    assert store.get_chunk(chunks[0].chunk_id) is None
    assert store.get_chunk(kept) is not None and store.get_document(source) == current
    # committed, old chunks not yet deleted (a kill before the clean-up)
    monkeypatch.setattr(store, "delete_stale_chunks", lambda *a, **k: 0)
    ingestor.ingest([corpus_copy])
    assert store.chunks.get(ids=[kept])["ids"]
    assert store.get_chunk(chunks[0].chunk_id) is not None and store.get_chunk(kept) is None


def test_fake_model_name_selects_the_hash_embedder():
    from vectorstore.embedder import HashEmbedder, load_embedder

    embedder = load_embedder("hash-32", lazy=True)
    assert isinstance(embedder, HashEmbedder) and embedder.dimension == 32
    assert embedder.name == "hash-32"
