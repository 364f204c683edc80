from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest

from hub.app import Hub
from hub.catalogue.events import CatalogueChange, ChangeKind
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import serve_app

pytestmark = pytest.mark.skipif(
    not os.environ.get("HUB_TEST_DATABASE_URL"),
    reason="the relay is PostgreSQL's LISTEN/NOTIFY; SQLite serves one process",
)


@pytest.fixture
async def replica(hub: Hub) -> AsyncIterator[Hub]:
    """A second hub process on the same database (in this one, for the test)."""
    other = Hub.create(hub.settings)
    await hub.start()
    await other.start()
    yield other
    await other.close()


async def collect(hub: Hub, count: int) -> list[CatalogueChange]:
    out: list[CatalogueChange] = []
    async for change in hub.events.subscribe():
        out.append(change)
        if len(out) == count:
            break
    return out


async def test_relay_announces_one_replicas_sync_to_the_others_subscribers(hub: Hub, replica: Hub) -> None:
    sandbox = CreccSandbox()
    server = await serve_app(sandbox.make_app())
    hub.sync.partner_urls["CRECC"] = server.url
    listener = asyncio.create_task(collect(replica, 27))
    while replica.events.subscriber_count == 0:
        await asyncio.sleep(0.01)
    generation = replica.events.generation
    try:
        result = await hub.sync.sync_partner("CRECC")
        assert result.ok
        received = await asyncio.wait_for(listener, timeout=10)
    finally:
        await server.close()
    assert sorted(c.item_id for c in received) == sorted(result.changes.added)
    assert {(c.kind, c.institution) for c in received} == {(ChangeKind.ADDED, "CRECC")}
    assert replica.events.generation > generation  # its response cache is cleared too


async def test_relay_does_not_echo_a_replicas_own_changes(hub: Hub, replica: Hub) -> None:
    sandbox = CreccSandbox()
    server = await serve_app(sandbox.make_app())
    hub.sync.partner_urls["CRECC"] = server.url
    seen: list[CatalogueChange] = []

    async def count_own() -> None:
        async for change in hub.events.subscribe():
            seen.append(change)

    task = asyncio.create_task(count_own())
    while hub.events.subscriber_count == 0:
        await asyncio.sleep(0.01)
    try:
        result = await hub.sync.sync_partner("CRECC")
        await asyncio.sleep(0.3)  # time for any echo to come back over NOTIFY
    finally:
        task.cancel()
        await server.close()
    assert result.changes.added
    assert len(seen) == len(result.changes.added)
