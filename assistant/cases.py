"""Case history (sagsforløb): every treatment of one case number, in date order.

Agenda items that share a case number are one case treated over time, often by several
bodies (committee -> Økonomiudvalget -> Byråd).  The index is built from the stored
meetings; case numbers are compared as printed, ignoring case and spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ingest.chunker import DOC_TYPE_LABEL, UNKNOWN_BODY, format_date, item_label
from ingest.models import AgendaItem, Meeting

from .access import CLOSED_NOTE, withheld
from .links import item_url


def case_key(number: str) -> str:
    """'sag-2023-00155 ' -> 'SAG-2023-00155': the form case numbers are compared in."""
    return re.sub(r"\s+", "", number).upper()


@dataclass(frozen=True)
class Treatment:
    """One agenda item of a case: where and when it was treated, and the outcome."""

    meeting: Meeting
    item: AgendaItem

    @property
    def decision(self) -> str | None:
        # a closed item's content shows only as the viewer may see it (assistant.access)
        if self.meeting.doc_type == "dagsorden" or withheld(self.item):
            return None
        return self.item.decision

    @property
    def proposal(self) -> str | None:
        return None if withheld(self.item) else self.item.proposal

    def label(self) -> str:
        """'Økonomiudvalget · 03.05.2024 · Referat · pkt. 5 Title'."""
        return " · ".join([
            self.meeting.body or UNKNOWN_BODY,
            format_date(self.meeting.date),
            DOC_TYPE_LABEL[self.meeting.doc_type],
            item_label(self.item.number, self.item.title),
        ])

    def url(self) -> str:
        return item_url(self.meeting.meeting_id, self.item.number)

    def as_dict(self) -> dict[str, Any]:
        note = {"note": CLOSED_NOTE["da"]} if withheld(self.item) else {}
        return {
            "meeting": {
                "meeting_id": self.meeting.meeting_id,
                "body": self.meeting.body,
                "date": self.meeting.date,
                "doc_type": self.meeting.doc_type,
            },
            "item": {
                "number": self.item.number,
                "title": self.item.title,
                "case_number": self.item.case_number,
                "closed": self.item.closed,
            },
            "decision": self.decision,
            "proposal": self.proposal,
            "url": self.url(),
            "citation": self.label(),
            **note,
        }


def case_index(meetings: Iterable[Meeting]) -> dict[str, list[Treatment]]:
    """Case key -> its treatments in date order (undated last, then document order)."""
    index: dict[str, list[Treatment]] = {}
    for meeting in meetings:
        for item in meeting.items:
            if item.case_number:
                index.setdefault(case_key(item.case_number), []).append(Treatment(meeting, item))
    for treatments in index.values():
        treatments.sort(key=lambda t: (t.meeting.date or "9999", t.meeting.meeting_id,
                                       t.item.order))
    return index
