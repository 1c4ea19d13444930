"""The ``meetings`` command line: ingest, outline, remove, ask, eval, backup, restore,
watch, digest (the web app's ``serve`` and ``user`` are parsed here, run by ``app.main``).

Only this module (and app.py) turns library exceptions into user-facing messages.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ingest.danish import squash

from .settings import DEFAULT_MCP_PORT, SAMPLE_CORPUS, Services, Settings

REPORT_LANGUAGE = "en"
"""What an operator command confirms (``watch add``/``remove``, like the ingest and check
reports) is in English; what it lists for users (watches, digests) is in Danish."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="meetings",
        description="Cited search over Danish municipal agendas and minutes.",
    )
    parser.add_argument("--db", help="embedded Chroma directory (env MEETINGS_DB)")
    parser.add_argument(
        "--chroma-url", help="Chroma server http://host:port (env MEETINGS_CHROMA_URL)"
    )
    parser.add_argument(
        "--model", help="sentence-transformers model name or path (env MEETINGS_MODEL)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="ingest files or folders (.txt .md .pdf .docx .html)")
    p.add_argument("paths", nargs="*", help=f"files or folders (default: {SAMPLE_CORPUS.name})")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--prune", action="store_true", help="remove stored documents not given")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--include-closed", action="store_true",
                   help="also store the content of closed items (Lukket punkt); shown only "
                   "to users with the closed role")
    p.add_argument("--no-sentences", action="store_true",
                   help="do not embed each sentence for English answers (ingest 25-30%% "
                   "faster; English questions then embed their answer sentences when asked)")
    _add_hint_args(p)
    _add_scale_args(p)

    p = sub.add_parser(
        "inspect", help="show how a file is understood (body, date, items, sections, warnings)"
    )
    p.add_argument("file", help="one document (.pdf .docx .html .txt .md, FirstAgenda .json)")
    p.add_argument("--json", action="store_true", help="print as JSON")
    _add_hint_args(p)

    p = sub.add_parser("outline", help="what the index holds: meetings and their items")
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("check", help="index health: model match, orphan/stale/unreachable "
                       "chunks, incomplete documents, lexical vs vector ids")
    p.add_argument("--repair", action="store_true", help="fix what can be fixed")
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("backup", help="copy the index (with a manifest) into a new folder; "
                       "stop the app first")
    p.add_argument("dir", help="the backup folder (new or empty)")
    p = sub.add_parser("restore", help="make a backup the index (the current one is kept "
                       "aside), then check it; stop the app first")
    p.add_argument("dir", help="a folder written by `meetings backup`")

    p = sub.add_parser("case", help="case history: every treatment of one case number")
    p.add_argument("number", help="case number as printed, e.g. 23-010897 or SAG-2023-00155")
    p.add_argument("--json", action="store_true", help="print as JSON")
    _add_closed_arg(p)

    p = sub.add_parser("remove", help="remove documents (by their file path) from the index")
    p.add_argument("paths", nargs="+")

    p = sub.add_parser("ask", help="ask a question; prints a cited answer")
    p.add_argument("question")
    _add_search_args(p)
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    _add_closed_arg(p)

    p = sub.add_parser("eval", help="run a question file (dev.jsonl format) and score it")
    p.add_argument("questions", help="JSON lines file with gold items")
    p.add_argument("--k", type=int, default=10, help="results per question (default 10)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--dump", help="write each response (ask --json + id) as JSON lines")
    p = sub.add_parser("serve", help="launch the web app (chat, source view, JSON API)")
    p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--auth", help="require HTTP login user:pass")
    p = sub.add_parser("mcp", help="Model Context Protocol server (stdio; --http for HTTP)")
    p.add_argument("--http", action="store_true", help="serve streamable HTTP at /mcp")
    p.add_argument("--host", default="127.0.0.1", help="HTTP bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=DEFAULT_MCP_PORT,
                   help=f"HTTP port (default {DEFAULT_MCP_PORT})")
    _add_closed_arg(p)

    _add_watch_parsers(sub)

    p = sub.add_parser(
        "user", help="web app users and roles (the MEETINGS_USERS file)",
        epilog="meetings user add NAME [--role closed] [--role admin] [--file PATH] "
        "[--password-stdin | --no-password]",
    )
    user = p.add_subparsers(dest="user_command", required=True)
    p = user.add_parser("add", help="add or replace a user (the password is stored hashed)")
    p.add_argument("name")
    p.add_argument("--role", action="append", default=[], choices=["closed", "admin"],
                   help="closed: sees closed items' content; admin: may ingest with "
                   "include_closed (repeatable)")
    p.add_argument("--file", help="the users file (default: env MEETINGS_USERS)")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of stdin (no prompt)")
    how.add_argument("--no-password", action="store_true",
                     help="no password: the user can log in only through the proxy header")
    return parser


