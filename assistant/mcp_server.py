"""Model Context Protocol server: the archive as read-only tools for MCP clients.

``meetings mcp`` serves five tools over stdio (default) or streamable HTTP (``--http``):
``search``, ``get_item``, ``get_meeting``, ``get_case`` and ``list_bodies``.  Every result
carries the same citation fields (body, meeting date, doc type, item number and title,
section) and deep links (``/item/<meeting_id>/<number>``) as the web app and ``meetings ask
--json``, because they are built by the same code (:mod:`.answer`, :mod:`.cases`,
:mod:`.links`); ranking is the :class:`~.answer.Assistant`'s, never redone here.

Bad arguments raise :class:`ToolError` with a message that starts with the argument's name,
so the client gets an ``isError`` result it can correct, not a crashed server.  The question
and its filters are checked by :mod:`.validate`, the one rule set of the web API and ``meetings
ask``, and the message is in the question's language; the tool schemas advertise the same
bounds but leave enforcing them to those rules (so the message is the rule's, not pydantic's).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field, WithJsonSchema

from ingest.chunker import citation_line
from ingest.models import AgendaItem, Meeting

from .access import CLOSED_NOTE, PUBLIC, Viewer, withheld
from .answer import Assistant
from .links import UNNUMBERED, item_url
from .messages import DEFAULT_LANGUAGE, message
from .search import Filters
from .settings import DEFAULT_MCP_PORT
from .validate import DOC_TYPES, MAX_K, MAX_QUESTION_CHARS, InputError, validate_ask

SERVER_NAME = "meetings"
SUGGESTIONS = 5
"""Near matches named in an 'unknown meeting id' error."""
DEFAULT_HTTP_PORT = DEFAULT_MCP_PORT
ERROR_LANGUAGE = "en"
"""Errors about ids and numbers (not the question) are in English: the argument names
they start with are English, and the reader is the client's model."""
ARGUMENT_NAMES = {"from": "date_from", "to": "date_to"}
"""The tools' argument names for :mod:`.validate`'s field names (the JSON API's spelling)."""
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]

INSTRUCTIONS = (
    "Read-only search over Danish municipal meeting agendas (dagsorden) and minutes "
    "(referat). Start with `search` (a question in Danish or English, optional filters) or "
    "`list_bodies`; follow up with `get_item`, `get_meeting` or `get_case` using the "
    "meeting_id, item number and case number from earlier results. Cite results by their "
    "`citation` line and `url` (a path of the web app, /item/<meeting_id>/<item number>). "
    "A `decision` is what minutes record as decided; agendas only carry a `proposal` "
    "(Indstilling) and never a decision."
)

READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)

# Bounds are schema hints only (json_schema_extra): validate_ask enforces them with its message.
Question = Annotated[
    str,
    Field(json_schema_extra={"minLength": 1, "maxLength": MAX_QUESTION_CHARS},
          description="The question, in Danish or English (the answer follows its language)"),
]
K = Annotated[
    int,
    Field(json_schema_extra={"minimum": 1, "maximum": MAX_K},
          description=f"Number of items, 1-{MAX_K}"),
]
Body = Annotated[
    str | None,
    Field(description="Only this body, as stored (list_bodies names them); case-insensitive"),
]
DateArg = Annotated[str | None, Field(description="YYYY-MM-DD (or DD-MM-YYYY), inclusive")]
DocType = Annotated[
    str | None,
    WithJsonSchema({"anyOf": [{"enum": list(DOC_TYPES), "type": "string"}, {"type": "null"}]}),
    Field(description="Only agendas (dagsorden) or only minutes (referat)"),
]
MeetingId = Annotated[
    str, Field(min_length=1, description="A meeting_id from search, get_case or get_meeting")
]
ItemNumber = Annotated[
    str,
    Field(min_length=1,
          description=f"The agenda item number as printed, e.g. '3.1' ('{UNNUMBERED}' for the "
                      "single unnumbered item of a document without agenda structure)"),
]
CaseNumber = Annotated[
    str, Field(min_length=1, description="A case number as printed, e.g. SAG-2023-00155 or 24/1234")
]


