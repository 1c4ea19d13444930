"""Web app: Gradio chat (mounted at ``/``), a JSON API (``/api/...``) and an HTML source view.

The parts live in the ``web`` package (core state, API routes, UI, templates, auth); this
module assembles them (:func:`create_app`) and serves them (:func:`serve`).  Routes: see
:mod:`web.api`.

It is also the ``meetings`` console script's entry point (:func:`main`): the command table
is :mod:`assistant.cli`'s, and the two commands that need the web package, ``serve`` and
``user``, are run from here, so that nothing below points up.  Every command imports this
module, so the web stack (gradio, FastAPI: seconds of imports) loads only in
:func:`create_app` and for the names callers import from here (``__getattr__``).
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import argparse
import importlib
import logging
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import cli
from assistant.followup import followup_search_text, is_followup
from assistant.settings import SAMPLE_CORPUS, Services, Settings
from vectorstore.embedder import use_serving_threads, warm

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app", "followup_search_text", "is_followup", "main", "serve"]

log = logging.getLogger("app")

_WEB_NAMES = {"AppCore": "web.core", "BasicAuthMiddleware": "web.auth", "_InFlight": "web.api"}
"""Names of the web package that callers import from this module (besides ``__all__``),
and where they live."""


def __getattr__(name: str) -> Any:
    """The web package's names in ``__all__``, imported on first use (see the module doc)."""
    if name in _WEB_NAMES:
        return getattr(importlib.import_module(_WEB_NAMES[name]), name)
    raise AttributeError(f"module 'app' has no attribute {name!r}")


def create_app(
    services: Services,
    *,
    ingest_samples: bool = True,
    auth: tuple[str, str] | None = None,
    uploads_dir: Path | None = None,
    ingest_roots: Sequence[Path] | None = None,
) -> FastAPI:
    """The whole web app as one FastAPI app (API routes first, Gradio mounted at ``/``).

    ``uploads_dir`` keeps files posted to /api/ingest (their path is their identity in the
    index; default: ``uploads`` beside the index).  ``ingest_roots`` are the only folders
    whose files ``POST /api/ingest {"paths": [...]}`` may read (default: the folders in
    ``MEETINGS_INGEST_ROOTS``, by ``os.pathsep``; none: only uploads are ingested).

    Login: ``auth`` (one user, no roles), the users file and the proxy header of
    ``services.settings`` (``MEETINGS_USERS``, ``MEETINGS_AUTH_HEADER``; ``web.users``);
    a user's roles decide what closed items show (``assistant.access``).
    """
    import gradio as gr
    from fastapi import FastAPI

    from web.api import UPLOAD_MAX_BYTES, SafeJSONResponse, env_roots, register_api
    from web.auth import AuthMiddleware
    from web.core import AppCore
    from web.render import APP_CSS
    from web.ui import UI_CONCURRENCY, UI_QUEUE_SIZE, build_ui
    from web.users import Authenticator

    authenticator = Authenticator.from_settings(
        services.settings.users_file, services.settings.auth_header, auth
    )  # a bad users file stops the start here, naming the file and field
    core = AppCore(services)
    core.auth = authenticator
    if ingest_samples:
        report = core.ingest([SAMPLE_CORPUS])
        log.info("sample corpus: %s", {k: report[k] for k in ("ingested", "skipped_unchanged")})
    uploads = Path(uploads_dir or Path(services.settings.db_dir).parent / "uploads")
    export_dir = Path(tempfile.mkdtemp(prefix="meetings-export-"))

    app = FastAPI(title="Meeting assistant API", docs_url="/api/docs", redoc_url=None,
                  openapi_url="/api/openapi.json", default_response_class=SafeJSONResponse,
                  description="Cited search over Danish municipal agendas and minutes.")
    app.state.core = core
    roots = ingest_roots if ingest_roots is not None else env_roots()
    register_api(app, core, uploads, [Path(r).resolve() for r in roots])
    if authenticator.required:
        app.add_middleware(AuthMiddleware, authenticator=authenticator)

    demo = build_ui(core, export_dir)
    demo.queue(default_concurrency_limit=UI_CONCURRENCY, max_size=UI_QUEUE_SIZE)
    # the passage model embeds English answer sentences; loaded once the app is built
    threading.Thread(target=warm, args=(services.embedder,), name="warm-passage-model",
                     daemon=True).start()
    return gr.mount_gradio_app(
        app, demo, path="/", footer_links=[], run_history=False, allowed_paths=[str(export_dir)],
        blocked_paths=[str(Path(services.settings.db_dir).resolve()), str(uploads.resolve())],
        show_error=False, max_file_size=UPLOAD_MAX_BYTES, ssr_mode=False, enable_monitoring=False,
        mcp_server=False, css=APP_CSS,
    )


def serve(
    host: str = "127.0.0.1",
    port: int = 7860,
    services: Services | None = None,
    auth: tuple[str, str] | None = None,
) -> None:
    """Build the app (ingests the samples, loads the model) and serve it with uvicorn."""
    import uvicorn

    threads = use_serving_threads()  # before the app loads a model
    log.info("serving thread policy: %s", threads)
    services = services or Services(Settings.from_env())
    app = create_app(services, auth=auth)
    print(f"meetings: serving on http://{host}:{port}/  (API docs: /api/docs)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)


def main(argv: Sequence[str] | None = None, services: Services | None = None) -> int:
    """The ``meetings`` console script (and ``python -m app``): every command of
    :func:`assistant.cli.build_parser`, ``serve`` and ``user`` run here; the exit code."""
    return cli.main(argv, services, commands={"serve": cmd_serve, "user": cmd_user})


def cmd_serve(args: argparse.Namespace, services: Services) -> int:
    """``meetings serve [--host H] [--port P] [--auth user:pass]``."""
    auth = None
    if args.auth:
        user, sep, password = args.auth.partition(":")
        if not sep or not user or not password:
            raise ValueError("--auth must look like user:password")
        auth = (user, password)
    serve(host=args.host, port=args.port, services=services, auth=auth)
    return 0


def cmd_user(args: argparse.Namespace, services: Services) -> int:
    """``meetings user add NAME --role closed``: write a user (password hashed) to the
    users file; the web app reads it at start (``MEETINGS_USERS``)."""
    import getpass

    from web.users import add_user

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
    user = add_user(Path(target), args.name, password, args.role)
    roles = ", ".join(sorted(user.roles)) or "none"
    print(f"user {user.name} written to {target} (roles: {roles})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
