"""Topic watches (issue 15): ``meetings watch add|list|remove``, the refresh after each
ingest (CLI and web), ``meetings digest``, ``/api/watch``, the Atom feed and the UI panel,
closed items hidden from viewers without the closed role, and a corrupt watch file.

A real temporary Chroma and the fake embedder (plumbing: the threshold here is set for its
scale, see ``THRESHOLD``); documents: three written in two municipal conventions plus the
KKR samples.  What a real-model digest lists was measured by bench/watch_replay.py
(docs/BENCHMARKS.md, "Topic watch calibration"); its short form runs at the end.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
import pytest
from conftest import clone_index, load_bench
from fastapi.testclient import TestClient

from assistant.access import CLOSED_ROLE, OPERATOR_WITH_CLOSED, PUBLIC, Viewer
from assistant.cli import main
from assistant.query import analyze
from assistant.search import Filters, Retriever
from assistant.settings import Services, Settings
from assistant.watch import WATCH_FILE, WatchError, WatchStore, date_ranges
from ingest.pipeline import load_meeting
from vectorstore.embedder import HashEmbedder
from web.users import add_user

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "kkr-midtjylland"
THRESHOLD = "0.25"
"""The fake embedder's scale (512 buckets: few collisions): items that share the topic's
words score 0.3-0.75 here, the others under 0.11.  The product's threshold (0.90) is the
real model's."""
QUERY = "cykelsti langs Strandvejen"

BATCH_A = {  # the baseline: in the index when the watches are added
    "oeu-referat.txt": """Økonomiudvalget
Referat
Mødedato: 12.03.2024

1. Godkendelse af dagsorden
Beslutning
Godkendt.

2. Cykelsti langs Strandvejen
Sagsnr.: 24/1234
Indstilling
Det indstilles, at projektet for en ny cykelsti langs Strandvejen anbefales.
Beslutning
Anbefalet. Cykelstien langs Strandvejen anlægges i 2025.

3. Regnskab for kantinen
Sagsfremstilling
Kantinens regnskab viser et mindre overskud på 40.000 kr.
Beslutning
Taget til efterretning.
""",
    "byraad-dagsorden-1.txt": """Byrådet
Dagsorden
Mødedato: 14.03.2024

1. Meddelelser
Sagsfremstilling
Borgmesteren orienterer om vintertjenesten.

2. Ny hal i Tune
Indstilling
Det indstilles, at der afsættes midler til en ny idrætshal.
""",
}
BATCH_B = {  # ingested after the watches were added
    "byraad-dagsorden-2.txt": """Byrådet
Dagsorden
Mødedato: 26.03.2024

1. Meddelelser
Sagsfremstilling
Borgmesteren orienterer om sommerens kulturarrangementer i byparken.

2. Cykelsti langs Strandvejen - anlægsbevilling
Sagsnr.: 24/1234
Indstilling
Økonomiudvalget anbefaler, at der gives en anlægsbevilling til cykelstien langs Strandvejen.

3. Lukket: Køb af areal
Sagsfremstilling
Kommunen køber et areal ved Strandvejen til cykelstien; prisen er fortrolig.
Indstilling
Direktionen indstiller, at arealet til cykelstien langs Strandvejen købes.
""",
    "tmu-referat.txt": """Teknik- og Miljøudvalget
Referat
Mødedato: 02.04.2024

1. Godkendelse af dagsorden
Beslutning
Godkendt.

2. Trafiksikkerhed ved Strandvejen: cykelsti og krydsninger
Sagsfremstilling
Trafiktællinger viser mange cyklister på Strandvejen. En cykelsti og sikre krydsninger foreslås.
Beslutning
Forvaltningen arbejder videre med cykelstien langs Strandvejen.

3. Lukket: Cykelsti langs Strandvejen - ekspropriation
Sagsfremstilling
Ekspropriation af en grundejers have er nødvendig.
Beslutning
Godkendt.

4. Vandløbsregulativ for Hundige Å
Sagsfremstilling
Regulativet for Hundige Å revideres, så vandløbet kan lede mere regnvand væk.
Beslutning
Godkendt.
""",
}
SECRETS = ("fortrolig", "Ekspropriation af en grundejers have",
           "Direktionen indstiller, at arealet")
