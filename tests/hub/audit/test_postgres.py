"""On PostgreSQL (many hub processes on one database): concurrent appenders leave no gap and no fork, concurrent
checkpoint makers agree, and the database itself refuses to change or delete what the log holds."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from hub.app import Hub
from hub.audit.log import append_entry
from hub.audit.models import AuditCheckpoint, AuditEntry
from hub.audit.verify import verify_log

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("HUB_TEST_DATABASE_URL"), reason="concurrent writers need PostgreSQL"),
]

WRITERS = 24
APPENDS_EACH = 10


@pytest.fixture
async def replica(hub: Hub) -> AsyncIterator[Hub]:
    """A second hub process on the same database (its own engine and connections)."""
    other = Hub.create(hub.settings)
    yield other
    await other.close()


class Abandoned(Exception):
    pass


async def append_many(hub: Hub, writer: int) -> None:
    for n in range(APPENDS_EACH):
        try:
            async with hub.sessions.begin() as session:
                await append_entry(session, f"writer-{writer}", "test.appended", f"n:{n}", ["CN"], {"w": writer})
                if n % 4 == 3:  # every fourth transaction rolls back after appending: its seq is not lost
                    raise Abandoned
        except Abandoned:
            pass


async def test_audit_concurrent_appenders_leave_no_gap_and_no_fork(hub: Hub, replica: Hub) -> None:
    hubs = [hub, replica]

    async def checkpoints() -> None:
        for _ in range(8):
            await hubs[_ % 2].checkpoints.checkpoint_now()
            await asyncio.sleep(0.01)

    await asyncio.gather(*(append_many(hubs[w % 2], w) for w in range(WRITERS)), checkpoints())
    await hub.checkpoints.checkpoint_now()
    kept = WRITERS * (APPENDS_EACH - APPENDS_EACH // 4)
    async with hub.sessions() as session:
        seqs = list(await session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)))
        forks = await session.scalar(
            select(func.count()).select_from(
                select(AuditEntry.prev_hash).group_by(AuditEntry.prev_hash).having(func.count() > 1).subquery()
            )
        )
        report = await verify_log(session)
        sizes = list(await session.scalars(select(AuditCheckpoint.tree_size)))
    assert seqs == list(range(1, kept + 1))
    assert forks == 0
    assert report.ok and report.entries == kept and report.checkpoints == len(sizes) >= 2
    assert max(sizes) == kept


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entries SET payload = '{}' WHERE seq = 1",
        "DELETE FROM audit_entries WHERE seq = 2",
        "UPDATE audit_checkpoints SET root_hash = 'ab' WHERE tree_size = 2",
        "DELETE FROM audit_tree_nodes",
        "DELETE FROM audit_entry_jurisdictions WHERE seq = 1",
    ],
)
async def test_audit_tables_refuse_update_and_delete_on_postgres(hub: Hub, statement: str) -> None:
    for n in range(2):
        async with hub.sessions.begin() as session:
            await append_entry(session, "nlc-app", "test.appended", f"n:{n}", ["CN"], {"n": n})
    assert await hub.checkpoints.checkpoint_now() is not None
    table = statement.split()[1 if statement.startswith("UPDATE") else 2]
    with pytest.raises(DBAPIError, match=f"the audit log is append-only: .* on {table} refused"):
        async with hub.sessions.begin() as session:
            await session.execute(text(statement))
    async with hub.sessions() as session:
        assert (await verify_log(session)).ok
