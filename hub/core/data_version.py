"""A token that changes whenever any process commits a change to the database: what cached answers check.

SQLite has no LISTEN/NOTIFY, but `PRAGMA data_version` on one connection changes whenever another connection
(of this process or any other) commits; the token is read on a dedicated connection that never writes. On
PostgreSQL the token is the WAL position, which every commit moves (and so do other databases of the cluster and
maintenance: those only cost a cache miss). Either is one cheap statement; concurrent readers share one read.
The connection comes from an engine of its own: it takes no slot of the hub's pool.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from sqlalchemy import NullPool, text
from sqlalchemy.ext.asyncio import AsyncConnection

from hub.db import create_engine

log = logging.getLogger(__name__)

SQLITE_VERSION = "PRAGMA data_version"
POSTGRES_VERSION = (
    "SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text"
)


class DataVersion:
    def __init__(self, database_url: str) -> None:
        self.engine = create_engine(database_url, poolclass=NullPool)
        self._statement = text(SQLITE_VERSION if self.engine.dialect.name == "sqlite" else POSTGRES_VERSION)
        self._connection: AsyncConnection | None = None
        self._reading: asyncio.Future[str] | None = None

    async def current(self) -> str:
        """The token now; a token never seen before when the database cannot be read (nothing cached matches)."""
        if self._reading is None:
            self._reading = asyncio.ensure_future(self._read())
            self._reading.add_done_callback(self._forget)
        return await asyncio.shield(self._reading)

    def _forget(self, reading: asyncio.Future[str]) -> None:
        if self._reading is reading:
            self._reading = None

    async def _read(self) -> str:
        try:
            if self._connection is None:
                connection = await self.engine.connect()
                self._connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            return str(await self._connection.scalar(self._statement))
        except Exception as exc:  # the database is unreachable: answers are not served from cache meanwhile
            log.warning("could not read the data version: %s", exc)
            await self._close_connection()
            return uuid.uuid4().hex

    async def close(self) -> None:
        await self._close_connection()
        await self.engine.dispose()

    async def _close_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.close()
            except Exception as exc:  # closing a broken connection: nothing more to do
                log.debug("closing the data version connection: %s", exc)
