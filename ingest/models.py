"""Domain records: Meeting -> AgendaItem -> Section, and the Chunk that cites them.

Danish domain words are kept where the documents use them:

* ``dagsorden`` - an agenda (carries proposals, never decisions),
* ``referat``   - minutes (carry decisions),
* ``Indstilling`` - the recommendation/proposal put to the body,
* ``Beslutning`` (KKR minutes) and ``Referat`` (KD-Net's inline "Referat:") - the decision,
* ``Baggrund`` / ``Sagsfremstilling`` - background / case presentation.

Offsets are character offsets into the document's extracted text (``Document.text``),
end exclusive.  Names follow OParl where it has one (Meeting, AgendaItem, resolution text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DOC_TYPES = ("dagsorden", "referat")
DECISION_SECTIONS = ("Beslutning", "Referat")
PROPOSAL_SECTIONS = ("Indstilling",)
KNOWN_SECTIONS = ("Baggrund", "Indstilling", "Sagsfremstilling", "Beslutning", "Referat")
ITEM_NUMBER_RE = re.compile(r"^\d{1,3}(\.\d{1,3})*$")
CASE_NUMBER_RE = re.compile(r"^SAG-\d{4}-\d{5}$")
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Section:
    """One labelled part of an agenda item (e.g. Baggrund), with its text span."""

    name: str
    text: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("Section.name must not be empty")
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"Section {self.name!r}: bad offsets {self.start}..{self.end}")

    @property
    def is_decision(self) -> bool:
        return self.name in DECISION_SECTIONS

    @property
    def is_proposal(self) -> bool:
        return self.name in PROPOSAL_SECTIONS


@dataclass(frozen=True)
class AgendaItem:
    """An agenda item ("punkt"), numbered like "3.1"; may exist only in the TOC."""

    number: str
    title: str
    order: int
    level: int = 1
    case_number: str | None = None
    handler: str | None = None
    presenter: str | None = None
    heading: str | None = None
    sections: tuple[Section, ...] = ()
    attachments: tuple[str, ...] = ()
    start: int = 0
    end: int = 0

    def __post_init__(self) -> None:
        if not ITEM_NUMBER_RE.match(self.number):
            raise ValueError(f"AgendaItem.number {self.number!r} is not like '3' or '3.1'")
        if not self.title.strip():
            raise ValueError(f"AgendaItem {self.number}: empty title")
        if self.case_number is not None and not CASE_NUMBER_RE.match(self.case_number):
            raise ValueError(f"AgendaItem {self.number}: bad case number {self.case_number!r}")

    def section(self, name: str) -> Section | None:
        """Return the first section called ``name`` or None."""
        return next((s for s in self.sections if s.name == name), None)

    @property
    def decision(self) -> str | None:
        """The decision text (Beslutning / Referat), or None when none is recorded."""
        texts = [s.text for s in self.sections if s.is_decision and s.text.strip()]
        return "\n\n".join(texts) if texts else None

    @property
    def proposal(self) -> str | None:
        """The recommendation text (Indstilling), or None."""
        texts = [s.text for s in self.sections if s.is_proposal and s.text.strip()]
        return "\n\n".join(texts) if texts else None


@dataclass(frozen=True)
class Meeting:
    """One meeting document: an agenda or minutes of one body on one date."""

    body: str
    date: str
    doc_type: str
    source: str
    doc_hash: str
    items: tuple[AgendaItem, ...] = ()
    time: str | None = None
    location: str | None = None
    participants: tuple[str, ...] = ()
    absentees: tuple[str, ...] = ()
    title: str | None = None

    def __post_init__(self) -> None:
        if self.doc_type not in DOC_TYPES:
            raise ValueError(f"Meeting.doc_type {self.doc_type!r} not in {DOC_TYPES}")
        if not ISO_DATE_RE.match(self.date):
            raise ValueError(f"Meeting.date {self.date!r} is not an ISO date")
        if not self.body:
            raise ValueError("Meeting.body must not be empty")

    @property
    def meeting_id(self) -> str:
        """Stable, URL-safe id: ``<body-slug>-<date>-<doc_type>``."""
        return f"{slugify(self.body)}-{self.date}-{self.doc_type}"

    @property
    def date_int(self) -> int:
        return int(self.date.replace("-", ""))

    def item(self, number: str) -> AgendaItem | None:
        return next((i for i in self.items if i.number == number), None)


@dataclass(frozen=True)
class Chunk:
    """A passage of one section, with everything needed to cite it."""

    chunk_id: str
    text: str
    embed_text: str
    meeting_id: str
    body: str
    date: str
    doc_type: str
    item_number: str
    item_order: int
    item_title: str
    section: str
    source: str
    doc_hash: str
    start: int
    end: int
    case_number: str | None = None
    chunk_index: int = 0
    location: str | None = None

    def metadata(self) -> dict[str, str | int | float | bool]:
        """Flat, Chroma-safe metadata (no None values)."""
        meta: dict[str, str | int | float | bool] = {
            "meeting_id": self.meeting_id,
            "body": self.body,
            "date": self.date,
            "date_int": int(self.date.replace("-", "")),
            "doc_type": self.doc_type,
            "item_number": self.item_number,
            "item_order": self.item_order,
            "item_title": self.item_title,
            "section": self.section,
            "source": self.source,
            "doc_hash": self.doc_hash,
            "start": self.start,
            "end": self.end,
            "chunk_index": self.chunk_index,
            "case_number": self.case_number or "",
            "location": self.location or "",
        }
        return meta


@dataclass
class Document:
    """Text extracted from one file by a reader, before parsing."""

    path: str
    text: str
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)


def slugify(value: str) -> str:
    """Lower-case ASCII-ish slug: 'KKR Midtjylland' -> 'kkr-midtjylland'."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})
    value = value.translate(table).lower()
    return re.sub(r"[^a-z0-9]+", "-", value).strip("-")
