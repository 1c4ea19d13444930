"""Who may see what (issue 13): closed items ("Lukket punkt") ingested with
``--include-closed`` show their content only to the ``closed`` role, on every surface:
search/ask, source view, the JSON API, briefing exports, case histories, MCP, the CLI.
Without the flag the content is never stored.  Plus password hashes, the users file, the
proxy header and 401s.

A real temporary Chroma and the fast fake embedder (plumbing: rankings mean nothing);
documents: two minutes/agenda written in two systems' conventions (through the parser)
and two real FirstAgenda files of the Greve archive whose closed items carry content.
"""

from __future__ import annotations

import io
import json
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient

from assistant.access import CLOSED_ROLE, OPERATOR_WITH_CLOSED, PUBLIC, Viewer
from assistant.answer import Assistant
from assistant.briefing import build_briefing, to_docx, to_markdown
from assistant.cli import main
from assistant.lexical import LexicalIndex
from assistant.mcp_server import ArchiveTools
from assistant.search import Retriever
from assistant.settings import Services, Settings
from assistant.sourceview import render_item
from ingest.chunker import CLOSED_SECTION
from ingest.pipeline import CLOSED_CONTENT, source_key
from web.users import (
    Authenticator,
    UsersFileError,
    add_user,
    hash_password,
    load_users,
    verify_password,
)

GREVE = Path(__file__).resolve().parent / "fixtures" / "greve"  # two real FirstAgenda meetings
GREVE_FILES = (  # the same closed case (24-008513) in two committees on one day
    "Plan-_og_Tryghedsudvalget_2025-01-29T16_45_00_01_00_dcd8a602-7793-416a-9ed4-c2a70382f3d4.json",
    "_konomiudvalget_2025-01-29T17_00_00_01_00_eb813156-9a4b-413b-b59d-371ab2038456.json",
)

MINUTES = """Økonomiudvalget
Referat
Mødedato: 12.03.2024

1. Godkendelse af dagsorden
Beslutning
Godkendt.

2. Lukket: Salg af grund på Havnevej
Sagsnr.: 24/5555
Sagsfremstilling
Køber tilbyder 4,2 mio. kr. for grunden; prisen er fortrolig indtil skødet er underskrevet.
Indstilling
Direktionen indstiller, at tilbuddet fra Birkegaard Ejendomme accepteres.
Beslutning
Tilbuddet fra Birkegaard Ejendomme blev accepteret.

3. Cykelsti langs Strandvejen
Sagsnr.: 24/1234
Indstilling
Det indstilles, at projektet anbefales.
Beslutning
Anbefalet.
"""

AGENDA = """Byrådet
Dagsorden
Mødedato: 26.03.2024

1. Meddelelser
Sagsfremstilling
Borgmesteren orienterer om vintertjenesten.

2. Salg af grund på Havnevej - (FOR LUKKEDE DØRE)
Sagsnr.: 24/5555
Indstilling
Økonomiudvalget anbefaler, at tilbuddet fra Birkegaard Ejendomme på 4,2 mio. kr. accepteres.
"""

SECRETS = ("Birkegaard", "4,2 mio", "skødet", "anbefaler overfor Byrådet", "1.-6. anbefales")
"""Words printed only in the closed items' content (never in a title)."""
MINUTES_ID = "oekonomiudvalget-2024-03-12-referat"
AGENDA_ID = "byraadet-2024-03-26-dagsorden"
CASE = "24/5555"


def _leaks(text: str, asked: str = "") -> list[str]:
    """The closed content's words in ``text`` (those of the question ``asked`` aside)."""
    return [s for s in SECRETS if s in text and s not in asked]


def _write_documents(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "referat.txt").write_text(MINUTES, encoding="utf-8")
    (folder / "dagsorden.txt").write_text(AGENDA, encoding="utf-8")
    for name in GREVE_FILES:
        shutil.copyfile(GREVE / name, folder / name)
    return sorted(folder.iterdir())


