"""Create or drop a PostgreSQL database for one CI run: `pg_database.py create|drop ADMIN_URL NAME`."""

from __future__ import annotations

import asyncio
import re
import sys

import asyncpg


async def main(action: str, admin_url: str, name: str) -> int:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        print(f"bad database name {name!r}", file=sys.stderr)
        return 2
    try:
        connection = await asyncpg.connect(admin_url, timeout=10)
    except (OSError, asyncpg.PostgresError) as exc:
        print(f"cannot connect to {admin_url}: {exc}", file=sys.stderr)
        return 1
    try:
        if action == "create":
            await connection.execute(f'CREATE DATABASE "{name}"')
        else:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(*sys.argv[1:4])))
