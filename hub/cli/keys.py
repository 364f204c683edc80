"""`hub keys rotate`: sign tokens with a new key."""

from __future__ import annotations

import argparse
from typing import Any

from hub.cli.command import database, print_json, run
from hub.settings import Settings


def add_parser(commands: Any) -> None:
    keys = commands.add_parser(
        "keys", help="token signing keys", description="The keys the hub signs its access tokens with."
    )
    keys.set_defaults(migrate_first=True)
    rotate = keys.add_subparsers(dest="action", required=True, metavar="ACTION").add_parser(
        "rotate",
        help="sign with a new key; the old one stays published until its tokens expire",
        description="Adds a new signing key and prints its kid as JSON; tokens signed with the old key stay "
        "valid until they expire (the old key stays in /.well-known/jwks.json until then).",
    )
    rotate.set_defaults(handler=rotate_command)


def rotate_command(_args: argparse.Namespace, settings: Settings) -> int:
    from hub.auth.keys import SigningKeys

    async def rotate() -> int:
        async with database(settings) as sessions:
            kid = await SigningKeys(sessions, settings.token_lifetime).rotate()
        print_json({"kid": kid})
        return 0

    return run(rotate())
