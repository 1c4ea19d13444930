"""`meetings mcp`: the archive's read-only tools, called through the MCP SDK's own client.

One real Chroma index per module (fake embedder): the sample corpus, a minutes document with
a closed item, a note without agenda structure, and a case treated by two bodies.  Most
tests talk to the server in-process over the SDK's JSON-RPC memory transport; one spawns the
real CLI over stdio, one over streamable HTTP, and a slow one runs the `meetings` console
script with the real model.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest
from mcp import Client, ClientSession, StdioServerParameters, stdio_client
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult

from assistant.answer import Assistant
from assistant.links import item_url
from assistant.mcp_server import create_server
from assistant.search import Filters, Retriever
from assistant.validate import DOC_TYPES, MAX_K, MAX_QUESTION_CHARS, InputError, validate_ask
from ingest.chunker import citation_line
from vectorstore.embedder import HashEmbedder

REPO = Path(__file__).resolve().parents[1]
GENERAL = REPO / "tests" / "general"
TOOLS = {"search", "get_item", "get_meeting", "get_case", "list_bodies"}
KLIMA_MINUTES = "kkr-midtjylland-2023-02-10-referat"
HJORTSOE = "oekonomiudvalget-hjortsoe-kommune-2024-03-12-referat"
NOTE = "ukendt-ukendt-dokument"  # body, date and type unknown: the documented id scheme

CASE_DOCS = {
    "teknik.txt": """Teknik- og Miljøudvalget, Hjortsø Kommune
Dagsorden
Mødedato: 3. april 2024

1. Ny cykelsti langs Strandvejen
Sagsnr.: 24/1234
Indstilling
Administrationen indstiller, at udvalget anbefaler projektet.
""",
    "byraad.txt": """Byrådet, Hjortsø Kommune
Referat
Mødedato: 30. april 2024

7. Ny cykelsti langs Strandvejen
Sagsnr. 24/1234
Beslutning
Anlægsbevillingen på 4,2 mio. kr. blev givet.

8. Lukket: Køb af jord til cykelstien
Sagsnr. 24/1234
""",
}

# Runs the real CLI entry point with the fake embedder injected (the index was built with
# it; the real model would refuse an index of another vector space).
LAUNCHER = """
import sys
from assistant.cli import main
from assistant.settings import Services, Settings
from vectorstore.embedder import HashEmbedder

