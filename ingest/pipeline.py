"""Files -> text -> Meeting -> chunks -> vectors (and sentence vectors) -> Chroma, with a
per-file report.  A bad file never stops the batch: its error (file + reason) goes into the
report and the rest still ingests.  An unchanged file (same content hash as stored) is
skipped without embedding anything; a changed one replaces its old version crash-safely
(see ``vectorstore.store``).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from vectorstore import Store
from vectorstore.crashpoint import crashpoint
from vectorstore.embedder import Embedder
from vectorstore.store import EMBED_HASH, DocumentRecord

from .chunker import Chunker
from .closedtext import holds_closed_content, without_closed_content
from .errors import IngestError, ReadError
from .models import Chunk, Document, Meeting
from .parser import MeetingHints, parse_meeting
from .readers import check_size, iter_source_files, read_document
from .sentences import document_key, embed_new_sentences
from .serialize import meeting_to_dict, reads_as_stored

log = logging.getLogger(__name__)

CLOSED_CONTENT = "closed_content"
"""Document payload key: True when the content of its closed items is stored (ingested
with ``include_closed``); re-ingesting with the other setting rewrites the document."""


@dataclass
class FileError:
    file: str
    reason: str


@dataclass
class FileWarning:
    """What was assumed or is unknown about one stored file."""

    file: str
    warning: str


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
    warnings: list[FileWarning] = field(default_factory=list)
    duplicates: int = 0
    moved: int = 0
    """Files found under a new path with unchanged content: re-keyed, not re-embedded."""
    precision: str = ""
    """The precision passages were embedded in (fp32, or bf16 where the CPU has it)."""
    seconds: float = 0.0
    ingested_sources: list[str] = field(default_factory=list)
    embedded: int = 0
    """Chunks embedded by this run."""
    reused: int = 0
    """Chunks whose embedded text was stored before: their vector was reused, not embedded."""
    device: str = ""
    """Where passages were embedded (cpu or cuda; ``--device``)."""
    settled: list[str] = field(default_factory=list)
    """What ``ingest.shards.settle`` changed after shards ran at the same time."""
    sentences: int = 0
    """Sentences embedded (:mod:`ingest.sentences`), in ``sentence_seconds`` of ``seconds``."""
    sentence_seconds: float = 0.0

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
    """Ingest files into a :class:`vectorstore.Store` with one embedder and chunker."""

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        chunker: Chunker | None = None,
        hints: MeetingHints | None = None,
    ):
        self.store = store
        self.embedder = embedder
        self.chunker = chunker or Chunker(embedder.count_tokens, max_tokens=embedder.max_tokens)
        self.hints = hints
        # running counts: passages whose stored vector was reused instead of embedding
        # them, passages embedded, sentences embedded for Store.sentences (and their time)
        self.reused_vectors = self.embedded_passages = self.embedded_sentences = 0
        self.sentence_seconds = 0.0
        self.keep_sentences = True
        """Embed new sentences for :attr:`Store.sentences` (off: ``ingest --no-sentences``)."""

    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        prune: bool = False,
        progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
        hints: MeetingHints | None = None,
        include_closed: bool = False,
    ) -> IngestReport:
        """Ingest files/folders; with ``prune`` remove stored sources no longer present.

        ``hints`` (body/date/doc type the user states) apply to every file of this run,
        instead of the ingestor's own.  ``include_closed`` stores the content of closed
        items ("Lukket punkt"), marked closed so that readers show it only to the
        ``closed`` role; without it a closed item keeps only its title."""
        started = time.perf_counter()
        report = IngestReport()
        files = iter_source_files([Path(p) for p in paths])
        report.documents = len(files)
        report.precision = str(getattr(self.embedder, "precision", "fp32"))
        embedded, reused = self.embedded_passages, self.reused_vectors
        sentences, sentence_seconds = self.embedded_sentences, self.sentence_seconds
        for path in progress(files) if progress else files:
            self._ingest_one(path, report, hints or self.hints, include_closed)
        if prune:
            report.removed = self.prune(files)
        report.embedded = self.embedded_passages - embedded
        report.reused = self.reused_vectors - reused
        report.sentences = self.embedded_sentences - sentences
        report.sentence_seconds = round(self.sentence_seconds - sentence_seconds, 3)
        report.device = str(getattr(self.embedder, "device", "cpu"))
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def prune(self, files: Sequence[Path]) -> int:
        """Remove stored documents whose source is not among ``files``; returns how many."""
        present = {source_key(p) for p in files}
        removed = 0
        for record in self.store.all_documents():
            if record.source not in present:
                self.store.delete_document(record.source)
                removed += 1
        return removed

    def _ingest_one(
        self, path: Path, report: IngestReport, hints: MeetingHints | None,
        include_closed: bool = False,
    ) -> None:
        source = source_key(path)
        try:
            doc, meeting = load_meeting(path, hints, source=source, include_closed=include_closed)
        except IngestError as exc:
            report.errors.append(FileError(str(path), exc.problem))
            log.warning("skipping %s: %s", path, exc.problem)
            return
        except Exception as exc:  # a reader bug on a hostile file must not stop the batch
            log.exception("unexpected error reading %s", path)
            problem = f"unexpected error while reading the file ({type(exc).__name__}: {exc})"
            report.errors.append(FileError(str(path), problem[:300]))
            return
        crashpoint("parse")
        stored = self.store.get_document(source)
        same = stored.payload if stored and stored.doc_hash == meeting.doc_hash else None
        # the same file ingested before with the other include_closed, or read otherwise
        # now (a parser upgrade): stored again, unchanged passages' vectors reused
        switched = same is not None and (
            bool(same.get(CLOSED_CONTENT)) != holds_closed_content(meeting))
        reread = same is not None and not switched and not reads_as_stored(same, meeting)
        if same is not None and not (switched or reread):
            # Finish a clean-up an interrupted earlier run may have left behind.
            self.store.delete_stale_chunks(source, keep_hash=meeting.doc_hash)
            # sentence vectors of a document stored before they were kept
            self._store_sentences(meeting, lambda: self.chunker.chunk_meeting(meeting, doc.text))
            report.skipped_unchanged += 1
            return
        report.warnings.extend(FileWarning(str(path), w) for w in meeting.warnings)
        twin = self._same_content(meeting)
        if twin is not None and not Path(twin.source).exists():
            # the same content whose file is gone: a moved or renamed file, re-keyed
            self.store.move_document(twin.source, source)
            report.moved += 1
            return
        if twin is not None:
            self._add_source(twin, source)
            report.duplicates += 1
            report.warnings.append(
                FileWarning(str(path), f"same content as {twin.source}: stored once, both listed")
            )
            return
        meeting = self._distinct_id(meeting)
        n_chunks = self.write_meeting(meeting, doc.text, drop_unlisted=switched or reread)
        report.ingested += 1
        report.meetings += 1
        report.items += len(meeting.items)
        report.chunks += n_chunks
        report.ingested_sources.append(source)

    def _same_content(self, meeting: Meeting) -> DocumentRecord | None:
        """Another stored file with exactly this content (a copy under another name)."""
        return next(
            (r for r in self.store.documents_with(doc_hash=meeting.doc_hash)
             if r.source != meeting.source),
            None,
        )

    def _add_source(self, record: DocumentRecord, source: str) -> None:
        """List ``source`` on ``record`` (the chunks, ids and vectors stay as they are)."""
        payload = dict(record.payload)
        sources = list(payload.get("sources") or [record.source])
        if source in sources:
            return
        payload["sources"] = sources + [source]
        vector = self.embedder.embed_passages([_record_title(payload)])[0]
        meta = {k: v for k, v in record.metadata.items() if k not in ("source", "doc_hash")}
        self.store.put_document(record.source, record.doc_hash, payload, meta, vector)

    def _distinct_id(self, meeting: Meeting) -> Meeting:
        """A second, different document of the same meeting (a supplementary agenda, the
        same minutes as PDF and DOCX) gets its own id instead of overwriting the first."""
        if meeting.id_suffix:
            return meeting
        others = [
            r for r in self.store.documents_with(meeting_id=meeting.meeting_id)
            if r.source != meeting.source
        ]
        if not others:
            return meeting
        return replace(meeting, id_suffix=meeting.doc_hash[:6])

    def write_meeting(self, meeting: Meeting, text: str, drop_unlisted: bool = False) -> int:
        """Embed and store one parsed meeting; returns the number of chunks written.

        ``drop_unlisted`` also deletes this source's chunks that are not written now (a
        rewrite of the same content without its closed items' chunks)."""
        chunks = self.chunker.chunk_meeting(meeting, text)
        self._store_sentences(meeting, lambda: chunks)  # first: a crash then re-embeds none
        if chunks:
            hashes = [embed_hash(c.embed_text) for c in chunks]
            vectors = self._passage_vectors([c.embed_text for c in chunks], hashes)
            crashpoint("embed")
            self.store.upsert_chunks(
                [c.chunk_id for c in chunks], vectors, [c.text for c in chunks],
                [{**c.metadata(), EMBED_HASH: h} for c, h in zip(chunks, hashes, strict=True)],
            )
        payload = meeting_to_dict(meeting)
        payload["text"] = without_closed_content(meeting, text)
        payload["sources"] = [meeting.source]
        payload[CLOSED_CONTENT] = holds_closed_content(meeting)
        self.store.put_document(
            meeting.source,
            meeting.doc_hash,
            payload,
            {
                "meeting_id": meeting.meeting_id,
                "body": meeting.body or "",
                "date": meeting.date or "",
                "date_int": meeting.date_int,
                "doc_type": meeting.doc_type or "",
                "items": len(meeting.items),
                "chunks": len(chunks),
            },
            self.embedder.embed_passages([_record_title(payload)])[0],
            chunk_ids=[c.chunk_id for c in chunks],
        )
        self.store.delete_stale_chunks(meeting.source, keep_hash=meeting.doc_hash)
        if drop_unlisted:
            self.store.delete_unlisted_chunks(meeting.source, {c.chunk_id for c in chunks})
        return len(chunks)

    def _store_sentences(self, meeting: Meeting, chunks: Callable[[], Sequence[Chunk]]) -> None:
        """:func:`ingest.sentences.embed_new_sentences` for a document not done before."""
        store = self.store.sentences
        key = document_key(meeting.doc_hash, holds_closed_content(meeting))
        if store is not None and self.keep_sentences and not store.has_document(key):
            started = time.perf_counter()
            self.embedded_sentences += embed_new_sentences(
                store, self.embedder.embed_passages, key, chunks())
            self.sentence_seconds += time.perf_counter() - started

    def _passage_vectors(self, texts: list[str], hashes: list[str]) -> np.ndarray:
        """Vectors of ``texts``: a text embedded before (its hash is on a stored chunk)
        reuses that vector; only the others are embedded.  A changed document, one item
        edited, re-embeds only the chunks whose embedded text changed."""
        stored = self.store.vectors_by_embed_hash(hashes)
        missing = [i for i, h in enumerate(hashes) if h not in stored]
        self.reused_vectors += len(hashes) - len(missing)
        self.embedded_passages += len(missing)
        fresh: Any = self.embedder.embed_passages([texts[i] for i in missing]) if missing else []
        out = np.empty((len(texts), self.store.identity.dimension), dtype=np.float32)
        for i, h in enumerate(hashes):
            if h in stored:
                out[i] = stored[h]
        for row, i in enumerate(missing):
            out[i] = np.asarray(fresh[row], dtype=np.float32)
        return out

    def remove(self, paths: Sequence[str | Path]) -> int:
        """Remove stored documents by path (the file need not exist any more)."""
        removed = 0
        for p in paths:
            source = source_key(Path(p))
            if self.store.get_document(source) is not None:
                self.store.delete_document(source)
                removed += 1
        return removed


