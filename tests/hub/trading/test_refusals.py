"""Every bad request is refused with a payload error naming the field and the value, and leaves every table as
it was (compared row by row before and after)."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import select

from hub.app import Hub
from hub.auth.principal import Principal
from hub.core.user_errors import CommonErrorCode, Refused
from hub.trading.errors import TradingErrorCode
from hub.trading.inputs import ListingInput, LoanTerms, MoneyInput, OfferInput
from hub.trading.models import Offer
from hub.trading.states import ListingKind, OfferStatus
from tests.hub.trading.conftest import (
    CRECC_TRADER,
    LAD_TRADER,
    MNAA_TRADER,
    TWMM_TRADER,
    Scene,
    offer,
    sale,
    snapshot,
)

T = TradingErrorCode
C = CommonErrorCode

READ_ONLY = Principal(client_id="twmm-viewer", scopes=frozenset({"trade:read"}), institution="TWMM")
NO_INSTITUTION = Principal(client_id="stray-app", scopes=frozenset({"trade:write"}))
CUSTOMS = Principal(client_id="customs-cn", scopes=frozenset({"customs:clear"}), jurisdiction="CN")
LOAN = LoanTerms("Tang treasures of Chang'an", "FR", date(2030, 6, 30), MoneyInput("20000", "EUR"))


class Refusals:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    async def check(
        self, call: Callable[[], Awaitable[object]], code: enum.Enum, field: str | None, named: str
    ) -> None:
        """`call` is refused with `code` on `field`, its message names `named`, and no table changed."""
        before = await snapshot(self.hub)
        with pytest.raises(Refused) as refused:
            await call()
        [error] = refused.value.errors
        assert (error.code, error.field) == (code, field), str(error.message)
        assert named in str(error.message)
        assert await snapshot(self.hub) == before


def loan(item: int, **changes: object) -> ListingInput:
    return ListingInput(item, ListingKind.LOAN, MoneyInput("1", "CNY"), replace(LOAN, **changes))  # type: ignore[arg-type]


async def test_create_listing_refusals_leave_every_table_unchanged(market: Hub, scene: Scene) -> None:
    t, s, refused = market.trading, scene, Refusals(market)
    await refused.check(lambda: t.create_listing(MNAA_TRADER, sale(s.mirror)), T.NOT_OWN_ITEM, "item_id", "TWMM")
    await refused.check(lambda: t.create_listing(TWMM_TRADER, sale(987654)), C.NOT_FOUND, "item_id", "987654")
    await refused.check(lambda: t.create_listing(TWMM_TRADER, sale(s.horse)), T.ITEM_ALREADY_LISTED, "item_id", "open")
    await refused.check(
        lambda: t.create_listing(TWMM_TRADER, sale(s.mirror)), T.ITEM_IN_TRANSFER, "item_id", str(s.waiting_transfer)
    )
    await refused.check(
        lambda: t.create_listing(TWMM_TRADER, sale(s.mirror, "10", "XYZ")),
        T.UNSUPPORTED_CURRENCY,
        "asking_price.currency",
        "XYZ",
    )
    await refused.check(
        lambda: t.create_listing(TWMM_TRADER, sale(s.mirror, "-5")), T.NEGATIVE_AMOUNT, "asking_price.amount", "-5"
    )
    await refused.check(
        lambda: t.create_listing(TWMM_TRADER, sale(s.mirror, "10.001")), T.TOO_PRECISE, "asking_price.amount", "10.001"
    )
    await refused.check(
        lambda: t.create_listing(TWMM_TRADER, sale(s.mirror, "0")), T.ZERO_AMOUNT, "asking_price.amount", "0"
    )
    no_terms = ListingInput(s.mirror, ListingKind.LOAN, MoneyInput("1", "CNY"))
    await refused.check(lambda: t.create_listing(TWMM_TRADER, no_terms), T.INVALID_LOAN_TERMS, "loan", "LOAN")
    await refused.check(
        lambda: t.create_listing(TWMM_TRADER, loan(s.mirror, return_date=date(2020, 1, 1))),
        T.INVALID_LOAN_TERMS,
        "loan.return_date",
        "2020-01-01",
    )
    await refused.check(
        lambda: t.create_listing(TWMM_TRADER, loan(s.mirror, venue_country="France")),
        T.INVALID_COUNTRY,
        "loan.venue_country",
        "France",
    )
    await refused.check(
        lambda: t.create_listing(TWMM_TRADER, loan(s.mirror, loan_fee=MoneyInput("1.5", "JPY"))),
        T.TOO_PRECISE,
        "loan.loan_fee.amount",
        "1.5",
    )
    await refused.check(lambda: t.create_listing(READ_ONLY, sale(s.mirror)), C.FORBIDDEN, "institution", "trade:write")
    await refused.check(
        lambda: t.create_listing(NO_INSTITUTION, sale(s.mirror)), C.FORBIDDEN, "institution", "no institution"
    )


async def test_withdraw_listing_refusals_leave_every_table_unchanged(market: Hub, scene: Scene) -> None:
    t, s, refused = market.trading, scene, Refusals(market)
    await refused.check(
        lambda: t.withdraw_listing(MNAA_TRADER, s.open_listing), T.NOT_OWN_LISTING, "listing_id", "MNAA"
    )
    await refused.check(
        lambda: t.withdraw_listing(TWMM_TRADER, s.withdrawn_listing), T.LISTING_NOT_OPEN, "listing_id", "WITHDRAWN"
    )
    await refused.check(lambda: t.withdraw_listing(TWMM_TRADER, 424242), C.NOT_FOUND, "listing_id", "424242")
    await refused.check(lambda: t.withdraw_listing(READ_ONLY, s.open_listing), C.FORBIDDEN, "institution", "TWMM")


async def test_place_offer_refusals_leave_every_table_unchanged(market: Hub, scene: Scene) -> None:
    t, s, refused = market.trading, scene, Refusals(market)
    listing = s.open_listing
    await refused.check(
        lambda: t.place_offer(TWMM_TRADER, offer(listing, "1000", "EUR")), T.OWN_LISTING, "listing_id", "TWMM"
    )
    await refused.check(
        lambda: t.place_offer(MNAA_TRADER, offer(listing, "1000", "ABC")),
        T.UNSUPPORTED_CURRENCY,
        "amount.currency",
        "ABC",
    )
    await refused.check(
        lambda: t.place_offer(MNAA_TRADER, offer(listing, "-1000", "EUR")), T.NEGATIVE_AMOUNT, "amount.amount", "-1000"
    )
    await refused.check(
        lambda: t.place_offer(MNAA_TRADER, offer(listing, "1000.5", "JPY")), T.TOO_PRECISE, "amount.amount", "1000.5"
    )
    await refused.check(
        lambda: t.place_offer(MNAA_TRADER, offer(listing, "1000.123", "KWD")), T.NO_FX_RATE, "amount.currency", "KWD"
    )
    await refused.check(
        lambda: t.place_offer(MNAA_TRADER, offer(listing, "1000", "EUR", hours=-1)),
        T.INVALID_EXPIRY,
        "expires_at",
        "future",
    )
    await refused.check(
        lambda: t.place_offer(MNAA_TRADER, offer(listing, "1000", "EUR", hours=24 * 400)),
        T.INVALID_EXPIRY,
        "expires_at",
        "366",
    )
    naive = OfferInput(listing, MoneyInput("1000", "EUR"), datetime(2030, 1, 1))
    await refused.check(lambda: t.place_offer(MNAA_TRADER, naive), T.INVALID_EXPIRY, "expires_at", "2030")
    await refused.check(
        lambda: t.place_offer(MNAA_TRADER, offer(listing, "1000", "EUR", destination="F1")),
        T.INVALID_COUNTRY,
        "destination_country",
        "F1",
    )
    await refused.check(
        lambda: t.place_offer(MNAA_TRADER, offer(s.withdrawn_listing, "1000", "EUR")),
        T.LISTING_NOT_OPEN,
        "listing_id",
        "WITHDRAWN",
    )
    await refused.check(lambda: t.place_offer(MNAA_TRADER, offer(9999, "1", "EUR")), C.NOT_FOUND, "listing_id", "9999")
    await refused.check(
        lambda: t.place_offer(CUSTOMS, offer(listing, "1", "EUR")), C.FORBIDDEN, "institution", "CN"[:0]
    )


async def test_withdraw_offer_refusals_leave_every_table_unchanged(market: Hub, scene: Scene) -> None:
    t, s, refused = market.trading, scene, Refusals(market)
    await refused.check(lambda: t.withdraw_offer(LAD_TRADER, s.open_offer), T.NOT_OWN_OFFER, "offer_id", "MNAA")
    await refused.check(
        lambda: t.withdraw_offer(LAD_TRADER, s.withdrawn_offer), T.OFFER_NOT_OPEN, "offer_id", "WITHDRAWN"
    )
    await refused.check(lambda: t.withdraw_offer(LAD_TRADER, s.expired_offer), T.OFFER_EXPIRED, "offer_id", "expired")
    await refused.check(lambda: t.withdraw_offer(LAD_TRADER, 31337), C.NOT_FOUND, "offer_id", "31337")


async def test_accept_offer_refusals_leave_every_table_unchanged(market: Hub, scene: Scene) -> None:
    t, s, refused = market.trading, scene, Refusals(market)
    await refused.check(lambda: t.accept_offer(TWMM_TRADER, s.expired_offer), T.OFFER_EXPIRED, "offer_id", "expired")
    await refused.check(
        lambda: t.accept_offer(TWMM_TRADER, s.withdrawn_offer), T.OFFER_NOT_OPEN, "offer_id", "WITHDRAWN"
    )
    await refused.check(lambda: t.accept_offer(MNAA_TRADER, s.open_offer), T.NOT_OWN_LISTING, "offer_id", "MNAA")
    await refused.check(lambda: t.accept_offer(CRECC_TRADER, s.open_offer), T.NOT_OWN_LISTING, "offer_id", "CRECC")
    await refused.check(lambda: t.accept_offer(TWMM_TRADER, 5555), C.NOT_FOUND, "offer_id", "5555")
    await refused.check(lambda: t.accept_offer(READ_ONLY, s.open_offer), C.FORBIDDEN, "institution", "trade:write")


async def test_cancel_transfer_refusals_leave_every_table_unchanged(market: Hub, scene: Scene) -> None:
    t, s, refused = market.trading, scene, Refusals(market)
    await refused.check(lambda: t.cancel_transfer(LAD_TRADER, s.waiting_transfer), T.NOT_A_PARTY, "transfer_id", "LAD")
    await refused.check(
        lambda: t.cancel_transfer(LAD_TRADER, s.shipped_transfer),
        T.TRANSFER_NOT_CANCELLABLE,
        "transfer_id",
        "IN_TRANSIT",
    )
    await refused.check(lambda: t.cancel_transfer(MNAA_TRADER, 777), C.NOT_FOUND, "transfer_id", "777")
    await refused.check(lambda: t.cancel_transfer(CUSTOMS, s.waiting_transfer), C.FORBIDDEN, "institution", "trade")


async def test_idempotency_key_reused_with_different_input_is_refused_and_changes_nothing(
    market: Hub, scene: Scene
) -> None:
    t, s, refused = market.trading, scene, Refusals(market)
    first = await t.place_offer(LAD_TRADER, offer(s.open_listing, "500000", "AED"), idempotency_key="lad-1")
    await refused.check(
        lambda: t.place_offer(LAD_TRADER, offer(s.open_listing, "500001", "AED"), idempotency_key="lad-1"),
        C.IDEMPOTENCY_KEY_REUSED,
        "idempotency_key",
        "lad-1",
    )
    await refused.check(
        lambda: t.withdraw_offer(LAD_TRADER, first.offer.id, idempotency_key="x" * 256),
        C.INVALID_VALUE,
        "idempotency_key",
        "256",
    )


async def test_an_offer_left_open_past_its_expiry_reads_as_expired(market: Hub, scene: Scene) -> None:
    [expired] = [o for o in await market.trading.own_offers(LAD_TRADER) if o.id == scene.expired_offer]
    assert expired.status is OfferStatus.EXPIRED
    await market.trading.withdraw_listing(TWMM_TRADER, scene.open_listing)
    async with market.sessions() as session:
        stored = await session.scalar(select(Offer.status).where(Offer.id == scene.expired_offer))
    assert stored == "EXPIRED"  # stored so, not declined
    [declined] = await market.trading.own_offers(MNAA_TRADER, scene.open_listing)
    assert declined.status is OfferStatus.DECLINED


async def test_refusal_messages_come_in_the_readers_language_with_the_same_code(market: Hub, scene: Scene) -> None:
    with pytest.raises(Refused) as refused:
        await market.trading.accept_offer(TWMM_TRADER, scene.withdrawn_offer)
    [error] = refused.value.errors
    assert not isinstance(error.message, str)
    texts = {lang: error.message.render([lang]) for lang in ("en", "fr", "zh", "ar", "ru")}
    assert texts["en"] == f"Offer {scene.withdrawn_offer} is WITHDRAWN, not OPEN."
    assert texts["fr"] == f"L'offre {scene.withdrawn_offer} est à l'état WITHDRAWN, pas OPEN."
    assert texts["zh"] == f"报价 {scene.withdrawn_offer} 的状态为 WITHDRAWN，而非 OPEN。"
    assert len(set(texts.values())) == 5 and all("WITHDRAWN" in text for text in texts.values())
    assert error.code is T.OFFER_NOT_OPEN


async def test_money_refusal_at_offer_time_comes_in_the_readers_language(market: Hub, scene: Scene) -> None:
    with pytest.raises(Refused) as refused:
        await market.trading.place_offer(MNAA_TRADER, offer(scene.open_listing, "1000.123", "KWD"))
    [error] = refused.value.errors
    assert (error.code, error.field) == (T.NO_FX_RATE, "amount.currency")
    assert not isinstance(error.message, str)
    texts = {lang: error.message.render([lang]) for lang in ("en", "fr", "zh", "ar", "ru")}
    assert len(set(texts.values())) == 5 and all("KWD" in text for text in texts.values())
