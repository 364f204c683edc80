"""Loopback servers for hostile partners, and answers no honest partner would send.

Everything streams: an endless answer, a gzip bomb or a 200 MB token costs the server a chunk
of memory, not the whole answer.
"""

from __future__ import annotations

import asyncio
import threading
import zlib
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import cast

from aiohttp import web

CHUNK = 64 * 1024


async def start(app: web.Application) -> tuple[web.AppRunner, str]:
    """`app` served on a free loopback port of the running loop: its runner and base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = cast(asyncio.Server, site._server).sockets[0].getsockname()[1]
    return runner, f"http://127.0.0.1:{port}"


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    """`app` served on a free loopback port by the running loop; yields its base URL."""
    runner, url = await start(app)
    try:
        yield url
    finally:
        await runner.cleanup()


@asynccontextmanager
async def serving_apart(app: web.Application) -> AsyncIterator[str]:
    """`app` served by an event loop of its own in another thread: its work never delays the caller's loop."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="hostile-partner", daemon=True)
    thread.start()
    try:
        runner, url = await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(start(app), loop))
        try:
            yield url
        finally:
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(runner.cleanup(), loop))
    finally:
        loop.call_soon_threadsafe(loop.stop)
        await asyncio.to_thread(thread.join)
        loop.close()


def repeated(text: bytes, total: int) -> Iterable[bytes]:
    """`total` bytes of `text` repeated, a chunk at a time."""
    block = text * max(1, CHUNK // len(text))
    remaining = total
    while remaining > 0:
        yield block[: min(remaining, len(block))]
        remaining -= len(block)


async def stream(request: web.Request, parts: Iterable[bytes], content_type: str) -> web.StreamResponse:
    """A 200 answer written part by part; a client hanging up ends it quietly."""
    response = web.StreamResponse(headers={"Content-Type": content_type})
    await response.prepare(request)
    try:
        for part in parts:
            await response.write(part)
        await response.write_eof()
    except ConnectionError:
        pass
    return response


class EndlessBody:
    """Answers every GET with 200 and a body that never ends: `head`, then `filler` forever.

    `gzip` sends the filler as a gzip bomb (about 1 KiB on the wire per MiB inflated); `interval`
    drips it slowly; `announce` claims a Content-Length. `sent` counts the bytes written (inflated),
    `wire` the bytes on the wire.
    """

    def __init__(
        self,
        head: bytes = b"",
        filler: bytes = b" ",
        content_type: str = "application/json",
        *,
        gzip: bool = False,
        interval: float = 0.0,
        announce: int | None = None,
    ) -> None:
        self.head = head
        self.filler = filler
        self.content_type = content_type
        self.gzip = gzip
        self.interval = interval
        self.announce = announce
        self.sent = 0
        self.wire = 0
        self.requests = 0

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        headers = {"Content-Type": self.content_type}
        if self.gzip:
            headers["Content-Encoding"] = "gzip"
        response = web.StreamResponse(headers=headers)
        if self.announce is not None:
            response.content_length = self.announce
        await response.prepare(request)
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        block = self.filler if self.interval else self.filler * max(1, (16 * CHUNK) // len(self.filler))
        try:
            await self._write(response, compressor, self.head)
            while True:
                await self._write(response, compressor, block)
                await asyncio.sleep(self.interval)
        except ConnectionError:
            pass
        return response

    async def _write(self, response: web.StreamResponse, compressor: zlib._Compress, data: bytes) -> None:
        self.sent += len(data)
        if self.gzip:
            data = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
        self.wire += len(data)
        await response.write(data)
