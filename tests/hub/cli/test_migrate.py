from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from hub.app import Hub
from hub.catalogue.models import Institution
from hub.models import Base


async def test_migrations_match_models_without_difference(hub: Hub) -> None:
    def diff(connection: Any) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with hub.engine.connect() as connection:
        differences = await connection.run_sync(diff)
    assert differences == []


async def test_migrations_seed_the_three_partners_in_two_languages(hub: Hub) -> None:
    async with hub.sessions() as session:
        rows = {row.code: row for row in await session.scalars(select(Institution))}
    assert set(rows) >= {"NLC", "CRECC", "TWMM"}
    assert {n["lang"] for n in rows["TWMM"].names} == {"zh", "en"}
    assert rows["NLC"].country == "CN"
    assert rows["CRECC"].protocol == "relics-json"
