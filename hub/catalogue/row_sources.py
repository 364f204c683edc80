"""Where the compiled reads run their statements: the database driver's own connections, without the ORM.

A page is one read-only statement, so a connection keeps no state between uses: PostgreSQL's come from an
asyncpg pool that does not reset them on release (no round trip), SQLite's is one aiosqlite connection of the
reader's (every statement in its own implicit read transaction; WAL lets it read beside the writers).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

import aiosqlite
import asyncpg
import orjson
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.dialects.sqlite.aiosqlite import dialect as aiosqlite_dialect
from sqlalchemy.engine import URL, Dialect, make_url

from hub.db import SQLITE_PROGRESS_STEPS

POOL_SIZE = 10
"""PostgreSQL connections of the compiled reads per process, beside the engine's own pool."""

POSTGRES_IMAGES = (
    "SELECT item_id, manifest_url, image_url, label FROM item_images"
    " WHERE item_id = ANY($1::integer[]) ORDER BY item_id, position"
)
SQLITE_IMAGES = (
    "SELECT item_id, manifest_url, image_url, label FROM item_images"
    " WHERE item_id IN (SELECT value FROM json_each(?)) ORDER BY item_id, position"
)


async def _keep(_connection: asyncpg.Connection) -> None:
    """No reset on release: a connection that only ran single read statements holds no session state."""


class PostgresRows:
    dialect: Dialect = asyncpg_dialect()  # type: ignore[no-untyped-call]

    def __init__(self, url: URL, statement_timeout: float = 0) -> None:
        self.dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.statement_timeout = statement_timeout
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    async def _connections(self) -> asyncpg.Pool:
        async with self._opening:
            if self._pool is None:
                settings = {}
                if self.statement_timeout > 0:  # the same bound as the engine's (hub.db.create_engine)
                    settings["statement_timeout"] = str(max(1, round(self.statement_timeout * 1000)))
                self._pool = await asyncpg.create_pool(
                    self.dsn, min_size=1, max_size=POOL_SIZE, reset=_keep, server_settings=settings
                )
        return self._pool

    async def fetch(self, sql: str, args: Sequence[Any]) -> list[Sequence[Any]]:
        pool = self._pool or await self._connections()
        async with pool.acquire() as connection:
            rows: list[Sequence[Any]] = await connection.fetch(sql, *args)
        return rows

    async def fetch_images(self, item_ids: list[int]) -> list[Sequence[Any]]:
        return await self.fetch(POSTGRES_IMAGES, [item_ids])

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None


class SqliteRows:
    dialect: Dialect = aiosqlite_dialect(paramstyle="qmark")

    def __init__(self, path: str, statement_timeout: float = 0) -> None:
        self.path = path
        self.statement_timeout = statement_timeout
        self._connection: aiosqlite.Connection | None = None
        self._opening = asyncio.Lock()
        self._started = time.monotonic()

    async def _open(self) -> aiosqlite.Connection:
        async with self._opening:
            if self._connection is None:
                connection = await aiosqlite.connect(self.path, timeout=30)
                if self.statement_timeout > 0:  # the same bound as the engine's (hub.db.create_engine)
                    await connection.set_progress_handler(self._over_time, SQLITE_PROGRESS_STEPS)
                self._connection = connection
        return self._connection

    def _over_time(self) -> int:
        return 1 if time.monotonic() - self._started > self.statement_timeout else 0

    async def fetch(self, sql: str, args: Sequence[Any]) -> list[Sequence[Any]]:
        connection = self._connection or await self._open()
        self._started = time.monotonic()  # statements on the one connection run one after another
        return list(await connection.execute_fetchall(sql, args))

    async def fetch_images(self, item_ids: list[int]) -> list[Sequence[Any]]:
        return await self.fetch(SQLITE_IMAGES, [orjson.dumps(item_ids).decode()])

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None


def row_source(database_url: str, statement_timeout: float = 0) -> PostgresRows | SqliteRows | None:
    """The row source of a database; None where the compiled reads cannot open their own connection
    (an in-memory SQLite database is private to the engine's connection)."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "postgresql" and url.get_driver_name() == "asyncpg":
        return PostgresRows(url, statement_timeout)
    if backend == "sqlite" and url.database and url.database != ":memory:" and not url.query.get("uri"):
        return SqliteRows(url.database, statement_timeout)
    return None
