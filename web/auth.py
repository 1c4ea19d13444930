"""HTTP basic auth as an ASGI middleware in front of *everything* (UI, API, source view,
Gradio's file routes); Gradio's own ``auth=`` would protect the UI only."""

from __future__ import annotations

import base64
import binascii
import secrets

from fastapi.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send


class BasicAuthMiddleware:
    """HTTP basic auth for every route (UI, API, source pages, Gradio internals)."""

    def __init__(self, app: ASGIApp, username: str, password: str) -> None:
        self.app = app
        self.expected = f"{username}:{password}".encode()

    def _ok(self, header: bytes | None) -> bool:
        if not header or not header[:6].lower() == b"basic ":
            return False
        try:
            given = base64.b64decode(header[6:].strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        return secrets.compare_digest(given, self.expected)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if self._ok(dict(scope["headers"]).get(b"authorization")):
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
