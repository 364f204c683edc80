"""The market of the tests: the Tang West Market Museum (CN) sells; the Musée national des arts asiatiques
(FR) and the Louvre Abu Dhabi (AE) buy; rates from the ECB (EUR base) and for AED against USD."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text, update

from hub.app import Hub
from hub.auth.principal import Principal
from hub.catalogue.institutions import add_institution
from hub.catalogue.models import CatalogueItem
from hub.models import Base
from hub.money import fx_rates
from hub.trading.clearance_hook import LicenceAlwaysNeeded
from hub.trading.inputs import ListingInput, MoneyInput, OfferInput
from hub.trading.models import Offer
from hub.trading.states import ListingKind, TransferStatus
from hub.trading.transfers import advance_transfer
from tests import records

BUYERS = (("MNAA", "Musée national des arts asiatiques – Guimet", "FR", "fr"), ("LAD", "Louvre Abu Dhabi", "AE", "en"))
RATES_FROM = datetime(2026, 1, 2, 15, 0, tzinfo=UTC)
RATES = (("EUR", "CNY", "7.8123"), ("EUR", "USD", "1.0850"), ("USD", "AED", "3.6725"), ("EUR", "JPY", "161.20"))

TWMM_TRADER = Principal(client_id="twmm-app", scopes=frozenset({"trade:read", "trade:write"}), institution="TWMM")
MNAA_TRADER = Principal(client_id="mnaa-app", scopes=frozenset({"trade:read", "trade:write"}), institution="MNAA")
LAD_TRADER = Principal(client_id="lad-app", scopes=frozenset({"trade:read", "trade:write"}), institution="LAD")
CRECC_TRADER = Principal(client_id="crecc-app", scopes=frozenset({"trade:read", "trade:write"}), institution="CRECC")


@pytest.fixture
async def market(hub: Hub) -> Hub:
    """Items of TWMM and CRECC, the two foreign buyers, and FX rates valid since 2 January 2026."""
    hub.trading.clearance = LicenceAlwaysNeeded()  # trading tests: the placeholder hook, not the engine
    await records.store(hub, "TWMM", [records.SANCAI_HORSE, records.KAIYUAN_COIN, records.HAN_MIRROR])
    await records.store(hub, "CRECC", [records.CAMEL_GROOM])
    async with hub.sessions.begin() as session:
        for code, name, country, lang in BUYERS:
            await add_institution(session, code, name, country, lang)
        for base, quote, rate in RATES:
            await fx_rates.set_rate(session, "ops-console", base, quote, rate, RATES_FROM, "ECB")
    return hub


async def item_id(hub: Hub, source_id: str) -> int:
    async with hub.sessions() as session:
        found = await session.scalar(select(CatalogueItem.id).where(CatalogueItem.source_id == source_id))
    assert found is not None
    return found


def sale(item: int, amount: str = "880000", currency: str = "CNY") -> ListingInput:
    return ListingInput(item, ListingKind.SALE, MoneyInput(amount, currency))


def offer(listing: int, amount: str, currency: str, hours: float = 48, destination: str | None = None) -> OfferInput:
    return OfferInput(listing, MoneyInput(amount, currency), datetime.now(UTC) + timedelta(hours=hours), destination)


async def snapshot(hub: Hub) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in order: what a refused request must leave as it was."""
    async with hub.sessions() as session:
        tables = {}
        for table in Base.metadata.sorted_tables:
            rows = await session.execute(text(f"SELECT * FROM {table.name}"))
            tables[table.name] = sorted((tuple(row) for row in rows), key=repr)
        return tables


@dataclass(frozen=True)
class Scene:
    """A market in every state a refusal needs: listings open, withdrawn and closed; offers open, withdrawn and
    expired; a transfer awaiting its licence and one in transit."""

    open_listing: int
    withdrawn_listing: int
    open_offer: int
    withdrawn_offer: int
    expired_offer: int
    waiting_transfer: int
    shipped_transfer: int
    horse: int
    mirror: int


@pytest.fixture
async def scene(market: Hub) -> Scene:
    trading = market.trading
    horse, coin, mirror = [await item_id(market, s) for s in ("TW-0001", "TW-0002", "TW-0003")]
    camel = await item_id(market, "CR-0001")
    listing = (await trading.create_listing(TWMM_TRADER, sale(horse))).listing.id
    open_offer = (await trading.place_offer(MNAA_TRADER, offer(listing, "110000", "EUR"))).offer.id
    withdrawn = (await trading.place_offer(LAD_TRADER, offer(listing, "450000", "AED"))).offer.id
    await trading.withdraw_offer(LAD_TRADER, withdrawn)
    expired = (await trading.place_offer(LAD_TRADER, offer(listing, "460000", "AED"))).offer.id
    async with market.sessions.begin() as session:
        await session.execute(
            update(Offer).where(Offer.id == expired).values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    gone = (await trading.create_listing(TWMM_TRADER, sale(coin, "1200"))).listing.id
    await trading.withdraw_listing(TWMM_TRADER, gone)
    mirror_listing = (await trading.create_listing(TWMM_TRADER, sale(mirror, "52000"))).listing.id
    mirror_offer = (await trading.place_offer(MNAA_TRADER, offer(mirror_listing, "7000", "EUR"))).offer.id
    waiting = (await trading.accept_offer(TWMM_TRADER, mirror_offer)).transfer.id
    camel_listing = (await trading.create_listing(CRECC_TRADER, sale(camel, "300000"))).listing.id
    camel_offer = (await trading.place_offer(LAD_TRADER, offer(camel_listing, "140000", "AED"))).offer.id
    shipped = (await trading.accept_offer(CRECC_TRADER, camel_offer)).transfer.id
    async with market.sessions.begin() as session:
        for status in (TransferStatus.AWAITING_CUSTOMS, TransferStatus.IN_TRANSIT):
            await advance_transfer(session, shipped, set(TransferStatus), status, "customs-cn", "clearance.test")
    return Scene(listing, gone, open_offer, withdrawn, expired, waiting, shipped, horse, mirror)
