"""Web app: Gradio chat (mounted at ``/``), a JSON API (``/api/...``) and an HTML source view.

The parts live in the ``web`` package (core state, API routes, UI, templates, auth); this
module assembles them (:func:`create_app`) and serves them (:func:`serve`, what
``meetings serve`` and ``make run`` start).  Routes: see :mod:`web.api`.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import logging
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

import gradio as gr
from fastapi import FastAPI

from assistant.followup import followup_search_text, is_followup
from assistant.settings import SAMPLE_CORPUS, Services, Settings
from vectorstore.embedder import warm
from web.api import UPLOAD_MAX_BYTES, SafeJSONResponse, _InFlight, env_roots, register_api
from web.auth import AuthMiddleware, BasicAuthMiddleware
from web.core import AppCore
from web.render import APP_CSS
from web.ui import UI_CONCURRENCY, UI_QUEUE_SIZE, build_ui
from web.users import Authenticator

__all__ = ["AppCore", "BasicAuthMiddleware", "_InFlight", "create_app", "followup_search_text",
           "is_followup", "main", "serve"]

log = logging.getLogger("app")


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
    index); default: ``uploads`` beside the index directory.  ``ingest_roots`` are the only
    folders whose files ``POST /api/ingest {"paths": [...]}`` may read (default: the
    ``MEETINGS_INGEST_ROOTS`` environment variable, folders separated by ``os.pathsep``;
    none set: server-side paths are refused, uploads still work).

    Login: ``auth`` (one user, no roles), the users file and the proxy header of
    ``services.settings`` (``MEETINGS_USERS``, ``MEETINGS_AUTH_HEADER``; ``web.users``);
    a user's roles decide what closed items show (``assistant.access``).
    """
    authenticator = Authenticator.from_settings(
        services.settings.users_file, services.settings.auth_header, auth
    )  # a bad users file stops the start here, naming the file and field
    core = AppCore(services)
    core.auth = authenticator
    # answer sentences of English questions are embedded in batches once the model is in
    threading.Thread(target=warm, args=(services.embedder,), name="warm-passage-model",
                     daemon=True).start()
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

    services = services or Services(Settings.from_env())
    app = create_app(services, auth=auth)
    print(f"meetings: serving on http://{host}:{port}/  (API docs: /api/docs)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)


def main() -> None:
    """``python app.py``: serve with the settings of the environment (as ``meetings serve``)."""
    serve()


if __name__ == "__main__":
    main()
