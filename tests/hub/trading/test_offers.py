from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from hub.app import Hub
from hub.audit.models import AuditEntry
from hub.money import fx_rates
from hub.money.models import FxConversionRecord
from hub.trading.states import OfferStatus
from tests.hub.trading.conftest import LAD_TRADER, MNAA_TRADER, RATES_FROM, TWMM_TRADER, item_id, offer, sale


async def listed_horse(hub: Hub) -> int:
    horse = await item_id(hub, "TW-0001")
    return (await hub.trading.create_listing(TWMM_TRADER, sale(horse, "880000", "CNY"))).listing.id


async def test_place_offer_stores_its_conversion_into_the_listings_currency(market: Hub) -> None:
    listing = await listed_horse(market)
    placed = (await market.trading.place_offer(MNAA_TRADER, offer(listing, "110000", "EUR"))).offer
    assert (placed.buyer, str(placed.amount), placed.status) == ("MNAA", "110000.00 EUR", OfferStatus.OPEN)
    assert placed.destination_country == "FR"  # the buyer's country
    stored = placed.at_placement
    assert stored is not None
    assert (str(stored.result), str(stored.effective_rate)) == ("859353.00 CNY", "7.8123")
    [leg] = stored.legs
    assert (leg["base"], leg["quote"], leg["rate"], leg["valid_from"]) == (
        "EUR",
        "CNY",
        "7.8123",
        RATES_FROM.isoformat(),
    )
    async with market.sessions() as session:
        [record] = await session.scalars(select(FxConversionRecord))
        entry = (await session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()))).first()
    assert record.reference == f"offer:{placed.id}"
    assert entry is not None and entry.action == "trading.offer_placed" and entry.jurisdictions == ["CN", "FR"]
    assert json.loads(entry.payload)["in_listing_currency"]["result"] == {"amount": "859353.00", "currency": "CNY"}


async def test_place_offer_with_a_destination_sends_the_goods_there(market: Hub) -> None:
    listing = await listed_horse(market)
    placed = (await market.trading.place_offer(LAD_TRADER, offer(listing, "450000", "AED", destination="gb"))).offer
    assert placed.destination_country == "GB"


async def test_offers_for_seller_convert_each_offer_at_the_rate_valid_now(market: Hub) -> None:
    """AED reaches CNY through USD and EUR: 450000 * 7.9 / (3.6725 * 1.0850) = 892170.92 CNY."""
    listing = await listed_horse(market)
    euros = (await market.trading.place_offer(MNAA_TRADER, offer(listing, "110000", "EUR"))).offer
    dirhams = (await market.trading.place_offer(LAD_TRADER, offer(listing, "450000", "AED"))).offer
    later = datetime(2026, 6, 1, tzinfo=UTC)
    async with market.sessions.begin() as session:
        await fx_rates.set_rate(session, "ops-console", "EUR", "CNY", "7.9000", later, "ECB")
    seen = await market.trading.offers_for_seller(TWMM_TRADER, listing)
    assert [(s.offer.id, str(s.converted.result)) for s in seen] == [
        (euros.id, "869000.00 CNY"),  # at the newer rate; the stored conversion keeps the old one
        (dirhams.id, "892170.92 CNY"),
    ]
    assert seen[0].offer.at_placement is not None and str(seen[0].offer.at_placement.result) == "859353.00 CNY"
    assert [(leg.rate.rate, leg.rate.valid_from) for leg in seen[0].converted.legs] == [(Decimal("7.9000"), later)]
    assert seen[1].converted.path == ("AED", "USD", "EUR", "CNY")


async def test_own_offers_are_the_buyers_only(market: Hub) -> None:
    listing = await listed_horse(market)
    euros = (await market.trading.place_offer(MNAA_TRADER, offer(listing, "110000", "EUR"))).offer
    await market.trading.place_offer(LAD_TRADER, offer(listing, "450000", "AED"))
    assert [o.id for o in await market.trading.own_offers(MNAA_TRADER)] == [euros.id]


async def test_withdraw_offer_withdraws_it_and_a_retry_with_its_key_replays(market: Hub) -> None:
    listing = await listed_horse(market)
    placed = (await market.trading.place_offer(MNAA_TRADER, offer(listing, "110000", "EUR"))).offer
    first = await market.trading.withdraw_offer(MNAA_TRADER, placed.id, idempotency_key="w-1")
    again = await market.trading.withdraw_offer(MNAA_TRADER, placed.id, idempotency_key="w-1")
    assert (first.offer.status, first.replayed) == (OfferStatus.WITHDRAWN, False)
    assert (again.offer.id, again.offer.status, again.replayed) == (placed.id, OfferStatus.WITHDRAWN, True)
    async with market.sessions() as session:
        actions = list(await session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
    assert actions.count("trading.offer_withdrawn") == 1


async def test_place_offer_with_the_same_key_places_one_offer(market: Hub) -> None:
    listing = await listed_horse(market)
    request = offer(listing, "110000", "EUR")
    first = await market.trading.place_offer(MNAA_TRADER, request, idempotency_key="o-1")
    second = await market.trading.place_offer(MNAA_TRADER, request, idempotency_key="o-1")
    assert (second.offer.id, second.replayed) == (first.offer.id, True)
    assert len(await market.trading.own_offers(MNAA_TRADER)) == 1


async def test_offer_is_visible_to_its_buyer_and_its_listings_seller_only(market: Hub) -> None:
    listing = await listed_horse(market)
    placed = (await market.trading.place_offer(MNAA_TRADER, offer(listing, "110000", "EUR"))).offer
    seen = {p.institution: await market.trading.offer(p, placed.id) for p in (MNAA_TRADER, TWMM_TRADER, LAD_TRADER)}
    assert {code: found.id if found else None for code, found in seen.items()} == {
        "MNAA": placed.id,
        "TWMM": placed.id,
        "LAD": None,
    }
    assert await market.trading.offer(MNAA_TRADER, 424242) is None
