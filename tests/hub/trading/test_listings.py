from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from hub.app import Hub
from hub.audit.models import AuditEntry
from hub.core.clock import utc_now
from hub.core.user_errors import InvalidArgumentError, Refused
from hub.trading.errors import TradingErrorCode
from hub.trading.inputs import ListingFilter, ListingInput, LoanTerms, MoneyInput, PriceRange
from hub.trading.models import Listing
from hub.trading.states import ListingKind, ListingStatus, OfferStatus
from tests.hub.trading.conftest import CRECC_TRADER, LAD_TRADER, MNAA_TRADER, TWMM_TRADER, item_id, offer, sale


async def test_create_listing_lists_an_own_item_with_its_audit_entry(market: Hub) -> None:
    horse = await item_id(market, "TW-0001")
    outcome = await market.trading.create_listing(TWMM_TRADER, sale(horse, "880000", "cny"))
    listing = outcome.listing
    assert (listing.item_id, listing.seller, listing.kind, listing.status) == (
        horse,
        "TWMM",
        ListingKind.SALE,
        ListingStatus.OPEN,
    )
    assert str(listing.asking_price) == "880000.00 CNY" and listing.loan is None
    async with market.sessions() as session:
        entry = (await session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()))).first()
    assert entry is not None
    assert (entry.actor, entry.action, entry.subject, entry.jurisdictions) == (
        "twmm-app",
        "trading.listing_created",
        f"listing:{listing.id}",
        ["CN"],
    )
    assert json.loads(entry.payload)["asking_price"] == {"amount": "880000.00", "currency": "CNY"}


async def test_create_listing_for_a_loan_keeps_its_terms_and_sends_offers_to_the_venue(market: Hub) -> None:
    mirror = await item_id(market, "TW-0003")
    terms = LoanTerms("Splendours of the Tang", "FR", date(2031, 3, 31), MoneyInput("15000", "EUR"))
    outcome = await market.trading.create_listing(
        TWMM_TRADER, ListingInput(mirror, ListingKind.LOAN, MoneyInput("120000", "CNY"), terms)
    )
    loan = outcome.listing.loan
    assert loan is not None
    assert (loan.exhibition, loan.venue_country, loan.return_date, str(loan.loan_fee)) == (
        "Splendours of the Tang",
        "FR",
        date(2031, 3, 31),
        "15000.00 EUR",
    )
    placed = await market.trading.place_offer(LAD_TRADER, offer(outcome.listing.id, "60000", "AED"))
    assert placed.offer.destination_country == "FR"


async def test_withdraw_listing_declines_its_open_offers(market: Hub) -> None:
    horse = await item_id(market, "TW-0001")
    listing = (await market.trading.create_listing(TWMM_TRADER, sale(horse))).listing
    placed = await market.trading.place_offer(MNAA_TRADER, offer(listing.id, "100000", "EUR"))
    withdrawn = await market.trading.withdraw_listing(TWMM_TRADER, listing.id)
    assert withdrawn.listing.status is ListingStatus.WITHDRAWN
    [mine] = await market.trading.own_offers(MNAA_TRADER, listing.id)
    assert (mine.id, mine.status) == (placed.offer.id, OfferStatus.DECLINED)
    again = await market.trading.create_listing(TWMM_TRADER, sale(horse, "900000"))  # listable again
    assert again.listing.status is ListingStatus.OPEN


async def test_open_listings_are_one_per_item_in_the_database_too(market: Hub) -> None:
    horse = await item_id(market, "TW-0001")
    listing = (await market.trading.create_listing(TWMM_TRADER, sale(horse))).listing
    async with market.sessions() as session:
        row = await session.get(Listing, listing.id)
        assert row is not None
        copy = {c.name: getattr(row, c.name) for c in Listing.__table__.columns if c.name != "id"}
    with pytest.raises(IntegrityError):
        async with market.sessions.begin() as session:
            await session.execute(insert(Listing).values(copy))
    async with market.sessions.begin() as session:  # a second listing that is not open is fine
        await session.execute(insert(Listing).values(copy | {"status": "WITHDRAWN", "updated_at": utc_now()}))


async def test_create_listing_with_the_same_key_and_input_returns_the_first_listing(market: Hub) -> None:
    horse = await item_id(market, "TW-0001")
    first = await market.trading.create_listing(TWMM_TRADER, sale(horse), idempotency_key="horse-1")
    second = await market.trading.create_listing(TWMM_TRADER, sale(horse), idempotency_key="horse-1")
    assert (second.listing.id, second.replayed, first.replayed) == (first.listing.id, True, False)
    other_client = replace(TWMM_TRADER, client_id="twmm-other-app")
    with pytest.raises(Refused) as refused:  # the key is the first client's: the other one is not replayed
        await market.trading.create_listing(other_client, sale(horse), idempotency_key="horse-1")
    assert refused.value.errors[0].code is TradingErrorCode.ITEM_ALREADY_LISTED


