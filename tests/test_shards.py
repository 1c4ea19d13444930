"""Ingest with shards (``--shard i/N``) and workers (``--workers N``) into one real Chroma
server (``chroma run``): two ingesters writing at the same time leave the index a single
process would have written, nothing lost or duplicated (issue 14, "Beyond one machine").

The ingesters are real ``python -m assistant`` processes over real documents (the samples and
the Greve fixtures, with a copy and a corrected publication: the cases concurrent writers
can race on),
embedding with the model-free fake (``MEETINGS_MODEL=hash-64``) so that they run in seconds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SAMPLES, load_bench, make_services, start_chroma

from assistant.cli import main
from assistant.settings import Services, Settings
from ingest.pipeline import Ingestor
from ingest.shards import MAX_WORKERS, Shard, keyed_files, parse_workers, settle, shard_of
from vectorstore.embedder import HashEmbedder, choose_device, load_embedder, use_device

FAKE = "hash-64"
GREVE_FIXTURES = REPO / "tests" / "fixtures" / "greve"
TIMEOUT = 120


# --- the split ------------------------------------------------------------------------


def archive_keys() -> list[str]:
    """Relative paths shaped like a real archive's: body folders, dated file names."""
    bodies = ["Byraad", "Oekonomiudvalget", "Kultur- og Fritidsudvalget", "Børne og unge"]
    return [f"{body}/{year}/{year}-{month:02d}-{day:02d} referat.{ext}"
            for body in bodies for year in (2022, 2023, 2024, 2025)
            for month in range(1, 13) for day in (3, 17) for ext in ("pdf", "docx")]


def test_shard_split_is_stable_disjoint_covering_and_balanced() -> None:
    keys = archive_keys()
    for count in (1, 2, 3, 5, 8):
        shards = [Shard(i, count) for i in range(1, count + 1)]
        held = [{k for k in keys if shard.holds(k)} for shard in shards]
        assert sum(len(h) for h in held) == len(keys)  # disjoint ...
        assert set().union(*held) == set(keys)  # ... and covering
        mean = len(keys) / count
        assert all(abs(len(h) - mean) <= 0.15 * mean for h in held), [len(h) for h in held]
    # stable: the same key, the same share, in any process (SHA-256, not Python's hash)
    probe = "Byraad/2023/2023-03-03 referat.pdf"
    code = f"from ingest.shards import shard_of; print(shard_of({probe!r}, 7))"
    again = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, check=True, env=dict(os.environ, PYTHONHASHSEED="123"),
    )
    assert int(again.stdout) == shard_of(probe, 7)


def test_shard_key_is_relative_to_the_folder_given(tmp_path: Path) -> None:
    """The same archive mounted in two places splits the same way; a file given itself is
    keyed by its name; macOS's decomposed names key like Linux's composed ones."""
    for mount in ("a/archive", "b/somewhere/else"):
        dest = tmp_path / mount
        shutil.copytree(SAMPLES, dest / "kkr")
    first = [key for _, key in keyed_files([tmp_path / "a" / "archive"])]
    second = [key for _, key in keyed_files([tmp_path / "b" / "somewhere" / "else"])]
    assert first == second == [f"kkr/{p.name}" for p in sorted(SAMPLES.iterdir())]
    one = sorted(SAMPLES.iterdir())[0]
    assert keyed_files([one]) == [(one, one.name)]
    decomposed = tmp_path / "nfd"
    decomposed.mkdir()
    (decomposed / "Bo\u0308rn.txt").write_text("x", encoding="utf-8")
    assert [key for _, key in keyed_files([decomposed])] == ["B\u00f6rn.txt"]


@pytest.mark.parametrize("text", ["3/2", "0/2", "1/0", "2", "a/b", "1/2/3", "-1/2", ""])
def test_shard_option_is_checked(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(
            f"--shard: expected i/N with 1 <= i <= N, got {text!r}")):
        Shard.parse(text)


