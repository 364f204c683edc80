"""`hub sandbox`: the sandbox partner servers alone; and the sandboxes `hub serve` and `hub sync` start for
partners without a configured URL."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from typing import Any

from hub.app import Hub
from hub.sandbox.runner import SANDBOX_CLASSES, RunningSandboxes, start_sandboxes
from hub.settings import Settings

log = logging.getLogger(__name__)


def add_parser(commands: Any) -> None:
    sandbox = commands.add_parser("sandbox", help="run the sandbox partner servers alone")
    sandbox.add_argument("--port", type=int, default=0, help="first port (default: any free ports)")
    sandbox.add_argument("--synthetic", type=int, default=0, help="add N generated records to each partner")
    sandbox.add_argument("--page-size", type=int, default=None, help="records (activities) per page")
    sandbox.add_argument("codes", nargs="*", metavar="CODE", help="partners to run (default: all)")
    sandbox.set_defaults(migrate_first=False, handler=sandbox_command)


def sandbox_command(args: argparse.Namespace, _settings: Settings) -> int:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_sandboxes(args.port, [c.upper() for c in args.codes], args.synthetic, args.page_size))
    return 0


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
