"""Meeting -> chunks: one chunk per section, long sections split by tokens.

The *stored* text of a chunk is the clean passage (what a user reads and what a citation
quotes); the *embedded* text carries a short citation header (body, date, doc type, item
number + title, section) so that a Beslutning like "Godkendt." is still found through its
item's title.  Sizes are counted in tokens of the embedder's own tokenizer, so no chunk
exceeds the model's 512-token window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from langchain_text_splitters import RecursiveCharacterTextSplitter

from .models import AgendaItem, Chunk, Meeting, Section, slugify

CHUNKER_VERSION = "2"
DEFAULT_CHUNK_TOKENS = 320
DEFAULT_OVERLAP_TOKENS = 48
MODEL_MAX_TOKENS = 512
# "passage: " prefix and special tokens, plus slack for tokenizer differences.
RESERVED_TOKENS = 16

TokenCounter = Callable[[str], int]

CLOSED_SECTION = "Lukket punkt"
"""The section name of a closed item's title chunk (its content is stored only when ingest
was told to: ``--include-closed``; those chunks also carry ``closed: true``)."""

UNKNOWN_BODY = "Ukendt organ"
UNKNOWN_DATE = "udateret"
UNKNOWN_DOC_TYPE = "Dokument"


class _DocTypeLabels(dict[str | None, str]):
    """Doc type -> label; an unknown (None/'') doc type reads 'Dokument'."""

    def __missing__(self, key: str | None) -> str:
        return UNKNOWN_DOC_TYPE


DOC_TYPE_LABEL: dict[str | None, str] = _DocTypeLabels(
    {"dagsorden": "Dagsorden", "referat": "Referat"}
)


def format_date(iso: str | None) -> str:
    """'2023-02-10' -> '10.02.2023' (the Danish way documents print dates); '' -> 'udateret'."""
    if not iso:
        return UNKNOWN_DATE
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def item_label(number: str, title: str, lang: str = "da") -> str:
    """'pkt. 3.1 Title' ('item 3.1 Title' in English), or just the title for the unnumbered
    item of a plain document."""
    if not number:
        return title
    return f"{'item' if lang == 'en' else 'pkt.'} {number} {title}"


def meeting_label(body: str | None, date: str | None, doc_type: str | None) -> str:
    """'KKR Midtjylland · 10.02.2023 · Referat': the meeting part of a citation."""
    return " · ".join([body or UNKNOWN_BODY, format_date(date), DOC_TYPE_LABEL[doc_type]])


def format_citation(
    body: str | None, date: str | None, doc_type: str | None, number: str, title: str,
    section: str = "", lang: str = "da",
) -> str:
    """The one place a citation line is written (the embedded chunk header, result
    citations, briefings): meeting, item label and, when given, the section."""
    parts = [meeting_label(body, date, doc_type), item_label(number, title, lang)]
    if section:
        parts.append(section)
    return " · ".join(parts)


def citation_line(meeting: Meeting, item: AgendaItem, section: str) -> str:
    """The human citation, e.g. 'KKR Midtjylland · 10.02.2023 · Referat · pkt. 3.1 ... · X'."""
    return format_citation(meeting.body, meeting.date, meeting.doc_type, item.number,
                           item.title, section)


class Chunker:
    """Split a parsed meeting into citable chunks sized for the embedder."""

    def __init__(
        self,
        count_tokens: TokenCounter,
        chunk_tokens: int = DEFAULT_CHUNK_TOKENS,
        overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
        max_tokens: int = MODEL_MAX_TOKENS,
    ) -> None:
        if overlap_tokens >= chunk_tokens:
            raise ValueError("overlap_tokens must be smaller than chunk_tokens")
        self.count_tokens = count_tokens
        self.chunk_tokens = chunk_tokens
        self.max_tokens = max_tokens
        self._splitter = RecursiveCharacterTextSplitter(
            chunk_size=chunk_tokens,
            chunk_overlap=overlap_tokens,
            length_function=count_tokens,
            separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
            keep_separator="end",
            strip_whitespace=True,
        )

    def chunk_meeting(self, meeting: Meeting, source_text: str | None = None) -> list[Chunk]:
        """Return the chunks of every non-empty section of every item, in document order."""
        chunks: list[Chunk] = []
        for item in meeting.items:
            if item.closed:
                # the title of a closed item is searchable by everyone; its content (kept
                # only with --include-closed) follows, marked closed like the title
                marker = Section(CLOSED_SECTION, item.title, item.start, item.end, "other")
                chunks.extend(self._chunk_section(meeting, item, 0, marker, None))
            # a closed item's sections count from 1: index 0 is its title chunk
            for s_index, section in enumerate(item.sections, start=int(item.closed)):
                chunks.extend(self._chunk_section(meeting, item, s_index, section, source_text))
        return chunks

    def _chunk_section(
        self,
        meeting: Meeting,
        item: AgendaItem,
        s_index: int,
        section: Section,
        source_text: str | None,
    ) -> Iterator[Chunk]:
        text = section.text.strip()
        if not text:
            return
        header = citation_line(meeting, item, section.name)
        budget = self.max_tokens - RESERVED_TOKENS - self.count_tokens(header + "\n")
        pieces = [text] if self.count_tokens(text) <= min(budget, self.chunk_tokens) else None
        if pieces is None:
            pieces = [p for p in self._splitter.split_text(text) if p.strip()]
            pieces = [q for p in pieces for q in self._enforce_budget(p, budget)]
        exact = source_text is not None and source_text[section.start : section.end] == (
            section.text
        )
        cursor = reach = 0
        for c_index, piece in enumerate(pieces):
            found = _place(section.text, piece, cursor, reach)
            if exact and found >= 0:
                start, end = section.start + found, section.start + found + len(piece)
                cursor, reach = found + 1, max(reach, found + len(piece))
            else:
                start, end = section.start, section.end
            yield Chunk(
                chunk_id=chunk_id(meeting.doc_hash, item, s_index, section.name, c_index),
                text=piece,
                embed_text=f"{header}\n{piece}",
                meeting_id=meeting.meeting_id,
                body=meeting.body or "",
                date=meeting.date or "",
                doc_type=meeting.doc_type or "",
                item_number=item.number,
                item_order=item.order,
                item_title=item.title,
                section=section.name,
                source=meeting.source,
                doc_hash=meeting.doc_hash,
                start=start,
                end=end,
                case_number=item.case_number,
                chunk_index=c_index,
                location=meeting.location,
                section_role=section.role,
                closed=item.closed,
            )

    def _enforce_budget(self, piece: str, budget: int) -> list[str]:
        """Hard-split a piece that is still over the token budget (e.g. one huge 'word')."""
        if self.count_tokens(piece) <= budget:
            return [piece]
        half = len(piece) // 2
        return self._enforce_budget(piece[:half], budget) + self._enforce_budget(
            piece[half:], budget
        )


def chunk_id(doc_hash: str, item: AgendaItem, s_index: int, section: str, c_index: int) -> str:
    """Id from content hash + item + section + index: stable across re-ingests."""
    return f"{doc_hash[:16]}-{item.order:03d}-{item.number}-{s_index}-{slugify(section)}-{c_index}"


def _place(text: str, piece: str, cursor: int, reach: int) -> int:
    """Where ``piece`` (the next split of ``text``) starts: pieces come in order, each adds
    text after the ones before (an overlap only repeats their tail), so it ends beyond
    ``reach``; of those places, the one that joins the covered text without a gap (blanks
    aside) and reaches furthest.  In repetitive text ("a a a ...", table rows) the first match after
    the previous start would be an earlier copy.  -1 when the piece is not in ``text``."""
    first = found = text.find(piece, max(cursor, reach - len(piece) + 1))
    joins = reach + len(text[reach:]) - len(text[reach:].lstrip())  # a blank gap is no gap
    best = -1
    while 0 <= found <= joins:
        best = found  # joins the covered text; a later one reaches further
        found = text.find(piece, found + 1)
    if best >= 0:
        return best
    return first if first >= 0 else text.find(piece, cursor)
