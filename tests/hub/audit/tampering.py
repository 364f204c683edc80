"""Test support: changing the audit tables behind the hub's back, as someone with the database's superuser would
(on PostgreSQL the append-only triggers are switched off for the transaction, as they are for a replica)."""

from __future__ import annotations

from sqlalchemy import text

from hub.app import Hub


async def tamper(hub: Hub, *statements: str) -> None:
    async with hub.sessions.begin() as session:
        if (await session.connection()).dialect.name == "postgresql":
            await session.execute(text("SET LOCAL session_replication_role = replica"))
        for statement in statements:
            await session.execute(text(statement))
