"""Races on one listing: many accepts, offers and withdrawals at once, each in a session (a connection) of its
own, give exactly one accepted offer, one transfer, one held escrow and balanced books: on PostgreSQL through the
listing's row lock, on SQLite because writers take turns."""

from __future__ import annotations

import asyncio
import random

from sqlalchemy import func, select

from hub.app import Hub
from hub.core.user_errors import Refused
from hub.money.models import EscrowHold
from hub.trading.errors import TradingErrorCode
from hub.trading.models import Offer, Transfer
from hub.trading.states import OfferStatus
from tests.hub.money.ledger_checks import unbalanced_transactions
from tests.hub.trading.conftest import LAD_TRADER, MNAA_TRADER, TWMM_TRADER, item_id, offer, sale

STARTING_OFFERS = 8


async def test_concurrent_accepts_offers_and_withdrawals_accept_exactly_one_offer(market: Hub) -> None:
    t = market.trading
    horse = await item_id(market, "TW-0001")
    listing = (await t.create_listing(TWMM_TRADER, sale(horse))).listing.id
    placed = []
    for n in range(STARTING_OFFERS):
        buyer = (MNAA_TRADER, LAD_TRADER)[n % 2]
        placed.append((buyer, (await t.place_offer(buyer, offer(listing, str(100000 + n), "EUR"))).offer.id))
    shuffle = random.Random(8)
    calls = [t.accept_offer(TWMM_TRADER, offer_id) for _, offer_id in placed for _ in range(5)]
    calls += [t.withdraw_offer(buyer, offer_id) for buyer, offer_id in placed[::2]]
    calls += [t.place_offer((MNAA_TRADER, LAD_TRADER)[n % 2], offer(listing, str(200000 + n), "CNY")) for n in range(6)]
    shuffle.shuffle(calls)
    assert len(calls) == 50
    results = await asyncio.gather(*calls, return_exceptions=True)
    unexpected = [r for r in results if isinstance(r, BaseException) and not isinstance(r, Refused)]
    assert unexpected == []
    async with market.sessions() as session:
        accepted = await session.scalar(
            select(func.count()).where(Offer.listing_id == listing, Offer.status == OfferStatus.ACCEPTED.value)
        )
        still_open = await session.scalar(
            select(func.count()).where(Offer.listing_id == listing, Offer.status == OfferStatus.OPEN.value)
        )
        transfers = await session.scalar(select(func.count()).select_from(Transfer))
        holds = await session.scalar(select(func.count()).select_from(EscrowHold))
    assert (accepted, transfers, holds) == (1, 1, 1)
    assert still_open == 0
    assert await unbalanced_transactions(market) == []


async def test_concurrent_listings_of_one_item_make_one_and_refuse_the_others_clearly(market: Hub) -> None:
    horse = await item_id(market, "TW-0001")
    results = await asyncio.gather(
        *(market.trading.create_listing(TWMM_TRADER, sale(horse, str(800000 + n))) for n in range(6)),
        return_exceptions=True,
    )
    made = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, Refused)]
    assert (len(made), len(refused)) == (1, 5), results
    assert {r.errors[0].code for r in refused} == {TradingErrorCode.ITEM_ALREADY_LISTED}


async def test_concurrent_retries_with_one_key_place_one_offer(market: Hub) -> None:
    horse = await item_id(market, "TW-0001")
    listing = (await market.trading.create_listing(TWMM_TRADER, sale(horse))).listing.id
    bid = offer(listing, "110000", "EUR")
    results = await asyncio.gather(
        *(market.trading.place_offer(MNAA_TRADER, bid, idempotency_key="retry-1") for _ in range(6))
    )
    assert len({r.offer.id for r in results}) == 1
    assert sorted(r.replayed for r in results) == [False] + [True] * 5
    assert len(await market.trading.own_offers(MNAA_TRADER)) == 1
