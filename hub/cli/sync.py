"""`hub sync [CODE ...] [--full]`: harvest partners now, with a progress line per partner."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from hub.app import Hub
from hub.catalogue.changes import ChangeSet
from hub.cli.sandbox import start_missing_sandboxes
from hub.harvest.service import SyncResult
from hub.settings import Settings


def add_parser(commands: Any) -> None:
    sync = commands.add_parser("sync", help="harvest partners now")
    sync.add_argument("codes", nargs="*", metavar="CODE", help="partners to harvest (default: all)")
    sync.add_argument("--full", action="store_true", help="ignore checkpoints and harvest everything")
    sync.set_defaults(migrate_first=True, handler=sync_command)


def sync_command(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(run_sync(settings, args.codes, args.full))


class SyncProgress:
    """One status line per partner, redrawn in place on a terminal."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.interactive = stream.isatty()
        self.lines: dict[str, str] = {}

    def __call__(self, partner: str, pages: int, changes: ChangeSet) -> None:
        self.lines[partner] = (
            f"{partner:<6} {pages:>5} pages  +{len(changes.added)} ~{len(changes.changed)} "
            f"-{len(changes.removed)} ={changes.unchanged}"
        ) + (f"  {changes.rejected} set aside" if changes.rejected else "")
        if self.interactive:
            print("\r" + "   ".join(self.lines.values()), end="", file=self.stream, flush=True)

    def finish(self, results: Sequence[SyncResult]) -> None:
        if self.interactive:
            print(file=self.stream)
        for result in results:
            if result.skipped:
                print(f"skip   {result.partner:<6} another hub process is harvesting it now", file=self.stream)
            elif result.ok:
                line = self.lines.get(result.partner, f"{result.partner:<6} nothing to harvest")
                print(f"ok     {line}", file=self.stream)
            else:
                print(f"FAILED {result.error}", file=self.stream)
            for rejection in result.first_rejections:
                print(f"       set aside {rejection.source_id or '(no id)'}: {rejection.reason}", file=self.stream)


async def run_sync(settings: Settings, codes: list[str], full: bool) -> int:
    hub = Hub.create(settings)
    sandboxes = await start_missing_sandboxes(hub)
    try:
        await hub.sync.recover_interrupted()
        progress = SyncProgress()
        results = await hub.sync.sync_all([c.upper() for c in codes] or None, full, progress)
        progress.finish(results)
        return 0 if all(r.ok for r in results) else 1
    finally:
        await sandboxes.close()
        await hub.close()
