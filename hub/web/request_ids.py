"""Every request gets an id: kept in the ASGI scope's state (`request.state.request_id`, which the graph's
masked errors carry), sent back in the X-Request-Id header, and named in the log line of an unexpected fault,
which is answered 500 with it (never with the fault's own text)."""

from __future__ import annotations

import logging
import uuid

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

STATE_KEY = "request_id"
HEADER = b"x-request-id"


def internal_error(request_id: str) -> JSONResponse:
    extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    return JSONResponse({"errors": [{"message": "Unexpected error.", "extensions": extensions}]}, status_code=500)


class RequestIds:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        scope.setdefault("state", {})[STATE_KEY] = request_id
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), (HEADER, request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unexpected fault in %s %s (request %s)", scope["method"], scope["path"], request_id)
            if started:
                raise  # part of the answer went out: nothing to do but close the connection
            await internal_error(request_id)(scope, receive, send_with_id)