def test_shard_option_accepts_i_of_n() -> None:
    assert Shard.parse("2/3") == Shard(2, 3) and str(Shard.parse(" 1/1 ")) == "1/1"


@pytest.mark.parametrize("text", ["0", "-2", "two", "1.5", str(MAX_WORKERS + 1)])
def test_workers_option_is_checked(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(
            f"--workers: expected a whole number from 1 to {MAX_WORKERS}, got {text!r}")):
        parse_workers(text)


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str],
            services: Any = None) -> tuple[int, str, str]:
    code = main(argv, services=services)
    out, err = capsys.readouterr()
    return code, out, err


def test_bad_scale_options_exit_2_before_anything_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "index")
    code, _, err = run_cli(["--db", db, "ingest", "--shard", "3/2", str(SAMPLES)], capsys)
    assert code == 2 and "--shard: expected i/N with 1 <= i <= N, got '3/2'" in err
    code, _, err = run_cli(["--db", db, "ingest", "--workers", "2", str(SAMPLES)], capsys)
    assert code == 2 and "embedded index (--db) takes one writer" in err
    assert "chroma run" in err and "--chroma-url" in err
    code, _, err = run_cli(["--db", db, "ingest", "--shard", "1/2", "--prune"], capsys)
    assert code == 2 and "--prune with --shard" in err
    code, _, err = run_cli(["--db", db, "ingest", "--shard", "1/2", "--workers", "2"], capsys)
    assert code == 2 and "--shard and --workers" in err
    assert not (tmp_path / "index").exists()  # refused before the index was opened


