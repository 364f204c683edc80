"""`hub fx import FILE`: load an ECB reference-rate file; `hub fx rates [--json]`: the rates in force now."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from hub.cli.command import database, run
from hub.money.ecb import MAX_ECB_DOCUMENT_BYTES
from hub.money.ecb_import import EcbImport, import_ecb
from hub.money.fx import FxRate
from hub.money.fx_rates import rates
from hub.settings import Settings

ACTOR = "hub:cli"


def add_parser(commands: Any) -> None:
    fx = commands.add_parser("fx", help="foreign exchange rates")
    fx.set_defaults(migrate_first=True)
    actions = fx.add_subparsers(dest="action", required=True)
    load = actions.add_parser("import", help="load a reference-rate file in the ECB's daily or history XML format")
    load.add_argument("file", type=Path, metavar="FILE")
    load.add_argument("--json", action="store_true", help="print one JSON object")
    load.set_defaults(handler=import_command)
    listing = actions.add_parser("rates", help="list the rates in force now")
    listing.add_argument("--json", action="store_true", help="print one JSON list")
    listing.set_defaults(handler=rates_command)


def read_bounded(path: Path, max_bytes: int = MAX_ECB_DOCUMENT_BYTES) -> bytes:
    """The file's bytes, reading at most one byte past the bound (the parser then refuses it by size)."""
    with path.open("rb") as handle:
        return handle.read(max_bytes + 1)


def import_command(args: argparse.Namespace, settings: Settings) -> int:
    async def load() -> int:
        document = read_bounded(args.file)
        async with database(settings) as sessions, sessions.begin() as session:
            report = await import_ecb(session, ACTOR, document)
        _print_import(report, args.json)
        return 0

    return run(load())


def rates_command(args: argparse.Namespace, settings: Settings) -> int:
    async def listing() -> int:
        async with database(settings) as sessions, sessions() as session:
            listed = await rates(session)
        _print_rates(listed, args.json)
        return 0

    return run(listing())


def _print_import(report: EcbImport, as_json: bool) -> None:
    if as_json:
        print(
            json.dumps(
                {
                    "days": [day.isoformat() for day in report.days],
                    "added": report.added,
                    "unchanged": report.unchanged,
                    "not_covered": list(report.not_covered),
                    "unsupported": list(report.unsupported),
                }
            )
        )
        return
    span = f"{report.days[0]}" + (f" to {report.days[-1]}" if len(report.days) > 1 else "")
    print(f"ECB rates of {span}: {report.added} added, {report.unchanged} already stored")
    if report.not_covered:
        print(f"no ECB rate for {', '.join(report.not_covered)}: set those with setFxRate or another source")


def _print_rates(listed: list[FxRate], as_json: bool) -> None:
    if as_json:
        print(json.dumps([rate.to_json() for rate in listed]))
        return
    for rate in listed:
        print(f"{rate.base}->{rate.quote}\t{rate.rate}\t{rate.valid_from.isoformat()}\t{rate.source}")
