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
from functools import cached_property

DOC_TYPES = ("dagsorden", "referat")
ROLES = ("background", "proposal", "decision", "attachments", "other")
"""What a section does in its item, whatever it is called in print (OParl: resolutionText
is the ``decision`` role)."""
DECISION_SECTIONS = ("Beslutning", "Referat")
PROPOSAL_SECTIONS = ("Indstilling",)
ITEM_NUMBER_RE = re.compile(r"^\d{1,4}(-\d{2,4})?(\.(\d{1,3}|[a-z]))*$")
"""'3', '3.1'; a year-sequence number '19-027' (items numbered by year and running count,
as some councils print them) and a lettered sub-item '2.a' (printed '2 a.')."""
MAX_CASE_NUMBER = 60
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date_number(iso: str | None) -> int:
    """'2023-06-21' -> 20230621, how chunk metadata holds a date for range filters
    (``date_int``); 0 for no date."""
    return int(iso.replace("-", "")) if iso else 0


@dataclass(frozen=True)
class Section:
    """One labelled part of an agenda item (e.g. Baggrund), with its text span."""

    name: str
    text: str
    start: int
    end: int
    role: str = "other"

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("Section.name must not be empty")
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"Section {self.name!r}: bad offsets {self.start}..{self.end}")
        if self.role not in ROLES:
            raise ValueError(f"Section {self.name!r}: role {self.role!r} not in {ROLES}")

    @property
    def is_decision(self) -> bool:
        return self.role == "decision"

    @property
    def is_proposal(self) -> bool:
        return self.role == "proposal"


_RECOMMENDS_RE = re.compile(
    r"(?m)^[ \t]*(?:[A-ZÆØÅ][\wæøå-]*[ \t]+){1,3}indstiller(?:[ \t]+til[ \t][^\n,]{1,80})?"
    r"[ \t]*(?:,|:|[ \t]+at\b)"
)
"""A recommendation stated in running text, opening its line: 'Direktionen indstiller,',
'Administrationen indstiller til udvalget, at', 'Forvaltningen indstiller at'."""


@dataclass(frozen=True)
class AgendaItem:
    """An agenda item ("punkt"), numbered like "3.1"; may exist only in the TOC.

    ``number`` is "" only for the single unnumbered item of a document without agenda
    structure.  ``case_number`` is stored as printed (SAG-2023-00155, 13/1234,
    27.00.00-A00-1-17 ...).  A ``closed`` item keeps its title and never invents content.
    """

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
    closed: bool = False

    def __post_init__(self) -> None:
        if self.number and not ITEM_NUMBER_RE.match(self.number):
            raise ValueError(f"AgendaItem.number {self.number!r} is not like '3' or '3.1'")
        if not self.title.strip():
            raise ValueError(f"AgendaItem {self.number}: empty title")
        if self.case_number is not None and (
            not self.case_number.strip()
            or len(self.case_number) > MAX_CASE_NUMBER
            or "\n" in self.case_number
        ):
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
        """The recommendation text (Indstilling); without a section for it, the one an
        other section states in running text ('Direktionen indstiller, / at regionen
        genoptager søgsmålet ...' inside a Resume) from that sentence to the section's end;
        else None."""
        texts = [s.text for s in self.sections if s.is_proposal and s.text.strip()]
        if texts:
            return "\n\n".join(texts)
        for section in self.sections:
            stated = None if section.is_decision else _RECOMMENDS_RE.search(section.text)
            if stated:
                return section.text[stated.start():].strip()
        return None


@dataclass(frozen=True)
class Meeting:
    """One meeting document: an agenda or minutes of one body on one date.

    ``body``, ``date`` and ``doc_type`` are None when neither the document, its metadata,
    its file name nor the user says them: stored as unknown, never guessed.  ``warnings``
    says what was assumed or is unknown; ``sources`` lists every file with this content.
    """

    body: str | None
    date: str | None
    doc_type: str | None
    source: str
    doc_hash: str
    items: tuple[AgendaItem, ...] = ()
    time: str | None = None
    location: str | None = None
    participants: tuple[str, ...] = ()
    absentees: tuple[str, ...] = ()
    title: str | None = None
    warnings: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    id_suffix: str = ""

    def __post_init__(self) -> None:
        if self.doc_type is not None and self.doc_type not in DOC_TYPES:
            raise ValueError(f"Meeting.doc_type {self.doc_type!r} not in {DOC_TYPES}")
        if self.date is not None and not ISO_DATE_RE.match(self.date):
            raise ValueError(f"Meeting.date {self.date!r} is not an ISO date")
        if self.body is not None and not self.body.strip():
            raise ValueError("Meeting.body must not be empty (use None for unknown)")

    @cached_property
    def meeting_id(self) -> str:
        """Stable, URL-safe id: ``<body-slug>-<date>-<doc_type>[-<suffix>]``.

        Unknown parts read ``ukendt``; ``id_suffix`` keeps a second, different document of
        the same meeting (a supplementary agenda) apart from the first.
        """
        base = "-".join(
            (
                slugify(self.body or "") or "ukendt",
                self.date or "ukendt",
                self.doc_type or "dokument",
            )
        )
        return f"{base}-{self.id_suffix}" if self.id_suffix else base

    @property
    def date_int(self) -> int:
        return date_number(self.date)

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
    section_role: str = "other"
    closed: bool = False

    def __post_init__(self) -> None:
        """A chunk is what a citation quotes and points into: without an id, text or a
        span inside its document it cannot be stored or cited, so it is refused here."""
        if not self.chunk_id.strip():
            raise ValueError(f"Chunk of {self.meeting_id!r}: chunk_id must not be empty")
        if not self.text.strip():
            raise ValueError(f"Chunk {self.chunk_id!r}: text must not be empty")
        if self.start < 0 or self.end < self.start:
            raise ValueError(
                f"Chunk {self.chunk_id!r}: bad offsets {self.start}..{self.end} "
                "(need 0 <= start <= end)"
            )

    def metadata(self) -> dict[str, str | int | float | bool]:
        """Flat, Chroma-safe metadata (no None values)."""
        meta: dict[str, str | int | float | bool] = {
            "meeting_id": self.meeting_id,
            "body": self.body,
            "date": self.date,
            "date_int": date_number(self.date),
            "doc_type": self.doc_type,
            "item_number": self.item_number,
            "item_order": self.item_order,
            "item_title": self.item_title,
            "section": self.section,
            "section_role": self.section_role,
            "closed": self.closed,
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
    metadata: dict[str, str] = field(default_factory=dict)
    """What the file says about itself outside the text, by key: ``title``, ``subject``
    (PDF/DOCX properties, HTML ``<title>``), ``running_header`` (lines repeated at the top
    of pages, stripped from ``text``)."""


def slugify(value: str) -> str:
    """Lower-case ASCII-ish slug: 'KKR Midtjylland' -> 'kkr-midtjylland'."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})
    value = value.translate(table).lower()
    return re.sub(r"[^a-z0-9]+", "-", value).strip("-")
