"""``meetings backup`` / ``meetings restore`` on a real temporary Chroma (fake embedder).

The index is lost or damaged after the backup; the restore must bring back exactly what was
stored (every chunk id, text, metadata and vector), pass ``meetings check`` and answer the
same question with the same passages.  A damaged backup, a wrong model, a non-empty target,
an ingest during the backup and a second process holding the index are refused by name,
and nothing stored before changes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import SAMPLES, make_services

from assistant.cli import main
from ingest.chunker import CHUNKER_VERSION
from vectorstore.backup import MANIFEST, _file_digests
from vectorstore.embedder import HashEmbedder

QUESTION = "Hvad blev besluttet om KlimaMidt?"


def built_index(db: Path) -> Any:
    services = make_services(db, HashEmbedder())
    report = services.ingestor.ingest([SAMPLES])  # type: ignore[attr-defined]
    assert report.ingested == 5, report.as_dict()
    return services


def snapshot(services: Any) -> dict[str, Any]:
    """Every chunk and document record, their vectors, and the answer to QUESTION."""
    from assistant.answer import Assistant
    from assistant.search import Retriever

    store = services.store
    records: dict[str, Any] = {}
    for name in ("chunks", "documents"):
        got = getattr(store, name).get(include=["documents", "metadatas", "embeddings"])
        order = np.argsort(got["ids"])
        records[name] = {cid: (doc, meta) for cid, doc, meta in zip(
            got["ids"], got["documents"], got["metadatas"], strict=True)}
        records[f"{name} vectors"] = np.asarray(got["embeddings"], dtype=np.float32)[order]
    answer = Assistant(Retriever(store, services.embedder)).ask(QUESTION, k=5)
    records["answer"] = [r["chunk_id"] for r in answer.results]
    return records


def assert_same(got: dict[str, Any], want: dict[str, Any]) -> None:
    """Same records and answer; vectors equal up to float32 rounding (1e-6)."""
    assert got.keys() == want.keys()
    for key in want:
        if key.endswith("vectors"):
            assert got[key].shape == want[key].shape
            assert np.allclose(got[key], want[key], rtol=0, atol=1e-6)
        else:
            assert got[key] == want[key], key


def close(services: Any) -> None:
    """Release the Chroma client (as a stopped app would): the next open reads the disk."""
    services.store.client.close()


def run(argv: list[str], services: Any, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv, services=services)
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The samples' index and its backup, made once (through the CLI) and closed."""
    root = tmp_path_factory.mktemp("pristine")
    db, folder = root / "index", root / "backup"
    services = built_index(db)
    before = snapshot(services)
    code = main(["backup", str(folder)], services=services)
    assert code == 0
    close(services)
    return {"db": db, "folder": folder, "before": before}


