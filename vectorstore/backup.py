"""Backup and restore of the index (``meetings backup DIR`` / ``meetings restore DIR``).

A backup is a fresh embedded Chroma directory written *through Chroma* (every record of
both collections, vectors included, read from the index and written into a new client),
plus ``manifest.json`` (model, dimension, chunker version, counts, time, and the size and
SHA-256 of every file).  Copying the live files instead is not safe: Chroma keeps vectors
in HNSW segment files beside ``chroma.sqlite3`` and flushes them on its own schedule, so a
file copy taken while a process holds the index can pair a newer database with older
segment files.

There is no lock between processes (the app's ingest lock is inside its process), so a
backup compares the index's signature (chunk count and every document's hash) before and
after reading it: if an ingest changed the index meanwhile, the copy is discarded and the
backup fails, asking to run it again.  A backup is written under a temporary name and
renamed into place only when complete, so a folder with a manifest is a whole backup.

Restore verifies every file against the manifest and the identity against this run's
before anything is touched, copies the backup beside the index, moves the current index
aside (kept, never deleted) and renames the copy into its place.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import chromadb
import chromadb.errors

from .convert import sha256_file
from .errors import StoreError
from .store import CHUNKS, DOCUMENTS, IndexIdentity, VectorStore, make_client

MANIFEST = "manifest.json"
BACKUP_FORMAT = 1
_COPY_FIELDS = ["embeddings", "documents", "metadatas"]


class BackupError(StoreError):
    """A backup could not be made or restored; the message names the file or the reason."""


@dataclass
class Manifest:
    """What a backup holds; written as ``manifest.json`` beside the Chroma files."""

    model: str
    dimension: int
    chunker_version: str
    documents: int
    chunks: int
    created: str
    source: str
    chromadb: str = chromadb.__version__
    format: int = BACKUP_FORMAT
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Relative path -> {"bytes": size, "sha256": digest} of every file of the backup."""

    @property
    def identity(self) -> IndexIdentity:
        return IndexIdentity(self.model, self.dimension, self.chunker_version)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The manifest of a backup folder (BackupError naming the file when unusable)."""
        path = folder / MANIFEST
        if not path.is_file():
            raise BackupError(f"{path}: no backup manifest (not a `meetings backup` folder)")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**data)
        except (ValueError, TypeError) as exc:
            raise BackupError(f"{path}: unreadable backup manifest ({exc})") from None


@dataclass(frozen=True)
class Restored:
    """Where a restore put things: the index, and the previous index kept aside (if any)."""

    index: Path
    kept: Path | None
    manifest: Manifest


# --- backup ---------------------------------------------------------------------------


def backup_index(
    target: Path, db_dir: Path | None = None, url: str | None = None
) -> Manifest:
    """Copy the index at ``db_dir`` (or the Chroma server at ``url``) into the new folder
    ``target``; returns the manifest written there."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target}: exists and is not an empty folder; name a new folder")
    if url is None:
        if db_dir is None or not (Path(db_dir) / "chroma.sqlite3").is_file():
            raise BackupError(f"{db_dir}: no index there (no chroma.sqlite3): nothing to back up")
        refuse_if_open(Path(db_dir), "back it up")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    source = make_client(Path(db_dir) if db_dir else None, url)
    try:
        manifest = _copy(source, partial, str(url or Path(db_dir or "").resolve()))
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        _close(source)
    manifest.files = _file_digests(partial)
    (partial / MANIFEST).write_text(
        json.dumps(manifest.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    if target.exists():
        target.rmdir()  # checked empty above
    target.parent.mkdir(parents=True, exist_ok=True)
    partial.rename(target)
    return manifest


def _copy(source_client: Any, folder: Path, source_name: str) -> Manifest:
    """Read both collections into a new embedded index at ``folder`` (consistent: the
    signature must not change while they are read)."""
    identity = stored_identity(source_client, source_name)
    source = VectorStore(source_client, identity)
    before = source.signature()
    with _opened(folder) as dest_client:
        dest = VectorStore(dest_client, identity)  # same collection config as the app's
        for name in (DOCUMENTS, CHUNKS):  # records first: any chunk they promise exists
            for batch in _batches(getattr(source, name), source.max_batch):
                getattr(dest, name).add(**batch)
        after = source.signature()
        if after != before:
            raise BackupError(
                "the index changed during the backup (an ingest ran); nothing was kept: "
                "run the backup again when no ingest runs"
            )
        counts = dest.documents.count(), dest.chunks.count()
    if counts != (len(before[1]), before[0]):
        raise BackupError(
            f"copied {counts[0]} documents and {counts[1]} chunks, the index holds "
            f"{len(before[1])} and {before[0]}; nothing was kept"
        )
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return Manifest(identity.model, identity.dimension, identity.chunker_version,
                    documents=counts[0], chunks=counts[1], created=now, source=source_name)


def stored_identity(client: Any, where: str) -> IndexIdentity:
    """The model, dimension and chunker version an index records (BackupError when the
    index lacks a collection)."""
    names = {getattr(c, "name", str(c)) for c in client.list_collections()}
    missing = [n for n in (CHUNKS, DOCUMENTS) if n not in names]
    if missing:
        raise BackupError(f"{where}: no index there (missing collection {missing[0]!r})")
    meta = dict(client.get_collection(CHUNKS, embedding_function=None).metadata or {})
    try:
        return IndexIdentity(str(meta["model"]), int(meta["dimension"]),
                             str(meta["chunker_version"]))
    except (KeyError, TypeError, ValueError):
        raise BackupError(f"{where}: the index records no model/dimension/chunker") from None


def _batches(collection: Any, size: int) -> Iterator[dict[str, Any]]:
    """Every record of a collection, vectors included, ``size`` at a time."""
    total = int(collection.count())
    for offset in range(0, total, size):
        try:
            got = collection.get(include=_COPY_FIELDS, limit=size, offset=offset)
        except chromadb.errors.ChromaError as exc:
            raise BackupError(
                f"collection {collection.name!r} could not be read ({exc}): run "
                "`meetings check` (a chunk without a vector stops the copy)"
            ) from None
        if got["ids"]:
            yield {"ids": got["ids"], "embeddings": got["embeddings"],
                   "documents": got["documents"], "metadatas": got["metadatas"]}


# --- restore --------------------------------------------------------------------------


def verify_backup(folder: Path) -> Manifest:
    """The manifest of a backup whose files are all present and unchanged (BackupError
    naming the first file that is missing or differs)."""
    folder = Path(folder)
    manifest = Manifest.read(folder)
    if manifest.format != BACKUP_FORMAT:
        raise BackupError(f"{folder / MANIFEST}: backup format {manifest.format}, "
                          f"this release reads {BACKUP_FORMAT}")
    if "chroma.sqlite3" not in manifest.files:
        raise BackupError(f"{folder / MANIFEST}: lists no chroma.sqlite3")
    for rel, want in sorted(manifest.files.items()):
        path = folder / rel
        if not path.is_file():
            raise BackupError(f"{path}: missing from the backup")
        if path.stat().st_size != want.get("bytes") or sha256_file(path) != want.get("sha256"):
            raise BackupError(f"{path}: differs from the backup manifest (damaged backup)")
    return manifest


def restore_index(
    folder: Path, db_dir: Path, expect: IndexIdentity | None = None
) -> Restored:
    """Make the backup in ``folder`` the index at ``db_dir``; the app must be stopped.

    The backup is verified (files and, with ``expect``, identity) before anything changes;
    the current index, if any, is renamed to ``<db>.before-restore-<time>`` and kept."""
    folder, db_dir = Path(folder), Path(db_dir)
    manifest = verify_backup(folder)
    if expect is not None and manifest.identity != expect:
        raise BackupError(
            f"{folder}: the backup was built with {asdict(manifest.identity)}, this run uses "
            f"{asdict(expect)}; restore with the same --model (or rebuild the index)"
        )
    if db_dir.exists():
        refuse_if_open(db_dir, "restore over it")
    db_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = db_dir.with_name(f".{db_dir.name}.restoring-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        shutil.copytree(folder, staging, ignore=shutil.ignore_patterns(MANIFEST))
        _check_counts(staging, manifest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    kept = None
    if db_dir.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = db_dir.with_name(f"{db_dir.name}.before-restore-{stamp}")
        db_dir.rename(kept)
    staging.rename(db_dir)
    return Restored(db_dir, kept, manifest)


def _check_counts(folder: Path, manifest: Manifest) -> None:
    """Open the copy with Chroma: it must hold what the manifest says."""
    with _opened(folder) as client:
        identity = stored_identity(client, str(folder))
        got = (client.get_collection(DOCUMENTS, embedding_function=None).count(),
               client.get_collection(CHUNKS, embedding_function=None).count())
    if identity != manifest.identity or got != (manifest.documents, manifest.chunks):
        raise BackupError(
            f"{folder}: holds {got[0]} documents and {got[1]} chunks ({asdict(identity)}), "
            f"the manifest says {manifest.documents} and {manifest.chunks}"
        )


def processes_holding(db_dir: Path) -> list[int]:
    """Ids of other processes that have the index's database open (Linux ``/proc``; an
    empty list elsewhere or where their file descriptors cannot be read)."""
    target = (Path(db_dir) / "chroma.sqlite3").resolve()
    proc = Path("/proc")
    holders: list[int] = []
    if not proc.is_dir():
        return holders
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        if str(target) in _open_files(entry):
            holders.append(int(entry.name))
    return sorted(holders)


def _open_files(process: Path) -> set[str]:
    """The paths a process has open (empty when it is gone or not ours to read)."""
    try:
        fds = list((process / "fd").iterdir())
    except OSError:
        return set()
    paths = set()
    for fd in fds:
        try:
            paths.add(os.readlink(fd))
        except OSError:  # closed meanwhile
            continue
    return paths


def refuse_if_open(db_dir: Path, action: str) -> None:
    """BackupError when another process (the app, an ingest) holds the embedded index:
    Chroma writes its files when a second process opens it, so the two would collide."""
    holders = processes_holding(db_dir)
    if holders:
        raise BackupError(
            f"{db_dir}: the index is open in another process (pid "
            f"{', '.join(map(str, holders))}); stop the app or ingest first, then {action}"
        )


# --- helpers --------------------------------------------------------------------------


@contextmanager
def _opened(folder: Path) -> Iterator[Any]:
    """An embedded Chroma client for ``folder``, closed (files released) on exit."""
    client = make_client(folder)
    try:
        yield client
    finally:
        _close(client)


def _close(client: Any) -> None:
    """Release a client we opened (an HttpClient has nothing to release)."""
    close = getattr(client, "close", None)
    if callable(close):
        close()


def _file_digests(folder: Path) -> dict[str, dict[str, Any]]:
    return {
        path.relative_to(folder).as_posix(): {"bytes": path.stat().st_size,
                                              "sha256": sha256_file(path)}
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


