"""The background sync of `hub serve`: each partner on its own task and interval, so a slow or endless partner
never delays another; partners added later are picked up; stopping it leaves no partner RUNNING."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from connectors.limits import ConnectorLimits
from hub.app import Hub
from hub.catalogue.institutions import add_institution
from hub.harvest.schedule import sync_forever
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import serve_app
from tests.connectors.hostile.oai import OaiRepository, dc_record
from tests.connectors.hostile.relics import RelicsPartner, relic
from tests.connectors.hostile.server import EndlessBody
from tests.hub.harvest.partners import live_source_ids, partner_of, sync_state

INTERVAL = 0.05


@contextlib.asynccontextmanager
async def background(hub: Hub) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(sync_forever(hub.sync, interval=INTERVAL))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def runs(hub: Hub, code: str, outcome: str = "ok") -> float:
    value = hub.metrics.registry.get_sample_value("hub_sync_runs_total", {"partner": code, "outcome": outcome})
    return value or 0.0


async def test_background_sync_repeats_every_interval(hub: Hub) -> None:
    sandbox = CreccSandbox()
    server = await serve_app(sandbox.make_app())
    hub.sync.partner_urls["CRECC"] = server.url
    try:
        async with background(hub), asyncio.timeout(10):
            while len(await live_source_ids(hub, "CRECC")) == 0:
                await asyncio.sleep(0.02)
            sandbox.store.delete(next(obj.id for obj in sandbox.store.ordered() if not obj.deleted))
            while len(await live_source_ids(hub, "CRECC")) == 27:
                await asyncio.sleep(0.02)
    finally:
        await server.close()
    assert len(await live_source_ids(hub, "CRECC")) == 26


async def test_slow_partner_does_not_delay_another_and_stopping_leaves_it_interrupted(hub: Hub) -> None:
    hub.sync.limits = ConnectorLimits(max_seconds=60)
    drip = EndlessBody(b'{"items": [', b" ", interval=0.05)  # a page that never ends
    repository = OaiRepository([dc_record("oai:nlc:1", "2025-04-01T00:00:00Z")])
    async with (
        partner_of(hub, "CRECC", drip.make_app()),
        partner_of(hub, "NLC", repository.make_app()),
        background(hub),
        asyncio.timeout(20),
    ):
        while runs(hub, "NLC") < 5:
            await asyncio.sleep(0.02)
        assert (await sync_state(hub, "CRECC")).status == "RUNNING"
        assert drip.requests == 1 and runs(hub, "CRECC") == runs(hub, "CRECC", "failed") == 0
    assert await live_source_ids(hub, "NLC") == {"oai:nlc:1"}
    crecc = await sync_state(hub, "CRECC")
    assert crecc.status == "FAILED" and crecc.last_error is not None
    assert crecc.last_error.startswith("CRECC: interrupted: the harvest stopped without finishing")


async def test_partner_added_while_serving_is_harvested_at_the_next_scan(hub: Hub) -> None:
    partner = RelicsPartner([relic("MN-1"), relic("MN-2")])
    async with partner_of(hub, "MNAA", partner.make_app()), background(hub):
        await asyncio.sleep(INTERVAL * 3)
        async with hub.sessions.begin() as session:
            await add_institution(session, "MNAA", "Musée Guimet", "FR", "fr", "relics-json")
        async with asyncio.timeout(10):
            while runs(hub, "MNAA") < 1:
                await asyncio.sleep(0.02)
    assert await live_source_ids(hub, "MNAA") == {"MN-1", "MN-2"}


async def test_partner_left_running_is_recovered_when_nobody_holds_its_lock(hub: Hub) -> None:
    code = "CRECC"
    hub.sync.limits = ConnectorLimits(max_seconds=60)
    drip = EndlessBody(b'{"items": [', b" ", interval=0.05)
    async with partner_of(hub, code, drip.make_app()):
        harvest = asyncio.create_task(hub.sync.sync_partner(code))
        async with asyncio.timeout(10):
            while drip.requests == 0:
                await asyncio.sleep(0.02)
        assert await hub.sync.recover_interrupted() == []  # it is harvesting: RUNNING is true
        assert (await sync_state(hub, code)).status == "RUNNING"
        harvest.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await harvest
    assert (await sync_state(hub, code)).status == "FAILED"  # the cancelled run said so itself

    async with hub.sessions.begin() as session:  # as a process killed mid-harvest leaves it
        (await session.merge(await sync_state(hub, code))).status = "RUNNING"
    assert await hub.sync.recover_interrupted() == [code]
    state = await sync_state(hub, code)
    assert state.status == "FAILED" and state.last_error is not None and "interrupted" in state.last_error
    assert await hub.sync.recover_interrupted() == []
