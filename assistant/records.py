"""Typed, frozen result records: a :class:`Citation` and the :class:`Hit` that carries it.

Search results are built once as records (:meth:`Hit.of`) and turned into dicts only at
the JSON/CLI edge (:meth:`Hit.as_dict`, the ``meetings ask --json`` contract), so that code
between the search and the edge reads typed fields instead of re-parsing dicts, and the
citation text, item label and deep link are each written in one place
(:func:`ingest.chunker.format_citation`, :func:`ingest.chunker.item_label`,
:func:`assistant.links.item_url`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ingest.chunker import format_citation, item_label, meeting_label

from .links import item_url
from .search import ItemHit
from .tuning import TUNING


@dataclass(frozen=True)
class Citation:
    """Where a passage comes from: meeting, item and section, and the chunk it quotes.

    ``body``/``date``/``doc_type`` are None (or "") when the document does not say them;
    the printed line then reads the unknown labels ("Ukendt organ", "udateret")."""

    body: str | None
    date: str | None
    doc_type: str | None
    item_number: str
    item_title: str
    section: str
    meeting_id: str
    chunk_id: str | None = None

    def line(self, lang: str = "da") -> str:
        """'KKR Midtjylland · 10.02.2023 · Referat · pkt. 3.1 Title · Beslutning'."""
        return format_citation(self.body, self.date, self.doc_type, self.item_number,
                               self.item_title, self.section, lang)

    def heading(self) -> str:
        """The meeting part of the line: 'KKR Midtjylland · 10.02.2023 · Referat'."""
        return meeting_label(self.body, self.date, self.doc_type)

    def label(self, lang: str = "da") -> str:
        """'pkt. 3.1 Title' ('item 3.1 Title' in English; the title alone if unnumbered)."""
        return item_label(self.item_number, self.item_title, lang)

    def url(self) -> str:
        """The deep link to the item, highlighting the quoted chunk when there is one."""
        return item_url(self.meeting_id, self.item_number, self.chunk_id)

    def item_url(self) -> str:
        """The deep link to the item itself (no highlighted chunk)."""
        return item_url(self.meeting_id, self.item_number)


@dataclass(frozen=True)
class Hit:
    """One ranked result as every surface shows it: its citation, the quoted passages and
    the item's decision and recommendation (None where none is recorded)."""

    rank: int
    score: float
    citation: Citation
    text: str
    decision: str | None
    proposal: str | None
    location: str | None = None
    case_number: str | None = None
    closed: bool = False

    @classmethod
    def of(cls, rank: int, hit: ItemHit) -> Hit:
        """The record of a search hit at ``rank``: its best passages, score rounded as
        shown (4 decimals), cited at its best passage's section and chunk."""
        m, it, best = hit.meeting, hit.item, hit.best
        shown = TUNING.answer.top_passages if rank == 1 else TUNING.answer.passages_per_item
        passages = hit.passages[:shown]
        citation = Citation(
            body=m.body, date=m.date, doc_type=m.doc_type, item_number=it.number,
            item_title=it.title, section=best.section, meeting_id=m.meeting_id,
            chunk_id=best.chunk_id,
        )
        return cls(
            rank=rank, score=round(hit.score, 4), citation=citation,
            text="\n\n".join(p.text for p in passages), decision=hit.decision,
            proposal=hit.proposal, location=m.location, case_number=it.case_number,
            closed=it.closed,
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Hit:
        """The record of a result dict (a pinned result sent back by the UI); ValueError
        naming the missing or mistyped field when it is not one."""
        try:
            meeting, item = data["meeting"], data["item"]
            citation = Citation(
                body=meeting["body"], date=meeting["date"], doc_type=meeting["doc_type"],
                item_number=str(item["number"]), item_title=str(item["title"]),
                section=str(data["section"] or ""), meeting_id=str(meeting["meeting_id"]),
                chunk_id=str(data["chunk_id"]),
            )
            return cls(
                rank=int(data["rank"]), score=float(data["score"]), citation=citation,
                text=str(data["text"] or ""), decision=data["decision"] or None,
                proposal=data["proposal"] or None, location=meeting.get("location"),
                case_number=item.get("case_number"), closed=bool(item.get("closed", False)),
            )
        except KeyError as exc:
            raise ValueError(f"not a search result dict (missing {exc})") from None
        except (TypeError, AttributeError, ValueError) as exc:
            raise ValueError(f"not a search result dict ({exc})") from None

    def as_dict(self) -> dict[str, Any]:
        """The result's JSON shape (``meetings ask --json``, the API, the UI's pins)."""
        c = self.citation
        return {
            "rank": self.rank,
            "score": self.score,
            "meeting": {
                "meeting_id": c.meeting_id,
                "body": c.body,
                "date": c.date,
                "doc_type": c.doc_type,
                "location": self.location,
            },
            "item": {
                "number": c.item_number, "title": c.item_title, "case_number": self.case_number,
                "closed": self.closed,
            },
            "section": c.section,
            "text": self.text,
            "decision": self.decision,
            "proposal": self.proposal,
            "url": c.url(),
            "citation": c.line(),
            "chunk_id": c.chunk_id,
        }


__all__ = ["Citation", "Hit"]
