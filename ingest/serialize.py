"""Meeting <-> JSON-able dict, for the ``documents`` collection and the CLI/API."""

from __future__ import annotations

import json
from dataclasses import asdict
from dataclasses import fields as dataclass_fields
from typing import Any

from .models import AgendaItem, Meeting, Section


def meeting_to_dict(meeting: Meeting) -> dict[str, Any]:
    """A JSON-able dict of the whole meeting, with its ``meeting_id``."""
    data = asdict(meeting)
    data["meeting_id"] = meeting.meeting_id
    return data


def meeting_from_dict(data: dict[str, Any]) -> Meeting:
    """Inverse of :func:`meeting_to_dict` (ignores derived keys)."""
    items = tuple(
        AgendaItem(
            **{k: v for k, v in item.items() if k not in ("sections", "attachments")},
            sections=tuple(Section(**s) for s in item.get("sections", [])),
            attachments=tuple(item.get("attachments", [])),
        )
        for item in data.get("items", [])
    )
    derived = ("items", "meeting_id", "participants", "absentees", "warnings", "sources", "text")
    fields = {k: v for k, v in data.items() if k not in derived and k in _MEETING_FIELDS}
    return Meeting(
        **fields,
        items=items,
        participants=tuple(data.get("participants", [])),
        absentees=tuple(data.get("absentees", [])),
        warnings=tuple(data.get("warnings", [])),
        sources=tuple(data.get("sources", [])),
    )


_MEETING_FIELDS = frozenset(f.name for f in dataclass_fields(Meeting))


def inspect_entry(meeting: Meeting) -> dict[str, Any]:
    """The ``meetings inspect --json`` shape: the outline of the meeting plus everything
    that says how the document was understood (closed items, section roles, warnings)."""
    return {
        **outline_entry(meeting),
        "time": meeting.time,
        "participants": list(meeting.participants),
        "absentees": list(meeting.absentees),
        "items": [
            {
                "number": item.number,
                "title": item.title,
                "case_number": item.case_number,
                "closed": item.closed,
                "sections": [
                    {"name": s.name, "role": s.role, "chars": len(s.text)} for s in item.sections
                ],
                "attachments": list(item.attachments),
            }
            for item in meeting.items
        ],
        "warnings": list(meeting.warnings),
    }


def outline_entry(meeting: Meeting) -> dict[str, Any]:
    """The `meetings outline --json` shape of one meeting."""
    return {
        "meeting_id": meeting.meeting_id,
        "body": meeting.body,
        "date": meeting.date,
        "doc_type": meeting.doc_type,
        "location": meeting.location,
        "source": meeting.source,
        "items": [
            {
                "number": item.number,
                "title": item.title,
                "case_number": item.case_number,
                "sections": [s.name for s in item.sections],
            }
            for item in meeting.items
        ],
    }


_NOT_READ = ("meeting_id", "id_suffix", "source", "sources")
"""Payload keys that the ingest, not the reading of the text, decides."""


def reads_as_stored(payload: dict[str, Any], meeting: Meeting) -> bool:
    """True when ``meeting``, a fresh reading of a stored document's unchanged text,
    equals the stored reading (``payload``): a parser upgrade that reads the text otherwise
    makes the next ingest store it again."""
    fresh = json.loads(json.dumps(meeting_to_dict(meeting), ensure_ascii=False))
    return all(payload.get(k) == v for k, v in fresh.items() if k not in _NOT_READ)
