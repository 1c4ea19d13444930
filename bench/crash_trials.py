"""Kill -9 trials over the whole ingest timeline: is every document always fully its old or
fully its new version, and does the next ingest finish the job? (issue 13)

Each trial runs the real command line, ``python -m assistant --db DB ingest DIR``, in a child
process and kills it with SIGKILL - at a named crash point (``MEETINGS_CRASH_AT=point:n``,
see ``vectorstore/crashpoint.py``: embedder load, collection creation, parsing, embedding,
chunk writes, document-record commit, stale-chunk deletion) or after a random delay.  Two
scenarios: a first ingest of the sample corpus (copied to a temporary folder) into an empty
index, and the replacement of two edited documents in an index holding the originals.

After each kill this process opens the index and checks that it opens; that every document
is absent (first ingest only), or exactly its old or its new version (record hash, chunk ids
and count equal to what parser + chunker produce for that version); that the reader's view
(``Retriever``: lexical index and dense candidates), a search for the other version's text
and ``VectorStore.get_chunk`` return no chunk of a version that is not the current one; and
that ``VectorStore.check`` finds nothing but the leftover chunks of the interrupted step.
Then it runs the ingest again and checks that the index equals a clean ingest of the same
files (same documents, chunk ids, texts and metadata) and that ``check`` is clean.

The children embed with the model-free fake embedder (``MEETINGS_MODEL=hash-64``,
``HashEmbedder``): the trials test the write path, not the model, and run in minutes.

    .venv/bin/python bench/crash_trials.py            # all 20 trials, a Markdown table
    .venv/bin/python bench/crash_trials.py --short    # 3 of them (what the test suite runs)
    .venv/bin/python bench/crash_trials.py --json out.json --seed 13

Timed kills aim at a random fraction of a clean run's ingest, counted from the moment the
child's progress bar appears (so that start-up time, which varies with the machine's load,
does not decide where they land); one that comes after the child finished is tried again
earlier (up to four tries).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from assistant.cli import SEARCH_METADATA, main  # noqa: E402
from assistant.query import analyze  # noqa: E402
from assistant.search import Retriever  # noqa: E402
from assistant.settings import SAMPLE_CORPUS, Services, Settings  # noqa: E402
from ingest.chunker import Chunker  # noqa: E402
from ingest.pipeline import load_meeting, source_key  # noqa: E402
from vectorstore import Store  # noqa: E402
from vectorstore.crashpoint import ENV as CRASH_ENV  # noqa: E402
from vectorstore.embedder import HashEmbedder  # noqa: E402

FAKE_MODEL = "hash-64"
EDITED = (1, 3)
"""Positions (in file order) of the documents the replacement scenario edits."""
ADDENDUM = (
    "\n\nTilføjelse efter mødet: Sekretariatet har rettet referatet. Styregruppen noterede en "
    "ændret tidsplan for udbuddet af sygehusparkeringen og bad om en ny redegørelse "
    "for kvælstofudledningen fra rensningsanlæggene inden næste møde.\n"
)
"""Appended to each edited document: a new hash (all chunk ids change) and new words."""


@dataclass(frozen=True)
class Trial:
    """One kill: at the ``nth`` arrival at a crash point, or timed: ``delay`` (a fraction)
    of the way through a clean run's ingest (progress bar shown .. exit)."""

    scenario: str  # "first" (empty index) or "replace" (two edited documents)
    point: str | None = None
    nth: int = 1
    delay: float | None = None

    def kill(self) -> str:
        """The kill as the table shows it (a timed one: seconds after the start, later)."""
        return f"{self.point}:{self.nth}" if self.point else "timed"


@dataclass
class Outcome:
    """What one trial saw; ``passed`` when no invariant was broken."""

    number: int
    scenario: str
    kill: str
    killed: bool = False
    state: str = ""
    leftovers: str = ""
    violations: list[str] = field(default_factory=list)
    rerun: str = ""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.violations


@dataclass(frozen=True)
class Version:
    """What parser + chunker make of one version of one file."""

    doc_hash: str
    chunk_ids: frozenset[str]
    texts: tuple[str, ...]


def trials(seed: int) -> list[Trial]:
    """The 20 trials: each ingest step of both scenarios, plus four timed kills."""
    rng = random.Random(seed)
    first = [("embedder_load", 1), ("collection_create", 1), ("parse", 1), ("embed", 2),
             ("chunk_write", 1), ("chunk_write", 3), ("record_commit", 1),
             ("record_commit", 4), ("chunk_write", 5)]
    replace = [("embedder_load", 1), ("embed", 1), ("chunk_write", 1), ("record_commit", 1),
               ("stale_delete", 1), ("chunk_write", 2), ("record_commit", 2)]
    out = [Trial("first", p, n) for p, n in first]
    out += [Trial("first", delay=round(rng.uniform(0.0, 1.0), 3)) for _ in range(2)]
    out += [Trial("replace", p, n) for p, n in replace]
    out += [Trial("replace", delay=round(rng.uniform(0.0, 1.0), 3)) for _ in range(2)]
    return out