"""Printed only in closed items' content."""
BYRAAD_2 = "byraadet-2024-03-26-dagsorden"
TMU = "teknik-og-miljoeudvalget-2024-04-02-referat"
OEU = "oekonomiudvalget-2024-03-12-referat"


def _services(db: Path, users: Path | None = None) -> Services:
    settings = Settings(db_dir=db, chroma_url=None, model=None, users_file=users,
                        watch_min_score=THRESHOLD)
    return Services(settings, embedder=HashEmbedder(512))


def _write(folder: Path, docs: dict[str, str], samples: Sequence[Path] = ()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    for path in samples:
        shutil.copyfile(path, folder / path.name)
    return folder


def _cli(services: Services, *args: str) -> tuple[int, str, str]:
    """``meetings --db DB ARGS`` through the CLI: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", str(services.settings.db_dir), *args], services=services)
    return code, out.getvalue(), err.getvalue()


def _expected(services: Services, body: str | None, new: set[str], viewer: Viewer
              ) -> set[tuple[str, str]]:
    """The items of the meetings ``new`` that one plain search of the whole index (no date
    ranges) finds at or above the threshold: what the refresh must have recorded."""
    retriever = Retriever(services.store, services.embedder)
    hits = retriever.search(analyze(QUERY, retriever.bodies), Filters(body=body), limit=1000,
                            viewer=viewer)
    return {(h.meeting.meeting_id, h.item.number) for h in hits
            if h.score >= float(THRESHOLD) and h.meeting.meeting_id in new}


@dataclass
class Archive:
    services: Services
    base: Path
    baseline: set[str]
    new: set[str]
    ingest_b: dict[str, Any]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """Batch A (two documents, two samples) ingested; two watches added (one for a body);
    batch B (two documents, three samples) ingested, closed content included."""
    base = tmp_path_factory.mktemp("watch")
    services = _services(base / "index")
    samples = sorted(SAMPLES.iterdir())
    folder_a = _write(base / "a", BATCH_A, samples[:2])
    folder_b = _write(base / "b", BATCH_B, samples[2:])
    assert _cli(services, "ingest", "--no-progress", "--include-closed", str(folder_a))[0] == 0
    baseline = {r.payload["meeting_id"] for r in services.store.all_documents()}
    code, out, _ = _cli(services, "watch", "add", QUERY, "--name", "cykel")
    assert code == 0 and "baseline" in out, out
    code, out, err = _cli(services, "watch", "add", QUERY, "--body", "byrådet",
                          "--name", "byraad-cykel")
    assert code == 0, err
    code, out, err = _cli(services, "ingest", "--json", "--include-closed", str(folder_b))
    assert code == 0, err
    new = {r.payload["meeting_id"] for r in services.store.all_documents()} - baseline
    return Archive(services, base, baseline, new, json.loads(out))


# --- refresh --------------------------------------------------------------------------


def test_refresh_records_exactly_the_new_matching_items(archive: Archive) -> None:
    watches = WatchStore.beside(archive.services.settings.db_dir).load()
    recorded = {m.key for m in watches["cykel"].matches}
    expected = _expected(archive.services, None, archive.new, OPERATOR_WITH_CLOSED)
    assert recorded == expected
    # the topic's new items, each from a meeting of batch B, and nothing else
    assert {(BYRAAD_2, "2"), (TMU, "2"), (TMU, "3")} <= recorded
    assert (TMU, "4") not in recorded and (BYRAAD_2, "1") not in recorded
    # the baseline's own item on the topic scores above the threshold, yet is not news
    assert (OEU, "2") in _expected(archive.services, None, archive.baseline | archive.new,
                                   OPERATOR_WITH_CLOSED)
    assert not any(mid in archive.baseline for mid, _ in recorded)
    assert archive.ingest_b["watches"] == {"cykel": len(recorded),
                                           "byraad-cykel": len(watches["byraad-cykel"].matches)}


def test_a_body_watch_records_only_that_bodys_items(archive: Archive) -> None:
    watch = WatchStore.beside(archive.services.settings.db_dir).get("byraad-cykel")
    recorded = {m.key for m in watch.matches}
    assert recorded == _expected(archive.services, "Byrådet", archive.new, OPERATOR_WITH_CLOSED)
    assert recorded and {mid for mid, _ in recorded} == {BYRAAD_2}
    assert watch.body == "Byrådet"  # the body as stored (letter case forgiven)


def test_match_found_only_through_closed_content_is_not_public(archive: Archive) -> None:
    watch = WatchStore.beside(archive.services.settings.db_dir).get("cykel")
    public = {m.key for m in watch.matches if m.public}
    assert public == _expected(archive.services, None, archive.new, PUBLIC)
    # "Køb af areal" is about the cycle path only in its closed content
    assert (BYRAAD_2, "3") in {m.key for m in watch.matches} and (BYRAAD_2, "3") not in public
    # a closed item whose title names the topic is found by everyone, as its title
    assert (TMU, "3") in public
    shown = {m.key: m.result for m in watch.visible(PUBLIC)}
    assert (BYRAAD_2, "3") not in shown
    assert shown[(TMU, "3")]["text"] == "Cykelsti langs Strandvejen - ekspropriation"
    assert shown[(TMU, "3")]["url"] == f"/item/{TMU}/3"
    assert not any(s in json.dumps(list(shown.values()), ensure_ascii=False) for s in SECRETS)


def test_unchanged_ingest_records_nothing_more(archive: Archive, tmp_path: Path) -> None:
    store = WatchStore.beside(archive.services.settings.db_dir)
    before = {n: len(w.matches) for n, w in store.load().items()}
    code, out, _ = _cli(archive.services, "ingest", "--json", "--include-closed",
                        str(archive.base / "b"))
    assert code == 0 and "watches" not in json.loads(out)
    assert {n: len(w.matches) for n, w in store.load().items()} == before


def test_date_ranges_cover_new_dates_within_the_budget() -> None:
    counts = {"2024-01-01": 150, "2024-01-02": 30, "2024-01-03": 40, "2024-01-04": 300,
              "2024-01-05": 10, "": 5}
    assert date_ranges(["2024-01-02", "2024-01-03", "2024-01-05"], counts, 200) == [
        ("2024-01-02", "2024-01-03"), ("2024-01-05", "2024-01-05")]
    assert date_ranges(["2024-01-04"], counts, 200) == [("2024-01-04", "2024-01-04")]
    assert date_ranges([""], counts, 200) == []  # undated: searched without a date filter


# --- CLI: list, digest, remove, backfill -------------------------------------------------------


def test_digest_lists_the_new_items_with_citations(archive: Archive) -> None:
    watch = WatchStore.beside(archive.services.settings.db_dir).get("cykel")
    code, out, _ = _cli(archive.services, "digest", "--watch", "cykel")
    assert code == 0
    assert out.startswith(f"cykel («{QUERY}»): {len(watch.visible(PUBLIC))} nye punkter")
    for match in watch.visible(PUBLIC):
        assert match.result["citation"] in out and match.result["url"] in out
    assert ("Byrådet · 26.03.2024 · Dagsorden · pkt. 2 Cykelsti langs Strandvejen - "
            "anlægsbevilling") in out
    assert ("Ingen beslutning registreret – dagsorden, indstilling: Økonomiudvalget anbefaler"
            in out)
    assert "Beslutning: Forvaltningen arbejder videre med cykelstien" in out
    assert not any(s in out for s in SECRETS)
    code, out, _ = _cli(archive.services, "digest", "--watch", "cykel", "--json", "--closed")
    items = json.loads(out)["watches"][0]["items"]
    assert {(i["meeting"]["meeting_id"], i["item"]["number"]) for i in items} == {
        m.key for m in watch.matches}
    assert all(i["citation"] and i["url"].startswith("/item/") and i["found"] for i in items)
    code, out, _ = _cli(archive.services, "digest", "--since", "2999-01-01", "--json")
    assert code == 0 and all(w["items"] == [] for w in json.loads(out)["watches"])
    code, _, err = _cli(archive.services, "digest", "--watch", "nope")
    assert code == 2 and "no watch named 'nope'" in err and WATCH_FILE in err


def test_watch_list_and_refusals(archive: Archive) -> None:
    code, out, _ = _cli(archive.services, "watch", "list", "--json")
    listed = {w["name"]: w for w in json.loads(out)}
    assert set(listed) == {"cykel", "byraad-cykel"} and listed["cykel"]["query"] == QUERY
    code, out, _ = _cli(archive.services, "watch", "list")
    assert code == 0 and f"cykel: «{QUERY}»" in out
    code, _, err = _cli(archive.services, "watch", "add", QUERY, "--name", "cykel")
    assert code == 2 and "exists already" in err
    code, _, err = _cli(archive.services, "watch", "add", QUERY, "--body", "Havneudvalget")
    assert code == 2 and "Havneudvalget" in err and "Byrådet" in err
    code, _, err = _cli(archive.services, "watch", "add", QUERY, "--name", "a/b")
    assert code == 2 and "watch name 'a/b'" in err


def test_backfill_records_existing_matches_and_remove(archive: Archive) -> None:
    code, out, err = _cli(archive.services, "watch", "add", QUERY, "--name", "alle",
                          "--backfill")
    assert code == 0, err
    store = WatchStore.beside(archive.services.settings.db_dir)
    recorded = {m.key for m in store.get("alle").matches}
    everything = archive.baseline | archive.new
    assert recorded == _expected(archive.services, None, everything, OPERATOR_WITH_CLOSED)
    assert (OEU, "2") in recorded and f"{len(recorded)} existing item(s)" in out
    code, out, _ = _cli(archive.services, "watch", "remove", "alle")
    assert code == 0 and "alle" not in store.load()
    assert _cli(archive.services, "watch", "remove", "alle")[0] == 2


# --- the watch file ------------------------------------------------------------------------


def test_corrupt_watch_file_is_named_and_kept(tmp_path: Path) -> None:
    services = _services(tmp_path / "index")
    assert _cli(services, "ingest", "--no-progress", str(_write(tmp_path / "a", BATCH_A)))[0] == 0
    assert _cli(services, "watch", "add", QUERY)[0] == 0
    path = tmp_path / "index" / WATCH_FILE
    assert json.loads(path.read_text(encoding="utf-8"))["watches"]["cykelsti-langs-strandvejen"]
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".watches-")] == []
    broken = path.read_bytes()[:-40]
    path.write_bytes(broken)
    for args in (("watch", "list"), ("digest",), ("watch", "add", "budget"),
                 ("watch", "remove", "cykelsti-langs-strandvejen")):
        code, _, err = _cli(services, *args)
        assert code == 2 and str(path) in err and "corrupt" in err, (args, err)
    # the ingest itself stands; the watch file is named and left as it was
    code, out, err = _cli(services, "ingest", "--no-progress", str(_write(tmp_path / "b",
                                                                          BATCH_B)))
    assert code == 0 and "ingested: 2" in out
    assert "watches not refreshed" in err and str(path) in err
    assert path.read_bytes() == broken
    path.write_text('{"watches": {"x": {"query": 3}}}', encoding="utf-8")
    with pytest.raises(WatchError, match="watch 'x' is malformed"):
        WatchStore(path).load()


# --- the web app -----------------------------------------------------------------------------


ANNA, BO, ROOT = ("anna", "anna-pw"), ("bo", "bo-pw"), ("root", "root-pw")


@contextlib.contextmanager
def _web(db: Path, folder: Path) -> Iterator[TestClient]:
    """The web app over the index at ``db``, with the users anna (closed), bo, root (admin)."""
    from app import create_app

    users = folder / "users.json"
    add_user(users, "anna", "anna-pw", [CLOSED_ROLE])
    add_user(users, "bo", "bo-pw", [])
    add_user(users, "root", "root-pw", ["admin"])
    with TestClient(create_app(_services(db, users), ingest_samples=False)) as c:
        yield c


@pytest.fixture(scope="module")
def client(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with _web(archive.services.settings.db_dir, tmp_path_factory.mktemp("users")) as c:
        yield c


def test_api_lists_watches_and_matches_as_the_viewer_may_see_them(
    archive: Archive, client: TestClient
) -> None:
    listed = {w["name"]: w for w in client.get("/api/watch", auth=BO).json()}
    watch = WatchStore.beside(archive.services.settings.db_dir).get("cykel")
    assert listed["cykel"]["matches"] == len(watch.visible(PUBLIC))
    closed_view = {w["name"]: w for w in client.get("/api/watch", auth=ANNA).json()}
    assert closed_view["cykel"]["matches"] == len(watch.matches) > listed["cykel"]["matches"]
    public = client.get("/api/watch/cykel", auth=BO)
    shown = client.get("/api/watch/cykel", auth=ANNA)
    assert public.status_code == shown.status_code == 200
    assert not any(s in public.text for s in SECRETS)
    assert any(s in shown.text for s in SECRETS)
    items = public.json()["items"]
    # newest first; found together: best first
    assert [(i["found"], i["score"]) for i in items] == sorted(
        ((i["found"], i["score"]) for i in items), reverse=True)
    assert all(i["citation"] and i["url"] for i in items)
    assert client.get("/api/watch/nope", auth=BO).status_code == 404
    assert client.get("/api/watch/cykel?since=yesterday", auth=BO).status_code == 422


def test_api_add_and_remove_need_the_admin_role(client: TestClient) -> None:
    body = {"query": "vandløb og regnvand", "name": "vand"}
    assert client.post("/api/watch", json=body, auth=BO).status_code == 403
    r = client.post("/api/watch", json=body, auth=ROOT)
    assert r.status_code == 201 and r.json()["name"] == "vand" and r.json()["recorded"] == 0
    assert client.post("/api/watch", json=body, auth=ROOT).status_code == 409
    bad = client.post("/api/watch", json={"query": "x", "name": "a b"}, auth=ROOT)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "name"]
    assert client.post("/api/watch", json={"query": ""}, auth=ROOT).status_code == 422
    assert client.delete("/api/watch/vand", auth=BO).status_code == 403
    assert client.delete("/api/watch/vand", auth=ROOT).json() == {"removed": "vand",
                                                                  "matches": 0}
    assert client.delete("/api/watch/vand", auth=ROOT).status_code == 404


def test_web_ingest_refreshes_the_watches(archive: Archive, tmp_path: Path) -> None:
    # over its own copy of the archive: the document it adds must not reach the watches
    # the other tests of this module compare with the archive's two batches
    copy = _services(tmp_path / "index")
    clone_index(archive.services.store, copy.store)
    shutil.copyfile(WatchStore.beside(archive.services.settings.db_dir).path,
                    WatchStore.beside(copy.settings.db_dir).path)
    with _web(copy.settings.db_dir, tmp_path) as client:
        _web_ingest_refreshes_the_watches(client)


def _web_ingest_refreshes_the_watches(client: TestClient) -> None:
    assert client.post("/api/watch", json={"query": QUERY, "name": "web"},
                       auth=ROOT).status_code == 201
    text = """Plan- og Tryghedsudvalget
Referat
Mødedato: 15.05.2024

1. Cykelsti langs Strandvejen - etape 2
Indstilling
Det indstilles, at cykelstien langs Strandvejen forlænges til havnen.
Beslutning
Godkendt.

2. Legeplads i byparken
Beslutning
Godkendt.
"""
    files = {"files": ("ptu-referat.txt", text.encode("utf-8"), "text/plain")}
    report = client.post("/api/ingest", files=files, auth=ROOT).json()
    assert report["ingested"] == 1 and report["watches"]["web"] == 1, report
    items = client.get("/api/watch/web", auth=BO).json()["items"]
    assert [(i["meeting"]["body"], i["item"]["number"]) for i in items] == [
        ("Plan- og Tryghedsudvalget", "1")]
    assert items[0]["citation"].startswith(
        "Plan- og Tryghedsudvalget · 15.05.2024 · Referat · pkt. 1 Cykelsti langs Strandvejen")
    assert client.delete("/api/watch/web", auth=ROOT).status_code == 200


def test_atom_feed_parses(archive: Archive, client: TestClient) -> None:
    watch = WatchStore.beside(archive.services.settings.db_dir).get("cykel")
    r = client.get("/feeds/cykel.xml", auth=BO)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert feed.bozo == 0 and feed.version == "atom10"
    assert feed.feed.id == "http://testserver/feeds/cykel.xml" and QUERY in feed.feed.title
    assert feed.feed.updated
    visible = watch.visible(PUBLIC)
    assert len(feed.entries) == len(visible)
    for entry, match in zip(feed.entries, visible, strict=True):
        assert entry.id == f"http://testserver/item/{match.meeting_id}/{match.item_number}"
        assert entry.title == match.result["citation"]
        assert entry.link == "http://testserver" + match.result["url"]
        assert entry.updated == match.found
        assert match.result["citation"] in entry.summary
    assert not any(s in r.text for s in SECRETS) and "Køb af areal" not in r.text
    closed_feed = feedparser.parse(client.get("/feeds/cykel.xml", auth=ANNA).content)
    assert len(closed_feed.entries) == len(watch.matches)
    assert client.get("/feeds/nope.xml", auth=BO).status_code == 404


def test_ui_panel_lists_recent_matches(archive: Archive, client: TestClient) -> None:
    from web.ui import watch_markdown

    core = client.app.state.core  # type: ignore[attr-defined]
    watch = WatchStore.beside(archive.services.settings.db_dir).get("cykel")
    da = watch_markdown(core, "da", PUBLIC)
    assert f"cykel («{QUERY}»): {len(watch.visible(PUBLIC))} nye punkter" in da
    assert f"(/item/{BYRAAD_2}/2?hl=" in da and "Ingen beslutning registreret" in da
    assert not any(s in da for s in SECRETS) and "Køb af areal" not in da
    en = watch_markdown(core, "en", Viewer("anna", frozenset({CLOSED_ROLE})))
    assert "new items" in en and "Køb af areal" in en


# --- the calibration bench, short form ------------------------------------------------------------


def test_watch_replay_short_form(tmp_path: Path) -> None:
    bench = load_bench("watch_replay")
    result = bench.replay(SAMPLES, 5, 2, "hash", tmp_path / "index",
                          topics=[("klima", "klimastrategi", None)], log=lambda *a: None)
    first, second = result["batches"]
    assert (first["meetings"], second["meetings"]) == (3, 2)
    rows = result["items"]
    assert rows and {r["batch"] for r in rows} == {2}
    # every recorded item is of a batch-2 meeting (none of the baseline's), each once
    later = bench.batches_of(bench.meeting_files(SAMPLES, 5), 2)[1]
    ids = {load_meeting(p)[1].meeting_id for p in later}
    assert all(r["url"].split("/")[2] in ids for r in rows)
    assert len({r["url"] for r in rows}) == len(rows)
    table = bench.summarize(result, [0.0, 2.0])
    assert table == [{"batch": 2, "watch": "klima", "new_items": len(rows),
                      "listed": {"0.0": sum(r["score"] >= 0 for r in rows), "2.0": 0}}]
