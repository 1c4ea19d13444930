"""Files -> text -> Meeting -> chunks -> vectors -> Chroma, with a per-file report.

A bad file never stops the batch: its error (file + reason) goes into the report and the
rest still ingests.  An unchanged file (same content hash as stored) is skipped without
embedding anything.  A changed file replaces its old version crash-safely (see
``vectorstore.store``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from vectorstore.embedder import Embedder
from vectorstore.store import VectorStore

from .chunker import Chunker
from .errors import IngestError
from .models import Meeting
from .parser import parse_meeting
from .readers import iter_source_files, read_document
from .serialize import meeting_to_dict

log = logging.getLogger(__name__)


@dataclass
class FileError:
    file: str
    reason: str


@dataclass
class IngestReport:
    """What one ingest run did; ``as_dict`` is the ``--json`` output."""

    documents: int = 0
    ingested: int = 0
    meetings: int = 0
    items: int = 0
    chunks: int = 0
    skipped_unchanged: int = 0
    removed: int = 0
    errors: list[FileError] = field(default_factory=list)
    seconds: float = 0.0
    ingested_sources: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True unless files were given and none of them could be ingested or skipped."""
        return self.documents == 0 or (self.ingested + self.skipped_unchanged) > 0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data


def source_key(path: Path) -> str:
    """The stored identity of a file: its resolved absolute path."""
    return str(path.resolve())


class Ingestor:
    """Ingest files into a :class:`VectorStore` with one embedder and chunker."""

    def __init__(self, store: VectorStore, embedder: Embedder, chunker: Chunker | None = None):
        self.store = store
        self.embedder = embedder
        self.chunker = chunker or Chunker(embedder.count_tokens, max_tokens=embedder.max_tokens)

    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        prune: bool = False,
        progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
    ) -> IngestReport:
        """Ingest files/folders; with ``prune`` remove stored sources no longer present."""
        started = time.perf_counter()
        report = IngestReport()
        files = iter_source_files([Path(p) for p in paths])
        report.documents = len(files)
        for path in progress(files) if progress else files:
            self._ingest_one(path, report)
        if prune:
            present = {source_key(p) for p in files}
            for record in self.store.all_documents():
                if record.source not in present:
                    self.store.delete_document(record.source)
                    report.removed += 1
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def _ingest_one(self, path: Path, report: IngestReport) -> None:
        source = source_key(path)
        try:
            doc = read_document(path)
            doc.path = source
            meeting = parse_meeting(doc)
        except IngestError as exc:
            report.errors.append(FileError(str(path), exc.problem))
            log.warning("skipping %s: %s", path, exc.problem)
            return
        stored = self.store.get_document(source)
        if stored is not None and stored.doc_hash == meeting.doc_hash:
            # Finish a clean-up an interrupted earlier run may have left behind.
            self.store.delete_stale_chunks(source, keep_hash=meeting.doc_hash)
            report.skipped_unchanged += 1
            return
        n_chunks = self.write_meeting(meeting, doc.text)
        report.ingested += 1
        report.meetings += 1
        report.items += len(meeting.items)
        report.chunks += n_chunks
        report.ingested_sources.append(source)

    def write_meeting(self, meeting: Meeting, text: str) -> int:
        """Embed and store one parsed meeting; returns the number of chunks written."""
        chunks = self.chunker.chunk_meeting(meeting, text)
        if chunks:
            vectors = self.embedder.embed_passages([c.embed_text for c in chunks])
            self.store.upsert_chunks(
                [c.chunk_id for c in chunks], vectors, [c.text for c in chunks],
                [c.metadata() for c in chunks],
            )
        payload = meeting_to_dict(meeting)
        payload["text"] = text
        title = f"{meeting.body} {meeting.date} {meeting.doc_type}"
        self.store.put_document(
            meeting.source,
            meeting.doc_hash,
            payload,
            {
                "meeting_id": meeting.meeting_id,
                "body": meeting.body,
                "date": meeting.date,
                "date_int": meeting.date_int,
                "doc_type": meeting.doc_type,
                "items": len(meeting.items),
                "chunks": len(chunks),
            },
            self.embedder.embed_passages([title])[0],
        )
        self.store.delete_stale_chunks(meeting.source, keep_hash=meeting.doc_hash)
        return len(chunks)

    def remove(self, paths: Sequence[str | Path]) -> int:
        """Remove stored documents by path (the file need not exist any more)."""
        removed = 0
        for p in paths:
            source = source_key(Path(p))
            if self.store.get_document(source) is not None:
                self.store.delete_document(source)
                removed += 1
        return removed
