"""`hub clients create|list|revoke`: OAuth clients of partners and regulators."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from hub.auth.clients import ClientRecord, create_client, list_clients, revoke_client
from hub.cli.command import database, print_json, print_rows, run
from hub.settings import Settings


def add_parser(commands: Any) -> None:
    clients = commands.add_parser("clients", help="register, list and revoke OAuth clients")
    clients.set_defaults(migrate_first=True)
    actions = clients.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="register a client; prints its id and secret as JSON")
    create.add_argument("--name", required=True)
    create.add_argument("--scopes", default="", help='space-separated, like "trade:read trade:write"')
    create.add_argument("--institution", metavar="CODE")
    create.add_argument("--jurisdiction", metavar="CC")
    create.add_argument("--jwks", type=Path, metavar="FILE", help="public JWK set: private_key_jwt, no secret")
    create.set_defaults(handler=create_command)
    listing = actions.add_parser("list", help="list clients")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_command)
    revoke = actions.add_parser("revoke", help="refuse the client and its tokens from now on")
    revoke.add_argument("client_id")
    revoke.set_defaults(handler=revoke_command)


def create_command(args: argparse.Namespace, settings: Settings) -> int:
    async def create() -> int:
        jwks = json.loads(args.jwks.read_text()) if args.jwks else None
        async with database(settings) as sessions, sessions.begin() as session:
            new = await create_client(session, args.name, args.scopes, args.institution, args.jurisdiction, jwks)
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
        "revoked": client.revoked,
    }


def list_command(args: argparse.Namespace, settings: Settings) -> int:
    async def listing() -> int:
        async with database(settings) as sessions, sessions() as session:
            records = await list_clients(session)
        print_rows([_listed(client) for client in records], args.json)
        return 0

    return run(listing())


def revoke_command(args: argparse.Namespace, settings: Settings) -> int:
    async def revoke() -> int:
        async with database(settings) as sessions, sessions.begin() as session:
            await revoke_client(session, args.client_id)
        print(f"revoked {args.client_id}")
        return 0

    return run(revoke())
