"""Where a meeting's source text is stored (issue 14, "store what is read"): its payload is
compressed into the document record's metadata, so Chroma's SQLite full-text index does not
hold it; records written before (payload inline in the document string) still read, check
and render.  Real Chroma in a temp dir (embedded, and one ``chroma run`` server), the fast
fake embedder."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assistant.cli import main
from assistant.search import Retriever
from assistant.settings import Services, Settings
from assistant.sourceview import render_item
from ingest.closedtext import without_closed_content
from ingest.pipeline import load_meeting, source_key
from ingest.serialize import meeting_from_dict, meeting_to_dict
from vectorstore.embedder import HashEmbedder
from vectorstore.store import PAYLOAD, IndexIdentity, VectorStore, document_id, make_client

GREVE = Path(__file__).resolve().parent / "fixtures" / "greve"  # real FirstAgenda meetings


@pytest.fixture()
def corpus(corpus_copy: Path) -> Path:
    """The five samples plus two real Greve meetings (closed items, FirstAgenda JSON)."""
    for path in sorted(GREVE.glob("*.json")):
        shutil.copyfile(path, corpus_copy / path.name)
    return corpus_copy


@pytest.fixture()
def ingested(hash_services, corpus):
    report = hash_services.ingestor.ingest([corpus])
    assert report.ingested == 7 and not report.errors, report.as_dict()
    return hash_services, corpus


def _raw_documents(store: VectorStore) -> dict[str, tuple[str, dict]]:
    """source -> (document string, metadata) exactly as Chroma holds the record."""
    got = store.documents.get(include=["documents", "metadatas"])
    return {m["source"]: (d, m) for d, m in zip(got["documents"], got["metadatas"], strict=True)}


def _fts_hits(db: Path, collection: str, phrase: str) -> int:
    """Rows of ``collection`` whose full-text (trigram) index entry holds ``phrase``: the
    FTS rowid is the record's row in ``embeddings``."""
    with sqlite3.connect(db) as con:
        return int(con.execute(
            "SELECT count(*) FROM embedding_fulltext_search f "
            "JOIN embeddings e ON e.id = f.rowid JOIN segments s ON s.id = e.segment_id "
            "JOIN collections c ON c.id = s.collection "
            "WHERE c.name = ? AND embedding_fulltext_search MATCH ?",
            (collection, '"' + phrase.replace('"', '""') + '"'),
        ).fetchone()[0])


def _fts_chars(db: Path, collection: str) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute(
            "SELECT coalesce(sum(length(f.string_value)), 0) FROM embedding_fulltext_search f "
            "JOIN embeddings e ON e.id = f.rowid JOIN segments s ON s.id = e.segment_id "
            "JOIN collections c ON c.id = s.collection WHERE c.name = ?",
            (collection,),
        ).fetchone()[0])


def _distinctive_line(text: str, chunk_texts: list[str]) -> str:
    """The longest line of the source text that a chunk also holds verbatim."""
    lines = sorted((ln.strip() for ln in text.splitlines()), key=len, reverse=True)
    return next(ln for ln in lines if len(ln) >= 40 and any(ln in t for t in chunk_texts))


def _rewrite_as_old_format(store: VectorStore, source: str) -> None:
    """The record as the code before issue 14 wrote it: payload JSON in the document string,
    no compressed metadata (same id, vector and metadata otherwise)."""
    record = store.get_document(source)
    assert record is not None
    rid = document_id(source)
    vector = store.documents.get(ids=[rid], include=["embeddings"])["embeddings"][0]
    store.documents.delete(ids=[rid])
    store.documents.add(ids=[rid], embeddings=np.asarray([vector], dtype=np.float32),
                        documents=[json.dumps(record.payload, ensure_ascii=False)],
                        metadatas=[record.metadata])


def test_payload_round_trips_without_entering_the_full_text_index(ingested):
    services, corpus = ingested
    store = services.store
    raw = _raw_documents(store)
    db = store.local_path / "chroma.sqlite3"
    _, chunk_texts, chunk_metas = store.all_chunks()
    assert _fts_chars(db, "documents") == 0  # no payload byte in the full-text index
    for path in sorted(corpus.iterdir()):
        doc, meeting = load_meeting(path, source=source_key(path))
        record = store.get_document(source_key(path))
        assert record is not None and PAYLOAD not in record.metadata
        assert record.payload["text"] == without_closed_content(meeting, doc.text)
        meeting = replace(meeting, sources=(source_key(path),))
        assert meeting_from_dict(record.payload) == meeting
        assert {k: v for k, v in record.payload.items() if k not in ("chunk_ids", "text",
                "closed_content")} == json.loads(json.dumps(meeting_to_dict(meeting)))
        document, meta = raw[source_key(path)]
        assert document == ""
        assert len(meta[PAYLOAD]) < len(json.dumps(record.payload, ensure_ascii=False)) / 2
        mine = [t for t, m in zip(chunk_texts, chunk_metas, strict=True)
                if m["source"] == source_key(path)]
        line = _distinctive_line(record.payload["text"], mine)
        assert _fts_hits(db, "chunks", line) >= 1  # the query finds what the index holds
        assert _fts_hits(db, "documents", line) == 0


