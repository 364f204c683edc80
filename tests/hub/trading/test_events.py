from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from hub.app import Hub
from hub.auth.principal import Principal
from hub.core.user_errors import Refused
from hub.trading.events import TransferEvent
from hub.trading.states import TransferLeg, TransferStatus
from hub.trading.update_relay import notifications
from tests.hub.trading.conftest import CRECC_TRADER, LAD_TRADER, MNAA_TRADER, TWMM_TRADER, item_id, offer, sale

MNAA_READER = Principal(client_id="mnaa-feed", scopes=frozenset({"trade:read"}), institution="MNAA")
LAD_READER = Principal(client_id="lad-feed", scopes=frozenset({"trade:read"}), institution="LAD")
CUSTOMS_FR = Principal(client_id="customs-fr", scopes=frozenset({"customs:clear"}), jurisdiction="FR")

on_postgres = pytest.mark.skipif(
    not os.environ.get("HUB_TEST_DATABASE_URL"),
    reason="the relay is PostgreSQL's LISTEN/NOTIFY; SQLite serves one process",
)


async def first_updates(hub: Hub, viewer: Principal, count: int) -> asyncio.Task[list[TransferEvent]]:
    """Starts listening as `viewer` and returns the task collecting its next `count` events."""
    subscribers = hub.transfer_events.subscriber_count

    async def collect() -> list[TransferEvent]:
        out: list[TransferEvent] = []
        async for update in hub.trading.transfer_updates(viewer):
            out.append(update)
            if len(out) == count:
                break
        return out

    task = asyncio.create_task(collect())
    while hub.transfer_events.subscriber_count == subscribers:
        await asyncio.sleep(0.005)
    return task


async def sell(hub: Hub, source_id: str, seller: Principal, buyer: Principal, amount: str, currency: str) -> int:
    item = await item_id(hub, source_id)
    listing = (await hub.trading.create_listing(seller, sale(item))).listing.id
    bid = (await hub.trading.place_offer(buyer, offer(listing, amount, currency))).offer.id
    return (await hub.trading.accept_offer(seller, bid)).transfer.id


async def test_transfer_updates_reach_the_parties_and_regulators_only(market: Hub) -> None:
    buyer = await first_updates(market, MNAA_READER, 2)
    customs = await first_updates(market, CUSTOMS_FR, 2)
    outsider = await first_updates(market, LAD_READER, 1)
    horse = await sell(market, "TW-0001", TWMM_TRADER, MNAA_TRADER, "110000", "EUR")
    with pytest.raises(Refused):  # refused: rolled back, nothing announced
        await market.trading.cancel_transfer(LAD_TRADER, horse)
    await market.trading.cancel_transfer(MNAA_TRADER, horse)
    camel = await sell(market, "CR-0001", CRECC_TRADER, LAD_TRADER, "140000", "AED")
    for task in (buyer, customs):
        seen = await asyncio.wait_for(task, timeout=5)
        assert [(e.transfer_id, e.status) for e in seen] == [
            (horse, TransferStatus.AWAITING_EXPORT_LICENCE),
            (horse, TransferStatus.CANCELLED),
        ]
        assert (seen[0].seller, seen[0].buyer, seen[0].origin_country, seen[0].destination_country) == (
            "TWMM",
            "MNAA",
            "CN",
            "FR",
        )
    [first] = await asyncio.wait_for(outsider, timeout=5)  # LAD's first event is its own purchase
    assert (first.transfer_id, first.buyer) == (camel, "LAD")


async def test_transfer_updates_of_one_transfer_leave_the_others_out(market: Hub) -> None:
    horse = await sell(market, "TW-0001", TWMM_TRADER, MNAA_TRADER, "110000", "EUR")
    subscribers = market.transfer_events.subscriber_count

    async def one() -> TransferEvent:
        async for update in market.trading.transfer_updates(MNAA_READER, horse):
            return update
        raise AssertionError("the subscription ended")

    task = asyncio.create_task(one())
    while market.transfer_events.subscriber_count == subscribers:
        await asyncio.sleep(0.005)
    await sell(market, "TW-0002", TWMM_TRADER, MNAA_TRADER, "100", "EUR")
    await market.trading.cancel_transfer(TWMM_TRADER, horse)
    update = await asyncio.wait_for(task, timeout=5)
    assert (update.transfer_id, update.status) == (horse, TransferStatus.CANCELLED)


@pytest.fixture
async def replica(market: Hub) -> AsyncIterator[Hub]:
    """A second hub process on the same database (in this one, for the test)."""
    other = Hub.create(market.settings)
    await market.start()
    await other.start()
    yield other
    await other.close()


@on_postgres
@pytest.mark.postgres
async def test_transfer_updates_cross_hub_processes_on_postgresql(market: Hub, replica: Hub) -> None:
    there = await first_updates(replica, MNAA_READER, 2)
    here = await first_updates(market, MNAA_READER, 2)
    horse = await sell(market, "TW-0001", TWMM_TRADER, MNAA_TRADER, "110000", "EUR")
    await replica.trading.cancel_transfer(MNAA_TRADER, horse)
    for task in (there, here):  # each hears its own change and the other's, once
        seen = await asyncio.wait_for(task, timeout=10)
        assert [(e.transfer_id, e.status) for e in seen] == [
            (horse, TransferStatus.AWAITING_EXPORT_LICENCE),
            (horse, TransferStatus.CANCELLED),
        ]


@on_postgres
@pytest.mark.postgres
async def test_transfer_updates_reach_a_hub_again_after_its_listening_connection_is_killed(
    market: Hub, replica: Hub
) -> None:
    relay = replica.transfer_relay
    assert relay is not None
    killed = relay.listener_pid
    async with market.engine.connect() as connection:
        await connection.execute(select(func.pg_terminate_backend(killed)))
    async with asyncio.timeout(10):  # the relay reconnects on its own
        while relay.listener_pid in (None, killed):
            await asyncio.sleep(0.02)
    there = await first_updates(replica, MNAA_READER, 1)
    horse = await sell(market, "TW-0001", TWMM_TRADER, MNAA_TRADER, "110000", "EUR")
    [seen] = await asyncio.wait_for(there, timeout=10)
    assert (seen.transfer_id, seen.status) == (horse, TransferStatus.AWAITING_EXPORT_LICENCE)


def test_relay_notifications_stay_small_and_come_back_as_they_went() -> None:
    sent = [
        TransferEvent(n, TransferStatus.IN_TRANSIT, TransferLeg.OUTBOUND, "CRECC", "LAD", "CN", "AE", datetime.now(UTC))
        for n in range(45)
    ]
    payloads = notifications("origin-1", sent)
    assert len(payloads) == 3 and all(len(p.encode()) < 8000 for p in payloads)
    back = [TransferEvent.from_json(e) for p in payloads for e in json.loads(p)["events"]]
    assert back == sent
