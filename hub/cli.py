"""The `hub` command."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import Sequence
from typing import TextIO

from hub import admin_commands, audit_commands
from hub.catalogue_store import ChangeSet
from hub.migrations import upgrade_database
from hub.runtime import Hub
from hub.settings import Settings, SettingsError
from hub.sync import SyncResult


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hub", description="Silk Road Hub")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate, start sandbox partners, sync and serve /graphql")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)

    commands.add_parser("migrate", help="alembic upgrade head on the configured database")

    sync = commands.add_parser("sync", help="harvest partners now")
    sync.add_argument("codes", nargs="*", metavar="CODE", help="partners to harvest (default: all)")
    sync.add_argument("--full", action="store_true", help="ignore checkpoints and harvest everything")

    sandbox = commands.add_parser("sandbox", help="run the sandbox partner servers alone")
    sandbox.add_argument("--port", type=int, default=0, help="first port (default: any free ports)")
    sandbox.add_argument("--synthetic", type=int, default=0, help="add N generated records to each partner")
    sandbox.add_argument("--page-size", type=int, default=None, help="records (activities) per page")
    sandbox.add_argument("codes", nargs="*", metavar="CODE", help="partners to run (default: all)")

    admin_commands.add_parsers(commands)
    audit_commands.add_parser(commands)
    return parser


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
        )
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


async def run_sync(settings: Settings, codes: list[str], full: bool) -> int:
    from hub.serve import start_missing_sandboxes

    hub = Hub.create(settings)
    sandboxes = await start_missing_sandboxes(hub)
    try:
        progress = SyncProgress()
        results = await hub.sync.sync_all([c.upper() for c in codes] or None, full, progress)
        progress.finish(results)
        return 0 if all(r.ok for r in results) else 1
    finally:
        await sandboxes.close()
        await hub.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.command != "migrate":
        logging.getLogger("alembic").setLevel(logging.WARNING)  # other commands migrate quietly first
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2
    if args.command == "migrate":
        upgrade_database(settings.database_url)
        return 0
    if args.command == "serve":
        from hub.serve import serve

        upgrade_database(settings.database_url)
        asyncio.run(serve(settings, args.host, args.port))
        return 0
    if args.command == "sync":
        upgrade_database(settings.database_url)
        return asyncio.run(run_sync(settings, args.codes, args.full))
    if args.command == "sandbox":
        from hub.serve import run_sandboxes

        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_sandboxes(args.port, [c.upper() for c in args.codes], args.synthetic, args.page_size))
        return 0
    if args.command == "audit":
        upgrade_database(settings.database_url)
        return audit_commands.run(args, settings)
    if args.command in admin_commands.COMMANDS:
        upgrade_database(settings.database_url)
        return admin_commands.run(args, settings)
    raise AssertionError(f"unhandled command {args.command!r}")


if __name__ == "__main__":
    sys.exit(main())