def test_source_view_check_and_move_read_the_compressed_payload(ingested, tmp_path):
    services, corpus = ingested
    store = services.store
    retriever = Retriever(store, services.embedder)
    meeting = next(m for m in retriever.meetings.values() if m.items and m.items[0].sections)
    item, section = meeting.items[0], meeting.items[0].sections[0]
    html = render_item(meeting, item.number, highlight=section.text[:80])
    assert '<mark id="hl" class="ma-hl">' in html and item.title.split()[0] in html
    assert main(["check"], services) == 0
    # a moved file is re-keyed with its payload (text included), nothing re-embedded
    old = next(corpus.glob("003_*.txt"))
    before = store.get_document(source_key(old))
    new = tmp_path / "moved.txt"
    old.rename(new)
    report = services.ingestor.ingest([new])
    assert report.moved == 1
    moved = store.get_document(source_key(new))
    assert moved is not None and moved.payload["text"] == before.payload["text"]
    assert _raw_documents(store)[source_key(new)][0] == ""
    assert store.check().ok


def test_old_format_records_still_read_check_render_and_migrate_when_changed(ingested):
    services, corpus = ingested
    store = services.store
    db = store.local_path / "chroma.sqlite3"
    paths = sorted(corpus.iterdir())
    before = {source_key(p): store.get_document(source_key(p)) for p in paths}
    for path in paths:
        _rewrite_as_old_format(store, source_key(path))
    raw = _raw_documents(store)
    assert all(PAYLOAD not in meta and doc.startswith("{") for doc, meta in raw.values())
    sample = next(p for p in paths if p.name.startswith("002_"))
    text = before[source_key(sample)].payload["text"]
    _, chunk_texts, _ = store.all_chunks()
    line = _distinctive_line(text, chunk_texts)
    assert _fts_hits(db, "documents", line) == 1  # the old layout is in the full-text index

    for source, record in before.items():
        assert store.get_document(source) == record
    assert sorted(store.all_documents(), key=lambda r: r.source) == sorted(
        before.values(), key=lambda r: r.source)
    assert main(["check"], services) == 0 and store.check().ok
    retriever = Retriever(store, services.embedder)
    assert len(retriever.meetings) == len(paths)
    meeting = meeting_from_dict(before[source_key(sample)].payload)
    shown = retriever.meetings[meeting.meeting_id]
    assert render_item(shown, shown.items[0].number) == render_item(meeting,
                                                                    meeting.items[0].number)

    # an unchanged re-ingest leaves old records as they are; a changed file is rewritten
    again = services.ingestor.ingest([corpus])
    assert again.skipped_unchanged == len(paths)
    assert _raw_documents(store)[source_key(sample)][0].startswith("{")
    sample.write_text(sample.read_text(encoding="utf-8") + "\nTilføjet linje.\n",
                      encoding="utf-8")
    assert services.ingestor.ingest([sample]).ingested == 1
    document, meta = _raw_documents(store)[source_key(sample)]
    assert document == "" and PAYLOAD in meta
    assert store.get_document(source_key(sample)).payload["text"].endswith("Tilføjet linje.\n")
    assert _fts_hits(db, "documents", line) == 0
    assert store.check().ok


def test_a_record_rewritten_inline_by_an_older_release_reads_its_inline_payload(ingested):
    """An older release's upsert writes the payload inline and, Chroma merging metadata,
    leaves the compressed value behind: the inline (newer) payload wins."""
    services, corpus = ingested
    store = services.store
    source = source_key(next(corpus.glob("001_*.txt")))
    record = store.get_document(source)
    newer = {**record.payload, "title": "Rettet titel"}
    rid = document_id(source)
    vector = store.documents.get(ids=[rid], include=["embeddings"])["embeddings"][0]
    store.documents.upsert(ids=[rid], embeddings=np.asarray([vector], dtype=np.float32),
                           documents=[json.dumps(newer, ensure_ascii=False)],
                           metadatas=[record.metadata])
    assert PAYLOAD in _raw_documents(store)[source][1]
    assert store.get_document(source).payload == newer


def test_a_damaged_compressed_payload_is_an_error_naming_the_record(ingested):
    services, corpus = ingested
    store = services.store
    source = source_key(next(corpus.glob("000_*.txt")))
    store.documents.update(ids=[document_id(source)], metadatas=[{PAYLOAD: "eJz!!not-zlib"}])
    with pytest.raises(ValueError, match=rf"{source}.*{PAYLOAD}"):
        store.get_document(source)


def test_a_chroma_server_stores_and_reads_both_layouts(chroma_url, corpus_copy, tmp_path):
    """The same records through ``chroma run``: ingest writes compressed payloads, the
    document field stays empty, and an old-format record written there still reads."""
    services = Services(Settings(db_dir=tmp_path / "unused", chroma_url=chroma_url, model=None),
                        embedder=HashEmbedder())
    report = services.ingestor.ingest([corpus_copy])
    assert report.ingested == 5 and not report.errors
    store = services.store
    assert store.local_path is None
    paths = sorted(corpus_copy.iterdir())
    for path in paths:
        doc, meeting = load_meeting(path, source=source_key(path))
        record = store.get_document(source_key(path))
        assert record.payload["text"] == without_closed_content(meeting, doc.text)
    assert all(d == "" and PAYLOAD in m for d, m in _raw_documents(store).values())
    old = source_key(paths[0])
    before = store.get_document(old)
    _rewrite_as_old_format(store, old)
    assert _raw_documents(store)[old][0].startswith("{")
    reopened = VectorStore(make_client(url=chroma_url), IndexIdentity(
        store.identity.model, store.identity.dimension, store.identity.chunker_version))
    assert reopened.get_document(old) == before
    assert len(reopened.all_documents()) == 5 and reopened.check().ok
