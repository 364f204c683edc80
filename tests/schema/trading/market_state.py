"""A market in every state a refusal needs: an open listing with an open, a withdrawn and an expired offer; a
cancelled transfer; a withdrawn listing. Ids as the graph gives them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from sqlalchemy import update

from hub.app import Hub
from hub.trading.models import Offer
from schema.trading.ids import OFFER, decoded_key
from tests import records
from tests.schema.trading.support import done, item_global_id, list_horse, money, offer_on, open_market, trader_tokens


@dataclass
class MarketState:
    tokens: dict[str, str]
    horse: str
    """TWMM's sancai horse: listed (`listing`)."""
    coin: str
    """TWMM's Kaiyuan coin: sold to MNAA, then the transfer was cancelled; not listed now."""
    mirror: str
    """TWMM's mirror: its listing was withdrawn."""
    book: str
    """NLC's Sogdian book: not listed."""
    listing: str
    open_offer: str
    """MNAA's, on `listing`."""
    withdrawn_offer: str
    """DXBG's, on `listing`."""
    expired_offer: str
    """DXBG's, on `listing`."""
    withdrawn_listing: str
    cancelled_transfer: str


async def expire(hub: Hub, offer: str) -> None:
    async with hub.sessions.begin() as session:
        stale = datetime(2026, 1, 5, tzinfo=UTC)
        await session.execute(update(Offer).where(Offer.id == decoded_key(offer, OFFER)).values(expires_at=stale))


async def market_state(hub: Hub, client: httpx.AsyncClient) -> MarketState:
    await open_market(hub)
    tokens = await trader_tokens(hub)
    twmm, mnaa, dxbg = tokens["TWMM"], tokens["MNAA"], tokens["DXBG"]
    horse, coin, mirror, book = [
        await item_global_id(hub, record.source_id)
        for record in (records.SANCAI_HORSE, records.KAIYUAN_COIN, records.HAN_MIRROR, records.SOGDIAN_BOOK)
    ]
    listing = await list_horse(client, hub, twmm)
    open_offer = await offer_on(client, listing, mnaa, "105000", "EUR")
    withdrawn_offer = await offer_on(client, listing, dxbg, "450000", "AED")
    await done(client, "withdrawOffer", {"offerId": withdrawn_offer}, dxbg)
    expired_offer = await offer_on(client, listing, dxbg, "460000", "AED")
    await expire(hub, expired_offer)

    sold = await done(client, "createListing", {"itemId": coin, "askingPrice": money("1200", "CNY")}, twmm)
    coin_offer = await offer_on(client, sold["listing"]["id"], mnaa, "160", "EUR")
    transfer = (await done(client, "acceptOffer", {"offerId": coin_offer}, twmm))["transfer"]["id"]
    await done(client, "cancelTransfer", {"transferId": transfer}, twmm)

    lent = await done(client, "createListing", {"itemId": mirror, "askingPrice": money("36000", "CNY")}, twmm)
    await done(client, "withdrawListing", {"listingId": lent["listing"]["id"]}, twmm)
    return MarketState(
        tokens=tokens,
        horse=horse,
        coin=coin,
        mirror=mirror,
        book=book,
        listing=listing,
        open_offer=open_offer,
        withdrawn_offer=withdrawn_offer,
        expired_offer=expired_offer,
        withdrawn_listing=lent["listing"]["id"],
        cancelled_transfer=transfer,
    )