SHORT = (Trial("first", "chunk_write", 3), Trial("replace", "chunk_write", 1),
         Trial("replace", "record_commit", 1))
"""The short form (tests/test_crash_trials.py): a half-written first ingest, new chunks of a
replacement before its commit point, and a committed replacement before its clean-up."""


# --- the child process ------------------------------------------------------------------------
def run_child(
    db: Path, corpus: Path, trial: Trial | None, kill_after: float | None = None
) -> tuple[int, float]:
    """Run ``meetings ingest`` in a child; kill it at ``trial``'s crash point, or
    ``kill_after`` seconds after its progress bar appeared (the ingest began: imports and
    opening the index take seconds and vary with the machine's load).  Returns the exit
    code and the seconds from that moment to the exit."""
    env = dict(os.environ, MEETINGS_MODEL=FAKE_MODEL, PYTHONPATH=str(REPO))
    env.pop(CRASH_ENV, None)
    if trial is not None and trial.point:
        env[CRASH_ENV] = f"{trial.point}:{trial.nth}"
    cmd = [sys.executable, "-m", "assistant", "--db", str(db), "ingest", str(corpus)]
    child = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    assert child.stderr is not None
    seen = b""
    while b"ingest" not in seen:  # tqdm's first line; EOF when killed before it
        chunk = os.read(child.stderr.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
    began = time.perf_counter()
    if kill_after is not None:
        try:
            child.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
    _, rest = child.communicate(timeout=300)
    code = child.returncode
    if code not in (0, -signal.SIGKILL):
        err = (seen + rest).decode(errors="replace")[-2000:]
        raise RuntimeError(f"ingest child failed ({code}): {err}")
    return code, time.perf_counter() - began


# --- expectations -----------------------------------------------------------------------------
def versions(corpus: Path) -> dict[str, Version]:
    """Each file's version as the files are now, computed in this process."""
    embedder = HashEmbedder(64)
    chunker = Chunker(embedder.count_tokens, max_tokens=embedder.max_tokens)
    out: dict[str, Version] = {}
    for path in sorted(corpus.iterdir()):
        source = source_key(path)
        doc, meeting = load_meeting(path, source=source)
        chunks = chunker.chunk_meeting(meeting, doc.text)
        out[source] = Version(meeting.doc_hash, frozenset(c.chunk_id for c in chunks),
                              tuple(c.text for c in chunks))
    return out


def edit(corpus: Path) -> None:
    """Change the documents at ``EDITED`` so that all their chunks change."""
    files = sorted(corpus.iterdir())
    for i in EDITED:
        files[i].write_text(files[i].read_text(encoding="utf-8") + ADDENDUM, encoding="utf-8")


def reset_corpus(corpus: Path, scenario: str) -> None:
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(SAMPLE_CORPUS, corpus)
    if scenario == "replace":
        edit(corpus)


def open_services(db: Path) -> Services:
    return Services(Settings(db_dir=db, chroma_url=None, model=FAKE_MODEL))


def snapshot(store: Store) -> dict[str, Any]:
    """Everything a clean ingest determines: records, chunk ids, texts and metadata."""
    ids, texts, metas = store.all_chunks()
    records = sorted((r.source, r.doc_hash, json.dumps(r.payload, sort_keys=True),
                      json.dumps(r.metadata, sort_keys=True)) for r in store.all_documents())
    return {"records": records,
            "chunks": sorted((i, t, json.dumps(m, sort_keys=True))
                             for i, t, m in zip(ids, texts, metas, strict=True))}


# --- the checks after a kill ------------------------------------------------------------------
def inspect_after_kill(
    services: Services, old: dict[str, Version] | None, new: dict[str, Version]
) -> tuple[str, str, list[str]]:
    """(state summary, leftovers, violations) of an index right after a kill."""
    store: Store = services.store
    violations: list[str] = []
    current: dict[str, Version | None] = {}
    counts = {"old": 0, "new": 0, "unchanged": 0, "absent": 0}
    for source, fresh in new.items():
        before = old.get(source) if old else None
        record = store.get_document(source)
        name = Path(source).name
        if record is None:
            if before is not None:
                violations.append(f"{name}: stored document lost")
            current[source] = None
            counts["absent"] += 1
            continue
        if record.doc_hash == fresh.doc_hash:
            version, label = fresh, "unchanged" if before == fresh else "new"
        elif before is not None and record.doc_hash == before.doc_hash:
            version, label = before, "old"
        else:
            violations.append(f"{name}: record hash {record.doc_hash[:12]} is no version")
            continue
        counts[label] += 1
        current[source] = version
        trusted = _trusted_ids(store, source, record.doc_hash)
        if trusted != version.chunk_ids:
            violations.append(
                f"{name}: {len(trusted)} chunks of its {label} version stored, "
                f"{len(version.chunk_ids)} expected ({len(trusted ^ version.chunk_ids)} differ)"
            )
        if int(record.metadata.get("chunks", -1)) != len(version.chunk_ids):
            violations.append(f"{name}: record promises {record.metadata.get('chunks')} chunks, "
                              f"parser + chunker give {len(version.chunk_ids)}")
    violations += _reader_view(services, current, old, new)
    health = store.check(required_metadata=SEARCH_METADATA)
    leftovers = f"{len(health.orphan_chunks)} orphan, {len(health.stale_chunks)} stale"
    damage = {k: v for k, v in health.as_dict().items()
              if k in ("identity_problems", "unreachable_chunks", "documents_without_chunks",
                       "incomplete_documents", "lexical_only", "vector_only") and v}
    if damage:
        violations.append(f"check after the kill: {damage}")
    state = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
    return state, leftovers, violations


def _trusted_ids(store: Store, source: str, doc_hash: str) -> frozenset[str]:
    return frozenset(store.chunk_ids_of(source, doc_hash))


def _reader_view(
    services: Services,
    current: dict[str, Version | None],
    old: dict[str, Version] | None,
    new: dict[str, Version],
) -> list[str]:
    """What ``ask`` and the source view read: only chunks of each current version."""
    violations: list[str] = []
    allowed = frozenset().union(*(v.chunk_ids for v in current.values() if v is not None))
    retriever = Retriever(services.store, services.embedder)
    loaded = set(retriever.chunk_ids)
    if loaded != allowed:
        violations.append(f"reader loaded {len(loaded - allowed)} chunks of no current version "
                          f"and misses {len(allowed - loaded)}")
    for source, fresh in new.items():
        others = [v for v in (fresh, (old or {}).get(source)) if v is not None
                  and v != current.get(source)]
        for other in others:
            for cid in sorted(other.chunk_ids - allowed):
                if services.store.get_chunk(cid) is not None:
                    violations.append(f"get_chunk returned {cid} of a version not current")
                    break
            # the other version's most distinctive chunk, asked as a question
            probe = max((t for t in other.texts), key=len)[:400]
            hits = retriever.search(analyze(probe, retriever.bodies), limit=20)
            wrong = [p.chunk_id for h in hits for p in h.passages if p.chunk_id not in allowed]
            if wrong:
                violations.append(f"search returned {len(wrong)} chunks of a version not current")
    return violations


# --- one trial --------------------------------------------------------------------------------
class Bench:
    """Shared set-up: the corpus folder (one path: source keys are paths), the pristine
    index of the original files, and clean reference snapshots of both scenarios."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.corpus = workdir / "corpus"
        reset_corpus(self.corpus, "first")
        self.original = versions(self.corpus)
        self.windows = {"first": run_child(workdir / "base-build", self.corpus, None)[1]}
        # copy at once, before anything opens it: the replacement trials start from this
        self.base = workdir / "base-pristine"
        shutil.copytree(workdir / "base-build", self.base)
        self.reference = {"first": snapshot(open_services(workdir / "base-build").store)}
        reset_corpus(self.corpus, "replace")
        self.edited = versions(self.corpus)
        services = open_services(workdir / "reference-replace")
        with contextlib.redirect_stdout(io.StringIO()):
            main(["ingest", "--no-progress", str(self.corpus)], services)
        self.reference["replace"] = snapshot(services.store)

    def window(self, scenario: str) -> float:
        """Seconds a clean run of ``scenario`` ingests (progress bar shown .. exit)."""
        if scenario not in self.windows:
            db = self.fresh_db(scenario, "timing")
            self.windows[scenario] = run_child(db, self.corpus, None)[1]
        return self.windows[scenario]

    def fresh_db(self, scenario: str, name: str) -> Path:
        """An index for one run of ``scenario``: empty, or the original files ingested."""
        db = self.workdir / name
        shutil.rmtree(db, ignore_errors=True)
        reset_corpus(self.corpus, scenario)
        if scenario == "replace":
            shutil.copytree(self.base, db)
        return db

    def kill_child(self, number: int, trial: Trial) -> tuple[Path, str, bool]:
        """Run the child of ``trial`` and kill it; (index, kill label, killed).  A timed kill
        that came after a clean exit (machine load varies) is tried again, earlier."""
        db = self.fresh_db(trial.scenario, f"trial-{number:02d}")
        if trial.delay is None:
            code, _ = run_child(db, self.corpus, trial)
            return db, trial.kill(), code == -signal.SIGKILL
        window, fraction = self.window(trial.scenario), trial.delay
        for attempt in range(1, 5):
            after = fraction * window
            code, _ = run_child(db, self.corpus, None, kill_after=after)
            label = (f"timed, {after:.2f} of {window:.2f} s"
                     + (f" (try {attempt})" if attempt > 1 else ""))
            if code == -signal.SIGKILL or attempt == 4:
                break
            fraction *= 0.6
            db = self.fresh_db(trial.scenario, f"trial-{number:02d}")
        return db, label, code == -signal.SIGKILL

    def run(self, number: int, trial: Trial) -> Outcome:
        started = time.perf_counter()
        db, label, killed = self.kill_child(number, trial)
        outcome = Outcome(number, trial.scenario, label, killed=killed)
        old = self.original if trial.scenario == "replace" else None
        new = self.edited if trial.scenario == "replace" else self.original
        try:
            services = open_services(db)
            services.store.chunk_count()
        except Exception as exc:  # the first invariant: the index opens after any kill
            outcome.violations.append(f"index does not open: {exc}")
            return outcome
        outcome.state, outcome.leftovers, violations = inspect_after_kill(services, old, new)
        outcome.violations += violations
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            main(["ingest", "--no-progress", "--json", str(self.corpus)], services)
        report = json.loads(out.getvalue())
        outcome.rerun = (f"{report['ingested']} ingested, {report['skipped_unchanged']} "
                         "unchanged")
        if snapshot(services.store) != self.reference[trial.scenario]:
            outcome.violations.append("after the re-run the index differs from a clean ingest")
        health = services.store.check(required_metadata=SEARCH_METADATA)
        if not health.ok:
            outcome.violations.append(f"check after the re-run: {health.as_dict()}")
        outcome.seconds = round(time.perf_counter() - started, 1)
        return outcome


def run_trials(selected: list[Trial], workdir: Path | None = None) -> list[Outcome]:
    """Run ``selected`` in a temporary folder (kept only when ``workdir`` is given)."""
    own = workdir is None
    root = Path(tempfile.mkdtemp(prefix="crash-trials-")) if own else workdir
    assert root is not None
    try:
        bench = Bench(root)
        return [bench.run(i, t) for i, t in enumerate(selected, 1)]
    finally:
        if own:
            shutil.rmtree(root, ignore_errors=True)


def machine() -> str:
    """CPU model and the SIMD flags that matter here, from lscpu."""
    try:
        text = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    info = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    flags = set(info.get("Flags", "").split())
    wanted = [f for f in ("avx2", "avx512f", "avx512_bf16", "amx_bf16") if f in flags]
    return (f"{info.get('Model name', '?').strip()}, {info.get('CPU(s)', '?').strip()} CPUs, "
            f"flags {' '.join(wanted) or 'none of avx2/avx512'}")


def table(outcomes: list[Outcome]) -> str:
    lines = ["| # | scenario | kill at | killed | state after kill | leftovers | re-run | "
             "outcome |", "|---|---|---|---|---|---|---|---|"]
    for o in outcomes:
        verdict = "pass" if o.passed else "FAIL: " + "; ".join(o.violations)
        lines.append(f"| {o.number} | {o.scenario} | {o.kill} | "
                     f"{'yes' if o.killed else 'no (finished)'} | {o.state} | {o.leftovers} | "
                     f"{o.rerun} | {verdict} |")
    return "\n".join(lines)


def main_cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="the 3-trial short form")
    parser.add_argument("--seed", type=int, default=13, help="seed of the timed kills")
    parser.add_argument("--json", help="also write the outcomes as JSON here")
    parser.add_argument("--keep", help="run in this folder and keep it (for a post-mortem)")
    args = parser.parse_args(argv)
    selected = list(SHORT) if args.short else trials(args.seed)
    started = time.perf_counter()
    outcomes = run_trials(selected, Path(args.keep) if args.keep else None)
    passed = sum(o.passed for o in outcomes)
    print(f"crash trials: {passed}/{len(outcomes)} passed in "
          f"{time.perf_counter() - started:.0f} s; {machine()}; embedder {FAKE_MODEL} "
          f"(fake, MEETINGS_MODEL={FAKE_MODEL}); seed {args.seed}")
    print(table(outcomes))
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(o) | {"passed": o.passed}
                                               for o in outcomes], indent=2), encoding="utf-8")
    return 0 if passed == len(outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main_cli())
