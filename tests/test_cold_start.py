"""Cold start: a new process reads the index's change signature from Chroma's database file
(``vectorstore.store.ChromaFile``) and opens Chroma only when it needs a vector query.

Real Chroma in a temporary folder, the fake embedder, the sample corpus.  The file's
signature must equal Chroma's after every way the product writes (ingest of a new or
changed document, remove, move, an interrupted ingest's chunks, a second store object, a
second process, a restore), and the file must not be trusted (None: ask Chroma) when it
cannot vouch for the value.  A cold reader whose saved state matches answers without
importing chromadb, exactly as a warm one; after a write it sees the new document.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
from conftest import REPO, SAMPLES, make_services

from assistant.answer import Assistant
from assistant.search import Retriever
from ingest.chunker import CHUNKER_VERSION
from vectorstore.backup import backup_index, restore_index
from vectorstore.embedder import HashEmbedder
from vectorstore.store import (
    CHROMA_FILE,
    ChromaFile,
    IndexIdentity,
    IndexSignature,
    LocalClient,
    VectorStore,
    make_client,
)

QUESTION = "Hvad blev besluttet om KlimaMidt?"

COLD_READER = r"""
import json, sys
from pathlib import Path

from assistant.settings import Services, Settings
from ingest.chunker import CHUNKER_VERSION
from vectorstore.embedder import HashEmbedder
from vectorstore.errors import IndexMismatchError
from vectorstore.store import IndexIdentity, VectorStore, make_client

db, question = Path(sys.argv[1]), sys.argv[2]
try:
    VectorStore(make_client(db), IndexIdentity("another-model", 64, CHUNKER_VERSION))
    mismatch = ""
except IndexMismatchError as exc:
    mismatch = str(exc)
opened_by_mismatch = "chromadb" in sys.modules

from assistant.answer import Assistant
from assistant.search import Retriever

services = Services(Settings(db_dir=db, chroma_url=None, model=None), embedder=HashEmbedder())
retriever = Retriever(services.store, services.embedder)
answer = Assistant(retriever).ask(question, k=5)
print(json.dumps({
    "mismatch": mismatch,
    "opened_by_mismatch": opened_by_mismatch,
    "chromadb": "chromadb" in sys.modules,
    "signature": [retriever.signature[0], sorted(map(list, retriever.signature[1]))],
    "meetings": sorted(retriever.meetings),
    "results": [r["chunk_id"] for r in answer.results],
}))
"""


def file_signature(folder: Path) -> IndexSignature:
    found = ChromaFile(folder).signature()
    assert found is not None, f"{folder}: the file could not vouch for the signature"
    return found


def tracks(store: Any, before: IndexSignature) -> IndexSignature:
    """The file's signature after a write: Chroma's (this process has opened the index,
    so ``store.signature()`` asks Chroma) and not ``before``."""
    assert isinstance(store.client, LocalClient) and store.client.opened
    now = file_signature(store.local_path)
    assert now == store.signature()
    assert now != before
    return now


def as_json(signature: IndexSignature) -> list[Any]:
    return [signature[0], sorted(map(list, signature[1]))]


def cold_read(db: Path) -> dict[str, Any]:
    """A new process's retriever over ``db`` (fake embedder), as ``meetings ask`` builds it."""
    done = subprocess.run([sys.executable, "-c", COLD_READER, str(db), QUESTION], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_every_write_changes_the_file_signature_as_it_changes_chromas(
    tmp_path: Path, corpus_copy: Path
) -> None:
    db = tmp_path / "index"
    services: Any = make_services(db, HashEmbedder())
    store = services.store
    files = sorted(corpus_copy.iterdir())
    sig = file_signature(db)
    assert sig == store.signature() == (0, frozenset())  # created, empty

    services.ingestor.ingest(files[:4])
    sig = tracks(store, sig)
    assert len(sig[1]) == 4 and sig[0] > 50

    services.ingestor.ingest([files[4]])  # a new document
    sig = tracks(store, sig)
    assert len(sig[1]) == 5

    text = files[2].read_text(encoding="utf-8")
    files[2].write_text(text.replace("KlimaMidt", "KlimaMidtjylland"), encoding="utf-8")
    assert services.ingestor.ingest([files[2]]).ingested == 1  # a changed document
    sig = tracks(store, sig)

    moved = files[3].rename(corpus_copy / "moved.txt")  # same content, another path
    services.ingestor.ingest([corpus_copy], prune=True)
    sig = tracks(store, sig)
    assert any(source.endswith("moved.txt") for source, _ in sig[1])

    assert services.ingestor.remove([moved]) == 1
    sig = tracks(store, sig)
    assert len(sig[1]) == 4

    # an interrupted ingest: chunks written, their record never committed
    store.upsert_chunks(["stray-chunk"], np.ones((1, 64), dtype=np.float32), ["stray"],
                        [{"source": "nowhere.txt", "doc_hash": "0" * 16}])
    sig = tracks(store, sig)

    second = VectorStore(make_client(db), store.identity)  # another store object, same path
    second.delete_document(sorted(sig[1])[0][0])
    sig = tracks(store, sig)

    source = sorted(sig[1])[0][0]  # another process removes a document
    script = ("import sys; from pathlib import Path; "
              "from vectorstore.store import IndexIdentity, VectorStore, make_client; "
              "s = VectorStore(make_client(Path(sys.argv[1])), "
              "IndexIdentity('hash-64', 64, sys.argv[2])); s.delete_document(sys.argv[3])")
    subprocess.run([sys.executable, "-c", script, str(db), CHUNKER_VERSION, source],
                   cwd=REPO, check=True, timeout=120)
    sig = tracks(store, sig)
    assert source not in {s for s, _ in sig[1]}


def test_a_restored_index_reads_as_the_backup(tmp_path: Path) -> None:
    db = tmp_path / "index"
    services: Any = make_services(db, HashEmbedder())
    services.ingestor.ingest([SAMPLES])
    backed_up = file_signature(db)
    backup_index(tmp_path / "backup", db_dir=db)
    services.ingestor.remove([sorted(SAMPLES.iterdir())[0]])
    changed = tracks(services.store, backed_up)
    services.store.client.close()  # restore wants the index closed (as a stopped app)
    restore_index(tmp_path / "backup", db)
    fresh: Any = make_services(db, HashEmbedder())
    restored = file_signature(db)
    assert restored == backed_up == fresh.store.signature() != changed


def test_the_file_is_not_trusted_when_it_cannot_vouch(tmp_path: Path) -> None:
    db = tmp_path / "index"
    services: Any = make_services(db, HashEmbedder())
    services.ingestor.ingest(sorted(SAMPLES.iterdir())[:2])
    store = services.store
    assert file_signature(db) == store.signature()

    # an operation in Chroma's write log that its metadata segment has not applied (a
    # writer between its two transactions, or one that crashed there): on a copy
    copy = tmp_path / "copy"
    shutil.copytree(db, copy, ignore=shutil.ignore_patterns("retriever-cache"))
    assert file_signature(copy) == store.signature()
    with sqlite3.connect(copy / CHROMA_FILE) as con:
        (collection,) = con.execute("SELECT id FROM collections WHERE name = 'documents'"
                                    ).fetchone()
        (top,) = con.execute("SELECT MAX(seq_id) FROM embeddings_queue").fetchone()
        con.execute("INSERT INTO embeddings_queue (seq_id, operation, topic, id) "
                    "VALUES (?, 0, ?, 'pending')",
                    (int(top or 0) + 1, f"persistent://default/default/{collection}"))
    assert ChromaFile(copy).signature() is None
    assert ChromaFile(copy).identities() is not None  # identity is collection metadata

    # a value that is not a string (Chroma's API turns it into one its own way)
    store.documents.upsert(ids=["odd"], embeddings=np.ones((1, 64), dtype=np.float32),
                           documents=[""], metadatas=[{"source": 7, "doc_hash": "x"}])
    assert ChromaFile(db).signature() is None
    assert ("7", "x") in store.signature()[1]

    # no file, a damaged one, a database that is not Chroma's
    assert ChromaFile(tmp_path / "nowhere").signature() is None
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / CHROMA_FILE).write_bytes(b"\0garbage" * 512)
    assert ChromaFile(damaged).signature() is None and ChromaFile(damaged).identities() is None
    other = tmp_path / "other"
    other.mkdir()
    with sqlite3.connect(other / CHROMA_FILE) as con:
        con.execute("CREATE TABLE t (x)")
    assert ChromaFile(other).signature() is None and ChromaFile(other).identities() is None


