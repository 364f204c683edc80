"""`hub audit verify [--json]`: recompute the audit log's hash chain and say whether it holds."""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from hub.audit import ChainReport, verify_chain
from hub.db import create_engine, session_factory
from hub.settings import Settings


def add_parser(commands: Any) -> None:
    audit = commands.add_parser("audit", help="check the audit trail")
    actions = audit.add_subparsers(dest="action", required=True)
    verify = actions.add_parser("verify", help="recompute the hash chain; exit 0 only when it holds")
    verify.add_argument("--json", action="store_true", help="print one JSON object")


async def check(database_url: str) -> ChainReport:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            return await verify_chain(session)
    finally:
        await engine.dispose()


def run(args: argparse.Namespace, settings: Settings) -> int:
    report = asyncio.run(check(settings.database_url))
    if args.json:
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "entries": report.entries,
                    "first_bad_seq": report.first_bad_seq,
                    "problem": report.problem,
                }
            )
        )
    elif report.ok:
        print(f"audit log: {report.entries} entries, hash chain holds")
    else:
        print(f"audit log: FAILED at entry {report.first_bad_seq}: {report.problem}")
    return 0 if report.ok else 1
