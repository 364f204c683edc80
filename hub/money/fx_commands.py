"""`hub fx import FILE`: load an ECB reference-rate file; `hub fx rates [--json]`: the rates in force now.

For `hub.cli` to wire: `fx_commands.add_parser(commands)` in `build_parser`, and for `args.command == "fx"`
migrate, then `return fx_commands.run(args, settings)`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from hub.db import create_engine, session_factory
from hub.money.ecb import MAX_ECB_DOCUMENT_BYTES
from hub.money.ecb_import import EcbImport, import_ecb
from hub.money.errors import MoneyError
from hub.money.fx import FxRate
from hub.money.fx_rates import rates
from hub.settings import Settings

ACTOR = "hub:cli"


def add_parser(commands: Any) -> None:
    fx = commands.add_parser("fx", help="foreign exchange rates")
    actions = fx.add_subparsers(dest="action", required=True)
    load = actions.add_parser("import", help="load a reference-rate file in the ECB's daily or history XML format")
    load.add_argument("file", type=Path, metavar="FILE")
    load.add_argument("--json", action="store_true", help="print one JSON object")
    listing = actions.add_parser("rates", help="list the rates in force now")
    listing.add_argument("--json", action="store_true", help="print one JSON list")


def read_bounded(path: Path, max_bytes: int = MAX_ECB_DOCUMENT_BYTES) -> bytes:
    """The file's bytes, reading at most one byte past the bound (the parser then refuses it by size)."""
    with path.open("rb") as handle:
        return handle.read(max_bytes + 1)


async def _import(settings: Settings, document: bytes) -> EcbImport:
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine).begin() as session:
            return await import_ecb(session, ACTOR, document)
    finally:
        await engine.dispose()


async def _rates(settings: Settings) -> list[FxRate]:
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            return await rates(session)
    finally:
        await engine.dispose()


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        if args.action == "import":
            _print_import(asyncio.run(_import(settings, read_bounded(args.file))), args.json)
        else:
            _print_rates(asyncio.run(_rates(settings)), args.json)
    except (MoneyError, OSError) as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 1
    return 0


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