@pytest.fixture()
def backed_up(pristine: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """A copy of ``pristine`` per test (both folders are closed, so a file copy is whole)."""
    db, folder = tmp_path / "index", tmp_path / "backup"
    shutil.copytree(pristine["db"], db)
    shutil.copytree(pristine["folder"], folder)
    return {**pristine, "db": db, "folder": folder, "source": pristine["db"]}


def test_backup_writes_a_manifest_and_a_whole_chroma_folder(backed_up: dict[str, Any]) -> None:
    folder, before = backed_up["folder"], backed_up["before"]
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert (manifest["model"], manifest["dimension"], manifest["chunker_version"]) == (
        "hash-64", 64, CHUNKER_VERSION)
    assert manifest["documents"] == 5 == len(before["documents"])
    assert manifest["chunks"] == len(before["chunks"]) > 100
    assert manifest["created"] and manifest["source"] == str(backed_up["source"].resolve())
    assert manifest["files"] == {k: v for k, v in _file_digests(folder).items() if k != MANIFEST}
    assert "chroma.sqlite3" in manifest["files"]
    assert not list(backed_up["source"].parent.glob(".backup.partial-*"))


def test_restore_after_the_index_is_deleted(
    backed_up: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    db = backed_up["db"]
    shutil.rmtree(db)
    restored = make_services(db, HashEmbedder())
    code, out = run(["restore", str(backed_up["folder"])], restored, capsys)
    assert code == 0, out
    assert "(index matches)" in out and "orphan chunks: 0" in out
    assert "kept as" not in out  # nothing was there to keep
    close(restored)
    fresh = make_services(db, HashEmbedder())
    code, out = run(["check", "--json"], fresh, capsys)
    assert code == 0 and json.loads(out)["ok"] is True, out
    assert_same(snapshot(fresh), backed_up["before"])


def test_restore_keeps_a_damaged_index_aside(
    backed_up: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    db = backed_up["db"]
    sqlite = db / "chroma.sqlite3"
    sqlite.write_bytes(b"\0garbage" * 4096)  # the app is stopped; the disk fails
    restored = make_services(db, HashEmbedder())
    code, out = run(["restore", str(backed_up["folder"])], restored, capsys)
    assert code == 0, out
    kept = [p for p in db.parent.iterdir() if p.name.startswith("index.before-restore-")]
    assert len(kept) == 1 and f"kept as {kept[0]}" in out
    assert (kept[0] / "chroma.sqlite3").read_bytes().startswith(b"\0garbage")
    close(restored)
    assert_same(snapshot(make_services(db, HashEmbedder())), backed_up["before"])


def test_a_damaged_backup_is_refused_and_the_index_is_untouched(
    backed_up: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    db, folder = backed_up["db"], backed_up["folder"]
    victim = next(p for p in sorted(folder.rglob("*.bin")) if p.stat().st_size > 0)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    on_disk = _file_digests(db)
    code, out = run(["restore", str(folder)], make_services(db, HashEmbedder()), capsys)
    assert code == 2 and f"{victim}: differs from the backup manifest" in out
    assert _file_digests(db) == on_disk
    assert {p.name for p in db.parent.iterdir()} == {"index", "backup"}  # nothing staged


def test_a_backup_of_another_model_is_refused(
    backed_up: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    db = backed_up["db"]
    on_disk = _file_digests(db)
    other = make_services(db.parent / "other", HashEmbedder(32))
    code, out = run(["restore", str(backed_up["folder"])], other, capsys)
    assert code == 2 and "'model': 'hash-64'" in out and "'model': 'hash-32'" in out, out
    assert not (db.parent / "other").exists() and _file_digests(db) == on_disk


def test_backup_refuses_a_used_folder_and_a_missing_index(
    backed_up: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = make_services(backed_up["db"], HashEmbedder())
    code, out = run(["backup", str(backed_up["folder"])], services, capsys)
    assert code == 2 and "is not an empty folder" in out
    close(services)
    missing = make_services(tmp_path / "nothing", HashEmbedder())
    code, out = run(["backup", str(tmp_path / "b2")], missing, capsys)
    assert code == 2 and f"{tmp_path / 'nothing'}: no index there" in out
    assert not (tmp_path / "b2").exists()


def test_an_ingest_during_the_backup_discards_it(
    tmp_path: Path, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import vectorstore.backup as backup

    services = make_services(tmp_path / "index", HashEmbedder())
    first = sorted(corpus_copy.iterdir())
    assert services.ingestor.ingest(first[:4]).ingested == 4  # type: ignore[attr-defined]
    copy_batches = backup._batches

    def ingest_meanwhile(collection: Any, size: int) -> Any:
        if collection.name == "chunks":  # another writer commits a document mid-copy
            services.ingestor.ingest([first[4]])  # type: ignore[attr-defined]
        yield from copy_batches(collection, size)

    monkeypatch.setattr(backup, "_batches", ingest_meanwhile)
    code, out = run(["backup", str(tmp_path / "bk")], services, capsys)
    assert code == 2 and "the index changed during the backup" in out
    assert not (tmp_path / "bk").exists() and not list(tmp_path.glob(".bk.partial-*"))


def test_backup_and_restore_refused_while_another_process_holds_the_index(
    backed_up: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    db = backed_up["db"]
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, chromadb; c = chromadb.PersistentClient(path=sys.argv[1]); "
         "c.list_collections(); print('open', flush=True); sys.stdin.read()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        services = make_services(db, HashEmbedder())
        code, out = run(["backup", str(db.parent / "b2")], services, capsys)
        assert code == 2 and f"open in another process (pid {holder.pid})" in out, out
        code, out = run(["restore", str(backed_up["folder"])], services, capsys)
        assert code == 2 and f"(pid {holder.pid})" in out, out
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(30)
    assert not (db.parent / "b2").exists()
