"""Who may see what: the one place that decides what a closed agenda item shows.

A closed item ("Lukket punkt") is treated behind closed doors.  By default ingest keeps
only its title; ``meetings ingest --include-closed`` also stores its content (its chunks
and sections carry ``closed: true``).  Every reader - search, answers, the source view,
the JSON API, briefing exports, case histories and the MCP server - asks a
:class:`Viewer` what it may show: a viewer with the ``closed`` role sees the content,
everyone else sees the item's title and "Lukket punkt" (as if the content were never
stored).  The viewer's roles come from whoever calls: the web app's login
(``web.users``), the ``--closed`` flag of the command line, the MCP server's flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ingest.chunker import CLOSED_SECTION
from ingest.models import AgendaItem, Meeting

from .messages import DEFAULT_LANGUAGE, LANGUAGES, message

if TYPE_CHECKING:
    from .cases import Treatment
    from .search import ItemHit

CLOSED_ROLE = "closed"
"""Sees the content of closed items (when ingest stored it)."""
ADMIN_ROLE = "admin"
"""May ingest through the web API with ``include_closed`` (when roles are configured)."""
ROLES = (CLOSED_ROLE, ADMIN_ROLE)

CLOSED_NOTE = {language: message("access.closed_note", language) for language in LANGUAGES}
"""What a closed item shows instead of its content, by language (the catalog's
``access.closed_note``; the Danish one is the section name closed items are stored under)."""


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a name (for logs) and roles.  ``Viewer()`` has no roles."""

    name: str = ""
    roles: frozenset[str] = frozenset()

    @property
    def sees_closed(self) -> bool:
        return CLOSED_ROLE in self.roles

    @property
    def is_admin(self) -> bool:
        return ADMIN_ROLE in self.roles

    # --- stored chunks -----------------------------------------------------------------
    def may_read(self, meta: Mapping[str, Any]) -> bool:
        """True when this viewer may see (and be found by) a chunk with metadata ``meta``."""
        return self.sees_closed or not is_closed_content(meta)

    # --- parsed items and meetings -----------------------------------------------------
    def item(self, item: AgendaItem) -> AgendaItem:
        """``item`` as this viewer may see it: a closed item without its content."""
        if self.sees_closed or not item.closed or not (item.sections or item.attachments):
            return item
        return replace(item, sections=(), attachments=())

    def meeting(self, meeting: Meeting) -> Meeting:
        """``meeting`` with every item as this viewer may see it."""
        if self.sees_closed or not any(has_closed_content(i) for i in meeting.items):
            return meeting
        return replace(meeting, items=tuple(self.item(i) for i in meeting.items))

    def hits(self, hits: Iterable[ItemHit]) -> list[ItemHit]:
        """Search results whose meeting and item are as this viewer may see them."""
        return [
            h if self.sees_closed or not has_closed_content(h.item)
            else replace(h, meeting=self.meeting(h.meeting), item=self.item(h.item))
            for h in hits
        ]

    def treatments(self, treatments: Iterable[Treatment]) -> list[Treatment]:
        """A case history as this viewer may see it."""
        return [
            t if self.sees_closed or not has_closed_content(t.item)
            else replace(t, meeting=self.meeting(t.meeting), item=self.item(t.item))
            for t in treatments
        ]

    def result(self, result: Mapping[str, Any], language: str = "da") -> dict[str, Any]:
        """A search result dict (``answer.result_dict``; a pinned passage) as this viewer
        may see it: a closed item's passage becomes its title and "Lukket punkt"."""
        data = dict(result)
        item = data.get("item")
        if self.sees_closed or not (isinstance(item, Mapping) and item.get("closed")):
            return data
        note = CLOSED_NOTE.get(language, CLOSED_NOTE[DEFAULT_LANGUAGE])
        citation, section = str(data.get("citation") or ""), str(data.get("section") or "")
        if section and citation.endswith(f" · {section}"):
            data["citation"] = citation[: -len(section)] + note
        data.update(section=note, text=str(item.get("title") or ""), decision=None,
                    proposal=None)
        return data


PUBLIC = Viewer()
"""A viewer without roles: what every surface shows unless told otherwise."""
OPERATOR_WITH_CLOSED = Viewer("operator", frozenset({CLOSED_ROLE}))
"""The local operator who asked for closed content (``meetings ask --closed``)."""


def is_closed_content(meta: Mapping[str, Any]) -> bool:
    """True for a stored chunk of a closed item's content (not its title chunk)."""
    return bool(meta.get("closed")) and meta.get("section") != CLOSED_SECTION


def has_closed_content(item: AgendaItem) -> bool:
    """True when ``item`` is closed and carries content (ingested with --include-closed)."""
    return item.closed and bool(item.sections or item.attachments)


def withheld(item: AgendaItem) -> bool:
    """True when a closed item shows only its title (content withheld or never stored)."""
    return item.closed and not item.sections