class ArchiveTools:
    """The tools' logic over one loaded :class:`Assistant` (plain methods: easy to test)."""

    def __init__(self, assistant: Assistant, viewer: Viewer = PUBLIC) -> None:
        self.assistant = assistant
        self.viewer = viewer
        """Who the clients are: closed items show their content only with the closed role
        (``meetings mcp --closed``)."""

    @property
    def meetings(self) -> dict[str, Meeting]:
        return self.assistant.retriever.meetings

    # --- tools -------------------------------------------------------------------------
    def search(
        self,
        question: str,
        k: int = 5,
        body: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        doc_type: str | None = None,
    ) -> dict[str, Any]:
        """The ``meetings ask --json`` / ``POST /api/ask`` contract for one question, under
        the same input rules (:func:`~.validate.validate_ask`)."""
        try:
            ok = validate_ask(question, k=k, body=body, date_from=date_from, date_to=date_to,
                              doc_type=doc_type, bodies=self.assistant.retriever.bodies.bodies)
        except InputError as exc:
            raise tool_error(exc) from None
        filters = Filters(body=ok.body, date_from=ok.date_from, date_to=ok.date_to,
                          doc_type=ok.doc_type)
        return self.assistant.ask(ok.question, k=ok.k, filters=filters,
                                  viewer=self.viewer).as_dict()

    def get_item(self, meeting_id: str, item_number: str) -> dict[str, Any]:
        """One agenda item with every section (name, role, text, citation), in order."""
        meeting = self._meeting_arg(meeting_id)
        item = self._item_arg(meeting, item_number)
        data: dict[str, Any] = {
            "meeting": meeting_header(meeting),
            "item": item_header(item),
            "citation": citation_line(meeting, item, ""),
            "url": item_url(meeting.meeting_id, item.number),
        }
        if withheld(item):  # a closed item shows its title only (assistant.access)
            return {**data, "note": CLOSED_NOTE[DEFAULT_LANGUAGE], "sections": []}
        sections = [
            {"name": s.name, "role": s.role, "text": s.text,
             "citation": citation_line(meeting, item, s.name)}
            for s in item.sections
        ]
        return {
            **data,
            "sections": sections,
            "decision": item.decision if meeting.doc_type == "referat" else None,
            "proposal": item.proposal,
            "attachments": list(item.attachments),
        }

    def get_meeting(self, meeting_id: str) -> dict[str, Any]:
        """A meeting's header and its agenda items (no section texts: see get_item)."""
        meeting = self._meeting_arg(meeting_id)
        items = [
            {
                **item_header(item),
                "sections": [] if withheld(item) else [s.name for s in item.sections],
                "citation": citation_line(meeting, item, ""),
                "url": item_url(meeting.meeting_id, item.number),
            }
            for item in meeting.items
        ]
        return {"meeting": meeting_header(meeting), "items": items}

    def get_case(self, case_number: str) -> dict[str, Any]:
        """Every treatment of one case number in date order, with decision or proposal."""
        treatments = self.assistant.case(case_number, self.viewer)
        if not treatments:
            raise ToolError(message("mcp.unknown_case", ERROR_LANGUAGE,
                                    number=case_number.strip()))
        entries = []
        for t in treatments:
            entry = t.as_dict()
            if withheld(t.item):
                entry["note"] = CLOSED_NOTE[DEFAULT_LANGUAGE]
            entries.append(entry)
        return {"case_number": treatments[0].item.case_number, "treatments": entries}

    def list_bodies(self) -> dict[str, Any]:
        """Bodies in the index with meeting counts and the dates of their first/last one."""
        return {"bodies": body_summary(self.meetings.values())}

    # --- argument checks ---------------------------------------------------------------
    def _meeting_arg(self, meeting_id: str) -> Meeting:
        meeting = self.meetings.get(meeting_id.strip())
        if meeting is not None:
            return self.viewer.meeting(meeting)
        near = difflib.get_close_matches(meeting_id.strip(), list(self.meetings), SUGGESTIONS)
        hint = message("mcp.did_you_mean", ERROR_LANGUAGE, near=", ".join(near)) if near else ""
        raise ToolError(message("mcp.unknown_meeting", ERROR_LANGUAGE, meeting_id=meeting_id,
                                hint=hint))

    @staticmethod
    def _item_arg(meeting: Meeting, item_number: str) -> AgendaItem:
        number = item_number.strip()
        number = "" if number == UNNUMBERED else number
        item = meeting.item(number)
        if item is None:
            have = ", ".join(i.number or UNNUMBERED for i in meeting.items)
            raise ToolError(message("mcp.unknown_item", ERROR_LANGUAGE, number=item_number,
                                    meeting_id=meeting.meeting_id, have=have))
        return item


