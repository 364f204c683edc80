"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL when HUB_TEST_DATABASE_URL says so),
a hub on it, the sandbox partners on loopback, and clients of the hub's HTTP app."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.engine import URL, make_url

from hub.app import Hub
from hub.audit.log import GENESIS_HASH
from hub.audit.models import AuditChainHead
from hub.catalogue.models import Institution
from hub.cli.migrate import upgrade_database
from hub.models import Base
from hub.sandbox.runner import RunningSandboxes, start_sandboxes
from hub.settings import Settings
from hub.web.app import create_app
from tests import records
from tests.support import LiveServer, start_live_server

# Hubs the tests start (`hub serve`, `hub sync` in-process or as subprocesses) put their sandboxes on free ports,
# not on the fixed default ones: suites may run side by side. Tests of the fixed ports set their own.
os.environ.setdefault("HUB_SANDBOX_PORT", "0")

SEEDED_INSTITUTIONS = ("NLC", "CRECC", "TWMM")


def _worker_database(url: str | None) -> str | None:
    """The PostgreSQL database of this test process. Under pytest-xdist each worker gets a fresh one of its own
    beside the one given (`<name>_<worker>`), so workers never see each other's rows; it is dropped at the end."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    given = make_url(url)
    name = f"{given.database}_{worker}"
    asyncio.run(_recreate_database(given, name))
    own = given.set(database=name).render_as_string(hide_password=False)
    os.environ["HUB_TEST_DATABASE_URL"] = own  # for the subprocesses and modules that read it
    return own


async def _recreate_database(given: URL, name: str, drop_only: bool = False) -> None:
    connection = await asyncpg.connect(given.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


GIVEN_DATABASE_URL = os.environ.get("HUB_TEST_DATABASE_URL")
TEST_DATABASE_URL = _worker_database(GIVEN_DATABASE_URL)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if GIVEN_DATABASE_URL and TEST_DATABASE_URL and TEST_DATABASE_URL != GIVEN_DATABASE_URL:
        given = make_url(GIVEN_DATABASE_URL)
        asyncio.run(_recreate_database(given, str(make_url(TEST_DATABASE_URL).database), drop_only=True))


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database at `alembic upgrade head`: the PostgreSQL one given, or a SQLite template file."""
    if TEST_DATABASE_URL:
        upgrade_database(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    template = tmp_path_factory.mktemp("db") / "template.sqlite3"
    upgrade_database(f"sqlite+aiosqlite:///{template}")
    return str(template)


@pytest.fixture
def database_url(migrated_database: str, tmp_path: Path) -> Iterator[str]:
    if TEST_DATABASE_URL:
        yield migrated_database
        return
    copy = tmp_path / "hub.sqlite3"
    shutil.copy(migrated_database, copy)
    yield f"sqlite+aiosqlite:///{copy}"


async def _reset_postgres(hub: Hub) -> None:
    """Back to the migrated state: every row a test wrote is gone, the seeded partners stay. Triggers are off for
    it (as for a replica): the audit tables refuse DELETE otherwise."""
    async with hub.sessions.begin() as session:
        await session.execute(text("SET LOCAL session_replication_role = replica"))
        for table in reversed(Base.metadata.sorted_tables):
            if table.name == Institution.__tablename__:
                await session.execute(delete(table).where(table.c.code.not_in(SEEDED_INSTITUTIONS)))
            elif table.name == AuditChainHead.__tablename__:
                await session.execute(update(table).values(last_seq=0, last_hash=GENESIS_HASH))
            else:
                await session.execute(delete(table))


@pytest.fixture
async def hub(database_url: str, tmp_path: Path) -> AsyncIterator[Hub]:
    instance = Hub.create(Settings(database_url=database_url, var_dir=tmp_path / "var"))
    if TEST_DATABASE_URL:
        await _reset_postgres(instance)
    yield instance
    await instance.close()


@pytest.fixture
async def catalogue(hub: Hub) -> Hub:
    """Six known items over the three partners (see tests/records.py)."""
    await records.store(hub, "TWMM", [records.SANCAI_HORSE, records.KAIYUAN_COIN, records.HAN_MIRROR])
    await records.store(hub, "CRECC", [records.CAMEL_GROOM, records.SILVER_CUP])
    await records.store(hub, "NLC", [records.SOGDIAN_BOOK])
    return hub


@pytest.fixture
async def sandboxes(hub: Hub) -> AsyncIterator[RunningSandboxes]:
    running = await start_sandboxes(list(SEEDED_INSTITUTIONS))
    hub.partner_urls.update(running.urls)
    hub.sync.partner_urls.update(running.urls)
    yield running
    await running.close()


@pytest.fixture
async def client(hub: Hub) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(hub))
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
        yield http


@pytest.fixture
async def live_hub(hub: Hub) -> AsyncIterator[LiveServer]:
    """The hub's app served by uvicorn on a free loopback port."""
    server = await start_live_server(create_app(hub))
    yield server
    await server.stop()