def _add_watch_parsers(sub: Any) -> None:
    """``meetings watch add|list|remove`` and ``meetings digest`` (``assistant/watch.py``)."""
    p = sub.add_parser("watch", help="topic watches: after each ingest, record the new items "
                       "that match a topic", epilog='meetings watch add "TOPIC" '
                       "[--body BODY] [--name NAME] [--backfill]; watch list [--json] [--closed]; "
                       "watch remove NAME")
    watch = p.add_subparsers(dest="watch_command", required=True)
    p = watch.add_parser("add", help="watch a topic (the items already indexed are the "
                         "baseline: only later ones are recorded)")
    p.add_argument("query", help="the topic, searched as `meetings ask` searches")
    p.add_argument("--body", help="only this body, as stored (see `meetings outline`)")
    p.add_argument("--name", help="the watch's name (default: made from the query)")
    p.add_argument("--backfill", action="store_true",
                   help="also record the items already indexed that match (loads the model)")
    p = watch.add_parser("list", help="the watches and how many items each recorded")
    p.add_argument("--json", action="store_true", help="print as JSON")
    _add_closed_arg(p)
    p = watch.add_parser("remove", help="delete a watch and its recorded items")
    p.add_argument("name")
    p = sub.add_parser("digest", help="what the watches recorded: new items with citations, "
                       "newest first")
    p.add_argument("--since", help="only items recorded on/after YYYY-MM-DD")
    p.add_argument("--watch", help="only this watch (by name)")
    p.add_argument("--json", action="store_true", help="print as JSON")
    _add_closed_arg(p)


def _add_scale_args(p: argparse.ArgumentParser) -> None:
    """``ingest --shard/--workers/--device`` (README, "Large archives")."""
    p.add_argument("--shard", metavar="i/N",
                   help="ingest only share i of N of the files, for several machines writing "
                   "one Chroma server (--chroma-url): a file's share is a stable hash (SHA-256) "
                   "of its path relative to the folder given (its name, for a file given), so "
                   "every machine computes the same split wherever the archive is mounted")
    p.add_argument("--workers", metavar="N",
                   help="N ingest processes on this machine, process i on --shard i/N, into "
                   "one Chroma server (--chroma-url; the embedded index takes one writer); "
                   "each gets cores/N torch threads unless OMP_NUM_THREADS is set")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"],
                   help="where passages are embedded (env MEETINGS_DEVICE; default auto: "
                   "cuda where torch sees a GPU, else cpu)")
    p.add_argument("--as-worker", action="store_true", help=argparse.SUPPRESS)


def _add_closed_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--closed", action="store_true",
                   help="show closed items' content (if ingest stored it); off by default")


def _viewer(args: argparse.Namespace) -> Any:
    """The local operator: sees closed items' content only when asked to (``--closed``)."""
    from .access import OPERATOR_WITH_CLOSED, PUBLIC

    return OPERATOR_WITH_CLOSED if getattr(args, "closed", False) else PUBLIC


def _add_hint_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--body", help="the body (committee, council ...) of every file given")
    p.add_argument("--date", help="the meeting date YYYY-MM-DD of every file given")
    p.add_argument("--doc-type", choices=["dagsorden", "referat"], help="agenda or minutes")


def _hints(args: argparse.Namespace) -> Any:
    from ingest.parser import MeetingHints

    if not (args.body or args.date or args.doc_type):
        return None
    return MeetingHints(body=args.body, date=args.date, doc_type=args.doc_type)


