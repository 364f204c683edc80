"""`hub audit export --jurisdiction CN --from ... --to ... --format csv|jsonl [--output FILE]`: a regulator's
report of the audit log, written as it is read (to standard output unless --output names a file)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from hub.cli.command import database, run
from hub.settings import Settings


def add_export_parser(actions: Any) -> None:
    """Adds `export` to the actions of `hub audit` (hub/cli/audit.py calls it)."""
    export = actions.add_parser(
        "export",
        help="write the audit entries of one jurisdiction over a period as CSV or JSON Lines",
        description="Writes every audit entry touching the jurisdiction with a time in the period, oldest first, "
        "as it reads them. A date alone means the whole day in UTC (--from 2026-01-01 --to 2026-01-31 is "
        "January); a time without a zone is UTC. The period is at most HUB_AUDIT_EXPORT_MAX_DAYS days.",
    )
    export.add_argument("--jurisdiction", required=True, help="two-letter country code, e.g. CN")
    export.add_argument("--from", dest="start", required=True, help="first day (or time) of the period")
    export.add_argument("--to", dest="end", required=True, help="last day (or the end time, excluded)")
    export.add_argument("--format", choices=("csv", "jsonl"), default="csv", help="CSV with a header, or JSON Lines")
    export.add_argument("--output", type=Path, help="file to write (default: standard output)")
    export.set_defaults(handler=export_command, migrate_first=True)


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    return run(export(args, settings))


async def export(args: argparse.Namespace, settings: Settings) -> int:
    from hub.core.user_errors import InvalidArgumentError
    from hub.reports.audit_export import ExportFormat, ExportPeriod, export_lines, export_rows, operator_jurisdiction

    try:
        jurisdiction = operator_jurisdiction(args.jurisdiction)
        period = ExportPeriod.parse(args.start, args.end, settings.audit_export_max_days)
        form = ExportFormat.parse(args.format)
    except InvalidArgumentError as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2
    async with database(settings) as sessions:
        output: TextIO = sys.stdout if args.output is None else args.output.open("w", encoding="utf-8", newline="")
        try:
            async for line in export_lines(export_rows(sessions, jurisdiction, period), form):
                output.write(line)
        finally:
            if output is not sys.stdout:
                output.close()
    return 0
