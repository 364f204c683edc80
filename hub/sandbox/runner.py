"""Start sandbox partner servers (and any aiohttp app) on loopback."""

from __future__ import annotations

import asyncio
import importlib
from dataclasses import dataclass, field
from typing import Protocol, cast

from aiohttp import web

from hub.sandbox.store import SampleStore

SANDBOX_CLASSES = {
    "NLC": "hub.sandbox.nlc:NlcSandbox",
    "CRECC": "hub.sandbox.crecc:CreccSandbox",
    "TWMM": "hub.sandbox.twmm:TwmmSandbox",
}


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
    await site.start()
    server = cast(asyncio.Server, site._server)
    bound = server.sockets[0].getsockname()[1]
    return RunningServer(runner, f"http://{host}:{bound}")


@dataclass
class RunningSandboxes:
    partners: dict[str, SandboxPartner] = field(default_factory=dict)
    servers: dict[str, RunningServer] = field(default_factory=dict)

    @property
    def urls(self) -> dict[str, str]:
        return {code: server.url for code, server in self.servers.items()}

    async def close(self) -> None:
        for server in self.servers.values():
            await server.close()


async def start_sandboxes(
    codes: list[str], host: str = "127.0.0.1", port: int = 0, synthetic: int = 0, page_size: int | None = None
) -> RunningSandboxes:
    """Start one server per partner: on `port`, `port + 1`, ... or on free ports when `port` is 0."""
    running = RunningSandboxes()
    for offset, code in enumerate(codes):
        sandbox = build_sandbox(code, synthetic=synthetic, page_size=page_size)
        running.partners[code] = sandbox
        running.servers[code] = await serve_app(sandbox.make_app(), host, port + offset if port else 0)
    return running
