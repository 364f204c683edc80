"""`hub serve` and `hub sandbox`: start what the hub needs, then serve."""

from __future__ import annotations

import asyncio
import logging

import uvicorn

from hub.auth.housekeeping import purge_forever
from hub.runtime import Hub
from hub.sandbox.runner import SANDBOX_CLASSES, RunningSandboxes, start_sandboxes
from hub.server import create_app
from hub.settings import Settings
from hub.sync import sync_forever

log = logging.getLogger(__name__)


async def start_missing_sandboxes(hub: Hub) -> RunningSandboxes:
    """Sandbox servers for every harvested partner without a configured URL."""
    codes = [
        code
        for code in await hub.sync.harvestable_partners()
        if code not in hub.settings.partner_urls and code in SANDBOX_CLASSES
    ]
    sandboxes = await start_sandboxes(codes)
    for code, url in sandboxes.urls.items():
        log.info("sandbox partner %s at %s", code, url)
    hub.partner_urls.update(sandboxes.urls)
    hub.sync.partner_urls.update(sandboxes.urls)
    return sandboxes


async def serve(settings: Settings, host: str, port: int) -> None:
    """Serve /graphql; the database must be migrated already (the CLI does it first)."""
    hub = Hub.create(settings)
    await hub.start()
    sandboxes = await start_missing_sandboxes(hub)
    background = [
        asyncio.create_task(sync_forever(hub.sync, settings.sync_interval)),
        asyncio.create_task(purge_forever(hub.sessions)),
    ]
    config = uvicorn.Config(create_app(hub), host=host, port=port, log_level="info", lifespan="off")
    try:
        await uvicorn.Server(config).serve()
    finally:
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await sandboxes.close()
        await hub.close()


async def run_sandboxes(
    port: int, codes: list[str] | None = None, synthetic: int = 0, page_size: int | None = None
) -> None:
    sandboxes = await start_sandboxes(
        codes or list(SANDBOX_CLASSES), port=port, synthetic=synthetic, page_size=page_size
    )
    for code, url in sandboxes.urls.items():
        print(f"{code}\t{url}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await sandboxes.close()
