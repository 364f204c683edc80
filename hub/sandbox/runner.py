"""Start sandbox partner servers (and any aiohttp app) on loopback."""

from __future__ import annotations

import asyncio
import importlib
from dataclasses import dataclass, field
from typing import Protocol, cast

import aiohttp
from aiohttp import web

from hub.sandbox import SANDBOX_CLASSES
from hub.sandbox.store import SampleStore


class SandboxPartner(Protocol):
    code: str
    store: SampleStore

    def make_app(self) -> web.Application: ...


def build_sandbox(code: str, synthetic: int = 0, page_size: int | None = None) -> SandboxPartner:
    """The sandbox of partner `code`, with its sample records plus `synthetic` generated ones."""
    try:
        module_name, class_name = SANDBOX_CLASSES[code].split(":")
    except KeyError:
        raise ValueError(f"no sandbox for partner {code!r}; known: {', '.join(SANDBOX_CLASSES)}") from None
    cls = getattr(importlib.import_module(module_name), class_name)
    kwargs = {"synthetic": synthetic}
    if page_size is not None:
        kwargs["page_size"] = page_size
    sandbox: SandboxPartner = cls(**kwargs)
    return sandbox


IDENTITY_PATH = "/.well-known/silk-road-sandbox"
"""Answers {"partner": CODE}: how `hub sync` recognises a sandbox that `hub serve` already runs."""


class SandboxPortError(OSError):
    """A sandbox's fixed port is taken by a program that is not that sandbox."""

    def __init__(self, code: str, url: str, cause: OSError) -> None:
        super().__init__(
            f"cannot start the {code} sandbox at {url}: {cause.strerror or cause}; another program uses the "
            f"port: set HUB_SANDBOX_PORT to another first port (0: any free ports), or HUB_PARTNER_{code}_URL"
        )


def with_identity(app: web.Application, code: str) -> web.Application:
    async def identity(_request: web.Request) -> web.Response:
        return web.json_response({"partner": code})

    app.router.add_get(IDENTITY_PATH, identity)
    return app


async def answers_as_sandbox(url: str, code: str) -> bool:
    """Whether the sandbox of partner `code` answers at `url`."""
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session,
            session.get(url + IDENTITY_PATH) as response,
        ):
            body = await response.json(content_type=None) if response.status == 200 else None
    except (aiohttp.ClientError, TimeoutError, ValueError):
        return False
    return isinstance(body, dict) and body.get("partner") == code


@dataclass
class RunningServer:
    runner: web.AppRunner
    url: str

    async def close(self) -> None:
        await self.runner.cleanup()


async def serve_app(app: web.Application, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Serve `app` on `host:port` (port 0: any free port) and return its base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    server = cast(asyncio.Server, site._server)
    bound = server.sockets[0].getsockname()[1]
    return RunningServer(runner, f"http://{host}:{bound}")


@dataclass
class RunningSandboxes:
    partners: dict[str, SandboxPartner] = field(default_factory=dict)
    servers: dict[str, RunningServer] = field(default_factory=dict)
    reused: dict[str, str] = field(default_factory=dict)
    """Sandboxes another process already serves on their fixed port, by code: their URLs."""

    @property
    def urls(self) -> dict[str, str]:
        return {code: server.url for code, server in self.servers.items()} | self.reused

    async def close(self) -> None:
        for server in self.servers.values():
            await server.close()


def sandbox_port(code: str, first_port: int) -> int:
    """The fixed port of partner `code`'s sandbox: `first_port` plus its place in SANDBOX_CLASSES (0: any)."""
    return first_port + list(SANDBOX_CLASSES).index(code) if first_port else 0


async def start_sandboxes(
    codes: list[str],
    host: str = "127.0.0.1",
    port: int = 0,
    synthetic: int = 0,
    page_size: int | None = None,
    reuse: bool = False,
) -> RunningSandboxes:
    """Start one server per partner, each on its fixed port from `port` (0: on any free ports).

    With `reuse`, a port on which the same partner's sandbox already answers (`hub serve` in another
    terminal, say) is used as it is; any other program on the port is an error naming it.
    """
    running = RunningSandboxes()
    try:
        for code in codes:
            sandbox = build_sandbox(code, synthetic=synthetic, page_size=page_size)
            fixed = sandbox_port(code, port)
            try:
                running.servers[code] = await serve_app(with_identity(sandbox.make_app(), code), host, fixed)
            except OSError as exc:
                url = f"http://{host}:{fixed}"
                if not (reuse and fixed and await answers_as_sandbox(url, code)):
                    raise SandboxPortError(code, url, exc) from exc
                running.reused[code] = url
                continue
            running.partners[code] = sandbox
    except BaseException:
        await running.close()
        raise
    return running
