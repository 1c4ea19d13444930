"""Ingest plumbing against a real temporary Chroma (deterministic fake embedder)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.cli import main
from ingest.pipeline import source_key
from vectorstore.errors import IndexMismatchError
from vectorstore.store import IndexIdentity, VectorStore, make_client


def stored_hashes(store: VectorStore) -> dict[str, set[str]]:
    _, _, metas = store.all_chunks()
    by_source: dict[str, set[str]] = {}
    for m in metas:
        by_source.setdefault(str(m["source"]), set()).add(str(m["doc_hash"]))
    return by_source


def test_ingest_samples_then_unchanged_reingest_embeds_nothing(hash_services, corpus_copy):
    report = hash_services.ingestor.ingest([corpus_copy])
    assert (report.documents, report.ingested, report.meetings) == (5, 5, 5)
    assert report.items >= 90 and report.chunks > 100 and not report.errors
    store = hash_services.store
    assert store.chunk_count() == report.chunks
    before = store.all_chunks()
    embedded = hash_services.embedder.passages

    again = hash_services.ingestor.ingest([corpus_copy])
    assert (again.ingested, again.skipped_unchanged, again.chunks) == (0, 5, 0)
    assert hash_services.embedder.passages == embedded  # nothing re-embedded
    assert store.all_chunks() == before


def test_a_parser_upgrade_stores_an_unchanged_file_again_as_read_now(
    hash_services, corpus_copy, monkeypatch
):
    """The same text read otherwise (a parser that now finds another title) is stored
    again on the next ingest: its record and chunks follow the new reading, no chunk of
    the old one stays, and only passages whose embedded text changed are embedded."""
    import ingest.pipeline as pipeline

    store = hash_services.store
    hash_services.ingestor.ingest([corpus_copy])
    target = source_key(next(corpus_copy.glob("002_*.txt")))
    embedded = hash_services.embedder.passages
    real = pipeline.parse_meeting

    def upgraded(doc, *args, **kwargs):
        meeting = real(doc, *args, **kwargs)
        if doc.path != target:
            return meeting
        n = next(k for k, item in enumerate(meeting.items) if item.sections)
        renamed = replace(meeting.items[n], title=meeting.items[n].title + " (opdateret)")
        return replace(meeting, items=(*meeting.items[:n], renamed, *meeting.items[n + 1:]))

    monkeypatch.setattr(pipeline, "parse_meeting", upgraded)
    report = hash_services.ingestor.ingest([corpus_copy])
    assert (report.ingested, report.skipped_unchanged) == (1, 4)
    record = store.get_document(target)
    assert record is not None
    (item,) = [i for i in record.payload["items"] if i["title"].endswith("(opdateret)")]
    _, _, metas = store.all_chunks()
    mine = [m for m in metas if m["source"] == target]
    titles = {m["item_title"] for m in mine if m["item_number"] == item["number"]}
    assert titles and all(t.endswith("(opdateret)") for t in titles)
    assert len(mine) == record.metadata["chunks"]  # the old reading's chunks are gone
    health = store.check()
    assert not (health.orphan_chunks or health.stale_chunks)
    renewed = hash_services.embedder.passages - embedded
    assert 0 < renewed < len(mine)  # only the changed item's passages (and the record)
    again = hash_services.ingestor.ingest([corpus_copy])
    assert (again.ingested, again.skipped_unchanged) == (0, 5)  # read alike: skipped


def test_changed_document_replaces_all_old_chunks(hash_services, corpus_copy):
    hash_services.ingestor.ingest([corpus_copy])
    target = next(corpus_copy.glob("002_*.txt"))
    old_hash = stored_hashes(hash_services.store)[source_key(target)]
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("KlimaMidt", "KlimaMidtjylland"), encoding="utf-8")

    report = hash_services.ingestor.ingest([corpus_copy])
    assert (report.ingested, report.skipped_unchanged) == (1, 4)
    hashes = stored_hashes(hash_services.store)
    assert len(hashes[source_key(target)]) == 1
    assert hashes[source_key(target)].isdisjoint(old_hash)  # no stale chunk survives
    ids, texts, metas = hash_services.store.all_chunks()
    mine = [t for t, m in zip(texts, metas, strict=True) if m["source"] == source_key(target)]
    assert any("KlimaMidtjylland" in t for t in mine)
    assert len(ids) == len(set(ids))


def test_crash_before_commit_point_keeps_old_version_and_next_run_cleans_up(
    hash_services, corpus_copy, monkeypatch
):
    ingestor = hash_services.ingestor
    store = hash_services.store
    ingestor.ingest([corpus_copy])
    target = next(corpus_copy.glob("004_*.txt"))
    old = store.get_document(source_key(target))
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("killed before the document record was written")

    monkeypatch.setattr(store, "put_document", crash)
    with pytest.raises(KeyboardInterrupt):
        ingestor.ingest([target])
    monkeypatch.undo()
    # the document record still names the old version; old chunks are all still there
    assert store.get_document(source_key(target)).doc_hash == old.doc_hash
    assert old.doc_hash in stored_hashes(store)[source_key(target)]

    report = ingestor.ingest([target])
    assert report.ingested == 1
    assert stored_hashes(store)[source_key(target)] == {
        store.get_document(source_key(target)).doc_hash
    }


def test_bad_files_are_reported_and_the_rest_ingests(hash_services, corpus_copy):
    (corpus_copy / "empty.txt").write_bytes(b"")
    (corpus_copy / "garbage.pdf").write_bytes(b"%PDF-1.4 \x00\x01\x02 not really a pdf")
    (corpus_copy / "noise.txt").write_bytes(bytes(range(256)) * 8)
    cp1252 = next(corpus_copy.glob("000_*.txt")).read_text(encoding="utf-8")
    cp_path = corpus_copy / "cp1252-copy.txt"
    cp_path.write_bytes(cp1252.replace("21-11-2023", "22-11-2023").encode("cp1252", "replace"))

    report = hash_services.ingestor.ingest([corpus_copy])
    assert report.documents == 9
    assert report.ingested == 6, report.as_dict()
    failed = {Path(e.file).name: e.reason for e in report.errors}
    assert set(failed) == {"empty.txt", "garbage.pdf", "noise.txt"}
    assert all(reason for reason in failed.values())
    assert report.ok
    outline = hash_services.store.get_document(source_key(cp_path))
    assert outline is not None and outline.payload["date"] == "2023-11-22"
    assert "Udgaardsvej" in outline.payload["location"]


def test_remove_and_prune(hash_services, corpus_copy):
    hash_services.ingestor.ingest([corpus_copy])
    gone = next(corpus_copy.glob("003_*.txt"))
    assert hash_services.ingestor.remove([gone]) == 1
    assert source_key(gone) not in stored_hashes(hash_services.store)
    hash_services.ingestor.ingest([corpus_copy])
    gone.unlink()
    report = hash_services.ingestor.ingest([corpus_copy], prune=True)
    assert report.removed == 1
    assert len(hash_services.store.all_documents()) == 4
    assert source_key(gone) not in stored_hashes(hash_services.store)


def test_index_built_with_another_model_is_a_clear_error(hash_services, corpus_copy, tmp_path):
    hash_services.ingestor.ingest([corpus_copy])
    client = make_client(tmp_path / "index")
    with pytest.raises(IndexMismatchError, match="was built with"):
        VectorStore(client, IndexIdentity("another-model", 384, "1"))


def test_cli_ingest_json_and_outline(
    tmp_path, corpus_copy, hash_embedder, capsys, services_factory
):
    services = services_factory(tmp_path / "db", hash_embedder)
    (corpus_copy / "empty.md").write_text("", encoding="utf-8")
    code = main(["--db", str(tmp_path / "db"), "ingest", "--json", str(corpus_copy)], services)
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["ingested"] == 5 and report["errors"][0]["file"].endswith("empty.md")

    code = main(["--db", str(tmp_path / "db"), "outline", "--json"], services)
    outline = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [m["date"] for m in outline] == sorted(m["date"] for m in outline)
    kd = next(m for m in outline if m["body"] == "KD-Net")
    assert kd["doc_type"] == "referat" and len(kd["items"]) == 18
    assert set(kd) == {"meeting_id", "body", "date", "doc_type", "location", "source", "items"}
    assert set(kd["items"][0]) == {"number", "title", "case_number", "sections"}


def test_cli_ingest_of_only_bad_files_exits_nonzero(
    tmp_path, hash_embedder, capsys, services_factory
):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("", encoding="utf-8")
    services = services_factory(tmp_path / "db", hash_embedder)
    assert main(["ingest", "--no-progress", str(bad)], services) == 1
    assert "empty.txt" in capsys.readouterr().out


def test_check_finds_and_repairs_orphans_and_incomplete_documents(
    tmp_path, corpus_copy, hash_embedder, capsys, services_factory
):
    services = services_factory(tmp_path / "db", hash_embedder)
    services.ingestor.ingest([corpus_copy])
    store = services.store
    assert store.check().ok
    # an interrupted write of a file that never got its record, and a document that lost
    # some of its chunks
    ids, texts, metas = store.all_chunks()
    ghost = dict(metas[0], source="/gone/ghost.txt", doc_hash="0" * 16)
    store.upsert_chunks(["ghost-1"], hash_embedder.embed_passages(["x"]), ["x"], [ghost])
    victim = str(metas[0]["source"])
    lost = [cid for cid, m in zip(ids, metas, strict=True) if m["source"] == victim][:2]
    store.chunks.delete(ids=lost)

    assert main(["check"], services) == 1
    out = capsys.readouterr().out
    assert "orphan chunks: 1" in out and f"incomplete: {victim}" in out
    assert main(["check", "--repair", "--json"], services) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["repaired"] and report["incomplete_documents"] == [victim]
    assert store.check().ok and store.get_document(victim) is None
    again = services.ingestor.ingest([corpus_copy])
    assert again.ingested == 1 and store.check().ok


def test_renamed_or_moved_file_is_rekeyed_not_embedded_again(hash_services, corpus_copy):
    ingestor, store = hash_services.ingestor, hash_services.store
    ingestor.ingest([corpus_copy])
    embedded = hash_services.embedder.passages
    target = next(corpus_copy.glob("003_*.txt"))
    old = store.get_document(source_key(target))
    (corpus_copy / "moved").mkdir()
    moved = corpus_copy / "moved" / "kd-net-referat.txt"
    target.rename(moved)

    report = ingestor.ingest([corpus_copy], prune=True)
    assert (report.moved, report.ingested, report.removed) == (1, 0, 0)
    assert hash_services.embedder.passages == embedded  # nothing embedded again
    assert store.get_document(source_key(target)) is None
    new = store.get_document(source_key(moved))
    assert new is not None and new.doc_hash == old.doc_hash
    assert new.payload["meeting_id"] == old.payload["meeting_id"]
    hashes = stored_hashes(store)
    assert source_key(target) not in hashes and hashes[source_key(moved)] == {old.doc_hash}
    assert store.check().ok


def test_deleted_file_leaves_no_chunk_after_prune(hash_services, corpus_copy):
    hash_services.ingestor.ingest([corpus_copy])
    gone = next(corpus_copy.glob("001_*.txt"))
    gone.unlink()
    report = hash_services.ingestor.ingest([corpus_copy], prune=True)
    assert report.removed == 1
    assert source_key(gone) not in stored_hashes(hash_services.store)
    assert hash_services.store.check().ok
