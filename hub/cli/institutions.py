"""`hub institutions add|list`: register and list institutions."""

from __future__ import annotations

import argparse
from typing import Any

from hub.catalogue.institutions import add_institution, list_institutions
from hub.cli.command import database, print_json, print_rows, run
from hub.harvest.partners import PROTOCOLS
from hub.settings import Settings


def add_parser(commands: Any) -> None:
    institutions = commands.add_parser("institutions", help="register and list institutions")
    institutions.set_defaults(migrate_first=True)
    actions = institutions.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="register an institution (a museum that buys, a new partner)")
    add.add_argument("code", metavar="CODE")
    add.add_argument("--name", required=True)
    add.add_argument("--country", required=True, help="ISO 3166 code, like FR")
    add.add_argument("--lang", default="und", help="language of the name (BCP 47)")
    add.add_argument(
        "--protocol",
        choices=sorted(PROTOCOLS),
        help="connector protocol of a partner the hub harvests (its URL: HUB_PARTNER_<CODE>_URL)",
    )
    add.set_defaults(handler=add_command)
    listing = actions.add_parser("list", help="list institutions")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_command)


def add_command(args: argparse.Namespace, settings: Settings) -> int:
    async def add() -> int:
        async with database(settings) as sessions, sessions.begin() as session:
            row = await add_institution(session, args.code, args.name, args.country, args.lang, args.protocol)
            print_json({"code": row.code, "country": row.country, "names": row.names, "protocol": row.protocol})
        return 0

    return run(add())


def list_command(args: argparse.Namespace, settings: Settings) -> int:
    async def listing() -> int:
        async with database(settings) as sessions, sessions() as session:
            rows = await list_institutions(session)
        print_rows([{"code": r.code, "country": r.country, "name": r.names[0]["value"]} for r in rows], args.json)
        return 0

    return run(listing())