def tool_error(exc: InputError) -> ToolError:
    """The refused input as a ToolError that starts with the tool's argument name (the
    message in the question's language, as the API and CLI give it)."""
    return ToolError(f"{ARGUMENT_NAMES.get(exc.field, exc.field)}: {exc.message()}")


def meeting_header(meeting: Meeting) -> dict[str, Any]:
    """The citation fields of a meeting (the keys search results use, plus time/title)."""
    return {
        "meeting_id": meeting.meeting_id,
        "body": meeting.body,
        "date": meeting.date,
        "doc_type": meeting.doc_type,
        "time": meeting.time,
        "location": meeting.location,
        "title": meeting.title,
    }


def item_header(item: AgendaItem) -> dict[str, Any]:
    return {"number": item.number, "title": item.title, "case_number": item.case_number,
            "closed": item.closed}


def body_summary(meetings: Iterable[Meeting]) -> list[dict[str, Any]]:
    """One entry per body (None = body unknown): meeting count by doc type, date range."""
    grouped: dict[str | None, list[Meeting]] = {}
    for meeting in meetings:
        grouped.setdefault(meeting.body, []).append(meeting)
    entries = []
    for body, held in sorted(grouped.items(), key=lambda kv: (kv[0] is None, kv[0] or "")):
        dates = sorted(m.date for m in held if m.date)
        entries.append({
            "body": body,
            "meetings": len(held),
            "agendas": sum(m.doc_type == "dagsorden" for m in held),
            "minutes": sum(m.doc_type == "referat" for m in held),
            "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None,
        })
    return entries


def create_server(
    assistant: Assistant, log_level: LogLevel = "WARNING", viewer: Viewer = PUBLIC
) -> MCPServer:
    """An MCPServer with the five read-only archive tools bound to ``assistant``, showing
    closed items as ``viewer`` may see them."""
    tools = ArchiveTools(assistant, viewer)
    server: MCPServer = MCPServer(SERVER_NAME, instructions=INSTRUCTIONS, log_level=log_level)

    @server.tool(annotations=READ_ONLY)
    def search(question: Question, k: K = 5, body: Body = None, date_from: DateArg = None,
               date_to: DateArg = None, doc_type: DocType = None) -> dict[str, Any]:
        """Ask the archive a question. Returns the cited answer line and the matching agenda
        items in rank order, each with its citation fields, passage text, decision (minutes)
        or proposal (Indstilling), and url; `no_answer` is true when the archive cannot
        answer, with the reason in `answer`."""
        return tools.search(question, k, body, date_from, date_to, doc_type)

    @server.tool(annotations=READ_ONLY)
    def get_item(meeting_id: MeetingId, item_number: ItemNumber) -> dict[str, Any]:
        """One agenda item in full: title, case number, closed flag, every section with its
        role (background, proposal, decision, ...) and text, decision, proposal, url. A closed
        item ("Lukket punkt") shows its title only."""
        return tools.get_item(meeting_id, item_number)

    @server.tool(annotations=READ_ONLY)
    def get_meeting(meeting_id: MeetingId) -> dict[str, Any]:
        """A meeting's header (body, date, doc type, time, location) and its list of agenda
        items, each with number, title, case number, section names and url."""
        return tools.get_meeting(meeting_id)

    @server.tool(annotations=READ_ONLY)
    def get_case(case_number: CaseNumber) -> dict[str, Any]:
        """Case history: every agenda item with this case number, in date order (often over
        several bodies), each with its decision or proposal and url."""
        return tools.get_case(case_number)

    @server.tool(annotations=READ_ONLY)
    def list_bodies() -> dict[str, Any]:
        """The bodies (councils, committees, networks) in the archive, with their number of
        meetings (agendas, minutes) and the dates of the first and last one."""
        return tools.list_bodies()

    return server


def serve(assistant: Assistant, http: bool = False, host: str = "127.0.0.1",
          port: int = DEFAULT_HTTP_PORT, verbose: bool = False,
          viewer: Viewer = PUBLIC) -> None:
    """Run the server until the client (stdio) or Ctrl-C (HTTP) ends it."""
    server = create_server(assistant, log_level="INFO" if verbose else "WARNING",
                           viewer=viewer)
    if http:
        server.run("streamable-http", host=host, port=port)
    else:
        server.run("stdio")


__all__ = ["ArchiveTools", "body_summary", "create_server", "serve"]