def _ingest(services: Any, folder: Path, *flags: str) -> dict[str, Any]:
    """``meetings ingest --json [flags] folder`` through the CLI, its report back."""
    db = str(services.settings.db_dir)
    out = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out):
        code = main(["--db", db, "ingest", "--json", *flags, str(folder)], services=services)
    report = json.loads(out.getvalue())
    assert code == 0, report
    return report


def _stored_everything(services: Any) -> str:
    """Every text and metadata value the index holds, chunks and document records."""
    _, texts, metas = services.store.all_chunks()
    records = [json.dumps(r.payload, ensure_ascii=False) for r in services.store.all_documents()]
    return "\n".join([*texts, *(json.dumps(m, ensure_ascii=False) for m in metas), *records])


@dataclass
class Archive:
    services: Any
    folder: Path
    assistant: Assistant
    report: dict[str, Any]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, services_factory: Any) -> Archive:
    """The four documents ingested with --include-closed into a temporary Chroma."""
    from vectorstore.embedder import HashEmbedder

    base = tmp_path_factory.mktemp("access")
    services = services_factory(base / "index", HashEmbedder())
    folder = base / "docs"
    _write_documents(folder)
    report = _ingest(services, folder, "--include-closed")
    return Archive(services, folder, Assistant(Retriever(services.store, services.embedder)),
                   report)


# --- ingest ------------------------------------------------------------------------------


def test_without_the_flag_closed_content_is_never_stored(hash_services: Any, tmp_path: Path
                                                         ) -> None:
    folder = tmp_path / "docs"
    _write_documents(folder)
    report = _ingest(hash_services, folder)
    assert (report["ingested"], report["errors"]) == (4, [])
    stored = _stored_everything(hash_services)
    assert _leaks(stored) == []
    # the titles stay searchable, as one "Lukket punkt" chunk per closed item
    _, texts, metas = hash_services.store.all_chunks()
    closed = sorted((m["meeting_id"], m["item_number"], t) for t, m in zip(texts, metas,
                                                                            strict=True)
                    if m["closed"])
    assert [(mid, n) for mid, n, _ in closed] == [
        (AGENDA_ID, "2"), (MINUTES_ID, "2"),
        ("oekonomiudvalget-2025-01-29-referat", "2"),
        ("plan-og-tryghedsudvalget-2025-01-29-referat", "2"),
    ]
    assert all(m["section"] == CLOSED_SECTION for m in metas if m["closed"])
    assert {t for _, _, t in closed} == {"Salg af grund på Havnevej",
                                          "Tune Plejecenter skema B og grundkøbsaftale"}
    # the stored document text keeps the heading, with the content blanked in place
    record = hash_services.store.get_document(source_key(folder / "referat.txt"))
    assert "2. Lukket: Salg af grund på Havnevej" in record.payload["text"]
    assert len(record.payload["text"]) == len(MINUTES) and not record.payload[CLOSED_CONTENT]


def test_include_closed_stores_the_content_marked_closed(archive: Archive) -> None:
    assert (archive.report["ingested"], archive.report["errors"]) == (4, [])
    _, texts, metas = archive.services.store.all_chunks()
    secret = [(t, m) for t, m in zip(texts, metas, strict=True) if _leaks(t)]
    assert {m["meeting_id"] for _, m in secret} == {
        MINUTES_ID, AGENDA_ID, "oekonomiudvalget-2025-01-29-referat",
        "plan-og-tryghedsudvalget-2025-01-29-referat",
    }
    assert all(m["closed"] and m["item_number"] == "2" for _, m in secret)
    # every chunk of a closed item is marked, its title chunk included
    of_closed = [m for m in metas if m["item_number"] == "2"]
    assert all(m["closed"] for m in of_closed)
    assert sum(m["section"] == CLOSED_SECTION for m in of_closed) == 4
    item = archive.assistant.retriever.meetings[MINUTES_ID].item("2")
    assert item is not None and item.closed
    assert item.decision == "Tilbuddet fra Birkegaard Ejendomme blev accepteret."


