"""Shares of an archive for several ingest processes (``meetings ingest --shard i/N`` and
``--workers N``), and the clean-up once shards that ran at the same time are done.

A file's shard is a hash of its path relative to the folder it was found under (its name,
when the file itself was given), so every machine computes the same split of the same
archive wherever it is mounted, and a file's shard never depends on which other files exist:
files added later do not move the others to another shard.

Shards that write at the same time cannot see each other's documents.  Two different files
of one meeting (a body meeting twice on one day) would both keep the bare meeting id, and
two copies of one file would become two records, where one process tells them apart
(``Ingestor._distinct_id`` and ``_same_content``).  :func:`settle` makes the index what one
process would have made: the ``--workers`` parent runs it after its workers, and a plain
ingest into a Chroma server runs it at its end.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vectorstore.store import DocumentRecord

from .errors import IngestError
from .parser import MeetingHints
from .pipeline import CLOSED_CONTENT, Ingestor, load_meeting
from .readers import iter_source_files

MAX_WORKERS = 64
"""More ingest processes than this on one machine is a typing mistake, not a plan."""

_SHARD = re.compile(r"(\d+)/(\d+)")


@dataclass(frozen=True)
class Shard:
    """Share ``index`` (1-based) of ``count``."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"i/N"`` with 1 <= i <= N; anything else is a ValueError naming the option."""
        match = _SHARD.fullmatch(text.strip())
        if match is None or not 1 <= int(match.group(1)) <= int(match.group(2)):
            raise ValueError(f"--shard: expected i/N with 1 <= i <= N, got {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    def holds(self, key: str) -> bool:
        """True when the file with shard key ``key`` belongs to this share."""
        return shard_of(key, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_workers(text: str) -> int:
    """The ``--workers`` count, 1..``MAX_WORKERS``; anything else is a ValueError."""
    value = text.strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_WORKERS:
        raise ValueError(
            f"--workers: expected a whole number from 1 to {MAX_WORKERS}, got {text!r}"
        )
    return int(value)


def shard_of(key: str, count: int) -> int:
    """The share (1..count) of a shard key: the first 8 bytes of its SHA-256, modulo count
    (the same on every machine and Python version, unlike ``hash``)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def keyed_files(paths: Sequence[str | Path]) -> list[tuple[Path, str]]:
    """Every source file under ``paths`` (as ``iter_source_files`` finds them), sorted, each
    with its shard key: the path relative to the folder given (``/``-separated, Unicode NFC,
    so that macOS and Linux file names agree), or the name of a file given itself."""
    keyed: dict[Path, str] = {}
    for raw in paths:
        root = Path(raw)
        for found in iter_source_files([root]):
            key = found.name if found == root else found.relative_to(root).as_posix()
            keyed.setdefault(found, unicodedata.normalize("NFC", key))
    return sorted(keyed.items(), key=lambda pair: str(pair[0]))


def shard_files(paths: Sequence[str | Path], shard: Shard) -> list[Path]:
    """The files under ``paths`` that belong to ``shard``."""
    return [path for path, key in keyed_files(paths) if shard.holds(key)]


def settle(ingestor: Ingestor) -> list[str]:
    """Resolve what shards running at the same time could not see of each other; returns
    one line per change.  Cheap when there is nothing to do (one read of the document
    records); re-embeds nothing but a record's title (chunk vectors are reused)."""
    notes = _merge_copies(ingestor)
    notes += _distinct_meeting_ids(ingestor)
    return notes


def _merge_copies(ingestor: Ingestor) -> list[str]:
    """Two records with the same content: keep the first source's record, list the other
    sources on it (as ``Ingestor`` does for a copy it sees) and drop the other record.  Both
    wrote the same chunk ids (ids derive from the content): moving the copy onto the kept
    source re-points them, and writing the kept document again makes its chunks carry its
    meeting id (a copy written second may have named itself apart)."""
    store = ingestor.store
    groups: dict[str, list[DocumentRecord]] = defaultdict(list)
    for record in store.all_documents():
        groups[record.doc_hash].append(record)
    notes: list[str] = []
    for group in groups.values():
        if len(group) < 2:
            continue
        keep, *copies = sorted(group, key=lambda r: r.source)
        listed = list(keep.payload.get("sources") or [keep.source])
        for copy in copies:
            listed += [s for s in copy.payload.get("sources") or [copy.source] if s not in listed]
            store.move_document(copy.source, keep.source)
            notes.append(f"{copy.source}: same content as {keep.source}: stored once, "
                         "both listed")
        merged = store.get_document(keep.source)
        if merged is not None:
            _, why = _rewrite(ingestor, merged, listed)
            if why:
                notes.append(f"{keep.source}: {why}")
    return notes


def _distinct_meeting_ids(ingestor: Ingestor) -> list[str]:
    """Records sharing a bare meeting id: the first source keeps it, every other one is
    rewritten with its own id (its chunks' vectors are reused), as one process does."""
    groups: dict[str, list[DocumentRecord]] = defaultdict(list)
    for record in ingestor.store.all_documents():
        groups[str(record.metadata.get("meeting_id", ""))].append(record)
    notes: list[str] = []
    for meeting_id, group in groups.items():
        if len(group) < 2:
            continue
        for record in sorted(group, key=lambda r: r.source)[1:]:
            if record.payload.get("id_suffix"):
                continue  # named apart by its own content (a supplementary agenda)
            listed = list(record.payload.get("sources") or [record.source])
            new_id, why = _rewrite(ingestor, record, listed)
            notes.append(f"{record.source}: meeting id {meeting_id} -> {new_id}" if new_id
                         else f"{record.source}: shares meeting id {meeting_id}; {why}")
    return notes


def _rewrite(ingestor: Ingestor, record: DocumentRecord,
             listed: Sequence[str]) -> tuple[str | None, str]:
    """Write ``record``'s file again as one process would now (its own meeting id when
    another document of the meeting is stored; chunk vectors reused), with the body, date and
    type it was stored with, listing ``listed``; the meeting id written, or None and why
    not (a file gone or changed is left to the next ingest)."""
    path = Path(record.source)
    if not path.is_file():
        return None, "the file is not here to write it again"
    payload = record.payload
    hints = MeetingHints(body=payload.get("body"), date=payload.get("date"),
                         doc_type=payload.get("doc_type"))
    try:
        doc, meeting = load_meeting(path, hints, source=record.source,
                                    include_closed=bool(payload.get(CLOSED_CONTENT)))
    except IngestError as exc:
        return None, f"cannot read it again: {exc.problem}"
    if meeting.doc_hash != record.doc_hash:
        return None, "it changed since it was stored: the next ingest writes it"
    meeting = ingestor._distinct_id(meeting)
    ingestor.write_meeting(meeting, doc.text)
    for source in listed:
        current = ingestor.store.get_document(record.source)
        if current is not None and source != record.source:
            ingestor._add_source(current, source)
    return meeting.meeting_id, ""
