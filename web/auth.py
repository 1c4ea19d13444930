"""HTTP basic auth as an ASGI middleware in front of *everything* (UI, API, source view,
Gradio's file routes); Gradio's own ``auth=`` would protect the UI only."""

from __future__ import annotations

from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from .users import Authenticator, scope_headers


class AuthMiddleware:
    """Login in front of every route (UI, API, source pages, Gradio internals) through an
    :class:`~web.users.Authenticator` (``--auth``, the users file, the proxy header); the
    routes ask the same authenticator who the viewer is (``AppCore.viewer``)."""

    def __init__(self, app: ASGIApp, authenticator: Authenticator) -> None:
        self.app = app
        self.authenticator = authenticator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        # a password check costs scrypt time: off the event loop
        headers = scope_headers(scope["headers"])
        if await run_in_threadpool(self.authenticator.identify, headers) is not None:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        response = PlainTextResponse(
            "Login required", status_code=401,
            headers={"WWW-Authenticate": 'Basic realm="meetings", charset="UTF-8"'},
        )
        await response(scope, receive, send)


class BasicAuthMiddleware(AuthMiddleware):
    """``--auth user:pass``: one user with no special roles (the simple case)."""

    def __init__(self, app: ASGIApp, username: str, password: str) -> None:
        super().__init__(app, Authenticator(basic=(username, password)))
