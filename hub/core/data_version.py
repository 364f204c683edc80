"""A token that changes whenever any process commits a change to the database: what cached answers check.

SQLite has no LISTEN/NOTIFY, but `PRAGMA data_version` on one connection changes whenever another connection
(of this process or any other) commits. The token is read on a dedicated connection that never writes, with
the sqlite3 module directly: the pragma reads a counter in shared memory (microseconds), cheaper than a hop to a
worker thread. On PostgreSQL the token is the WAL position, which every commit moves (so do other databases of
the cluster and maintenance: those only cost a cache miss), read on a dedicated connection of an engine of its
own (it takes no slot of the hub's pool); concurrent readers share one read.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import uuid

from sqlalchemy import NullPool, make_url, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hub.db import create_engine

log = logging.getLogger(__name__)

POSTGRES_VERSION = (
    "SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text"
)


class DataVersion:
    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        self._sqlite_path = url.database if url.get_backend_name() == "sqlite" else None
        self._sqlite: sqlite3.Connection | None = None
        self._engine: AsyncEngine | None = None
        if self._sqlite_path is None:
            self._engine = create_engine(database_url, poolclass=NullPool)
        self._connection: AsyncConnection | None = None
        self._reading: asyncio.Future[str] | None = None

    async def current(self) -> str:
        """The token now; a token never seen before when the database cannot be read (nothing cached matches)."""
        if self._sqlite_path is not None:
            return self._sqlite_version()
        if self._reading is None:
            self._reading = asyncio.ensure_future(self._postgres_version())
            self._reading.add_done_callback(self._forget)
        return await asyncio.shield(self._reading)

    def _sqlite_version(self) -> str:
        try:
            if self._sqlite is None:
                self._sqlite = sqlite3.connect(self._sqlite_path or "", timeout=0, isolation_level=None)
            return f"sqlite:{self._sqlite.execute('PRAGMA data_version').fetchone()[0]}"
        except sqlite3.Error as exc:
            log.warning("could not read the data version: %s", exc)
            self._close_sqlite()
            return uuid.uuid4().hex

    def _forget(self, reading: asyncio.Future[str]) -> None:
        if self._reading is reading:
            self._reading = None

    async def _postgres_version(self) -> str:
        assert self._engine is not None
        try:
            if self._connection is None:
                connection = await self._engine.connect()
                self._connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            return str(await self._connection.scalar(text(POSTGRES_VERSION)))
        except Exception as exc:  # the database is unreachable: answers are not served from cache meanwhile
            log.warning("could not read the data version: %s", exc)
            await self._close_connection()
            return uuid.uuid4().hex

    async def close(self) -> None:
        self._close_sqlite()
        await self._close_connection()
        if self._engine is not None:
            await self._engine.dispose()

    def _close_sqlite(self) -> None:
        connection, self._sqlite = self._sqlite, None
        if connection is not None:
            connection.close()

    async def _close_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.close()
            except Exception as exc:  # closing a broken connection: nothing more to do
                log.debug("closing the data version connection: %s", exc)