def test_reingesting_with_the_other_setting_rewrites_the_document(
    hash_services: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    _write_documents(folder)
    assert _ingest(hash_services, folder, "--include-closed")["ingested"] == 4
    assert _leaks(_stored_everything(hash_services))
    again = _ingest(hash_services, folder)
    assert again["ingested"] == 4 and again["skipped_unchanged"] == 0
    assert _leaks(_stored_everything(hash_services)) == []
    check = hash_services.store.check()
    assert check.ok, check.as_dict()
    assert _ingest(hash_services, folder)["skipped_unchanged"] == 4  # unchanged: skipped


# --- search / ask ------------------------------------------------------------------------


def test_ask_shows_closed_content_only_to_the_closed_role(archive: Archive) -> None:
    question = "Hvad besluttede Økonomiudvalget om tilbuddet fra Birkegaard Ejendomme?"
    public = archive.assistant.ask(question, k=10)
    assert public.results and _leaks(json.dumps(public.results, ensure_ascii=False)) == []
    assert _leaks(public.answer, question) == []
    for r in public.results:
        if r["item"]["closed"]:
            assert (r["section"], r["text"], r["decision"], r["proposal"]) == (
                CLOSED_SECTION, r["item"]["title"], None, None)

    allowed = archive.assistant.ask(question, k=10, viewer=OPERATOR_WITH_CLOSED)
    top = allowed.results[0]
    assert (top["meeting"]["meeting_id"], top["item"]["number"]) == (MINUTES_ID, "2")
    assert top["item"]["closed"]
    assert top["decision"] == "Tilbuddet fra Birkegaard Ejendomme blev accepteret."
    assert "Birkegaard Ejendomme blev accepteret" in allowed.answer


def test_a_closed_item_is_found_by_its_title_and_says_lukket_punkt(archive: Archive) -> None:
    for lang, question, note in (
        ("da", "Hvad besluttede Økonomiudvalget om salg af grund på Havnevej?",
         "lukket punkt"),
        ("en", "What was decided about the sale of the site (Salg af grund på Havnevej)?",
         "closed item"),
    ):
        answer = archive.assistant.ask(question, k=3)
        assert answer.language == lang
        top = answer.results[0]
        assert (top["item"]["title"], top["section"], top["text"]) == (
            "Salg af grund på Havnevej", CLOSED_SECTION, "Salg af grund på Havnevej")
        assert note in answer.answer.lower() and _leaks(answer.answer) == []


def test_cli_ask_needs_closed_flag(archive: Archive, capsys: pytest.CaptureFixture[str]
                                   ) -> None:
    db = str(archive.services.settings.db_dir)
    question = "Birkegaard Ejendomme tilbud grund"
    assert main(["--db", db, "ask", question, "--json"], services=archive.services) == 0
    assert _leaks(capsys.readouterr().out, question) == []
    assert main(["--db", db, "ask", question, "--json", "--closed"],
                services=archive.services) == 0
    assert "Birkegaard Ejendomme" in capsys.readouterr().out



NOWHERE = "Kornblomstvej"
"""A word no stored text holds (checked in the test)."""


def test_refusal_does_not_reveal_words_only_in_closed_content(archive: Archive) -> None:
    # "Birkegaard" and "skødet" are printed only in closed items' content
    stored = _stored_everything(archive.services).lower()
    assert NOWHERE.lower() not in stored and "birkegaard" in stored and "skødet" in stored
    nowhere = archive.assistant.ask(f"Hvad ved vi om {NOWHERE}?", k=5)
    assert nowhere.no_answer
    assert f"Ordene «{NOWHERE.lower()}» forekommer ikke i arkivet." in nowhere.answer
    for word in ("Birkegaard", "skødet"):
        question = f"Hvad ved vi om {word}?"
        public = archive.assistant.ask(question, k=5)
        # the same refusal as for a word found nowhere: nothing says the word is stored
        assert public.no_answer, public.answer
        assert f"Ordene «{word.lower()}» forekommer ikke i arkivet." in public.answer
        assert _leaks(public.answer, question) == []
        allowed = archive.assistant.ask(question, k=5, viewer=OPERATOR_WITH_CLOSED)
        assert not allowed.no_answer and "forekommer ikke" not in allowed.answer
        assert _leaks(allowed.answer, question)  # the closed content itself
    # a word of public content is known to everyone
    for viewer in (PUBLIC, OPERATOR_WITH_CLOSED):
        open_word = archive.assistant.ask("Hvad ved vi om Strandvejen?", k=5, viewer=viewer)
        assert not open_word.no_answer and "forekommer ikke" not in open_word.answer


def test_lexical_index_keeps_closed_vocabulary_apart(archive: Archive, tmp_path: Path
                                                     ) -> None:
    built = archive.assistant.retriever.lexical
    built.save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")  # what the retriever cache restores
    for lex in (built, loaded):
        # closed-only words: unknown, and exactly as rare as unknown words, unless the
        # viewer may see closed content
        question = f"Birkegaard skødet Strandvejen {NOWHERE}"
        assert lex.known_terms(question) == (
            ["strandvejen"], ["birkegaard", "skødet", NOWHERE.lower()])
        assert lex.known_terms(question, restricted=True) == (
            ["birkegaard", "skødet", "strandvejen"], [NOWHERE.lower()])
        body = ["Økonomiudvalget"]
        assert lex.known_terms("Birkegaard Strandvejen", body) == (
            ["strandvejen"], ["birkegaard"])
        assert lex.known_terms("Birkegaard Strandvejen", body, restricted=True)[1] == []
        secret, nowhere = lex.analyzer.tokens(f"Birkegaard {NOWHERE}")
        assert lex.idf(secret) == lex.idf(nowhere)
        assert lex.idf(secret, restricted=True) < lex.idf(nowhere, restricted=True)
    assert 0 < loaded.open_count == built.open_count < len(built.ids)
    assert loaded.open_document_frequency == built.open_document_frequency
    assert loaded.open_group_vocabulary == built.open_group_vocabulary

# --- source view, case history, briefing, MCP ---------------------------------------------


def test_source_view(archive: Archive) -> None:
    meeting = archive.assistant.retriever.meetings[MINUTES_ID]
    public = render_item(meeting, "2")
    assert "Salg af grund på Havnevej" in public and "Lukket punkt" in public
    assert _leaks(public) == []
    english = render_item(meeting, "2", language="en")
    assert "Closed item" in english and _leaks(english) == []
    shown = render_item(meeting, "2", viewer=OPERATOR_WITH_CLOSED)
    assert "Birkegaard Ejendomme blev accepteret" in shown and "Lukket punkt" in shown


def test_case_history(archive: Archive, capsys: pytest.CaptureFixture[str]) -> None:
    public = [t.as_dict() for t in archive.assistant.case(CASE)]
    assert [(t["meeting"]["meeting_id"], t["note"]) for t in public] == [
        (MINUTES_ID, "Lukket punkt"), (AGENDA_ID, "Lukket punkt")]
    assert all(t["decision"] is None and t["proposal"] is None for t in public)
    shown = [t.as_dict() for t in archive.assistant.case(CASE, OPERATOR_WITH_CLOSED)]
    assert shown[0]["decision"] == "Tilbuddet fra Birkegaard Ejendomme blev accepteret."
    assert shown[1]["decision"] is None and "Birkegaard" in shown[1]["proposal"]
    assert all("note" not in t for t in shown)

    db = str(archive.services.settings.db_dir)
    assert main(["--db", db, "case", CASE], services=archive.services) == 0
    out = capsys.readouterr().out
    assert out.count("Lukket punkt") == 2 and _leaks(out) == []
    assert main(["--db", db, "case", CASE, "--closed"], services=archive.services) == 0
    assert "Birkegaard Ejendomme blev accepteret" in capsys.readouterr().out


@pytest.mark.parametrize("language", ["da", "en"])
def test_briefing_exports(archive: Archive, tmp_path: Path, language: str) -> None:
    answer = archive.assistant.ask("Birkegaard Ejendomme tilbud", k=5,
                                   viewer=OPERATOR_WITH_CLOSED)
    pins = [r for r in answer.results if r["item"]["closed"]]
    assert pins and any(_leaks(p["text"]) for p in pins)
    note = {"da": "Lukket punkt", "en": "Closed item"}[language]
    for viewer, sees in ((PUBLIC, False), (OPERATOR_WITH_CLOSED, True)):
        briefing = build_briefing(pins, language=language, viewer=viewer)
        markdown = to_markdown(briefing)
        path = to_docx(briefing, tmp_path / f"{sees}.docx")
        word = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        for text in (markdown, word):
            assert "Salg af grund på Havnevej" in text
            assert bool(_leaks(text)) is sees
            assert sees or note in text


def test_mcp_tools(archive: Archive) -> None:
    public = ArchiveTools(archive.assistant)
    item = public.get_item(MINUTES_ID, "2")
    assert (item["note"], item["sections"], item["item"]["closed"]) == ("Lukket punkt", [], True)
    assert _leaks(json.dumps(item, ensure_ascii=False)) == []
    for data in (public.get_case(CASE), public.get_meeting(MINUTES_ID),
                 public.search("Birkegaard Ejendomme tilbud", k=10)):
        assert _leaks(json.dumps(data, ensure_ascii=False), "Birkegaard Ejendomme") == []

    allowed = ArchiveTools(archive.assistant, OPERATOR_WITH_CLOSED)
    item = allowed.get_item(MINUTES_ID, "2")
    assert "note" not in item and [s["name"] for s in item["sections"]] == [
        "Sagsfremstilling", "Indstilling", "Beslutning"]
    assert item["decision"] == "Tilbuddet fra Birkegaard Ejendomme blev accepteret."
    greve = allowed.get_item("oekonomiudvalget-2025-01-29-referat", "2")
    assert "anbefaler overfor Byrådet" in greve["sections"][0]["text"]


# --- the web app: users file, header, API ------------------------------------------------


@pytest.fixture(scope="module")
def users_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("users") / "users.json"
    add_user(path, "anna", "anna-pw", [CLOSED_ROLE])
    add_user(path, "bo", "bo-pw", [])
    add_user(path, "root", "root-pw", ["admin"])
    add_user(path, "proxy-anna", None, [CLOSED_ROLE])
    return path


def _app(archive: Archive, users: Path | None, header: str | None = None) -> Any:
    from app import create_app

    settings = Settings(db_dir=archive.services.settings.db_dir, chroma_url=None, model=None,
                        users_file=users, auth_header=header)
    services = Services(settings, embedder=archive.services.embedder)
    return create_app(services, ingest_samples=False)


@pytest.fixture(scope="module")
def client(archive: Archive, users_file: Path) -> Iterator[TestClient]:
    with TestClient(_app(archive, users_file)) as c:
        yield c


ANNA, BO = ("anna", "anna-pw"), ("bo", "bo-pw")


def test_api_routes(client: TestClient) -> None:
    ask = {"question": "Birkegaard Ejendomme tilbud grund", "k": 10}
    pages = [
        ("post", "/api/ask", ask),
        ("get", f"/api/items/{MINUTES_ID}/2", None),
        ("get", f"/api/cases/{CASE}", None),
        ("get", f"/item/{MINUTES_ID}/2", None),
        ("get", "/api/meetings", None),
    ]
    for method, url, body in pages:
        public = client.request(method, url, json=body, auth=BO)
        shown = client.request(method, url, json=body, auth=ANNA)
        assert public.status_code == shown.status_code == 200, url
        assert _leaks(public.text, json.dumps(body)) == [], url
        assert "Salg af grund på Havnevej" in public.text, url
        if url != "/api/meetings":  # the outline lists section names only
            assert _leaks(shown.text), url
    item = client.get(f"/api/items/{MINUTES_ID}/2", auth=BO).json()["item"]
    assert (item["closed"], item["sections"], item["decision"]) == (True, [], None)
    page = client.get(f"/item/{MINUTES_ID}/2", auth=BO).text
    assert "Lukket punkt: indholdet vises ikke." in page
    outline = {m["meeting_id"]: m for m in client.get("/api/meetings", auth=ANNA).json()}
    assert outline[MINUTES_ID]["items"][1]["sections"] == [
        "Sagsfremstilling", "Indstilling", "Beslutning"]
    public_outline = {m["meeting_id"]: m for m in client.get("/api/meetings", auth=BO).json()}
    assert public_outline[MINUTES_ID]["items"][1]["sections"] == []


def test_ui_viewer_and_timeline(client: TestClient) -> None:
    """The UI's handlers ask ``core.viewer`` with the request's headers (as the routes do)."""
    import base64

    core = client.app.state.core  # type: ignore[attr-defined]
    headers = {"authorization": "Basic " + base64.b64encode(b"anna:anna-pw").decode()}
    anna, nobody = core.viewer(headers), core.viewer({})
    assert anna.sees_closed and not nobody.sees_closed
    topic = "Birkegaard Ejendomme tilbud"
    assert _leaks(json.dumps(core.timeline(topic, viewer=anna), ensure_ascii=False))
    shown = json.dumps(core.timeline(topic, viewer=nobody), ensure_ascii=False)
    assert _leaks(shown, topic) == []


def test_wrong_password_or_unknown_user_is_401(client: TestClient) -> None:
    for auth in (("anna", "wrong"), ("nobody", "anna-pw"), ("proxy-anna", "")):
        r = client.get("/api/health", auth=auth)
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Basic")
    assert client.get("/api/health").status_code == 401
    # a header only a proxy should set is not a login without MEETINGS_AUTH_HEADER
    assert client.get("/api/health", headers={"X-Remote-User": "anna"}).status_code == 401
    assert client.get("/api/health", auth=ANNA).status_code == 200


def test_proxy_header_names_the_user(archive: Archive, users_file: Path) -> None:
    with TestClient(_app(archive, users_file, header="X-Remote-User")) as c:
        url = f"/api/items/{MINUTES_ID}/2"
        shown = c.get(url, headers={"X-Remote-User": "proxy-anna"})
        assert shown.status_code == 200 and _leaks(shown.text)
        # a user the file does not know is let in (the proxy vouches) without roles
        stranger = c.get(url, headers={"X-Remote-User": "carl"})
        assert stranger.status_code == 200 and _leaks(stranger.text) == []
        assert c.get(url).status_code == 401
        assert _leaks(c.get(url, auth=ANNA).text)  # basic auth still works beside it


def test_api_ingest_include_closed_needs_admin(
    tmp_path: Path, users_file: Path, hash_embedder: Any
) -> None:
    from app import create_app

    settings = Settings(db_dir=tmp_path / "index", chroma_url=None, model=None,
                        users_file=users_file)
    app = create_app(Services(settings, embedder=hash_embedder), ingest_samples=False,
                     uploads_dir=tmp_path / "uploads")
    files = {"files": ("referat.txt", MINUTES.encode(), "text/plain")}
    with TestClient(app) as c:
        refused = c.post("/api/ingest", files=files, data={"include_closed": "true"}, auth=ANNA)
        assert refused.status_code == 403 and "admin" in refused.json()["detail"]
        bad = c.post("/api/ingest", files=files, data={"include_closed": "maybe"}, auth=ANNA)
        assert bad.status_code == 422 and "include_closed" in bad.json()["detail"]
        assert c.get("/api/meetings", auth=ANNA).json() == []  # nothing stored
        done = c.post("/api/ingest", files=files, data={"include_closed": "true"},
                      auth=("root", "root-pw"))
        assert done.status_code == 200 and done.json()["ingested"] == 1
        item = c.get(f"/api/items/{MINUTES_ID}/2", auth=ANNA).json()["item"]
        assert item["decision"] == "Tilbuddet fra Birkegaard Ejendomme blev accepteret."
        root_view = c.get(f"/api/items/{MINUTES_ID}/2", auth=("root", "root-pw"))
        assert _leaks(root_view.text) == []  # admin may ingest it, not read it


# --- passwords and the users file --------------------------------------------------------


def test_password_hashes() -> None:
    first, second = hash_password("s3cret"), hash_password("s3cret")
    assert first != second and first.startswith("scrypt$") and "s3cret" not in first
    assert verify_password("s3cret", first) and verify_password("s3cret", second)
    assert not verify_password("S3cret", first)
    assert not verify_password("s3cret", "plain-text")
    assert not verify_password("s3cret", first.replace("scrypt$16384", "scrypt$1000"))


def test_cli_user_add_writes_a_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    from app import main as meetings  # the console script: `user` needs web/

    path = tmp_path / "users.toml"
    monkeypatch.setenv("MEETINGS_USERS", str(path))
    monkeypatch.setattr("sys.stdin", io.StringIO("hemmelig-kode\n"))
    assert meetings(["user", "add", "karen", "--role", "closed", "--password-stdin"]) == 0
    assert "karen" in capsys.readouterr().out
    assert "hemmelig-kode" not in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setattr("sys.stdin", io.StringIO("andet\n"))
    assert meetings(["user", "add", "lars", "--password-stdin", "--file", str(path)]) == 0
    users = load_users(path)
    assert {n: sorted(u.roles) for n, u in users.items()} == {"karen": ["closed"], "lars": []}
    auth = Authenticator(users)
    import base64

    def basic(user: str, pw: str) -> dict[str, str]:
        return {"authorization": "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode()}

    assert auth.identify(basic("karen", "hemmelig-kode")) == Viewer("karen",
                                                                    frozenset({CLOSED_ROLE}))
    assert auth.identify(basic("karen", "andet")) is None
    assert auth.identify(basic("lars", "andet")) == Viewer("lars")
    monkeypatch.setattr("sys.stdin", io.StringIO("x\n"))
    assert meetings(["user", "add", "a:b", "--password-stdin"]) == 2  # ':' cannot log in
    assert "':'" in capsys.readouterr().err


@pytest.mark.parametrize(("content", "problem"), [
    ('{"users": {"anna": {"password": "x", "roles": []}}}', "users.anna.password"),
    ('{"users": {"anna": {"roles": ["boss"]}}}', "users.anna.roles: unknown role(s) boss"),
    ('{"users": {"anna": {"roles": "closed"}}}', "users.anna.roles: expected a list"),
    ('{"users": {"anna": {"pasword": "x"}}}', "users.anna: unknown field(s) pasword"),
    ('{"users": [1, 2]}', "expected an object"),
    ("{users", "not valid JSON"),
])
def test_bad_users_file_names_file_and_field(tmp_path: Path, content: str, problem: str,
                                             services_factory: Any) -> None:
    path = tmp_path / "users.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsersFileError) as err:
        load_users(path)
    assert str(path) in str(err.value) and problem in str(err.value)


def test_no_login_configured_means_no_roles() -> None:
    open_door = Authenticator()
    assert not open_door.required and open_door.identify({}) == PUBLIC
    basic = Authenticator(basic=("staff", "pw"))
    assert basic.identify({"x-remote-user": "anna"}) is None
