"""`hub sync [CODE ...] [--full]`: harvest partners now, with a progress line per partner."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import TYPE_CHECKING, Any

from hub.cli.command import run
from hub.cli.sandbox import start_missing_sandboxes
from hub.settings import Settings

if TYPE_CHECKING:
    from rich.console import Console

    from hub.app import Hub
    from hub.cli.sync_progress import SyncDisplay
    from hub.harvest.service import SyncResult


def add_parser(commands: Any) -> None:
    sync = commands.add_parser(
        "sync",
        help="harvest partners now",
        description="Harvests partners now, showing per partner the pages read and the records added, changed, "
        "removed, unchanged and set aside. A partner without HUB_PARTNER_<CODE>_URL is read from its sandbox "
        "(on its fixed port from HUB_SANDBOX_PORT; one that `hub serve` runs already is used as it is). A rerun "
        "resumes from each partner's checkpoint. Exit status: 0 when every partner was harvested, 1 when one "
        "failed, 2 for a code that is not a harvested partner (nothing is started then).",
    )
    sync.add_argument(
        "codes",
        nargs="*",
        metavar="CODE",
        help="partners to harvest (default: every harvested partner, in the order they were registered)",
    )
    sync.add_argument(
        "--full",
        action="store_true",
        help="read each partner from its start, ignoring the checkpoints (unchanged items are not rewritten)",
    )
    sync.set_defaults(migrate_first=True, handler=sync_command)


def sync_command(args: argparse.Namespace, settings: Settings) -> int:
    from rich.console import Console

    # The display reports each failure once; the service's warning would say it a second time.
    logging.getLogger("hub.harvest.service").setLevel(logging.ERROR)
    return run(run_sync(settings, args.codes, args.full, Console(stderr=True)))


class PartnerCodeError(ValueError):
    """`hub sync` was given a code that is not a harvested partner."""


async def chosen_partners(hub: Hub, codes: list[str]) -> list[str]:
    """The harvested partners to sync, in the order they were registered; a code that is none is refused."""
    from hub.catalogue.institutions import list_institutions

    async with hub.sessions() as session:
        institutions = await list_institutions(session)
    harvested = [row.code for row in institutions if row.protocol is not None]
    wanted = {code.strip().upper() for code in codes}
    pushing = sorted(row.code for row in institutions if row.protocol is None and row.code in wanted)
    unknown = sorted(wanted - {row.code for row in institutions})
    if unknown or pushing:
        problems = [f"unknown partner {code}" for code in unknown]
        problems += [f"{code} is not harvested (it pushes its items)" for code in pushing]
        raise PartnerCodeError(f"{'; '.join(problems)}; harvested partners: {', '.join(harvested) or 'none'}")
    return [code for code in harvested if code in wanted] if wanted else harvested


async def run_sync(settings: Settings, codes: list[str], full: bool, console: Console) -> int:
    from hub.app import Hub
    from hub.cli.sync_progress import SyncDisplay

    hub = Hub.create(settings)
    try:
        try:
            partners = await chosen_partners(hub, codes)
        except PartnerCodeError as exc:
            print(f"hub: {exc}", file=sys.stderr)
            return 2
        if not partners:
            console.print("no partners to harvest: register one with `hub institutions add CODE ... --protocol P`")
            return 0
        await hub.sync.recover_interrupted()
        sandboxes = await start_missing_sandboxes(hub, partners)
        try:
            results = await harvest(hub, partners, full, SyncDisplay(partners, console))
        finally:
            await sandboxes.close()
        return 0 if all(result.ok for result in results) else 1
    finally:
        await hub.close()


async def harvest(hub: Hub, partners: list[str], full: bool, display: SyncDisplay) -> list[SyncResult]:
    async def one(code: str) -> SyncResult:
        result = await hub.sync.sync_partner(code, full, display.update)
        display.finished(result)
        return result

    with display:
        return list(await asyncio.gather(*(one(code) for code in partners)))
