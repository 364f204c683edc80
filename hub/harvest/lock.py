"""One harvest of a partner at a time across every hub process sharing a PostgreSQL database.

A session-level advisory lock, held on its own connection for the length of the harvest. SQLite
serves one process (the embedded default), where the in-process lock of the sync service suffices.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import AsyncIterator

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine


def lock_key(partner: str) -> int:
    return zlib.crc32(f"hub-harvest:{partner}".encode())


@contextlib.asynccontextmanager
async def harvest_lock(engine: AsyncEngine, partner: str) -> AsyncIterator[bool]:
    """Yields True when this process may harvest `partner` now, False when another one is harvesting it."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    async with engine.connect() as connection:
        key = lock_key(partner)
        acquired = bool(await connection.scalar(select(func.pg_try_advisory_lock(key))))
        await connection.commit()
        try:
            yield acquired
        finally:
            if acquired:
                await connection.scalar(select(func.pg_advisory_unlock(key)))
                await connection.commit()
