"""The JSON API's answers to bad input (422 naming the field, 413, 415, 403), auth and the
busy limit, in process over the fast fake embedder (conftest's ``hash_app``).  What the
answers contain with the real model is tested in test_app_api.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.answer import MAX_QUESTION_CHARS
from assistant.validate import DOC_TYPES, MAX_K

AGENDA = """Dagsorden
KKR Midtjylland
Dato: 01-12-2026 10:00

1. Supercykelstier i Midtjylland
Indstilling
Det indstilles, at planen godkendes.
"""


@pytest.fixture(scope="module")
def client(hash_app: Any) -> Iterator[TestClient]:
    with TestClient(hash_app) as c:
        yield c


def uploads_dir(client: TestClient) -> Path:
    db = Path(client.app.state.core.services.settings.db_dir)  # type: ignore[attr-defined]
    return db.parent / "uploads"


def stored_uploads(client: TestClient) -> dict[str, tuple[int, bytes]]:
    """Every file in the uploads folder: (mtime, content) by relative path.  Compared before
    and after a request, so other tests' uploads in the shared app do not matter."""
    folder = uploads_dir(client)
    files = sorted(folder.rglob("*")) if folder.exists() else []
    return {f.relative_to(folder).as_posix(): (f.stat().st_mtime_ns, f.read_bytes())
            for f in files if f.is_file()}


# --- POST /api/ask: 422 names the field ----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "needle"),
    [
        ({"question": ""}, "question", "tomt"),
        ({"question": "   "}, "question", "tomt"),
        ({"question": "?!... --"}, "question", "hverken bogstaver eller tal"),
        ({"question": "x" * (MAX_QUESTION_CHARS + 1)}, "question", str(MAX_QUESTION_CHARS)),
        ({"question": "x" * 100_000}, "question", str(MAX_QUESTION_CHARS)),
        ({"question": "klima\u0000"}, "question", "U+0000"),
        ({"question": "klima\u001b[2J"}, "question", "U+001B"),
        ({"question": "klima", "body": "Byrådet"}, "body", "KD-Net, KKR Midtjylland"),
        ({"question": "klima", "doc_type": "protokol"}, "doc_type", "dagsorden"),
        ({"question": "klima", "from": "2024-01-01", "to": "2023-12-31"}, "to", "2023-12-31"),
        ({"question": "klima", "from": "2023-13-01"}, "from", "ikke en dato"),
        ({"question": "klima", "k": 0}, "k", f"mellem 1 og {MAX_K}"),
        ({"question": "klima", "k": MAX_K + 1}, "k", f"mellem 1 og {MAX_K}"),
        ({"question": "klima", "k": "many"}, "k", "integer"),
        ({"question": "klima", "colour": "red"}, "colour", "Extra inputs"),
        ({}, "question", "Field required"),
        ({"question": "What was decided?", "k": -1}, "k", "between 1 and"),
    ],
)
def test_ask_refuses_bad_input_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str, needle: str
) -> None:
    r = client.post("/api/ask", json=body)
    assert r.status_code == 422, r.text
    errors = r.json()["detail"]
    assert errors[0]["loc"] == ["body", field], errors
    assert needle in errors[0]["msg"], errors


