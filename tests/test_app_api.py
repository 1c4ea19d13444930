"""The web app's JSON API and source pages, served for real (uvicorn, real model).

One app per module (the ``live`` fixture of conftest.py), on 127.0.0.1 and a free port,
over its own Chroma directory filled by copying the vectors of the session's
``real_services`` index; the app's start-up ingest then finds every sample file unchanged,
as on a second start.  Input validation, auth and rendering are tested without the model
in test_web_*.py.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from conftest import LiveServer

pytestmark = pytest.mark.slow

ANSWER_KEYS = {
    "question", "language", "intent", "no_answer", "answer", "results", "writer", "dropped"
}
RESULT_KEYS = {
    "rank", "score", "meeting", "item", "section", "text", "decision", "proposal", "url",
    "citation", "chunk_id",
}

NEW_AGENDA = """Dagsorden
KKR Midtjylland
Dato: 01-12-2026 10:00
Sted: Regionshuset Viborg, Skottenborg 26, 8800 Viborg

1. Fælles indsats for supercykelstier i Midtjylland
SAG-2026-00001 abc/def
Baggrund
Kommunerne i Midtjylland har udarbejdet en fælles plan for regionale supercykelstier. \
Planen omfatter 14 strækninger med en samlet længde på 310 km.
Indstilling
Det indstilles, at KKR Midtjylland godkender supercykelstiplanen og sender den i høring \
i kommunerne.

2. Udpegning til det midtjyske turismeforum
SAG-2026-00002 ghi
Baggrund
Der skal udpeges to medlemmer til det midtjyske turismeforum for perioden 2027-2030.
Indstilling
Det indstilles, at KKR udpeger to medlemmer.
"""

NEW_MINUTES = """Referat
KKR Midtjylland
Dato: 01-12-2026 10:00
Sted: Regionshuset Viborg, Skottenborg 26, 8800 Viborg

1. Fælles indsats for supercykelstier i Midtjylland
SAG-2026-00001 abc/def
Indstilling
Det indstilles, at KKR Midtjylland godkender supercykelstiplanen og sender den i høring \
i kommunerne.
Beslutning
KKR Midtjylland godkendte supercykelstiplanen. Planen sendes i høring i kommunerne frem \
til 1. marts 2027.
"""

# Well-formed tags (<script>, <img ...>) are stripped by the ingest parser; the slash-separated
# forms below are not, so they reach every view and must be shown as text.
HOSTILE = """Dagsorden
KD-Net
Dato: 15-11-2026 09:00
Sted: Silkeborg <svg/onload=alert(5)>

