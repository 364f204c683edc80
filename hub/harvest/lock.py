"""One harvest of a partner at a time, across every hub process sharing the database.

PostgreSQL: a session-level advisory lock, held on its own connection for the length of the harvest. SQLite
(one machine): an exclusive `flock` on a file beside the database. Either is released by the operating system or
the database when the process holding it dies, so a lock that can be taken means nobody is harvesting that
partner: a RUNNING state found then was left by a harvest that died (see `SyncService.recover_interrupted`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import zlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

_held: set[tuple[str, str]] = set()
"""(database, partner) harvested by this process: its locks do not exclude the process itself."""


def lock_key(partner: str) -> int:
    return zlib.crc32(f"hub-harvest:{partner}".encode())


def lock_file(database: str, partner: str) -> Path:
    """The lock file of `partner` beside the SQLite database file `database`."""
    return Path(f"{database}.harvest-{re.sub(r'[^A-Za-z0-9_-]', '_', partner)}.lock")


@contextlib.asynccontextmanager
async def harvest_lock(engine: AsyncEngine, partner: str) -> AsyncIterator[bool]:
    """Yields True when this process may harvest `partner` now, False when another harvest of it is running."""
    held = (engine.url.render_as_string(hide_password=True), partner)
    if held in _held:
        yield False
        return
    async with _database_lock(engine, partner) as acquired:
        if not acquired:
            yield False
            return
        _held.add(held)
        try:
            yield True
        finally:
            _held.discard(held)


@contextlib.asynccontextmanager
async def _database_lock(engine: AsyncEngine, partner: str) -> AsyncIterator[bool]:
    if engine.dialect.name == "postgresql":
        async with _advisory_lock(engine, partner) as acquired:
            yield acquired
    elif engine.url.database and engine.url.database != ":memory:":
        with _file_lock(lock_file(engine.url.database, partner)) as acquired:
            yield acquired
    else:
        yield True  # an in-memory database lives in this process only


@contextlib.asynccontextmanager
async def _advisory_lock(engine: AsyncEngine, partner: str) -> AsyncIterator[bool]:
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


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[bool]:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
        else:
            yield True
    finally:
        os.close(descriptor)  # closing the file releases its flock
