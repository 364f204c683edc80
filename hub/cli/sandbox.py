"""`hub sandbox`: the sandbox partner servers alone; and the sandboxes `hub serve` and `hub sync` start for
partners without a configured URL."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from typing import TYPE_CHECKING, Any

from hub.cli.command import run
from hub.sandbox import SANDBOX_CLASSES
from hub.settings import DEFAULT_SANDBOX_PORT, Settings

if TYPE_CHECKING:
    from hub.app import Hub
    from hub.sandbox.runner import RunningSandboxes

log = logging.getLogger(__name__)


def add_parser(commands: Any) -> None:
    sandbox = commands.add_parser(
        "sandbox",
        help="run the sandbox partner servers alone",
        description="Runs the sandbox partners (NLC over OAI-PMH, CRECC over its relics JSON API, TWMM over IIIF "
        "Change Discovery) on loopback until interrupted, and prints each one's code and URL. `hub serve` and "
        "`hub sync` use a sandbox that runs on its fixed port already.",
    )
    sandbox.add_argument(
        "--port",
        type=int,
        default=None,
        help="first port: NLC on it, CRECC on the next, TWMM on the one after; 0: any free ports "
        f"(default: HUB_SANDBOX_PORT, {DEFAULT_SANDBOX_PORT} unless set)",
    )
    sandbox.add_argument("--synthetic", type=int, default=0, metavar="N", help="add N generated records to each")
    sandbox.add_argument(
        "--page-size", type=int, default=None, metavar="N", help="records (activities) per page (default: 10)"
    )
    sandbox.add_argument(
        "codes", nargs="*", metavar="CODE", help=f"partners to run (default: all: {' '.join(SANDBOX_CLASSES)})"
    )
    sandbox.set_defaults(migrate_first=False, handler=sandbox_command)


def sandbox_command(args: argparse.Namespace, settings: Settings) -> int:
    codes = [c.upper() for c in args.codes]
    unknown = [code for code in codes if code not in SANDBOX_CLASSES]
    if unknown:
        print(f"hub: no sandbox for {', '.join(unknown)}; known: {', '.join(SANDBOX_CLASSES)}", file=sys.stderr)
        return 2
    port = settings.sandbox_port if args.port is None else args.port

    async def serve() -> int:
        await run_sandboxes(port, codes, args.synthetic, args.page_size)
        return 0

    with contextlib.suppress(KeyboardInterrupt):
        return run(serve())
    return 0


async def run_sandboxes(
    port: int, codes: list[str] | None = None, synthetic: int = 0, page_size: int | None = None
) -> None:
    from hub.sandbox.runner import start_sandboxes

    sandboxes = await start_sandboxes(
        codes or list(SANDBOX_CLASSES), port=port, synthetic=synthetic, page_size=page_size
    )
    for code, url in sandboxes.urls.items():
        print(f"{code}\t{url}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await sandboxes.close()


async def start_missing_sandboxes(hub: Hub, partners: list[str] | None = None) -> RunningSandboxes:
    """Sandbox servers for the harvested `partners` (default: all) that have no configured URL."""
    from hub.sandbox.runner import start_sandboxes

    codes = [
        code
        for code in partners or await hub.sync.harvestable_partners()
        if code not in hub.settings.partner_urls and code in SANDBOX_CLASSES
    ]
    sandboxes = await start_sandboxes(codes, port=hub.settings.sandbox_port, reuse=True)
    for code, url in sandboxes.urls.items():
        how = "already running" if code in sandboxes.reused else "started"
        log.info("sandbox partner %s %s at %s", code, how, url)
    hub.partner_urls.update(sandboxes.urls)
    hub.sync.partner_urls.update(sandboxes.urls)
    return sandboxes