args = sys.argv[1:]
db = args[args.index("--db") + 1]
sys.exit(main(args, Services(Settings.from_env(db_dir=db), embedder=HashEmbedder())))
"""

T = TypeVar("T")


@dataclass
class Archive:
    db: Path
    assistant: Assistant
    server: MCPServer
    launcher: Path


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, services_factory: Any,
            sample_dir: Path) -> Archive:
    root = tmp_path_factory.mktemp("mcp")
    docs = root / "docs"
    docs.mkdir()
    for name, text in CASE_DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    for name in ("01_hjortsoe_oekonomiudvalget_referat.md", "12_notat_vintertjeneste.md"):
        shutil.copy(GENERAL / name, docs / name)
    services = services_factory(root / "index", HashEmbedder())
    report = services.ingestor.ingest([sample_dir, docs])
    assert report.ingested == 9 and not report.errors, report.as_dict()
    assistant = Assistant(Retriever(services.store, services.embedder))
    launcher = root / "launch_mcp.py"
    launcher.write_text(LAUNCHER, encoding="utf-8")
    return Archive(root / "index", assistant, create_server(assistant), launcher)


def with_client(server: MCPServer, fn: Callable[[Client], Awaitable[T]]) -> T:
    """Run ``fn`` with an SDK client connected over JSON-RPC (the legacy handshake)."""

    async def go() -> T:
        async with Client(server, mode="legacy") as client:
            return await fn(client)

    return anyio.run(go)


def call(archive: Archive, tool: str, **arguments: Any) -> CallToolResult:
    return with_client(archive.server, lambda c: c.call_tool(tool, arguments))


def ok(archive: Archive, tool: str, **arguments: Any) -> dict[str, Any]:
    result = call(archive, tool, **arguments)
    assert not result.is_error, result.content
    assert isinstance(result.structured_content, dict)
    return result.structured_content


def error_text(archive: Archive, tool: str, **arguments: Any) -> str:
    result = call(archive, tool, **arguments)
    assert result.is_error, result.structured_content
    text = result.content[0].text  # type: ignore[union-attr]
    assert isinstance(text, str)
    return text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the tool list ---------------------------------------------------------------------------


def test_exactly_the_five_read_only_tools(archive: Archive) -> None:
    listed = with_client(archive.server, lambda c: c.list_tools()).tools
    assert {t.name for t in listed} == TOOLS and len(listed) == len(TOOLS)
    for tool in listed:
        assert tool.annotations is not None and tool.annotations.read_only_hint, tool.name
        assert tool.description
    schema = next(t for t in listed if t.name == "search").input_schema
    assert schema["required"] == ["question"]
    assert set(schema["properties"]) == {"question", "k", "body", "date_from", "date_to",
                                         "doc_type"}
    assert (schema["properties"]["k"]["minimum"], schema["properties"]["k"]["maximum"]) == (
        1, MAX_K)
    question = schema["properties"]["question"]
    assert (question["minLength"], question["maxLength"]) == (1, MAX_QUESTION_CHARS)
    assert schema["properties"]["doc_type"]["anyOf"][0]["enum"] == list(DOC_TYPES)


# --- search ---------------------------------------------------------------------------------


def test_search_is_the_ask_contract_with_citations(archive: Archive) -> None:
    question = "Hvad blev besluttet om KlimaMidt og klimasamarbejdet?"
    got = ok(archive, "search", question=question, k=4)
    assert got == archive.assistant.ask(question, k=4).as_dict()
    # ranking quality is the assistant's (and the fake embedder's); here: the same answer
    assert got["answer"] and len(got["results"]) == 4
    meetings = archive.assistant.retriever.meetings
    for rank, r in enumerate(got["results"], 1):
        meeting = meetings[r["meeting"]["meeting_id"]]
        item = meeting.item(r["item"]["number"])
        assert item is not None and r["rank"] == rank
        assert (r["meeting"]["body"], r["meeting"]["date"], r["meeting"]["doc_type"]) == (
            meeting.body, meeting.date, meeting.doc_type)
        assert r["item"]["title"] == item.title
        assert r["url"] == item_url(meeting.meeting_id, item.number, r["chunk_id"])
        assert r["url"].startswith(f"/item/{meeting.meeting_id}/{item.number}?hl=")
        assert r["citation"] == citation_line(meeting, item, r["section"])
        assert r["section"] in [s.name for s in item.sections]
        if meeting.doc_type == "dagsorden":
            assert r["decision"] is None
        else:
            assert r["decision"] == item.decision
        assert r["proposal"] == item.proposal


def test_search_filters_are_applied(archive: Archive) -> None:
    question = "klima og sundhed i kommunerne"
    only_kd = ok(archive, "search", question=question, body="kd-net", k=10)["results"]
    assert only_kd and {r["meeting"]["body"] for r in only_kd} == {"KD-Net"}
    agendas = ok(archive, "search", question=question, doc_type="dagsorden", k=10)["results"]
    assert agendas and {r["meeting"]["doc_type"] for r in agendas} == {"dagsorden"}
    assert all(r["decision"] is None for r in agendas)
    window = ok(archive, "search", question=question, date_from="2023-01-01",
                date_to="21-06-2023", k=10)["results"]
    assert window and all("2023-01-01" <= r["meeting"]["date"] <= "2023-06-21" for r in window)
    expected = archive.assistant.ask(
        question, k=10, filters=Filters(date_from="2023-01-01", date_to="2023-06-21"))
    assert [r["chunk_id"] for r in window] == [r["chunk_id"] for r in expected.results]


def test_search_in_english_answers_in_english(archive: Archive) -> None:
    got = ok(archive, "search", question="What was decided about KlimaMidt?", k=2)
    assert got["language"] == "en"


@pytest.mark.parametrize(
    ("arguments", "argument"),
    [
        ({"question": ""}, "question"),
        ({"question": "   "}, "question"),
        ({"question": "klima", "k": 0}, "k"),
        ({"question": "klima", "k": MAX_K + 1}, "k"),
        ({"question": "klima", "date_from": "2023-13-01"}, "date_from"),
        ({"question": "klima", "date_to": "i går"}, "date_to"),
        ({"question": "klima", "date_from": "2024-01-01", "date_to": "2023-01-01"}, "date_to"),
        ({"question": "klima", "doc_type": "protokol"}, "doc_type"),
        ({"question": "klima", "body": "KKR Nordjylland"}, "body"),
        ({"question": "?! …"}, "question"),
        ({"question": "klima\x1b[2J"}, "question"),
        ({"question": "klima " * (MAX_QUESTION_CHARS // 6 + 1)}, "question"),
        ({"k": 3}, "question"),
    ],
)
def test_search_bad_arguments_are_tool_errors_naming_the_argument(
    archive: Archive, arguments: dict[str, Any], argument: str
) -> None:
    text = error_text(archive, "search", **arguments)
    assert re.search(rf"(^|\W){argument}(\W|$)", text), text
    if "question" in arguments:  # a value rule (validate.py), not a schema type error
        assert f": {argument}: " in text and "pydantic" not in text, text


@pytest.mark.parametrize(
    ("arguments", "argument", "language"),
    [
        ({"question": "Hvad blev besluttet om klima?", "k": MAX_K + 1}, "k", "da"),
        ({"question": "What was decided about the climate?", "k": 0}, "k", "en"),
        ({"question": "What was decided?", "date_from": "2024-01-01",
          "date_to": "2023-01-01"}, "date_to", "en"),
        ({"question": "What was decided?", "date_from": "13/13/2023"}, "date_from", "en"),
        ({"question": "Hvad blev besluttet?", "body": "KKR Nordjylland"}, "body", "da"),
        ({"question": "What was decided?", "doc_type": "protokol"}, "doc_type", "en"),
    ],
)
def test_search_errors_are_the_api_rules_in_the_questions_language(
    archive: Archive, arguments: dict[str, Any], argument: str, language: str
) -> None:
    """The message is validate_ask's (the API's and CLI's), after the argument's name."""
    with pytest.raises(InputError) as refused:
        validate_ask(bodies=archive.assistant.retriever.bodies.bodies, **arguments)
    assert refused.value.language == language
    text = error_text(archive, "search", **arguments)
    assert text.endswith(f": {argument}: {refused.value.message()}"), text


def test_unknown_body_error_lists_the_stored_bodies(archive: Archive) -> None:
    text = error_text(archive, "search", question="klima", body="KKR Nordjylland")
    assert "KKR Midtjylland" in text and "Byrådet, Hjortsø Kommune" in text


# --- get_item -------------------------------------------------------------------------------


def test_get_item_minutes_sections_in_order_with_roles(archive: Archive) -> None:
    got = ok(archive, "get_item", meeting_id=HJORTSOE, item_number="2")
    assert got["item"] == {"number": "2", "title": "Foreløbigt regnskabsresultat 2023",
                           "case_number": "24/3311", "closed": False}
    assert got["meeting"]["body"] == "Økonomiudvalget, Hjortsø Kommune"
    assert (got["meeting"]["date"], got["meeting"]["doc_type"]) == ("2024-03-12", "referat")
    assert [(s["name"], s["role"]) for s in got["sections"]] == [
        ("Resumé", "background"), ("Sagsfremstilling", "background"),
        ("Økonomiske konsekvenser", "background"), ("Indstilling", "proposal"),
        ("Beslutning", "decision"),
    ]
    source = " ".join((GENERAL / "01_hjortsoe_oekonomiudvalget_referat.md").read_text().split())
    for section in got["sections"]:
        assert section["text"].strip()
        assert section["citation"] == (
            "Økonomiudvalget, Hjortsø Kommune · 12.03.2024 · Referat · "
            f"pkt. 2 Foreløbigt regnskabsresultat 2023 · {section['name']}")
    assert got["decision"] == "Taget til efterretning." and got["decision"] in source
    assert got["proposal"].startswith("Direktionen indstiller")
    assert got["url"] == f"/item/{HJORTSOE}/2"


def test_get_item_agenda_has_proposal_and_no_decision(archive: Archive) -> None:
    got = ok(archive, "get_item", meeting_id="kkr-midtjylland-2025-04-08-dagsorden",
             item_number="3.8")
    assert got["item"]["title"] == "Praksisplan for fysioterapi 2025"
    assert got["decision"] is None
    assert got["proposal"].startswith(
        "Det indstilles, at KKR Midtjylland orienteres om Praksisplan for fysioterapi 2025.")
    assert got["citation"] == (
        "KKR Midtjylland · 08.04.2025 · Dagsorden · pkt. 3.8 Praksisplan for fysioterapi 2025")


def test_get_item_closed_shows_only_title(archive: Archive) -> None:
    got = ok(archive, "get_item", meeting_id=HJORTSOE, item_number="5")
    assert got["item"] == {"number": "5", "title": "Personalesag", "case_number": None,
                           "closed": True}
    assert got["note"] == "Lukket punkt" and got["sections"] == []
    assert "decision" not in got and "proposal" not in got and "attachments" not in got


def test_get_item_unnumbered_item_of_a_plain_note(archive: Archive) -> None:
    got = ok(archive, "get_item", meeting_id=NOTE, item_number="-")
    assert got["item"]["number"] == ""
    assert got["item"]["title"] == "Notat om vintertjeneste og glatførebekæmpelse 2024/25"
    assert [s["name"] for s in got["sections"]] == ["Baggrund", "Sagsforløb", "Økonomi"]
    assert got["url"] == f"/item/{NOTE}/-"
    assert got["meeting"]["body"] is None
    assert got["citation"].startswith("Ukendt organ · udateret · Dokument · Notat om")


def test_get_item_errors_name_the_argument(archive: Archive) -> None:
    text = error_text(archive, "get_item", meeting_id="kkr-midtjylland-2023-02-10",
                      item_number="3.1")
    assert "meeting_id" in text and KLIMA_MINUTES in text  # the near match is suggested
    text = error_text(archive, "get_item", meeting_id=HJORTSOE, item_number="9.9")
    assert "item_number" in text and "'9.9'" in text and "1, 2, 3, 4, 5" in text
    assert "meeting_id" in error_text(archive, "get_item", item_number="1")


# --- get_meeting ----------------------------------------------------------------------------


def test_get_meeting_header_and_items(archive: Archive) -> None:
    got = ok(archive, "get_meeting", meeting_id=KLIMA_MINUTES)
    assert {k: got["meeting"][k] for k in ("meeting_id", "body", "date", "doc_type")} == {
        "meeting_id": KLIMA_MINUTES, "body": "KKR Midtjylland", "date": "2023-02-10",
        "doc_type": "referat"}
    stored = archive.assistant.retriever.meetings[KLIMA_MINUTES]
    assert [i["number"] for i in got["items"]] == [i.number for i in stored.items]
    klima = next(i for i in got["items"] if i["number"] == "3.1")
    assert "KlimaMidt" in klima["title"] and klima["case_number"] == "SAG-2023-00155"
    assert klima["url"] == f"/item/{KLIMA_MINUTES}/3.1"
    assert klima["citation"].startswith("KKR Midtjylland · 10.02.2023 · Referat · pkt. 3.1 ")
    hjortsoe = ok(archive, "get_meeting", meeting_id=HJORTSOE)
    assert [(i["number"], i["closed"], len(i["sections"])) for i in hjortsoe["items"]] == [
        ("1", False, 1), ("2", False, 5), ("3", False, 5), ("4", False, 4), ("5", True, 0)]
    assert "meeting_id" in error_text(archive, "get_meeting", meeting_id="no-such-meeting")


# --- get_case -------------------------------------------------------------------------------


def test_get_case_across_bodies_in_date_order(archive: Archive) -> None:
    got = ok(archive, "get_case", case_number=" 24/1234 ")
    assert got["case_number"] == "24/1234"
    rows = got["treatments"]
    assert [(t["meeting"]["body"], t["meeting"]["date"], t["item"]["number"]) for t in rows] == [
        ("Teknik- og Miljøudvalget, Hjortsø Kommune", "2024-04-03", "1"),
        ("Byrådet, Hjortsø Kommune", "2024-04-30", "7"),
        ("Byrådet, Hjortsø Kommune", "2024-04-30", "8"),
    ]
    agenda, decided, closed = rows
    assert agenda["decision"] is None
    assert agenda["proposal"] == "Administrationen indstiller, at udvalget anbefaler projektet."
    assert decided["decision"] == "Anlægsbevillingen på 4,2 mio. kr. blev givet."
    assert closed["item"]["closed"] and closed["note"] == "Lukket punkt"
    assert closed["decision"] is None and closed["proposal"] is None
    for t in rows:
        assert t["url"] == item_url(t["meeting"]["meeting_id"], t["item"]["number"])
        assert t["citation"].endswith(f"pkt. {t['item']['number']} {t['item']['title']}")


def test_get_case_matches_case_insensitively_and_errors_on_unknown(archive: Archive) -> None:
    got = ok(archive, "get_case", case_number="sag-2023-00155")
    assert got["treatments"] and {t["meeting"]["meeting_id"] for t in got["treatments"]} == {
        KLIMA_MINUTES}
    text = error_text(archive, "get_case", case_number="99/0000")
    assert "case_number" in text and "99/0000" in text


# --- list_bodies ----------------------------------------------------------------------------


def test_list_bodies_counts_and_date_ranges(archive: Archive) -> None:
    bodies = {b["body"]: b for b in ok(archive, "list_bodies")["bodies"]}
    assert bodies["KKR Midtjylland"] == {
        "body": "KKR Midtjylland", "meetings": 4, "agendas": 2, "minutes": 2,
        "first_date": "2023-02-10", "last_date": "2025-04-08"}
    assert bodies["KD-Net"]["meetings"] == 1
    assert bodies["KD-Net"]["first_date"] == bodies["KD-Net"]["last_date"] == "2022-11-04"
    assert bodies["Byrådet, Hjortsø Kommune"]["minutes"] == 1
    assert bodies[None] == {"body": None, "meetings": 1, "agendas": 0, "minutes": 0,
                            "first_date": None, "last_date": None}
    assert sum(b["meetings"] for b in bodies.values()) == 9


# --- transports -----------------------------------------------------------------------------


def test_stdio_cli_with_client_session(archive: Archive) -> None:
    params = StdioServerParameters(
        command=sys.executable, args=[str(archive.launcher), "--db", str(archive.db), "mcp"],
        cwd=str(REPO),
    )

    async def session() -> tuple[set[str], CallToolResult, CallToolResult]:
        async with stdio_client(params) as (read, write), ClientSession(read, write) as s:
            await s.initialize()
            names = {t.name for t in (await s.list_tools()).tools}
            bad = await s.call_tool("get_meeting", {"meeting_id": "nope"})
            good = await s.call_tool("get_item", {"meeting_id": KLIMA_MINUTES,
                                                  "item_number": "3.1"})
            return names, bad, good

    names, bad, good = anyio.run(session)
    assert names == TOOLS
    assert bad.is_error and "meeting_id" in bad.content[0].text  # type: ignore[union-attr]
    assert not good.is_error and good.structured_content is not None
    assert good.structured_content == ok(archive, "get_item", meeting_id=KLIMA_MINUTES,
                                         item_number="3.1")


@pytest.fixture()
def http_server(archive: Archive) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(archive.launcher), "--db", str(archive.db), "mcp", "--http",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"meetings mcp --http did not start: {err.decode(errors='replace')}")
    yield f"http://127.0.0.1:{port}/mcp"
    proc.terminate()
    proc.wait(timeout=10)


def test_streamable_http(archive: Archive, http_server: str) -> None:
    async def session() -> tuple[CallToolResult, CallToolResult]:
        async with Client(http_server) as client:
            case = await client.call_tool("get_case", {"case_number": "24/1234"})
            bad = await client.call_tool("search", {"question": "klima", "k": 0})
            return case, bad

    case, bad = anyio.run(session)
    assert not case.is_error
    assert case.structured_content == ok(archive, "get_case", case_number="24/1234")
    assert bad.is_error and re.search(r"\bk\b", bad.content[0].text)  # type: ignore[union-attr]


@pytest.mark.slow
def test_console_script_with_the_real_model(real_services: Any) -> None:
    """`meetings --db DIR mcp` as an MCP client configuration starts it: real model."""
    params = StdioServerParameters(
        command=str(Path(sys.executable).with_name("meetings")),
        args=["--db", str(real_services.settings.db_dir), "mcp"],
        cwd=str(REPO),
    )

    async def session() -> CallToolResult:
        async with Client(params) as client:
            return await client.call_tool(
                "search", {"question": "Hvad blev besluttet om KlimaMidt?", "k": 2})

    result = anyio.run(session)
    assert not result.is_error, result.content
    got = result.structured_content
    assert got is not None and not got["no_answer"] and got["intent"] == "decision"
    top = got["results"][0]
    assert "KlimaMidt" in top["item"]["title"] and top["decision"]
    assert got["answer"].startswith("Beslutning (")
    assert top["url"].startswith(f"/item/{top['meeting']['meeting_id']}/")