def test_device_is_checked_and_reported(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    import torch

    services = make_services(tmp_path / "index", HashEmbedder())
    code, out, _ = run_cli(["ingest", "--device", "cpu", "--no-progress", str(SAMPLES)],
                           capsys, services)
    assert code == 0 and "passages in fp32 on cpu)" in out
    if torch.cuda.is_available():
        assert choose_device("cuda") == "cuda" and choose_device("auto") == "cuda"
        return
    assert choose_device("auto") == "cpu"
    lazy = load_embedder(None, lazy=True)  # the default model, not loaded yet
    assert use_device(lazy, "cpu") == "cpu" == lazy.device and not lazy.loaded
    with pytest.raises(ValueError, match=r"--device cuda: torch .* sees no CUDA GPU"):
        choose_device("cuda")
    code, _, err = run_cli(["--db", str(tmp_path / "other"), "ingest", "--device", "cuda",
                            str(SAMPLES)], capsys)
    assert code == 2 and "--device cuda" in err and "sees no CUDA GPU" in err
    with pytest.raises(ValueError, match="expected auto, cpu or cuda"):
        choose_device("gpu")


# --- what shards cannot see of each other ----------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real documents: the samples, the Greve fixtures, a copy of one sample under another
    name (one process stores a copy once, listing both files) and a corrected publication of
    a Greve meeting (its first item's title changed): another document of the same meeting,
    which one process gives its own meeting id.  Each pair is split between the two shards,
    so that shards writing at the same time can race on it."""
    dest = tmp_path_factory.mktemp("shards") / "corpus"
    shutil.copytree(SAMPLES, dest / "kkr")
    shutil.copytree(GREVE_FIXTURES, dest / "greve")
    original = sorted((dest / "kkr").iterdir())[0]
    shutil.copy(original, dest / f"copy of {original.name}")
    meeting = sorted((dest / "greve").iterdir())[-1]
    data = json.loads(meeting.read_text(encoding="utf-8"))
    data["Dagsordenpunkter"][0]["Caption"] += " (rettet)"
    (dest / "rettet").mkdir()
    (dest / "rettet" / meeting.name).write_text(json.dumps(data, ensure_ascii=False),
                                                encoding="utf-8")
    keys = dict(keyed_files([dest]))
    for pair in ((original, dest / f"copy of {original.name}"),
                 (meeting, dest / "rettet" / meeting.name)):
        assert shard_of(keys[pair[0]], 2) != shard_of(keys[pair[1]], 2), pair
    return dest


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """One process's ingest of the corpus (embedded Chroma): its report and index state."""
    services = make_services(tmp_path_factory.mktemp("one") / "index", HashEmbedder(64))
    report = services.ingestor.ingest([corpus])  # type: ignore[attr-defined]
    assert report.duplicates == 1 and not report.errors
    return report, index_state(services)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One ``chroma run`` for this module's tests (starting one takes seconds)."""
    url, proc = start_chroma(tmp_path_factory.mktemp("chroma-server"))
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture()
def chroma_url(server: str) -> str:
    """The module's server, emptied: each test starts from a fresh index."""
    from vectorstore.store import CHUNKS, DOCUMENTS, make_client

    client = make_client(url=server)
    for name in (CHUNKS, DOCUMENTS):
        if name in {getattr(c, "name", str(c)) for c in client.list_collections()}:
            client.delete_collection(name)
    return server


def index_state(services: Any) -> dict[str, Any]:
    """What an index holds: its chunk ids, each document once with the files it lists (a
    copy's files sorted: which copy's record holds the others depends on which was written
    first, in one process too), the chunks per document content, meeting ids and check."""
    store = services.store
    chunks = store.chunks.get(include=["metadatas"])
    records = store.all_documents()
    by_hash = {r.doc_hash: r.source for r in records}
    return {
        "chunk_ids": list(chunks["ids"]),
        "chunks_per_document": Counter(str(m["doc_hash"]) for m in chunks["metadatas"]),
        "chunks_at_their_record": all(by_hash.get(str(m["doc_hash"])) == m["source"]
                                      for m in chunks["metadatas"]),
        "documents": sorted((r.doc_hash, tuple(sorted(r.payload.get("sources") or [])),
                             r.payload.get("body"), r.payload.get("date"),
                             r.payload.get("doc_type")) for r in records),
        "meeting_ids": [str(r.metadata["meeting_id"]) for r in records],
        "health": store.check(),
    }


def assert_like_one_process(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert len(got["chunk_ids"]) == len(set(got["chunk_ids"]))  # no chunk id twice
    assert sorted(got["chunk_ids"]) == sorted(want["chunk_ids"])  # nothing lost or added
    assert got["chunks_per_document"] == want["chunks_per_document"]
    assert got["chunks_at_their_record"] and want["chunks_at_their_record"]
    assert got["documents"] == want["documents"]  # every document once, copies listed as one
    assert len(set(got["meeting_ids"])) == len(got["meeting_ids"])  # meetings told apart
    assert got["health"].ok, got["health"].as_dict()


def server_services(url: str) -> Services:
    return Services(Settings(db_dir=Path("unused"), chroma_url=url, model=FAKE))


def meetings_cmd(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "assistant", "--chroma-url", url, "ingest", *args]


def child_env() -> dict[str, str]:
    env = dict(os.environ, MEETINGS_MODEL=FAKE, PYTHONPATH=str(REPO))
    env.pop("MEETINGS_CHROMA_URL", None)
    return env


def test_settle_makes_racing_writers_what_one_process_writes(
    tmp_path: Path, corpus: Path, reference: tuple[Any, Any]
) -> None:
    """Two writers that could not see each other (simulated: an ingestor blind to other
    documents) leave a copy stored twice and a same-day meeting under the bare id twice;
    ``settle`` turns that into one process's index."""
    blind = make_services(tmp_path / "racing", HashEmbedder())
    ingestor: Ingestor = blind.ingestor  # type: ignore[attr-defined]
    ingestor._same_content = lambda meeting: None  # type: ignore[method-assign]
    ingestor._distinct_id = lambda meeting: meeting  # type: ignore[method-assign]
    report = ingestor.ingest([corpus])
    assert report.duplicates == 0 and report.ingested == report.documents
    del ingestor._same_content, ingestor._distinct_id  # back to the class's own rules
    notes = settle(ingestor)
    assert sum("same content as" in n for n in notes) == 1, notes
    assert sum("meeting id" in n for n in notes) == 1, notes
    assert_like_one_process(index_state(blind), reference[1])
    assert settle(ingestor) == []  # settled: nothing left to do


def test_two_shards_at_once_into_one_chroma_server(
    corpus: Path, reference: tuple[Any, Any], chroma_url: str
) -> None:
    """``--shard 1/2`` and ``--shard 2/2`` started together: disjoint, covering, and with
    the plain ingest that follows (it settles) the index one process writes."""
    files = keyed_files([corpus])
    halves = [{p for p, key in files if Shard(i, 2).holds(key)} for i in (1, 2)]
    assert halves[0] and halves[1] and not halves[0] & halves[1]
    assert halves[0] | halves[1] == {p for p, _ in files}
    one, want = reference
    env = child_env()
    procs = [subprocess.Popen(meetings_cmd(chroma_url, "--json", "--shard", f"{i}/2",
                                           str(corpus)),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
             for i in (1, 2)]
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=TIMEOUT)
        assert proc.returncode == 0, err.decode()
        reports.append(json.loads(out))
    for report, half in zip(reports, halves, strict=True):
        assert report["documents"] == len(half) and not report["errors"]
        assert report["device"] == "cpu" and not report["settled"]
        assert {str(p.resolve()) for p in half} >= set(report["ingested_sources"])
    # a copy either seen as one (duplicates) or, racing, ingested twice and settled below
    assert sum(r["ingested"] + r["duplicates"] for r in reports) == one.ingested + one.duplicates
    final = subprocess.run(meetings_cmd(chroma_url, "--json", str(corpus)),
                           capture_output=True, env=env, timeout=TIMEOUT)
    assert final.returncode == 0, final.stderr.decode()
    again = json.loads(final.stdout)
    assert again["ingested"] == 0 and again["documents"] == len(files)
    assert_like_one_process(index_state(server_services(chroma_url)), want)


def test_workers_into_one_chroma_server(
    tmp_path: Path, corpus: Path, reference: tuple[Any, Any], chroma_url: str
) -> None:
    """``--workers 2`` against one process, each into a fresh ``chroma run`` (the short form
    of ``bench/shard_ingest.py``): one merged report, the same index; then a worker whose
    files all fail makes the command exit 1 naming the worker and the file."""
    result = load_bench("shard_ingest").bench(corpus, [1, 2], FAKE)
    assert result["ok"], result["runs"]
    single, workers = result["runs"]
    assert single["exit"] == workers["exit"] == 0 and not workers["problems"]
    assert single["chunks"] == workers["chunks"] == len(reference[1]["chunk_ids"])
    report, one = workers["report"], reference[0]
    assert report["documents"] == one.documents and not report["errors"]
    assert report["ingested"] + report["duplicates"] == one.ingested + one.duplicates
    assert [w["shard"] for w in report["workers"]] == ["1/2", "2/2"]
    assert sum(w["documents"] for w in report["workers"]) == one.documents
    assert all(w["exit"] == 0 and w["failed"] == 0 and w["documents"] for w in
               report["workers"])

    env = child_env()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "referat.pdf").write_bytes(b"%PDF-1.4\nthis is not a PDF body\n")
    run = subprocess.run(meetings_cmd(chroma_url, "--workers", "2", "--no-progress",
                                      str(broken)),
                         capture_output=True, env=env, timeout=TIMEOUT, text=True)
    shard = next(i for i in (1, 2) if Shard(i, 2).holds("referat.pdf"))
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"worker {shard}/2 (--shard {shard}/2) failed (exit 1)" in run.stderr
    assert "referat.pdf" in run.stderr and "failed: 1  workers: 2" in run.stdout