def _add_search_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--k", type=int, default=5, help="number of items (default 5)")
    p.add_argument("--body", help="only this body, as stored (see `meetings outline`)")
    p.add_argument("--from", dest="date_from", help="only meetings on/after YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="only meetings on/before YYYY-MM-DD")
    p.add_argument("--doc-type", choices=["dagsorden", "referat"], help="only agendas/minutes")
    p.add_argument("--section", help="only this section, e.g. Beslutning")


Command = Callable[[argparse.Namespace, Services], int]
"""One sub-command: its parsed arguments and the services -> the exit code."""


def main(
    argv: Sequence[str] | None = None,
    services: Services | None = None,
    *,
    commands: Mapping[str, Command] | None = None,
) -> int:
    """Run one ``meetings`` command; returns the exit code.

    The parser (:func:`build_parser`) lists every command, the web app's ``serve`` and
    ``user`` too, but this package cannot run those (web/ sits above it): the console
    script's entry point, ``app.main``, passes them in ``commands``.  ``services`` lets
    tests and the app inject an already-built embedder/store."""
    args = build_parser().parse_args(argv)
    handler = {**COMMANDS, **(commands or {})}.get(args.command, _runs_above)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    settings = Settings.from_env(db_dir=args.db, chroma_url=args.chroma_url, model=args.model)
    services = services or Services(settings)
    from ingest.errors import IngestError
    from vectorstore.errors import StoreError

    try:
        return handler(args, services)
    except BrokenPipeError:
        # the reader of our output went away (`meetings ask ... | head`): not an error
        sys.stderr.close()
        return 0
    except (StoreError, IngestError, OSError, ValueError) as exc:
        print(f"meetings {args.command}: error: {exc}", file=sys.stderr)
        return 2


def _runs_above(args: argparse.Namespace, services: Services) -> int:
    """A command of the parser that this package cannot run (``python -m assistant serve``):
    say where it runs."""
    raise ValueError(f"`python -m assistant` runs the archive's commands only; run "
                     f"`meetings {args.command}` (or `python -m app {args.command}`)")


def cmd_ingest(args: argparse.Namespace, services: Services) -> int:
    paths = args.paths or [str(SAMPLE_CORPUS)]
    progress = None
    if not args.no_progress and not args.json:
        from tqdm import tqdm

        def progress(files: Any) -> Any:
            return tqdm(files, desc="ingest", unit="doc", file=sys.stderr)

    report, workers = _run_ingest(args, services, paths, progress)
    watched = _refresh_watches(services) if (
        report.ingested or report.removed) and not args.as_worker else {}
    if args.json:
        print(json.dumps({**report.as_dict(), **({"watches": watched} if watched else {}),
                          **({"workers": [w.as_dict() for w in workers]} if workers else {})},
                         ensure_ascii=False, indent=2))
    else:
        print(
            f"documents: {report.documents}  ingested: {report.ingested}  "
            f"skipped unchanged: {report.skipped_unchanged}  meetings: {report.meetings}  "
            f"items: {report.items}  chunks: {report.chunks}  removed: {report.removed}  "
            f"duplicates: {report.duplicates}  moved: {report.moved}  "
            + (f"failed: {len(report.errors)}  workers: {len(workers)}  " if workers else "")
            + (f"sentences: {report.sentences}  " if report.sentences else "")
            + f"({report.seconds:.1f} s"
            + (f", passages in {report.precision} on {report.device})" if report.chunks else ")")
        )
        for note in report.settled:
            print(f"settled: {note}")
        for warning in report.warnings:
            print(f"warning: {warning.file}: {warning.warning}")
        for err in report.errors:
            print(f"error: {err.file}: {err.reason}")
        for name, count in watched.items():
            print(f"watch {name}: {count} new item(s) (meetings digest --watch {name})")
    for worker in workers:
        if worker.failed:
            print(f"meetings ingest: worker {worker.shard} (--shard {worker.shard}) failed "
                  f"(exit {worker.returncode}): {worker.problem()}", file=sys.stderr)
            for err in (worker.report or {}).get("errors") or []:
                print(f"  error: {err['file']}: {err['reason']}", file=sys.stderr)
    return 0 if report.ok and not any(w.failed for w in workers) else 1


def _run_ingest(
    args: argparse.Namespace, services: Services, paths: list[str], progress: Any
) -> tuple[Any, list[Any]]:
    """The ingest itself: in this process (all files, or ``--shard i/N`` of them) or in
    ``--workers N`` child processes; the report and the workers' results.  Option errors
    are raised before any file is read (exit 2, naming the option)."""
    from ingest.shards import Shard, parse_workers, settle, shard_files
    from vectorstore.embedder import choose_device, use_device

    shard = Shard.parse(args.shard) if args.shard else None
    count = parse_workers(args.workers) if args.workers else 1
    if shard is not None and count > 1:
        raise ValueError("--shard and --workers: --workers runs shards 1..N itself; on "
                         "several machines give each one --shard i/N instead")
    if shard is not None and args.prune:
        raise ValueError("--prune with --shard would remove the other shards' documents: "
                         "prune once, without --shard, after every shard is done")
    if count > 1 and not services.settings.chroma_url:
        from .workers import EMBEDDED_REFUSAL

        raise ValueError(EMBEDDED_REFUSAL)
    if shard is not None or count > 1:
        _open_shared_store(services)
    if count > 1:
        from .workers import ingest_with_workers

        if args.device:
            choose_device(args.device)  # refuse a missing GPU here, not in N workers

        def done(worker: Any) -> None:
            if progress is not None:
                print(worker.summary(), file=sys.stderr)

        return ingest_with_workers(
            services, paths, count, _worker_args(args, paths), prune=args.prune,
            verbose=args.verbose, on_done=done,
        )
    if args.device:
        use_device(services.embedder, args.device)
    services.ingestor.keep_sentences = not args.no_sentences
    files = shard_files(paths, shard) if shard is not None else paths
    report = services.ingestor.ingest(
        files, prune=args.prune, progress=progress, hints=_hints(args),
        include_closed=args.include_closed,
    )
    if shard is None and services.settings.chroma_url:
        report.settled = settle(services.ingestor)  # after shards that ran at the same time
    return report, []


def _open_shared_store(services: Services) -> None:
    """Open the server's collections before writing: checks the server and the index's
    model once, before any worker starts (shards starting at once on an empty server may
    both create the collections: the store opens with get-or-create)."""
    services.store  # noqa: B018 - a cached property: this opens the collections


def _worker_args(args: argparse.Namespace, paths: list[str]) -> list[str]:
    """The ingest options and (absolute) paths every ``--workers`` child gets."""
    import os

    out: list[str] = []
    for flag, value in (("--body", args.body), ("--date", args.date),
                        ("--doc-type", args.doc_type), ("--device", args.device)):
        if value:
            out += [flag, value]
    if args.include_closed:
        out.append("--include-closed")
    return [*out, "--", *(os.path.abspath(p) for p in paths)]


def _refresh_watches(services: Services) -> dict[str, int]:
    """Record what each topic watch finds among the items this ingest added; the number of
    new matches per watch.  A watch file that cannot be read is reported (naming it) and
    left alone: the ingest itself stands."""
    from .watch import WatchError, WatchStore

    store = WatchStore.beside(services.settings.db_dir)
    try:
        if not store.load():
            return {}
        from .search import Retriever

        added = store.refresh(Retriever(services.store, services.embedder),
                              services.settings.watch_threshold())
    except WatchError as exc:
        print(f"meetings ingest: error: watches not refreshed: {exc}", file=sys.stderr)
        return {}
    return {name: len(found) for name, found in added.items()}


def cmd_inspect(args: argparse.Namespace, services: Services) -> int:
    """How one file is understood, without storing anything (and without the model)."""
    from pathlib import Path

    from ingest.pipeline import load_meeting
    from ingest.serialize import inspect_entry

    _, meeting = load_meeting(Path(args.file), _hints(args))
    entry = inspect_entry(meeting)
    if args.json:
        print(json.dumps(entry, ensure_ascii=False, indent=2))
        return 0
    unknown = "(ukendt)"
    print(f"file:      {args.file}")
    print(f"body:      {entry['body'] or unknown}")
    print(f"date:      {entry['date'] or unknown}  {entry['time'] or ''}".rstrip())
    print(f"type:      {entry['doc_type'] or unknown}")
    if entry["location"]:
        print(f"location:  {entry['location']}")
    print(f"items:     {len(entry['items'])}")
    for item in entry["items"]:
        flags = " [lukket]" if item["closed"] else ""
        case = f" [{item['case_number']}]" if item["case_number"] else ""
        print(f"  {item['number'] or '-':>5}  {item['title']}{case}{flags}")
        for section in item["sections"]:
            print(f"         - {section['name']} ({section['role']}, {section['chars']} chars)")
    for warning in entry["warnings"]:
        print(f"warning: {warning}")
    return 0


def cmd_outline(args: argparse.Namespace, services: Services) -> int:
    from ingest.serialize import meeting_from_dict, outline_entry

    meetings = sorted(
        (meeting_from_dict(_strip(r.payload)) for r in services.store.all_documents()),
        key=lambda m: (m.date or "", m.body or "", m.doc_type or ""),
    )
    entries = [outline_entry(m) for m in meetings]
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return 0
    for m in entries:
        head = (m["body"] or "?", m["date"] or "?", m["doc_type"] or "?", m["location"] or "")
        print(" · ".join(head))
        for item in m["items"]:
            sections = ", ".join(item["sections"]) or "-"
            case = f" [{item['case_number']}]" if item["case_number"] else ""
            print(f"  {item['number']:>5}  {item['title']}{case}  ({sections})")
    return 0


def cmd_remove(args: argparse.Namespace, services: Services) -> int:
    removed = services.ingestor.remove(args.paths)
    print(f"removed {removed} document(s)")
    return 0 if removed else 1


def _assistant(services: Services) -> Any:
    from .answer import Assistant
    from .search import Retriever

    return Assistant(Retriever(services.store, services.embedder), services.generator)


def cmd_ask(args: argparse.Namespace, services: Services) -> int:
    from vectorstore.embedder import use_serving_threads

    from .messages import message
    from .search import Filters
    from .validate import AskInput, validate_ask

    def checked(bodies: Sequence[str] | None) -> AskInput:
        """The API's rules (exit 2 naming the field); the body needs the loaded index."""
        return validate_ask(args.question, k=args.k, body=args.body, date_from=args.date_from,
                            date_to=args.date_to, doc_type=args.doc_type, section=args.section,
                            bodies=bodies)

    checked(None)  # refuse bad input before the index is loaded
    use_serving_threads()  # one question: OpenMP threads must not spin against other jobs
    assistant = _assistant(services)
    ok = checked(assistant.retriever.bodies.bodies)
    filters = Filters(body=ok.body, date_from=ok.date_from, date_to=ok.date_to,
                      doc_type=ok.doc_type, section=ok.section)
    answer = assistant.ask(ok.question, k=ok.k, filters=filters, viewer=_viewer(args))
    if args.json:
        print(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(answer.answer)
    print()
    for r in answer.results:
        print(f"[{r['rank']}] {r['citation']}")
        if r["decision"] is None and r["meeting"]["doc_type"] == "dagsorden":
            print(f"    {message('cli.no_decision_agenda', answer.language)}")
        print("    " + _shorten(r["text"], 400))
        print(f"    {r['url']}")
    return 0


SEARCH_METADATA = ("source", "doc_hash", "meeting_id", "item_number", "section")
"""Chunk metadata keys search indexes into (``assistant/search.py``): a chunk without one
cannot be returned, so ``meetings check`` counts it as unreachable."""


def cmd_check(args: argparse.Namespace, services: Services) -> int:
    """Index health; exit 0 when sound (or repaired), 1 when something needs repair or a
    rebuild.  The lexical index is built as ``ask`` builds it, to compare its ids."""
    from .search import Retriever

    try:
        lexical_ids: list[str] | None = list(
            Retriever(services.store, services.embedder).lexical.ids
        )
    except (KeyError, TypeError, ValueError) as exc:  # a damaged record: check says which
        print(f"lexical index could not be built ({exc}); comparing stored ids instead")
        lexical_ids = None
    health = services.store.check(
        repair=args.repair, lexical_ids=lexical_ids, required_metadata=SEARCH_METADATA
    )
    if args.json:
        print(json.dumps(health.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_health(health)
    return 0 if health.ok or (health.repaired and not health.identity_problems) else 1


def _print_health(health: Any) -> None:
    ident = health.identity
    print(f"model: {ident.get('model')}  dimension: {ident.get('dimension')}  "
          f"chunker: {ident.get('chunker_version')}  "
          + ("(index matches)" if not health.identity_problems else "(MISMATCH)"))
    print(f"documents: {health.documents}  chunks: {health.chunks}  "
          f"orphan chunks: {len(health.orphan_chunks)}  "
          f"stale chunks: {len(health.stale_chunks)}  "
          f"unreachable chunks: {len(health.unreachable_chunks)}  "
          f"documents without chunks: {len(health.documents_without_chunks)}  "
          f"incomplete documents: {len(health.incomplete_documents)}")
    print(f"lexical vs vector index: {len(health.lexical_only)} ids only lexical, "
          f"{len(health.vector_only)} only vector")
    for problem in health.identity_problems:
        print(f"mismatch: {problem} (rebuild: another --db, or delete the index and ingest)")
    dropped = " (record dropped: ingest it again)" if health.repaired else ""
    for source in health.documents_without_chunks:
        print(f"without chunks: {source}{dropped}")
    for source in health.incomplete_documents:
        print(f"incomplete: {source}{dropped}")
    if health.repaired:
        print("repaired")
    elif not health.ok:
        print("run `meetings check --repair` to fix")


def cmd_backup(args: argparse.Namespace, services: Services) -> int:
    """A consistent copy of the index through Chroma (``vectorstore/backup.py`` says why
    not a file copy); refused while another process holds an embedded index."""
    from pathlib import Path

    from vectorstore.backup import backup_index

    settings = services.settings
    manifest = backup_index(Path(args.dir), settings.db_dir, settings.chroma_url)
    print(f"backup: {args.dir}  documents: {manifest.documents}  chunks: {manifest.chunks}  "
          f"model: {manifest.model} ({manifest.dimension})  chunker: {manifest.chunker_version}")
    return 0


def cmd_restore(args: argparse.Namespace, services: Services) -> int:
    """Verify a backup against its manifest and this run's model, swap it in for the
    embedded index (the old one is renamed, not deleted), then run ``check`` on it."""
    from pathlib import Path

    from ingest.chunker import CHUNKER_VERSION
    from vectorstore.backup import restore_index
    from vectorstore.store import IndexIdentity

    settings = services.settings
    if settings.chroma_url:
        raise ValueError("restore writes an embedded index (--db); a Chroma server "
                         "restores with its own tools")
    embedder = services.embedder
    expect = IndexIdentity(embedder.name, embedder.dimension, CHUNKER_VERSION)
    done = restore_index(Path(args.dir), settings.db_dir, expect)
    print(f"restored {args.dir} -> {done.index}  documents: {done.manifest.documents}  "
          f"chunks: {done.manifest.chunks}  (backup of {done.manifest.created})")
    if done.kept is not None:
        print(f"the previous index was kept as {done.kept} (delete it when satisfied)")
    return cmd_check(argparse.Namespace(repair=False, json=False), services)


def cmd_case(args: argparse.Namespace, services: Services) -> int:
    """Every treatment of a case in date order, with its decision or recommendation
    (in Danish, the catalog's default language: a case number says nothing of a language)."""
    from .access import withheld
    from .messages import message

    treatments = _assistant(services).case(args.number, _viewer(args))
    if args.json:
        print(json.dumps([t.as_dict() for t in treatments], ensure_ascii=False, indent=2))
        return 0 if treatments else 1
    if not treatments:
        print(message("cli.no_case", number=args.number))
        return 1
    print(message("cli.case_head", number=args.number, count=len(treatments)))
    for t in treatments:
        print(f"- {t.label()}")
        if withheld(t.item):
            print("    " + message("cli.closed"))
        elif t.decision:
            print("    " + message("cli.case_decision", text=_shorten(t.decision, 300)))
        elif t.proposal:
            print("    " + message("cli.case_proposal", text=_shorten(t.proposal, 300)))
        print(f"    {t.url()}")
    return 0


def cmd_eval(args: argparse.Namespace, services: Services) -> int:
    from pathlib import Path

    from .evaluate import format_summary, load_questions, run_eval

    assistant = _assistant(services)
    questions = load_questions(Path(args.questions))
    from vectorstore.embedder import warm

    warm(services.embedder)  # a batch of questions is timed as the long-running server runs
    summary, _ = run_eval(
        questions,
        lambda q: assistant.ask(q, k=args.k).as_dict(),
        Path(args.dump) if args.dump else None,
    )
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(format_summary(summary))
    return 0


def cmd_mcp(args: argparse.Namespace, services: Services) -> int:
    """Serve the archive's read-only tools to MCP clients until stdin closes (or Ctrl-C)."""
    from .mcp_server import serve

    if args.closed and args.http and args.host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError("--closed with --http serves closed items to every client of the "
                         "server, which has no login: bind it to 127.0.0.1")
    serve(_assistant(services), http=args.http, host=args.host, port=args.port,
          verbose=args.verbose, viewer=_viewer(args))
    return 0


def cmd_watch(args: argparse.Namespace, services: Services) -> int:
    """``meetings watch add|list|remove``: the topic watches beside the index."""
    from .messages import message
    from .watch import WatchStore

    store = WatchStore.beside(services.settings.db_dir)
    if args.watch_command == "add":
        return _watch_add(args, services, store)
    if args.watch_command == "remove":
        watch = store.remove(args.name)
        print(message("watch.removed", REPORT_LANGUAGE, name=watch.name, n=len(watch.matches)))
        return 0
    viewer = _viewer(args)
    summaries = [w.summary(viewer) for w in store.load().values()]
    if args.json:
        print(json.dumps(summaries, ensure_ascii=False, indent=2))
        return 0
    if not summaries:
        print(message("watch.none"))
    for w in summaries:
        body = message("watch.list_body", body=w["body"]) if w["body"] else ""
        latest = (message("watch.list_latest", latest=w["latest"][:16].replace("T", " "))
                  if w["latest"] else "")
        print(message("watch.list_entry", name=w["name"], query=w["query"], body=body,
                      matches=w["matches"], latest=latest, created=w["created"][:10]))
    return 0


def _watch_add(args: argparse.Namespace, services: Services, store: Any) -> int:
    """A new watch; the items indexed now are its baseline (none with ``--backfill``, whose
    existing matches are then recorded at once)."""
    from ingest.serialize import meeting_from_dict

    from .messages import message
    from .validate import check_body, check_question, check_text
    from .watch import item_keys, watch_name

    query = check_question(args.query)
    name = watch_name(args.name, query)
    meetings = [meeting_from_dict(_strip(r.payload)) for r in services.store.all_documents()]
    bodies = sorted({m.body for m in meetings if m.body})
    body = check_body(args.body, bodies) if bodies else check_text("body", args.body)
    baseline = {} if args.backfill else item_keys(meetings)
    watch = store.add(name, query, body, baseline)
    where = message("watch.added_body", REPORT_LANGUAGE, body=body) if body else ""
    if args.backfill:
        from .search import Retriever

        found = store.refresh(Retriever(services.store, services.embedder),
                              services.settings.watch_threshold())[name]
        print(message("watch.added_backfill", REPORT_LANGUAGE, name=watch.name, query=query,
                      where=where, found=len(found)))
    else:
        items = sum(len(v) for v in baseline.values())
        print(message("watch.added", REPORT_LANGUAGE, name=watch.name, query=query,
                      where=where, items=items))
    return 0


def cmd_digest(args: argparse.Namespace, services: Services) -> int:
    """The items the watches recorded (newest first) with citations and deep links."""
    from .search import parse_date
    from .watch import WatchError, WatchStore, format_digest

    since = parse_date(args.since)
    store = WatchStore.beside(services.settings.db_dir)
    watches = list(store.load().values())
    if args.watch:
        watches = [w for w in watches if w.name == args.watch]
        if not watches:
            raise WatchError(f"no watch named {args.watch!r} in {store.path}")
    viewer = _viewer(args)
    if args.json:
        print(json.dumps({"since": since, "watches": [w.as_dict(viewer, since)
                                                      for w in watches]},
                         ensure_ascii=False, indent=2))
        return 0
    print(format_digest(watches, viewer, since))
    return 0


def _shorten(text: str, limit: int) -> str:
    flat = squash(text)
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + " …"


def _strip(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k != "text"}


COMMANDS = {
    "ingest": cmd_ingest,
    "outline": cmd_outline,
    "inspect": cmd_inspect,
    "case": cmd_case,
    "check": cmd_check,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "remove": cmd_remove,
    "ask": cmd_ask,
    "eval": cmd_eval,
    "mcp": cmd_mcp,
    "watch": cmd_watch,
    "digest": cmd_digest,
}


if __name__ == "__main__":
    raise SystemExit(main())
