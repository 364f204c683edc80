"""The `hub` command: one module per command group, each adding its parser and one handler per subcommand."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from hub.cli import audit, clients, fx, institutions, keys, migrate, sandbox, serve, settings, sync
from hub.cli.migrate import upgrade_database
from hub.cli.parser import HubArgumentParser, hub_version
from hub.settings import Settings, SettingsError

COMMAND_GROUPS = (serve, migrate, sync, sandbox, institutions, clients, keys, fx, audit, settings)


def build_parser() -> argparse.ArgumentParser:
    parser = HubArgumentParser(
        prog="hub",
        description="Silk Road Hub: one GraphQL graph over the catalogues of the NLC, CRECC and the Tang West "
        "Market Museum. Start with `hub serve` and open http://127.0.0.1:8000/graphql.",
        epilog=settings.settings_epilog(),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {hub_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.command != "migrate":
        logging.getLogger("alembic").setLevel(logging.WARNING)  # other commands migrate quietly first
    try:
        hub_settings = Settings.from_env()
    except SettingsError as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2
    if args.migrate_first:
        upgrade_database(hub_settings.database_url)
    status: int = args.handler(args, hub_settings)
    return status
