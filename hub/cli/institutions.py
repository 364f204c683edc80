"""`hub institutions add|list`: register and list institutions."""

from __future__ import annotations

import argparse
from typing import Any

from hub.cli.command import database, print_json, print_table, run
from hub.cli.parser import add_json_option
from hub.harvest.partners import PROTOCOLS
from hub.settings import Settings


def add_parser(commands: Any) -> None:
    institutions = commands.add_parser(
        "institutions",
        help="register and list institutions",
        description="Institutions: the partners the hub harvests, and institutions that push their items or trade.",
    )
    institutions.set_defaults(migrate_first=True)
    actions = institutions.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add",
        help="register an institution (a museum that buys, a new partner)",
        description="Registers an institution and prints it as JSON. With --protocol it is a partner the hub "
        "harvests from the URL in HUB_PARTNER_<CODE>_URL; without, it pushes its items or only trades.",
    )
    add.add_argument("code", metavar="CODE", help="a short code in letters and digits, like MNAA")
    add.add_argument("--name", required=True, help="the institution's name (required)")
    add.add_argument("--country", required=True, help="ISO 3166 code, like FR (required)")
    add.add_argument("--lang", default="und", help="language of the name (BCP 47; und: not given)")
    add.add_argument(
        "--protocol",
        choices=sorted(PROTOCOLS),
        help="connector protocol of a partner the hub harvests, its URL in HUB_PARTNER_<CODE>_URL "
        "(default: none, not harvested)",
    )
    add.set_defaults(handler=add_command)
    listing = actions.add_parser(
        "list", help="list institutions", description="Lists institutions in the order they were registered."
    )
    add_json_option(listing)
    listing.set_defaults(handler=list_command)


def add_command(args: argparse.Namespace, settings: Settings) -> int:
    from hub.catalogue.institutions import add_institution

    async def add() -> int:
        async with database(settings) as sessions, sessions.begin() as session:
            row = await add_institution(session, args.code, args.name, args.country, args.lang, args.protocol)
            print_json({"code": row.code, "country": row.country, "names": row.names, "protocol": row.protocol})
        return 0

    return run(add())


def list_command(args: argparse.Namespace, settings: Settings) -> int:
    from hub.catalogue.institutions import list_institutions

    async def listing() -> int:
        async with database(settings) as sessions, sessions() as session:
            rows = await list_institutions(session)
        listed = [
            {"code": r.code, "name": r.names[0]["value"], "country": r.country, "protocol": r.protocol} for r in rows
        ]
        print_table(listed, args.json)
        return 0

    return run(listing())