def test_ask_with_good_input_answers(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "klimasamarbejde", "body": "kd-net",
                                      "from": "2022-01-01", "to": "2023-12-31", "k": MAX_K})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert results and {x["meeting"]["body"] for x in results} == {"KD-Net"}
    assert all("2022-01-01" <= x["meeting"]["date"] <= "2023-12-31" for x in results)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b'{"question": "klima", "colour": "\\ud800"}', "colour"),  # echoed, not UTF-8
        (b'{"question": "klima", "k": 1e400}', "k"),  # infinite: no JSON number
        (b'{"question": "klima", "section": "\\ud800"}', "section"),
        (b'{"question": "klima", "section": "Beslutning\\u0000"}', "section"),
        (b'{"question": "klima", "body": "' + b"x" * 201 + b'"}', "body"),
    ],
)
def test_ask_input_json_cannot_echo_is_still_a_422(
    client: TestClient, raw: bytes, field: str
) -> None:
    r = client.post("/api/ask", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", field]


def test_ask_body_that_is_not_json_is_422(client: TestClient) -> None:
    r = client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_openapi_documents_the_rules(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]["AskRequest"]
    props = schema["properties"]
    assert props["question"]["maxLength"] == MAX_QUESTION_CHARS
    assert (props["k"]["minimum"], props["k"]["maximum"]) == (1, MAX_K)
    enum = next(a["enum"] for a in props["doc_type"]["anyOf"] if "enum" in a)
    assert tuple(enum) == DOC_TYPES


# --- POST /api/ingest: 415 / 413 / 403, nothing stored -------------------------------------


def test_upload_of_an_unknown_type_is_415_and_nothing_is_stored(client: TestClient) -> None:
    before, uploads = client.get("/api/health").json()["chunks"], stored_uploads(client)
    files = [("files", ("kkr-2026-12-01.txt", AGENDA.encode())),
             ("files", ("tool.exe", b"MZ\x90\x00")), ("files", ("noext", b"data"))]
    r = client.post("/api/ingest", files=files)
    assert r.status_code == 415, r.text
    detail = r.json()["detail"]
    assert "tool.exe" in detail and "noext" in detail and "kkr-2026" not in detail
    assert ".pdf" in detail and ".docx" in detail  # the allowed list
    assert client.get("/api/health").json()["chunks"] == before
    assert stored_uploads(client) == uploads


def test_upload_over_the_size_limit_is_413(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import web.api

    monkeypatch.setattr(web.api, "UPLOAD_MAX_BYTES", 1000)
    uploads = stored_uploads(client)
    files = [("files", ("small.txt", AGENDA.encode())),
             ("files", ("big.txt", b"x" * 1001))]
    r = client.post("/api/ingest", files=files)
    assert r.status_code == 413, r.text
    assert "big.txt" in r.json()["detail"] and "small.txt" not in r.json()["detail"]
    assert stored_uploads(client) == uploads


def test_request_over_the_total_limit_is_413_before_it_is_read(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import web.api

    monkeypatch.setattr(web.api, "UPLOAD_MAX_BYTES", 1000)
    monkeypatch.setattr(web.api, "UPLOAD_MAX_FILES", 2)
    monkeypatch.setattr(web.api, "MULTIPART_OVERHEAD", 100)
    r = client.post("/api/ingest", files=[("files", ("a.txt", b"x" * 3000))])
    assert r.status_code == 413 and "request of" in r.json()["detail"]


def test_upload_ingests_and_reports(client: TestClient) -> None:
    r = client.post("/api/ingest", files=[("files", ("kkr-2026-12-01.txt", AGENDA.encode())),
                                          ("files", ("empty.txt", b""))])
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["ingested"] == 1 and report["ok"]
    assert report["errors"] == [{"file": "empty.txt", "reason": "empty file"}]


def test_server_paths_outside_the_roots_are_403(client: TestClient, hash_app: Any) -> None:
    inside = Path(hash_app.state.test_base) / "roots"
    doc = inside / "kdnet-2026-10-01.txt"
    doc.write_text(AGENDA.replace("KKR Midtjylland", "KD-Net"), encoding="utf-8")
    for path in ["/etc/passwd", str(inside / ".." / "index"), "a\x00b"]:
        r = client.post("/api/ingest", json={"paths": [str(doc), path]})
        assert r.status_code == 403, (path, r.text)
        assert "MEETINGS_INGEST_ROOTS" in r.json()["detail"]
    r = client.post("/api/ingest", json={"paths": [str(doc)]})
    assert r.status_code == 200 and r.json()["ingested"] == 1, r.text
    # a missing file inside the roots is named in the report, whatever its characters
    raw = b'{"paths": ["' + str(inside).encode() + b'/\\udc80.txt"]}'
    r = client.post("/api/ingest", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["errors"][0]["file"].endswith("\udc80.txt")


def test_ingest_of_another_content_type_is_415(client: TestClient) -> None:
    r = client.post("/api/ingest", content=b"x", headers={"content-type": "text/plain"})
    assert r.status_code == 415 and "multipart/form-data" in r.json()["detail"]


# --- auth, busy limit ------------------------------------------------------------------------


def test_basic_auth_guards_every_route(hash_app: Any) -> None:
    from app import create_app

    app = create_app(hash_app.state.core.services, ingest_samples=False, auth=("staff", "s3cret"))
    client = TestClient(app)
    for path in ("/", "/api/health", "/api/meetings", "/api/docs", "/gradio_api/info",
                 "/item/x/1"):
        r = client.get(path)
        assert r.status_code == 401, path
        assert r.headers["www-authenticate"].startswith("Basic")
    assert client.get("/api/health", auth=("staff", "wrong")).status_code == 401
    assert client.get("/api/health", headers={"authorization": "Basic !!!"}).status_code == 401
    assert client.get("/api/health", auth=("staff", "s3cret")).status_code == 200
    assert client.post("/api/ask", json={"question": "KlimaMidt"},
                       auth=("staff", "s3cret")).status_code == 200


def test_api_refuses_beyond_its_in_flight_limit() -> None:
    from fastapi import HTTPException

    from web.api import _InFlight

    gate = _InFlight(1)
    with gate:
        with pytest.raises(HTTPException) as busy:
            gate.__enter__()
    assert busy.value.status_code == 503 and "busy" in str(busy.value.detail)
    with gate:  # released again
        pass


# --- source pages ----------------------------------------------------------------------------


def test_item_page_is_a_templated_page_with_a_strict_csp(client: TestClient) -> None:
    meeting = client.get("/api/meetings").json()[0]
    number = meeting["items"][0]["number"] or "-"
    r = client.get(f"/item/{meeting['meeting_id']}/{number}", params={"lang": "en"})
    assert r.status_code == 200
    assert r.text.startswith("<!doctype html>") and '<html lang="en">' in r.text
    assert "← Back to search" in r.text and meeting["items"][0]["title"] in r.text
    assert "script-src 'sha256-" in r.headers["content-security-policy"]
    missing = client.get("/item/<svg onload=alert(1)>/1")
    assert missing.status_code == 404
    assert "&lt;svg onload=alert(1)&gt;" in missing.text and "<svg" not in missing.text


def test_item_page_with_an_unknown_chunk_id_marks_nothing(client: TestClient) -> None:
    meeting = client.get("/api/meetings").json()[0]
    number = meeting["items"][0]["number"] or "-"
    for hl in ("nope", "x" * 500, "<mark>"):
        r = client.get(f"/item/{meeting['meeting_id']}/{number}", params={"hl": hl})
        assert r.status_code == 200 and 'id="hl"' not in r.text
