"""`hub serve`: migrate, start sandbox partners, sync in the background and serve /graphql."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from hub.app import Hub
from hub.auth.housekeeping import purge_forever
from hub.cli.sandbox import start_missing_sandboxes
from hub.harvest.schedule import sync_forever
from hub.settings import Settings


def add_parser(commands: Any) -> None:
    serve = commands.add_parser("serve", help="migrate, start sandbox partners, sync and serve /graphql")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(migrate_first=True, handler=serve_command)


def serve_command(args: argparse.Namespace, settings: Settings) -> int:
    asyncio.run(serve(settings, args.host, args.port))
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
