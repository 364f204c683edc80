"""A bound on request bodies, applied before anything reads them: 413 past `max_bytes`.

Plain ASGI: it reads the body itself (refusing at once a Content-Length over the limit, and a chunked body as
soon as it grows past it) and hands the application the body it read.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from schema.core.request_body import replay


def too_large(max_bytes: int) -> JSONResponse:
    message = f"request body over the limit of {max_bytes} bytes"
    error = {"message": message, "extensions": {"code": "PAYLOAD_TOO_LARGE", "maxBytes": max_bytes}}
    return JSONResponse({"errors": [error]}, status_code=413, headers={"Connection": "close"})


def bad_length(value: str) -> JSONResponse:
    error = {"message": f"Content-Length {value!r} is not a number of bytes", "extensions": {"code": "BAD_REQUEST"}}
    return JSONResponse({"errors": [error]}, status_code=400, headers={"Connection": "close"})


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None:
            if not length.strip().isdigit():
                await bad_length(length)(scope, receive, send)
                return
            if int(length) > self.max_bytes:
                await too_large(self.max_bytes)(scope, receive, send)
                return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await too_large(self.max_bytes)(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        await self.app(scope, replay(b"".join(chunks), receive), send)