async def listing_ids(hub: Hub, filters: ListingFilter, first: int | None = None) -> list[int]:
    return [r.id for r in (await hub.trading.listings(filters, first)).rows]


async def test_listings_filter_by_institution_kind_status_and_currency(market: Hub) -> None:
    t = market.trading
    horse, coin, mirror = [await item_id(market, s) for s in ("TW-0001", "TW-0002", "TW-0003")]
    camel = await item_id(market, "CR-0001")
    a = (await t.create_listing(TWMM_TRADER, sale(horse, "880000", "CNY"))).listing.id
    b = (await t.create_listing(TWMM_TRADER, sale(coin, "150", "EUR"))).listing.id
    terms = LoanTerms("Silk Road", "AE", date(2031, 1, 1), MoneyInput("10000", "USD"))
    c = (
        await t.create_listing(TWMM_TRADER, ListingInput(mirror, ListingKind.LOAN, MoneyInput("9", "USD"), terms))
    ).listing.id
    d = (await t.create_listing(CRECC_TRADER, sale(camel, "300000", "CNY"))).listing.id
    await t.withdraw_listing(TWMM_TRADER, b)
    assert await listing_ids(market, ListingFilter()) == [d, c, a]
    assert await listing_ids(market, ListingFilter(status=None)) == [d, c, b, a]
    assert await listing_ids(market, ListingFilter(institution="twmm")) == [c, a]
    assert await listing_ids(market, ListingFilter(kind=ListingKind.LOAN)) == [c]
    assert await listing_ids(market, ListingFilter(currency="CNY")) == [d, a]
    assert await listing_ids(market, ListingFilter(status=ListingStatus.WITHDRAWN)) == [b]
    with pytest.raises(InvalidArgumentError, match="XYZ"):
        await listing_ids(market, ListingFilter(currency="XYZ"))


async def test_listings_price_range_converts_into_the_callers_currency(market: Hub) -> None:
    """880000 CNY is 112642.88 EUR at 7.8123; 300000 CNY is 38401.49 EUR; 150 EUR is 150 EUR."""
    t = market.trading
    horse, coin = [await item_id(market, s) for s in ("TW-0001", "TW-0002")]
    camel = await item_id(market, "CR-0001")
    expensive = (await t.create_listing(TWMM_TRADER, sale(horse, "880000", "CNY"))).listing.id
    cheap = (await t.create_listing(TWMM_TRADER, sale(coin, "150", "EUR"))).listing.id
    middle = (await t.create_listing(CRECC_TRADER, sale(camel, "300000", "CNY"))).listing.id
    between = ListingFilter(price=PriceRange("EUR", "100", "50000"))
    assert await listing_ids(market, between) == [middle, cheap]
    assert await listing_ids(market, ListingFilter(price=PriceRange("EUR", minimum="112642.88"))) == [expensive]
    assert await listing_ids(market, ListingFilter(price=PriceRange("EUR", minimum="112642.89"))) == []
    in_dollars = ListingFilter(price=PriceRange("USD", maximum="200"))  # 150 EUR is 162.75 USD
    assert await listing_ids(market, in_dollars) == [cheap]
    assert await listing_ids(market, ListingFilter(price=PriceRange("KWD", maximum="1000000"))) == []  # no rate
    with pytest.raises(InvalidArgumentError, match="above the maximum"):
        await listing_ids(market, ListingFilter(price=PriceRange("EUR", "10", "1")))
    with pytest.raises(InvalidArgumentError, match="negative"):
        await listing_ids(market, ListingFilter(price=PriceRange("EUR", "-10")))


async def test_listings_pages_follow_their_cursors_newest_first(market: Hub) -> None:
    t = market.trading
    items = [await item_id(market, s) for s in ("TW-0001", "TW-0002", "TW-0003")]
    ids = [(await t.create_listing(TWMM_TRADER, sale(i))).listing.id for i in items]
    first = await t.listings(ListingFilter(), first=2)
    assert ([r.id for r in first.rows], first.has_next_page, first.total_count) == (ids[::-1][:2], True, 3)
    rest = await t.listings(ListingFilter(), first=2, after=first.cursors[-1])
    assert ([r.id for r in rest.rows], rest.has_next_page) == ([ids[0]], False)
    with pytest.raises(InvalidArgumentError):
        await t.listings(ListingFilter(), after="bm90LWEtY3Vyc29y")
    with pytest.raises(InvalidArgumentError):
        await t.listings(ListingFilter(), first=101)


async def test_listings_of_items_gives_each_items_open_listing(market: Hub) -> None:
    horse, coin = [await item_id(market, s) for s in ("TW-0001", "TW-0002")]
    listing = (await market.trading.create_listing(TWMM_TRADER, sale(horse))).listing
    found = await market.trading.listings_of_items([horse, coin])
    assert list(found) == [horse] and found[horse].id == listing.id
