"""`hub serve`: migrate, start sandbox partners, sync in the background and serve /graphql."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import threading
from typing import Any

from hub.app import Hub
from hub.auth.housekeeping import purge_forever
from hub.cli.sandbox import start_missing_sandboxes
from hub.harvest.schedule import sync_forever
from hub.settings import PARTNER_URL_PREFIX, PARTNER_URL_SUFFIX, Settings


def add_parser(commands: Any) -> None:
    serve = commands.add_parser("serve", help="migrate, start sandbox partners, sync and serve /graphql")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes serving /graphql (PostgreSQL only)")
    serve.set_defaults(migrate_first=True, handler=serve_command)


def serve_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.workers < 1:
        print(f"hub: --workers must be at least 1, not {args.workers}", file=sys.stderr)
        return 2
    if args.workers == 1:
        asyncio.run(serve(settings, args.host, args.port))
        return 0
    if settings.is_sqlite:
        print(
            "hub: --workers needs PostgreSQL (HUB_DATABASE_URL=postgresql+asyncpg://...): on SQLite the worker "
            "processes would not hear each other's catalogue changes",
            file=sys.stderr,
        )
        return 2
    serve_workers(settings, args.host, args.port, args.workers)
    return 0


async def serve(settings: Settings, host: str, port: int) -> None:
    """Serve /graphql; the database must be migrated already (the CLI does it first)."""
    # Imported here: the web app pulls in the whole graph, which the other commands never need.
    import uvicorn

    from hub.web.app import create_app

    hub = Hub.create(settings)
    await hub.start()
    sandboxes = await start_missing_sandboxes(hub)
    background = [
        asyncio.create_task(sync_forever(hub.sync, settings.sync_interval)),
        asyncio.create_task(purge_forever(hub.sessions)),
    ]
    # X-Forwarded-For is the hub's to judge (HUB_TRUSTED_PROXIES), not uvicorn's (which trusts loopback).
    config = uvicorn.Config(
        create_app(hub),
        host=host,
        port=port,
        log_level="info",
        lifespan="off",
        proxy_headers=False,
        ws_max_size=settings.max_body_bytes,  # a websocket message is bounded like a request body
    )
    try:
        await uvicorn.Server(config).serve()
    finally:
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await sandboxes.close()
        await hub.close()


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
        log_level="info",
        proxy_headers=False,
        ws_max_size=settings.max_body_bytes,
    )
    sock = config.bind_socket()
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
        stop.set()
        thread.join(timeout=10)


async def _background(settings: Settings, started: threading.Event, stop: threading.Event) -> None:
    hub = Hub.create(settings)
    await hub.start()
    sandboxes = await start_missing_sandboxes(hub)
    for code, url in sandboxes.urls.items():  # the workers read their settings from the environment
        os.environ[f"{PARTNER_URL_PREFIX}{code}{PARTNER_URL_SUFFIX}"] = url
    tasks = [
        asyncio.create_task(sync_forever(hub.sync, settings.sync_interval)),
        asyncio.create_task(purge_forever(hub.sessions)),
    ]
    started.set()
    try:
        await asyncio.to_thread(stop.wait)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await sandboxes.close()
        await hub.close()
