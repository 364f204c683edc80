"""`hub serve`: migrate, start sandbox partners, sync in the background and serve /graphql."""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import TYPE_CHECKING, Any

from hub.cli.command import run
from hub.cli.sandbox import start_missing_sandboxes
from hub.settings import Settings

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
    serve.set_defaults(migrate_first=True, handler=serve_command)


def serve_command(args: argparse.Namespace, settings: Settings) -> int:
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


async def serve_app(hub: Hub, app: Any, host: str, port: int) -> None:
    """uvicorn with the background sync and housekeeping beside it, until interrupted."""
    import uvicorn

    from hub.auth.housekeeping import purge_forever
    from hub.harvest.schedule import sync_forever

    background = [
        asyncio.create_task(sync_forever(hub.sync, hub.settings.sync_interval)),
        asyncio.create_task(purge_forever(hub.sessions)),
    ]
    # X-Forwarded-For is the hub's to judge (HUB_TRUSTED_PROXIES), not uvicorn's (which trusts loopback).
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="info",
        lifespan="off",
        proxy_headers=False,
        ws_max_size=hub.settings.max_body_bytes,  # a websocket message is bounded like a request body
    )
    log.info("GraphiQL at http://%s:%d/graphql (Ctrl-C stops the hub)", host, port)
    try:
        await uvicorn.Server(config).serve()
    finally:
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