1. Hackerværn <img/src=x/onerror=alert(3)> og <script>alert(1)</script> test
SAG-2026-00666 xss
Baggrund
Sagen om hackerværn indeholder <script>alert(1)</script> og <img src=x onerror=alert(1)> \
samt <svg/onload=alert(2)> og <img/src=x/onerror=alert(4)> og ${alert(6)} og \
[klik](javascript:alert(7)) som ren tekst.
Indstilling
Det indstilles, at hackerværnet styrkes & at x < 3 og y > 2 vises korrekt: "><svg/onload=alert(8)>
"""


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=60) as c:
        yield c


def ask(client: httpx.Client, **body: Any) -> dict[str, Any]:
    r = client.post("/api/ask", json=body)
    assert r.status_code == 200, r.text
    return r.json()


# --- start-up, health, outline -------------------------------------------------------------


def test_startup_skips_unchanged_samples(live: LiveServer) -> None:
    # the samples were already in the index: start-up must not re-embed them
    assert live.startup_seconds < 20, live.startup_seconds


def test_health(client: httpx.Client, live: LiveServer) -> None:
    data = client.get("/api/health").json()
    assert data["index"] is True
    assert data["model"] == live.services.embedder.name
    assert data["chunks"] == live.services.store.chunk_count() > 0
    assert data["meetings"] == 5
    assert data["stale"] is False


def test_meetings_outline(client: httpx.Client) -> None:
    meetings = client.get("/api/meetings").json()
    assert len(meetings) == 5
    assert {m["body"] for m in meetings} == {"KKR Midtjylland", "KD-Net"}
    assert [m["date"] for m in meetings] == sorted(m["date"] for m in meetings)
    first = meetings[0]
    assert {"meeting_id", "body", "date", "doc_type", "items"} <= set(first)
    assert first["items"] and {"number", "title", "sections"} <= set(first["items"][0])


def test_ui_and_docs_are_served(client: httpx.Client) -> None:
    assert client.get("/").status_code == 200
    assert client.get("/api/docs").status_code == 200
    spec = client.get("/api/openapi.json").json()
    assert {"/api/ask", "/api/items/{meeting_id}/{item_number}", "/api/meetings",
            "/api/health", "/api/ingest"} <= set(spec["paths"])
    assert client.get("/monitoring/summary").status_code in (403, 404)


# --- ask -----------------------------------------------------------------------------------


def _check_contract(data: dict[str, Any]) -> None:
    assert set(data) == ANSWER_KEYS
    assert data["results"], data
    for r in data["results"]:
        assert set(r) == RESULT_KEYS
        assert r["url"].startswith(f"/item/{r['meeting']['meeting_id']}/{r['item']['number']}")
        assert f"hl={r['chunk_id']}" in r["url"]
        assert r["meeting"]["body"] in r["citation"]
        assert f"pkt. {r['item']['number']}" in r["citation"]


def test_ask_danish(client: httpx.Client) -> None:
    data = ask(client, question="Hvad blev besluttet om KlimaMidt?")
    _check_contract(data)
    assert data["language"] == "da" and data["intent"] == "decision"
    assert not data["no_answer"]
    assert "KlimaMidt" in data["results"][0]["item"]["title"]
    assert "[1]" in data["answer"]


def test_ask_english(client: httpx.Client) -> None:
    data = ask(client, question="What was decided about KlimaMidt?")
    _check_contract(data)
    assert data["language"] == "en"
    assert "KlimaMidt" in data["results"][0]["item"]["title"]
    assert data["answer"].startswith("Decision")


def test_ask_body_filter(client: httpx.Client) -> None:
    data = ask(client, question="Hvad blev besluttet om KlimaMidt?", body="KD-Net", k=10)
    assert data["results"]
    assert {r["meeting"]["body"] for r in data["results"]} == {"KD-Net"}
    data = ask(client, question="klimasamarbejde", body="KKR Midtjylland", k=10)
    assert {r["meeting"]["body"] for r in data["results"]} == {"KKR Midtjylland"}


def test_ask_date_and_type_filters(client: httpx.Client) -> None:
    data = ask(client, question="klima", **{"from": "2023-01-01", "to": "2023-12-31"}, k=10)
    assert data["results"]
    assert all("2023-01-01" <= r["meeting"]["date"] <= "2023-12-31" for r in data["results"])
    data = ask(client, question="klima", doc_type="dagsorden", k=10)
    assert {r["meeting"]["doc_type"] for r in data["results"]} == {"dagsorden"}
    assert all(r["decision"] is None for r in data["results"])
    data = ask(client, question="klima", section="Indstilling", k=10)
    assert {r["section"] for r in data["results"]} == {"Indstilling"}


def test_ask_decisions_only(client: httpx.Client) -> None:
    data = ask(client, question="KlimaMidt", decisions_only=True, k=10)
    assert data["results"]
    for r in data["results"]:
        assert r["meeting"]["doc_type"] == "referat"
        assert r["section"] in ("Beslutning", "Referat")
        assert r["decision"]


def test_ask_validation_names_the_field(client: httpx.Client) -> None:
    # every rule is tested in test_web_api.py; here: the served app applies them
    r = client.post("/api/ask", json={"question": "klima", "from": "2024-01-01",
                                      "to": "2023-01-01"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "to"]


# --- items and the source page ---------------------------------------------------------


def test_item_json(client: httpx.Client) -> None:
    top = ask(client, question="Hvad blev besluttet om KlimaMidt?")["results"][0]
    mid, num = top["meeting"]["meeting_id"], top["item"]["number"]
    data = client.get(f"/api/items/{mid}/{num}").json()
    assert data["meeting"]["meeting_id"] == mid
    assert data["meeting"]["body"] == top["meeting"]["body"]
    assert "text" not in data["meeting"] and "items" not in data["meeting"]
    item = data["item"]
    assert item["number"] == num and item["title"] == top["item"]["title"]
    assert item["sections"] and {"name", "text", "start", "end"} <= set(item["sections"][0])
    assert "attachments" in item and item["decision"] == top["decision"]
    assert item["url"] == f"/item/{mid}/{num}"
    assert "previous" in data and "next" in data


def test_item_404s_say_what_is_missing(client: httpx.Client) -> None:
    r = client.get("/api/items/no-such-meeting/1")
    assert r.status_code == 404 and "no-such-meeting" in r.json()["detail"]
    mid = client.get("/api/meetings").json()[0]["meeting_id"]
    r = client.get(f"/api/items/{mid}/99.9")
    assert r.status_code == 404
    assert "99.9" in r.json()["detail"] and mid in r.json()["detail"]
    page = client.get(f"/item/{mid}/99.9")
    assert page.status_code == 404 and "99.9" in page.text


def test_health_with_the_full_index_check(client: httpx.Client) -> None:
    health = client.get("/api/health", params={"full": "true"}).json()
    assert health["check"]["ok"] and health["check"]["orphan_chunks"] == 0
    assert health["check"]["chunks"] == health["chunks"]
    assert "check" not in client.get("/api/health").json()


def test_case_history_route_and_same_case_links(client: httpx.Client) -> None:
    history = client.get("/api/cases/SAG-2023-00155").json()
    dates = [h["meeting"]["date"] for h in history]
    assert len(history) >= 2 and dates == sorted(dates)
    assert {h["item"]["case_number"] for h in history} == {"SAG-2023-00155"}
    missing = client.get("/api/cases/99/0000")
    assert missing.status_code == 404 and "99/0000" in missing.json()["detail"]
    page = client.get(history[0]["url"]).text
    assert "Samme sag:" in page and history[1]["url"] in page


def test_item_page_marks_the_cited_passage(client: httpx.Client) -> None:
    top = ask(client, question="Hvad blev besluttet om KlimaMidt?")["results"][0]
    page = client.get(top["url"])
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<mark id="hl"' in page.text
    assert page.text.count('id="hl"') == 1
    assert "KlimaMidt" in page.text
    assert "script-src 'sha256-" in page.headers["content-security-policy"]
    # unknown chunk id: still the item page, just nothing marked
    plain = client.get(top["url"].split("?")[0] + "?hl=nope")
    assert plain.status_code == 200 and 'id="hl"' not in plain.text


# --- ingest while running ----------------------------------------------------------------


def test_ingest_upload_adds_a_meeting(client: httpx.Client) -> None:
    before = len(client.get("/api/meetings").json())
    r = client.post("/api/ingest", files={"files": ("kkr-2026-12-01.txt", NEW_AGENDA.encode())})
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["ingested"] == 1 and report["errors"] == [] and report["ok"]
    meetings = client.get("/api/meetings").json()
    assert len(meetings) == before + 1
    new = next(m for m in meetings if m["date"] == "2026-12-01")
    assert new["body"] == "KKR Midtjylland" and new["doc_type"] == "dagsorden"
    assert [i["case_number"] for i in new["items"]] == ["SAG-2026-00001", "SAG-2026-00002"]

    data = ask(client, question="Hvad indstilles om supercykelstier?")
    top = data["results"][0]
    assert top["meeting"]["date"] == "2026-12-01" and top["item"]["number"] == "1"
    assert top["decision"] is None and "supercykelstiplanen" in top["proposal"]
    # the same upload again is recognised as unchanged
    again = client.post("/api/ingest",
                        files={"files": ("kkr-2026-12-01.txt", NEW_AGENDA.encode())}).json()
    assert again["skipped_unchanged"] == 1 and again["ingested"] == 0


def test_ingest_minutes_pairs_with_agenda(client: httpx.Client) -> None:
    r = client.post("/api/ingest",
                    files={"files": ("kkr-2026-12-01-referat.txt", NEW_MINUTES.encode())})
    assert r.status_code == 200 and r.json()["ingested"] == 1, r.text
    data = client.get("/api/items/kkr-midtjylland-2026-12-01-referat/1").json()
    assert data["item"]["decision"].startswith("KKR Midtjylland godkendte")
    assert [p["url"] for p in data["paired"]] == ["/item/kkr-midtjylland-2026-12-01-dagsorden/1"]
    page = client.get("/item/kkr-midtjylland-2026-12-01-dagsorden/1").text
    assert 'href="/item/kkr-midtjylland-2026-12-01-referat/1"' in page
    data = ask(client, question="Hvad blev besluttet om supercykelstier?")
    assert data["results"][0]["meeting"]["meeting_id"] == "kkr-midtjylland-2026-12-01-referat"


def test_ingest_hostile_document_is_only_text(client: httpx.Client) -> None:
    r = client.post("/api/ingest", files={"files": ("hackervaern.txt", HOSTILE.encode())})
    assert r.status_code == 200 and r.json()["ingested"] == 1, r.text
    data = ask(client, question="Hvad indstilles om hackerværn?")
    top = data["results"][0]
    assert top["meeting"]["meeting_id"] == "kd-net-2026-11-15-dagsorden"
    item = client.get("/api/items/kd-net-2026-11-15-dagsorden/1").json()
    assert "<svg/onload=alert(2)>" in item["item"]["sections"][0]["text"]  # JSON: raw text

    page = client.get(top["url"]).text
    assert "&lt;svg/onload=alert(2)&gt;" in page
    assert "&lt;img/src=x/onerror=alert(3)&gt;" in page
    assert "&lt;svg/onload=alert(5)&gt;" in page  # location header field
    body = page.split("<body>", 1)[1]
    assert "<svg" not in body and "<img" not in body
    assert body.count("<script>") == 1  # only the page's own scroll script


def test_ingest_bad_uploads_name_the_file(client: httpx.Client) -> None:
    files = [
        ("files", ("empty.txt", b"")),
        ("files", ("garbage.txt", bytes(range(256)) * 40)),
    ]
    r = client.post("/api/ingest", files=files)
    assert r.status_code == 422
    report = r.json()
    assert not report["ok"] and report["ingested"] == 0
    named = {e["file"]: e["reason"] for e in report["errors"]}
    assert set(named) == {"empty.txt", "garbage.txt"}, named
    assert "empty" in named["empty.txt"]
    # a type the readers do not know refuses the whole request (415, test_web_api.py)
    r = client.post("/api/ingest", files=[("files", ("tool.exe", b"MZ\x90\x00"))])
    assert r.status_code == 415 and "tool.exe" in r.json()["detail"]

    missing = str(Path(tempfile.gettempdir()) / "no-such-dir" / "file.txt")
    r = client.post("/api/ingest", json={"paths": [missing]})
    assert r.status_code == 422 and r.json()["errors"][0]["file"] == missing
    assert client.post("/api/ingest", json={"paths": []}).status_code == 422
    assert client.post("/api/ingest", content=b"x",
                       headers={"content-type": "text/plain"}).status_code == 415


def test_ingest_by_server_path(client: httpx.Client, tmp_path: Path) -> None:
    doc = tmp_path / "kdnet-2026-10-01.txt"
    doc.write_text(NEW_AGENDA.replace("KKR Midtjylland\nDato: 01-12-2026",
                                      "KD-Net\nDato: 01-10-2026"), encoding="utf-8")
    r = client.post("/api/ingest", json={"paths": [str(doc)]})
    assert r.status_code == 200 and r.json()["ingested"] == 1, r.text
    ids = {m["meeting_id"] for m in client.get("/api/meetings").json()}
    assert "kd-net-2026-10-01-dagsorden" in ids


def test_ingest_by_server_path_outside_the_allowed_folders_is_refused(
    client: httpx.Client,
) -> None:
    r = client.post("/api/ingest", json={"paths": ["/etc/passwd"]})
    assert r.status_code == 403 and "/etc/passwd" in r.json()["detail"]
    assert "MEETINGS_INGEST_ROOTS" in r.json()["detail"]
    sneaky = str(Path(tempfile.gettempdir()) / ".." / "etc" / "passwd")
    assert client.post("/api/ingest", json={"paths": [sneaky]}).status_code == 403


def test_ingest_upload_with_body_date_and_type_fields(client: httpx.Client) -> None:
    text = "1. Vinterberedskab\nIndstilling\nDet indstilles, at planen godkendes.\n"
    form = {"body": "Vejudvalget", "date": "2026-11-20", "doc_type": "dagsorden"}
    r = client.post("/api/ingest", data=form,
                    files={"files": ("udvalg.txt", text.encode())})
    assert r.status_code == 200 and r.json()["ingested"] == 1, r.text
    ids = {m["meeting_id"] for m in client.get("/api/meetings").json()}
    assert "vejudvalget-2026-11-20-dagsorden" in ids
    bad = client.post("/api/ingest", data={"date": "20.11.2026"},
                      files={"files": ("udvalg2.txt", text.encode())})
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.json()["detail"]


def test_health_detects_changes_made_behind_its_back(
    client: httpx.Client, live: LiveServer, tmp_path: Path
) -> None:
    from ingest.pipeline import Ingestor

    doc = tmp_path / "outside.txt"
    doc.write_text(NEW_AGENDA.replace("01-12-2026", "02-12-2026"), encoding="utf-8")
    before = client.get("/api/health").json()
    # another writer (as another process would) adds a document to the same store
    Ingestor(live.services.store, live.services.embedder).ingest([doc])
    after = client.get("/api/health").json()
    assert after["stale"] is True
    assert after["meetings"] == before["meetings"] + 1
    assert client.get("/api/health").json()["stale"] is False


# --- concurrency ---------------------------------------------------------------------------


def test_twenty_concurrent_asks(live: LiveServer) -> None:
    questions = [
        "Hvad blev besluttet om KlimaMidt?", "What was decided about KlimaMidt?",
        "Lånepulje til botilbud", "Hvad blev besluttet om det specialiserede socialområde?",
        "Europæisk Kulturregion", "Who was appointed to the regional fora?",
        "Hvad skete der på KD-Net mødet i november 2022?", "Erhvervshus Midtjylland",
        "regelforenkling og tilsyn", "Hvad indstilles om supercykelstier?",
    ] * 2
    results: list[tuple[int, float]] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(questions))

    def worker(q: str) -> None:
        with httpx.Client(base_url=live.url, timeout=120) as c:
            barrier.wait()
            t0 = time.perf_counter()
            try:
                r = c.post("/api/ask", json={"question": q})
                ok = r.status_code == 200 and set(r.json()) == ANSWER_KEYS
                with lock:
                    results.append((r.status_code, time.perf_counter() - t0))
                    if not ok:
                        errors.append(f"{q}: {r.status_code} {r.text[:200]}")
            except httpx.HTTPError as exc:
                with lock:
                    errors.append(f"{q}: {exc!r}")

    threads = [threading.Thread(target=worker, args=(q,)) for q in questions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    assert not errors, errors
    assert len(results) == 20 and all(code == 200 for code, _ in results)
    seconds = sorted(s for _, s in results)
    print(f"20 concurrent /api/ask: p50 {statistics.median(seconds):.2f} s, "
          f"max {seconds[-1]:.2f} s")


# --- Gradio's file route ---------------------------------------------------------------


def test_file_route_serves_no_index_upload_or_system_file(
    client: httpx.Client, live: LiveServer
) -> None:
    db = Path(live.services.settings.db_dir)
    uploads = db.parent / "uploads"
    assert any(uploads.iterdir())  # the uploads of the ingest tests above
    for path in [next(uploads.iterdir()), db / "chroma.sqlite3", Path("/etc/passwd"),
                 Path(__file__).resolve().parents[1] / "app.py"]:
        r = client.get(f"/gradio_api/file={path}")
        assert r.status_code in (403, 404), (path, r.status_code)
