"""`hub audit verify [--json]`: recompute the audit log's hash chain and say whether it holds."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING, Any

from hub.cli.command import database, print_json
from hub.settings import Settings

if TYPE_CHECKING:
    from hub.audit.verify import ChainReport


def add_parser(commands: Any) -> None:
    audit = commands.add_parser(
        "audit", help="check the audit trail", description="The hash-chained audit log of every state change."
    )
    audit.set_defaults(migrate_first=True)
    actions = audit.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify",
        help="recompute the hash chain; exit 0 only when it holds",
        description="Recomputes every entry's hash from its content and the hash before it; exit status 0 "
        "only when the chain holds, otherwise 1, naming the first bad entry.",
    )
    verify.add_argument("--json", action="store_true", help="print one JSON object instead of a sentence")
    verify.set_defaults(handler=verify_command)


async def check(settings: Settings) -> ChainReport:
    from hub.audit.verify import verify_chain

    async with database(settings) as sessions, sessions() as session:
        return await verify_chain(session)


def verify_command(args: argparse.Namespace, settings: Settings) -> int:
    report = asyncio.run(check(settings))
    if args.json:
        print_json(
            {
                "ok": report.ok,
                "entries": report.entries,
                "first_bad_seq": report.first_bad_seq,
                "problem": report.problem,
            }
        )
    elif report.ok:
        print(f"audit log: {report.entries} entries, hash chain holds")
    else:
        print(f"audit log: FAILED at entry {report.first_bad_seq}: {report.problem}")
    return 0 if report.ok else 1