def test_a_cold_reader_answers_without_chroma_and_sees_the_next_write(
    tmp_path: Path,
) -> None:
    db = tmp_path / "index"
    services: Any = make_services(db, HashEmbedder())
    samples = sorted(SAMPLES.iterdir())
    services.ingestor.ingest(samples[:4])
    warm = Retriever(services.store, services.embedder)  # reads Chroma, saves the state
    want = [r["chunk_id"] for r in Assistant(warm).ask(QUESTION, k=5).results]

    cold = cold_read(db)
    assert "another-model" in cold["mismatch"]  # the identity is still checked at open
    assert cold["opened_by_mismatch"] is False
    assert cold["chromadb"] is False  # matching saved state, exact search: no Chroma
    assert cold["signature"] == as_json(warm.signature) == as_json(services.store.signature())
    assert cold["meetings"] == sorted(warm.meetings)
    assert cold["results"] == want and want

    services.ingestor.ingest([samples[4]])  # a write through the product
    after = Retriever(services.store, services.embedder)
    cold = cold_read(db)
    assert cold["signature"] == as_json(after.signature) != as_json(warm.signature)
    assert cold["meetings"] == sorted(after.meetings) and len(after.meetings) == 5
    assert cold["results"] == [r["chunk_id"] for r in Assistant(after).ask(QUESTION, k=5).results]


def test_a_store_over_an_opened_folder_asks_chroma(tmp_path: Path) -> None:
    """Once this process has Chroma open on a folder, nothing reads its file directly
    (chromadb's own SQLite holds locks there), whichever store object asks."""
    db = tmp_path / "index"
    services: Any = make_services(db, HashEmbedder())
    services.ingestor.ingest(sorted(SAMPLES.iterdir())[:1])
    second = make_client(db)
    assert isinstance(second, LocalClient) and second.opened and second._client is None
    store = VectorStore(second, IndexIdentity("hash-64", 64, CHUNKER_VERSION))
    assert store._from_file(ChromaFile.signature) is None
    assert store.signature() == file_signature(db)


def test_a_new_folder_is_created_at_once(tmp_path: Path) -> None:
    store = VectorStore(make_client(tmp_path / "new"), IndexIdentity("hash-8", 8, "1"))
    assert (tmp_path / "new" / CHROMA_FILE).is_file()
    assert ChromaFile(tmp_path / "new").identities() == {
        name: {"model": "hash-8", "dimension": 8, "chunker_version": "1"}
        for name in ("chunks", "documents")
    }
    assert store.signature() == (0, frozenset())
