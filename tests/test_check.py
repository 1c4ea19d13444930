"""``meetings check [--repair]`` on deliberately damaged temporary indexes (issue 13): each
finding is produced by real damage to a real Chroma index, reported, repaired, and the next
ingest makes the index sound again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from assistant.cli import SEARCH_METADATA, main
from ingest.chunker import CHUNKER_VERSION
from ingest.pipeline import source_key
from vectorstore.embedder import HashEmbedder
from vectorstore.store import CHUNK_IDS, IndexIdentity, VectorStore, make_client

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def ingested(tmp_path, corpus_copy, hash_embedder, services_factory):
    services = services_factory(tmp_path / "db", hash_embedder)
    report = services.ingestor.ingest([corpus_copy])
    assert report.ingested == 5
    return services, corpus_copy


def _chunks_of(store: VectorStore, source: str) -> list[str]:
    return list(store.chunks.get(where={"source": source})["ids"])


def _readd(store: VectorStore, cid: str, text: str | None = None, **changes: object) -> None:
    """Write chunk ``cid`` again with another text and/or changed metadata (keys set to
    None are dropped)."""
    got = store.chunks.get(ids=[cid], include=["embeddings", "documents", "metadatas"])
    meta = {k: v for k, v in {**got["metadatas"][0], **changes}.items() if v is not None}
    store.chunks.delete(ids=[cid])
    store.chunks.add(ids=[cid], embeddings=np.asarray(got["embeddings"], dtype=np.float32),
                     documents=[got["documents"][0] if text is None else text],
                     metadatas=[meta])


def _check_cli(services, *args: str) -> tuple[int, dict]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", "--json", *args], services)
    return code, json.loads(out.getvalue())


def test_sound_index_reports_identity_and_agreeing_indexes(ingested, capsys):
    services, _ = ingested
    code, report = _check_cli(services)
    assert code == 0 and report["ok"]
    assert report["identity"] == {"model": "hash-64", "dimension": 64,
                                  "chunker_version": CHUNKER_VERSION}
    assert report["identity_problems"] == [] and report["documents"] == 5
    assert report["lexical_only"] == report["vector_only"] == 0
    # the keys /api/health?full=true has always returned are still there
    assert {"ok", "documents", "chunks", "orphan_chunks", "incomplete_documents",
            "repaired"} <= set(report)
    assert main(["check"], services) == 0
    out = capsys.readouterr().out
    assert "model: hash-64  dimension: 64" in out and "(index matches)" in out
    assert "0 ids only lexical, 0 only vector" in out


def test_orphan_and_stale_chunks_are_found_and_deleted(ingested):
    services, corpus = ingested
    store = services.store
    source = source_key(next(corpus.glob("001_*")))
    cid = _chunks_of(store, source)[0]
    got = store.chunks.get(ids=[cid], include=["embeddings", "documents", "metadatas"])
    vec = np.asarray(got["embeddings"], dtype=np.float32)
    meta = got["metadatas"][0]
    store.upsert_chunks(["orphan-1"], vec, ["x"], [dict(meta, source="/gone/file.txt")])
    store.upsert_chunks(["stale-1"], vec, ["x"], [dict(meta, doc_hash="0" * 64)])

    health = store.check()
    assert (health.orphan_chunks, health.stale_chunks) == (["orphan-1"], ["stale-1"])
    assert not health.ok and health.reingest == []
    code, report = _check_cli(services, "--repair")
    assert code == 0 and report["repaired"] and report["orphan_chunks"] == 1
    assert store.chunks.get(ids=["orphan-1", "stale-1"])["ids"] == []
    assert store.check().ok


def test_document_without_chunks_is_dropped_for_reingest(ingested, capsys):
    services, corpus = ingested
    store = services.store
    source = source_key(next(corpus.glob("002_*")))
    store.chunks.delete(ids=_chunks_of(store, source))

    assert main(["check"], services) == 1
    out = capsys.readouterr().out
    assert "documents without chunks: 1" in out and f"without chunks: {source}" in out
    code, report = _check_cli(services, "--repair")
    assert code == 0 and report["documents_without_chunks"] == report["reingest"] == [source]
    assert store.get_document(source) is None
    again = services.ingestor.ingest([corpus])
    assert (again.ingested, again.skipped_unchanged) == (1, 4) and store.check().ok


def test_chunks_search_cannot_use_are_unreachable(ingested):
    """A zero vector, metadata search reads missing, a missing text, and a chunk id its
    record does not list: each is found, dropped with its document, and re-ingest heals."""
    services, corpus = ingested
    store = services.store
    files = sorted(corpus.iterdir())
    zero_src, meta_src, text_src, extra_src = (source_key(f) for f in files[:4])
    zero = _chunks_of(store, zero_src)[0]
    got = store.chunks.get(ids=[zero], include=["documents", "metadatas"])
    store.chunks.upsert(ids=[zero], embeddings=np.zeros((1, 64), np.float32),
                        documents=got["documents"], metadatas=got["metadatas"])
    no_meeting = _chunks_of(store, meta_src)[0]
    _readd(store, no_meeting, meeting_id=None)
    no_text = _chunks_of(store, text_src)[0]
    _readd(store, no_text, text=" ")
    record = store.get_document(extra_src)
    assert record is not None and isinstance(record.payload[CHUNK_IDS], list)
    listed = record.payload[CHUNK_IDS][0]
    got = store.chunks.get(ids=[listed], include=["embeddings", "metadatas"])
    store.upsert_chunks(["unlisted-1"], np.asarray(got["embeddings"], dtype=np.float32),
                        ["ekstra tekst"], [got["metadatas"][0]])

    health = store.check(required_metadata=SEARCH_METADATA)
    assert set(health.unreachable_chunks) == {zero, no_meeting, no_text, "unlisted-1"}
    assert sorted(health.incomplete_documents) == sorted([zero_src, meta_src, text_src])
    # without the search keys, the chunk lacking meeting_id is usable as far as the store knows
    assert no_meeting not in store.check().unreachable_chunks
    code, report = _check_cli(services, "--repair")
    assert code == 0 and report["unreachable_chunks"] == 4
    assert sorted(report["reingest"]) == sorted([zero_src, meta_src, text_src])
    again = services.ingestor.ingest([corpus])
    assert (again.ingested, again.skipped_unchanged) == (3, 2)
    assert store.check(required_metadata=SEARCH_METADATA).ok


def test_lost_vector_index_files_make_chunks_unreachable(tmp_path, corpus_copy,
                                                         services_factory, hash_embedder):
    """Vectors gone from the vector index (its files lost after Chroma had synced them and
    trimmed its log): text and metadata remain, so BM25 would find chunks a vector query
    cannot return.  Built in a child process so that this one opens the damaged files."""
    db = tmp_path / "db"
    script = textwrap.dedent(f"""
        from assistant.cli import main
        from vectorstore.store import HNSW, IndexIdentity, make_client
        client = make_client(__import__("pathlib").Path({str(db)!r}))
        identity = IndexIdentity("hash-64", 64, {CHUNKER_VERSION!r})
        for name in ("chunks", "documents"):  # sync the vector index to disk every 10 writes
            client.create_collection(name, metadata=identity.as_metadata(),
                configuration={{"hnsw": dict(HNSW, sync_threshold=10, batch_size=5)}},
                embedding_function=None)
        raise SystemExit(main(["--db", {str(db)!r}, "ingest", "--no-progress",
                               {str(corpus_copy)!r}]))
    """)
    env = dict(os.environ, MEETINGS_MODEL="hash-64", PYTHONPATH=str(REPO))
    subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, check=True,
                   capture_output=True)
    for segment in [p for p in db.iterdir() if p.is_dir()]:
        shutil.rmtree(segment)

    services = services_factory(db, hash_embedder)
    code, report = _check_cli(services)
    assert code == 1 and report["unreachable_chunks"] > 100
    assert report["lexical_only"] == report["unreachable_chunks"]  # BM25 has them, vectors not
    assert report["orphan_chunks"] == report["stale_chunks"] == 0
    code, report = _check_cli(services, "--repair")
    assert code == 0 and len(report["reingest"]) >= 4
    again = services.ingestor.ingest([corpus_copy])
    assert again.ingested == len(report["reingest"])
    assert services.store.check(required_metadata=SEARCH_METADATA).ok


def test_model_or_dimension_mismatch_is_reported_not_repaired(tmp_path, corpus_copy,
                                                              services_factory):
    """An index whose collections claim another model than its vectors were made with, and
    one relabelled under an open store: reported, and repair deletes nothing."""
    services = services_factory(tmp_path / "db", HashEmbedder(32))
    services.ingestor.ingest([corpus_copy])
    store = services.store
    claim = {"model": "hash-64", "dimension": 64, "chunker_version": CHUNKER_VERSION}
    for col in (store.chunks, store.documents):
        col.modify(metadata=claim)
    # a process that opened the index before it was relabelled sees the change
    code, report = _check_cli(services, "--repair")
    assert code == 1 and not report["repaired"] and len(report["identity_problems"]) == 2
    assert "records {'model': 'hash-64'" in report["identity_problems"][0]
    # one that trusts the label finds 32-dimensional vectors in a 64-dimension index
    liar = VectorStore(make_client(tmp_path / "db"), IndexIdentity("hash-64", 64,
                                                                   CHUNKER_VERSION))
    chunks = liar.chunk_count()
    health = liar.check(repair=True)
    assert health.identity_problems == [
        "stored vectors have dimension [32], the model gives 64"
    ]
    assert len(health.unreachable_chunks) == chunks and not health.repaired
    assert liar.chunk_count() == chunks  # nothing deleted: a rebuild is the fix
