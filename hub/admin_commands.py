"""Operator commands: `hub institutions add|list`, `hub clients create|list|revoke`, `hub keys rotate`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from hub.auth.clients import ClientError, create_client, list_clients, revoke_client
from hub.auth.keys import SigningKeys
from hub.db import create_engine, session_factory
from hub.institutions import InstitutionError, add_institution, list_institutions
from hub.partners import PROTOCOLS
from hub.settings import Settings

COMMANDS = frozenset({"institutions", "clients", "keys"})


def add_parsers(commands: Any) -> None:
    """Adds the operator commands to the `hub` parser's subcommands."""
    institutions = commands.add_parser("institutions", help="register and list institutions")
    inst = institutions.add_subparsers(dest="action", required=True)
    add = inst.add_parser("add", help="register an institution (a museum that buys, a new partner)")
    add.add_argument("code", metavar="CODE")
    add.add_argument("--name", required=True)
    add.add_argument("--country", required=True, help="ISO 3166 code, like FR")
    add.add_argument("--lang", default="und", help="language of the name (BCP 47)")
    add.add_argument(
        "--protocol",
        choices=sorted(PROTOCOLS),
        help="connector protocol of a partner the hub harvests (its URL: HUB_PARTNER_<CODE>_URL)",
    )
    inst.add_parser("list", help="list institutions").add_argument("--json", action="store_true")

    clients = commands.add_parser("clients", help="register, list and revoke OAuth clients")
    cli = clients.add_subparsers(dest="action", required=True)
    create = cli.add_parser("create", help="register a client; prints its id and secret as JSON")
    create.add_argument("--name", required=True)
    create.add_argument("--scopes", default="", help='space-separated, like "trade:read trade:write"')
    create.add_argument("--institution", metavar="CODE")
    create.add_argument("--jurisdiction", metavar="CC")
    create.add_argument("--jwks", type=Path, metavar="FILE", help="public JWK set: private_key_jwt, no secret")
    cli.add_parser("list", help="list clients").add_argument("--json", action="store_true")
    cli.add_parser("revoke", help="refuse the client and its tokens from now on").add_argument("client_id")

    keys = commands.add_parser("keys", help="token signing keys")
    keys.add_subparsers(dest="action", required=True).add_parser(
        "rotate", help="sign with a new key; the old one stays published until its tokens expire"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        return asyncio.run(_run(args, settings))
    except (ClientError, InstitutionError, OSError, ValueError) as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 1


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    try:
        async with sessions.begin() as session:
            if args.command == "institutions" and args.action == "add":
                row = await add_institution(session, args.code, args.name, args.country, args.lang, args.protocol)
                print(
                    json.dumps(
                        {"code": row.code, "country": row.country, "names": row.names, "protocol": row.protocol},
                        ensure_ascii=False,
                    )
                )
            elif args.command == "institutions":
                rows = await list_institutions(session)
                listed = [{"code": r.code, "country": r.country, "name": r.names[0]["value"]} for r in rows]
                _print_rows(listed, args.json)
            elif args.command == "clients" and args.action == "create":
                jwks = json.loads(args.jwks.read_text()) if args.jwks else None
                new = await create_client(session, args.name, args.scopes, args.institution, args.jurisdiction, jwks)
                created: dict[str, Any] = {"client_id": new.client_id, "client_secret": new.client_secret}
                print(json.dumps(created))
            elif args.command == "clients" and args.action == "list":
                records = await list_clients(session)
                _print_rows(
                    [
                        {
                            "client_id": c.client_id,
                            "name": c.name,
                            "scopes": " ".join(c.scopes),
                            "institution": c.institution,
                            "jurisdiction": c.jurisdiction,
                            "auth": "private_key_jwt" if c.jwks is not None else "client_secret",
                            "revoked": c.revoked,
                        }
                        for c in records
                    ],
                    args.json,
                )
            elif args.command == "clients":
                await revoke_client(session, args.client_id)
                print(f"revoked {args.client_id}")
        if args.command == "keys":
            kid = await SigningKeys(sessions, settings.token_lifetime).rotate()
            print(json.dumps({"kid": kid}))
        return 0
    finally:
        await engine.dispose()


def _print_rows(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        print("\t".join("" if value is None else str(value) for value in row.values()))
