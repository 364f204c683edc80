"""`hub serve`: migrate, start sandbox partners, sync in the background and serve /graphql."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import threading
from typing import TYPE_CHECKING, Any

from hub.cli.command import run
from hub.cli.sandbox import start_missing_sandboxes
from hub.settings import PARTNER_URL_PREFIX, PARTNER_URL_SUFFIX, Settings

if TYPE_CHECKING:
    from hub.app import Hub

log = logging.getLogger(__name__)


def add_parser(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="migrate, start sandbox partners, sync and serve /graphql",
        description="Migrates the database, starts the sandbox partners for partners without a configured URL "
        "(on fixed ports from HUB_SANDBOX_PORT), harvests every partner now and then every HUB_SYNC_INTERVAL "
        "seconds, and serves /graphql (GraphiQL in a browser), the OAuth endpoints, /healthz and /metrics "
        "until interrupted (Ctrl-C).",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes serving /graphql (more than 1 needs PostgreSQL)"
    )
    serve.set_defaults(migrate_first=True, handler=serve_command)


def serve_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.workers < 1:
        print(f"hub: --workers must be at least 1, not {args.workers}", file=sys.stderr)
        return 2
    if args.workers > 1:
        if settings.is_sqlite:
            print(
                "hub: --workers needs PostgreSQL (HUB_DATABASE_URL=postgresql+asyncpg://...): on SQLite the worker "
                "processes would not hear each other's catalogue changes",
                file=sys.stderr,
            )
            return 2
        serve_workers(settings, args.host, args.port, args.workers)
        return 0

    async def serving() -> int:
        await serve(settings, args.host, args.port)
        return 0

    return run(serving())


async def serve(settings: Settings, host: str, port: int) -> None:
    """Serve /graphql; the database must be migrated already (the CLI does it first)."""
    # Imported here: the web app pulls in the whole graph, which the other commands never need.
    from hub.app import Hub
    from hub.web.app import create_app

    hub = Hub.create(settings)
    try:
        await hub.start()
        sandboxes = await start_missing_sandboxes(hub)
        try:
            await serve_app(hub, create_app(hub), host, port)
        finally:
            await sandboxes.close()
    finally:
        await hub.close()


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """What every uvicorn the hub starts shares."""
    return {
        "log_level": "info",
        # X-Forwarded-For is the hub's to judge (HUB_TRUSTED_PROXIES), not uvicorn's (which trusts loopback).
        "proxy_headers": False,
        "ws_max_size": settings.max_body_bytes,  # a websocket message is bounded like a request body
    }


async def serve_app(hub: Hub, app: Any, host: str, port: int) -> None:
    """uvicorn with the background sync and housekeeping beside it, until interrupted."""
    import uvicorn

    background = _background_tasks(hub)
    config = uvicorn.Config(app, host=host, port=port, lifespan="off", **uvicorn_options(hub.settings))
    log.info("GraphiQL at http://%s:%d/graphql (Ctrl-C stops the hub)", host, port)
    try:
        await uvicorn.Server(config).serve()
    finally:
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)


def _background_tasks(hub: Hub) -> list[asyncio.Task[None]]:
    from hub.auth.housekeeping import purge_forever
    from hub.harvest.schedule import sync_forever

    return [
        asyncio.create_task(sync_forever(hub.sync, hub.settings.sync_interval)),
        asyncio.create_task(purge_forever(hub.sessions)),
        asyncio.create_task(hub.checkpoints.run_forever()),
        asyncio.create_task(hub.anchoring.run(), name="anchor-queue"),
    ]


def serve_workers(settings: Settings, host: str, port: int, workers: int) -> None:
    """This process runs the sandboxes, the background sync and housekeeping; `workers` processes serve the
    graph on one socket (uvicorn's supervisor restarts any that dies)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    started = threading.Event()
    stop = threading.Event()

    def background() -> None:
        try:
            asyncio.run(_background(settings, started, stop))
        finally:
            started.set()  # also when it failed to start: then there is nothing to serve beside

    thread = threading.Thread(target=background, daemon=True)
    thread.start()
    started.wait()
    if not thread.is_alive():
        raise RuntimeError("the sandboxes and background sync did not start")
    config = uvicorn.Config(
        "hub.web.workers:create_worker_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **uvicorn_options(settings),
    )
    sock = config.bind_socket()
    log.info("GraphiQL at http://%s:%d/graphql, %d workers (Ctrl-C stops the hub)", host, port, workers)
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
        stop.set()
        thread.join(timeout=10)


async def _background(settings: Settings, started: threading.Event, stop: threading.Event) -> None:
    from hub.app import Hub

    hub = Hub.create(settings)
    await hub.start()
    sandboxes = await start_missing_sandboxes(hub)
    for code, url in sandboxes.urls.items():  # the workers read their settings from the environment
        os.environ[f"{PARTNER_URL_PREFIX}{code}{PARTNER_URL_SUFFIX}"] = url
    tasks = _background_tasks(hub)
    started.set()
    try:
        await asyncio.to_thread(stop.wait)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await sandboxes.close()
        await hub.close()
