"""Every row of every table, to show that a refused request changed nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hub.app import Hub
from hub.models import Base

TableRows = dict[str, list[tuple[Any, ...]]]


async def table_snapshot(hub: Hub) -> TableRows:
    """Each table's rows as tuples, sorted (their order in the database does not matter)."""
    snapshot: TableRows = {}
    async with hub.sessions() as session:
        for table in Base.metadata.sorted_tables:
            rows = (await session.execute(select(table))).all()
            snapshot[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return snapshot


def changed_tables(before: TableRows, after: TableRows) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]
