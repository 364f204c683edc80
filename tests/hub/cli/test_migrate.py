from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from hub.app import Hub
from hub.catalogue.models import Institution
from hub.cli.migrate import upgrade_database
from hub.db import create_engine
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


async def test_migration_0007_cuts_a_last_error_stored_before_the_bound(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
    await asyncio.to_thread(upgrade_database, url, "0004")
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            crecc = await connection.scalar(text("SELECT id FROM institutions WHERE code = 'CRECC'"))
            await connection.execute(
                text("INSERT INTO sync_states (institution_id, status, last_error) VALUES (:id, 'FAILED', :error)"),
                {"id": crecc, "error": "CRECC: bad page token " + "T" * 500_000},
            )
        await asyncio.to_thread(upgrade_database, url)
        async with engine.connect() as connection:
            error = await connection.scalar(text("SELECT last_error FROM sync_states"))
    finally:
        await engine.dispose()
    assert error is not None and len(error) == 2000
    assert error.startswith("CRECC: bad page token TTT") and error.endswith("T…")
