"""The ``meetings`` command line: ingest, outline, remove, ask, eval, backup, restore.

Only this module (and app.py) turns library exceptions into user-facing messages.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import Any

from .settings import DEFAULT_MCP_PORT, SAMPLE_CORPUS, Services, Settings


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
    _add_hint_args(p)

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


def main(argv: Sequence[str] | None = None, services: Services | None = None) -> int:
    """Entry point of the ``meetings`` console script; returns the exit code.

    ``services`` lets tests and the app inject an already-built embedder/store."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    settings = Settings.from_env(db_dir=args.db, chroma_url=args.chroma_url, model=args.model)
    services = services or Services(settings)
    from ingest.errors import IngestError
    from vectorstore.errors import StoreError

    try:
        handler = COMMANDS[args.command]
        return handler(args, services)
    except BrokenPipeError:
        # the reader of our output went away (`meetings ask ... | head`): not an error
        sys.stderr.close()
        return 0
    except (StoreError, IngestError, OSError, ValueError) as exc:
        print(f"meetings {args.command}: error: {exc}", file=sys.stderr)
        return 2


def cmd_ingest(args: argparse.Namespace, services: Services) -> int:
    paths = args.paths or [str(SAMPLE_CORPUS)]
    progress = None
    if not args.no_progress and not args.json:
        from tqdm import tqdm

        def progress(files: Any) -> Any:
            return tqdm(files, desc="ingest", unit="doc", file=sys.stderr)

    report = services.ingestor.ingest(
        paths, prune=args.prune, progress=progress, hints=_hints(args),
        include_closed=args.include_closed,
    )
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(
            f"documents: {report.documents}  ingested: {report.ingested}  "
            f"skipped unchanged: {report.skipped_unchanged}  meetings: {report.meetings}  "
            f"items: {report.items}  chunks: {report.chunks}  removed: {report.removed}  "
            f"duplicates: {report.duplicates}  moved: {report.moved}  ({report.seconds:.1f} s"
            + (f", passages in {report.precision})" if report.chunks else ")")
        )
        for warning in report.warnings:
            print(f"warning: {warning.file}: {warning.warning}")
        for err in report.errors:
            print(f"error: {err.file}: {err.reason}")
    return 0 if report.ok else 1


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
    from .search import Filters
    from .validate import AskInput, validate_ask

    def checked(bodies: Sequence[str] | None) -> AskInput:
        """The API's rules (exit 2 naming the field); the body needs the loaded index."""
        return validate_ask(args.question, k=args.k, body=args.body, date_from=args.date_from,
                            date_to=args.date_to, doc_type=args.doc_type, section=args.section,
                            bodies=bodies)

    checked(None)  # refuse bad input before the index is loaded
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
            label = "Ingen beslutning registreret (dagsorden)" if answer.language == "da" else (
                "No decision recorded (agenda)")
            print(f"    {label}")
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
    """Every treatment of a case in date order, with its decision or recommendation."""
    from .access import withheld

    treatments = _assistant(services).case(args.number, _viewer(args))
    if args.json:
        print(json.dumps([t.as_dict() for t in treatments], ensure_ascii=False, indent=2))
        return 0 if treatments else 1
    if not treatments:
        print(f"Arkivet har ingen punkter med sagsnummer {args.number}.")
        return 1
    print(f"Sag {args.number}: {len(treatments)} behandling(er)")
    for t in treatments:
        print(f"- {t.label()}")
        if withheld(t.item):
            print("    Lukket punkt")
        elif t.decision:
            print("    Beslutning: " + _shorten(t.decision, 300))
        elif t.proposal:
            print("    Ingen beslutning registreret; indstilling: " + _shorten(t.proposal, 300))
        print(f"    {t.url()}")
    return 0


def cmd_eval(args: argparse.Namespace, services: Services) -> int:
    from pathlib import Path

    from .evaluate import format_summary, load_questions, run_eval

    assistant = _assistant(services)
    questions = load_questions(Path(args.questions))
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


def cmd_serve(args: argparse.Namespace, services: Services) -> int:
    import importlib

    # app.py sits on top of this package; load it only when serving (no import-time arrow).
    app = importlib.import_module("app")

    auth = None
    if args.auth:
        user, sep, password = args.auth.partition(":")
        if not sep or not user or not password:
            raise ValueError("--auth must look like user:password")
        auth = (user, password)
    app.serve(host=args.host, port=args.port, services=services, auth=auth)
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


def cmd_user(args: argparse.Namespace, services: Services) -> int:
    """``meetings user add NAME --role closed``: write a user (password hashed) to the
    users file; the web app reads it at start (``MEETINGS_USERS``)."""
    import getpass
    import importlib
    from pathlib import Path

    # web/ sits on top of this package; load it only for this command (no import-time arrow)
    users = importlib.import_module("web.users")
    target = args.file or services.settings.users_file
    if not target:
        raise ValueError("name the users file: --file PATH or env MEETINGS_USERS")
    password: str | None = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif not args.no_password:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise ValueError("the passwords differ")
    if not args.no_password and not password:
        raise ValueError("the password must not be empty (or use --no-password)")
    user = users.add_user(Path(target), args.name, password, args.role)
    roles = ", ".join(sorted(user.roles)) or "none"
    print(f"user {user.name} written to {target} (roles: {roles})")
    return 0


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
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
    "serve": cmd_serve,
    "mcp": cmd_mcp,
    "user": cmd_user,
}


if __name__ == "__main__":
    raise SystemExit(main())
