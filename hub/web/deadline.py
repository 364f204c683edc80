"""A time budget per request: past it the request is cancelled and answered 504 with code REQUEST_TIMEOUT.

Cancelling the task ends what the request awaits (asyncpg cancels its statement on the server); a statement
already running in SQLite's worker thread is stopped by the engine's statement timeout (see `hub.db`).
"""

from __future__ import annotations

import asyncio
import logging

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


def timed_out(seconds: float) -> JSONResponse:
    message = f"the request took longer than the time budget of {seconds:g} s and was cancelled"
    error = {"message": message, "extensions": {"code": "REQUEST_TIMEOUT", "timeoutSeconds": seconds}}
    return JSONResponse({"errors": [error]}, status_code=504)


class Deadline:
    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_started(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            async with asyncio.timeout(self.seconds) as budget:
                await self.app(scope, receive, send_started)
        except TimeoutError:
            if not budget.expired() or started:
                raise  # part of the answer went out already: only closing the connection is left
            log.info("request to %s cancelled after %g s", scope["path"], self.seconds)
            await timed_out(self.seconds)(scope, receive, send)
