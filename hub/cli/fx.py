"""`hub fx import FILE`: load an ECB reference-rate file; `hub fx rates [--json]`: the rates in force now."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hub.cli.command import database, print_table, run
from hub.cli.parser import add_json_option
from hub.settings import Settings

if TYPE_CHECKING:
    from hub.money.ecb_import import EcbImport
    from hub.money.fx import FxRate

ACTOR = "hub:cli"


def add_parser(commands: Any) -> None:
    fx = commands.add_parser(
        "fx",
        help="foreign exchange rates",
        description="Foreign exchange rates: dated, with their source; conversions use the rate valid then.",
    )
    fx.set_defaults(migrate_first=True)
    actions = fx.add_subparsers(dest="action", required=True, metavar="ACTION")
    load = actions.add_parser(
        "import",
        help="load a reference-rate file in the ECB's daily or history XML format",
        description="Loads the ECB's reference rates (the daily, 90-day or full-history XML file) in one "
        "transaction with one audit entry; rates stored already are left as they are.",
    )
    load.add_argument("file", type=Path, metavar="FILE", help="the ECB XML file (eurofxref-daily.xml, ...)")
    load.add_argument("--json", action="store_true", help="print one JSON object instead of a sentence")
    load.set_defaults(handler=import_command)
    listing = actions.add_parser(
        "rates", help="list the rates in force now", description="Lists the rates in force now, one per pair."
    )
    add_json_option(listing)
    listing.set_defaults(handler=rates_command)


def read_bounded(path: Path, max_bytes: int | None = None) -> bytes:
    """The file's bytes, reading at most one byte past the bound (the parser then refuses it by size)."""
    from hub.money.ecb import MAX_ECB_DOCUMENT_BYTES

    max_bytes = MAX_ECB_DOCUMENT_BYTES if max_bytes is None else max_bytes
    with path.open("rb") as handle:
        return handle.read(max_bytes + 1)


def import_command(args: argparse.Namespace, settings: Settings) -> int:
    from hub.money.ecb_import import import_ecb

    async def load() -> int:
        document = read_bounded(args.file)
        async with database(settings) as sessions, sessions.begin() as session:
            report = await import_ecb(session, ACTOR, document)
        _print_import(report, args.json)
        return 0

    return run(load())


def rates_command(args: argparse.Namespace, settings: Settings) -> int:
    from hub.money.fx_rates import rates

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
    rows = [
        {
            "pair": f"{rate.base}->{rate.quote}",
            "rate": rate.rate,
            "valid_from": rate.valid_from.isoformat(),
            "source": rate.source,
        }
        for rate in listed
    ]
    print_table(rows, as_json=False, empty="(no rates: load some with `hub fx import FILE`)")
