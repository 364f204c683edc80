"""The database: the async engine and sessions (SQLite embedded, PostgreSQL in production) and the model base."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, MetaData, TypeDecorator, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

SessionFactory = async_sessionmaker[AsyncSession]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC without a zone (the same on SQLite and PostgreSQL) and hands back aware datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    """The base of every domain's models (`hub/<domain>/models.py`); `hub.models` imports them all."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


SQLITE_PROGRESS_STEPS = 10_000
"""SQLite virtual machine steps between two looks at a statement's clock (well under a millisecond)."""
POSTGRES_QUERY_CANCELED = "57014"


def create_engine(database_url: str, statement_timeout: float = 0, **kwargs: Any) -> AsyncEngine:
    """An engine for `database_url`; a SQLite file's folder is created, foreign keys and WAL switched on.

    `statement_timeout` (seconds, 0 for none) stops any one statement that runs longer: PostgreSQL's own
    `statement_timeout`, and on SQLite a progress handler that interrupts the statement.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": 30})
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        if statement_timeout > 0:
            _interrupt_sqlite_statements(engine, statement_timeout)
        return engine
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
        kwargs.setdefault("pool_pre_ping", True)
    if statement_timeout > 0:
        server_settings = {"statement_timeout": str(max(1, round(statement_timeout * 1000)))}
        kwargs["connect_args"] = {**kwargs.get("connect_args", {}), "server_settings": server_settings}
    return create_async_engine(url, **kwargs)


def is_statement_timeout(error: BaseException | None) -> bool:
    """Whether `error` is a statement stopped by the statement timeout."""
    if not isinstance(error, DBAPIError):
        return False
    if getattr(error.orig, "sqlstate", None) == POSTGRES_QUERY_CANCELED:
        return True
    return "interrupted" in str(error.orig)


def _interrupt_sqlite_statements(engine: AsyncEngine, seconds: float) -> None:
    """Each connection gets a progress handler (run in aiosqlite's thread) that interrupts a statement once it
    has run `seconds`; the statement's start is set before each execution."""
    from sqlalchemy.util import await_only

    def on_connect(dbapi_connection: Any, record: Any) -> None:
        started = record.info.setdefault("statement_started", [time.monotonic()])

        def over_time() -> int:
            return 1 if time.monotonic() - started[0] > seconds else 0

        await_only(dbapi_connection.driver_connection.set_progress_handler(over_time, SQLITE_PROGRESS_STEPS))

    def before_execute(connection: Any, *_args: Any) -> None:
        started = connection.connection.info.get("statement_started")
        if started is not None:
            started[0] = time.monotonic()

    event.listen(engine.sync_engine, "connect", on_connect)
    event.listen(engine.sync_engine, "before_cursor_execute", before_execute)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, expire_on_commit=False)
