"""`hub clients create|list|revoke`: OAuth clients of partners and regulators."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hub.auth.scopes import SCOPES
from hub.cli.command import database, print_json, print_table, print_warning, run
from hub.cli.parser import add_json_option
from hub.settings import Settings

if TYPE_CHECKING:
    from hub.auth.clients import ClientRecord


def add_parser(commands: Any) -> None:
    clients = commands.add_parser(
        "clients",
        help="register, list and revoke OAuth clients",
        description="OAuth clients of partners, apps and regulators: they fetch tokens at /oauth/token with the "
        "client credentials grant.",
    )
    clients.set_defaults(migrate_first=True)
    actions = clients.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser(
        "create",
        help="register a client; prints its id and secret as one JSON object",
        description='Registers a client and prints {"client_id": ..., "client_secret": ...} on stdout: the '
        "secret is shown this once only (the hub keeps a hash). Scopes bound to an institution "
        "(catalogue:write, trade:*) need --institution, those bound to a jurisdiction (licence:issue, "
        "customs:clear, audit:read) need --jurisdiction.",
    )
    create.add_argument("--name", required=True, help="a name for people (required); another client's name warns")
    create.add_argument(
        "--scopes",
        default="",
        help=f'space-separated, like "trade:read trade:write" (default: none); known: {" ".join(SCOPES)}',
    )
    create.add_argument("--institution", metavar="CODE", help="the institution the client acts for (default: none)")
    create.add_argument(
        "--jurisdiction", metavar="CC", help="the jurisdiction (ISO 3166 code) of a regulator (default: none)"
    )
    create.add_argument(
        "--jwks",
        type=Path,
        metavar="FILE",
        help="a public JWK set: the client authenticates with private_key_jwt and gets no secret (default: none)",
    )
    create.set_defaults(handler=create_command)
    listing = actions.add_parser("list", help="list clients (never their secrets)", description="Lists clients.")
    add_json_option(listing)
    listing.set_defaults(handler=list_command)
    revoke = actions.add_parser(
        "revoke",
        help="refuse the client and its tokens from now on",
        description="Revokes a client: its tokens stop working at once and it gets no new ones.",
    )
    revoke.add_argument("client_id", metavar="CLIENT_ID", help="as `hub clients list` shows it")
    revoke.set_defaults(handler=revoke_command)


def create_command(args: argparse.Namespace, settings: Settings) -> int:
    from hub.auth.clients import create_client, list_clients

    async def create() -> int:
        jwks = json.loads(args.jwks.read_text()) if args.jwks else None
        async with database(settings) as sessions, sessions.begin() as session:
            namesakes = [client for client in await list_clients(session) if client.name == args.name]
            new = await create_client(session, args.name, args.scopes, args.institution, args.jurisdiction, jwks)
        for namesake in namesakes:
            state = "revoked" if namesake.revoked else "active"
            print_warning(
                f"a client named {args.name!r} exists already ({state}, client_id {namesake.client_id}); "
                f"the new one has its own id"
            )
        print_json({"client_id": new.client_id, "client_secret": new.client_secret})
        return 0

    return run(create())


def _listed(client: ClientRecord) -> dict[str, Any]:
    return {
        "client_id": client.client_id,
        "name": client.name,
        "scopes": " ".join(client.scopes),
        "institution": client.institution,
        "jurisdiction": client.jurisdiction,
        "auth": "private_key_jwt" if client.jwks is not None else "client_secret",
        "status": "revoked" if client.revoked else "active",
        "revoked": client.revoked,
    }


def list_command(args: argparse.Namespace, settings: Settings) -> int:
    from hub.auth.clients import list_clients

    async def listing() -> int:
        async with database(settings) as sessions, sessions() as session:
            records = await list_clients(session)
        rows = [_listed(client) for client in records]
        if not args.json:  # the table says it in its status column
            for row in rows:
                del row["revoked"]
        print_table(rows, args.json, empty="(no clients: add one with `hub clients create`)")
        return 0

    return run(listing())


def revoke_command(args: argparse.Namespace, settings: Settings) -> int:
    from hub.auth.clients import revoke_client

    async def revoke() -> int:
        async with database(settings) as sessions, sessions.begin() as session:
            await revoke_client(session, args.client_id)
        print(f"revoked {args.client_id}")
        return 0

    return run(revoke())