def embed_hash(text: str) -> str:
    """The key a chunk's vector is reused under: a hash of the exact embedded text (the
    model is fixed per index, see ``IndexIdentity``)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _record_title(payload: dict[str, Any]) -> str:
    """The text embedded for a document record: body, date and document type."""
    return " ".join(str(payload.get(k) or "") for k in ("body", "date", "doc_type")).strip()


def load_meeting(
    path: Path, hints: MeetingHints | None = None, *, source: str | None = None,
    include_closed: bool = False,
) -> tuple[Document, Meeting]:
    """Read and understand one file without storing anything (also ``meetings inspect``).

    FirstAgenda JSON is read by its connector (structure comes from the JSON); every
    other format is read to text and parsed.  ``hints`` override body/date/doc type;
    ``include_closed`` keeps the content of closed items.
    """
    if path.suffix.lower() == ".json":
        from .mojibake import read_repaired_firstagenda

        check_size(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReadError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
        doc, meeting = read_repaired_firstagenda(path, data, keep_closed=include_closed)
        if source is not None:
            doc.path = source
            meeting = replace(meeting, source=source)
        return doc, _apply_hints(meeting, hints)
    doc = read_document(path)
    if source is not None:
        doc.path = source
    return doc, parse_meeting(doc, hints, keep_closed=include_closed)


def _apply_hints(meeting: Meeting, hints: MeetingHints | None) -> Meeting:
    if hints is None:
        return meeting
    return replace(
        meeting,
        body=hints.body or meeting.body,
        date=hints.date or meeting.date,
        doc_type=hints.doc_type or meeting.doc_type,
    )
