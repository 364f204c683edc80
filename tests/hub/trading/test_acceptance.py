from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.app import Hub
from hub.audit.models import AuditEntry
from hub.money.escrow import EscrowState, escrow_for
from hub.money.ledger import Account, AccountKind, balance
from hub.trading.clearance_hook import ClearanceOutcome, TransferFacts
from hub.trading.service import TradingService
from hub.trading.states import ListingKind, ListingStatus, OfferStatus, TransferStatus
from tests.hub.trading.conftest import LAD_TRADER, MNAA_TRADER, TWMM_TRADER, item_id, offer, sale, snapshot


async def two_offers(hub: Hub) -> tuple[int, int, int]:
    """The horse listed in CNY with an offer in EUR (MNAA) and one in AED (LAD): (listing, euros, dirhams)."""
    horse = await item_id(hub, "TW-0001")
    listing = (await hub.trading.create_listing(TWMM_TRADER, sale(horse))).listing.id
    euros = (await hub.trading.place_offer(MNAA_TRADER, offer(listing, "110000", "EUR"))).offer.id
    dirhams = (await hub.trading.place_offer(LAD_TRADER, offer(listing, "450000", "AED"))).offer.id
    return listing, euros, dirhams


async def test_accept_offer_closes_the_listing_declines_the_rest_and_holds_the_escrow(market: Hub) -> None:
    listing, euros, dirhams = await two_offers(market)
    accepted = await market.trading.accept_offer(TWMM_TRADER, euros)
    assert (accepted.listing.id, accepted.listing.status) == (listing, ListingStatus.CLOSED)
    assert accepted.offer.status is OfferStatus.ACCEPTED
    assert accepted.declined_offer_ids == (dirhams,)
    [lost] = await market.trading.own_offers(LAD_TRADER)
    assert lost.status is OfferStatus.DECLINED
    transfer = accepted.transfer
    assert (transfer.seller, transfer.buyer, str(transfer.price), transfer.kind) == (
        "TWMM",
        "MNAA",
        "110000.00 EUR",
        ListingKind.SALE,
    )
    assert (transfer.origin_country, transfer.destination_country) == ("CN", "FR")
    assert transfer.status is TransferStatus.AWAITING_EXPORT_LICENCE
    assert transfer.clearance_decision["decided_by"] == "default"
    async with market.sessions() as session:
        held = await escrow_for(session, f"transfer:{transfer.id}")
        buyer_escrow = await balance(session, Account(AccountKind.ESCROW, "MNAA"), "EUR")
        entries = list(await session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
    assert held is not None and held.state is EscrowState.HELD and str(held.amount) == "110000.00 EUR"
    assert str(buyer_escrow) == "110000.00 EUR"
    held_entry, accepted_entry = entries[-2:]
    assert (held_entry.action, accepted_entry.action) == ("escrow.held", "trading.offer_accepted")
    assert accepted_entry.jurisdictions == held_entry.jurisdictions == ["CN", "FR"]
    payload = json.loads(accepted_entry.payload)
    assert payload["in_listing_currency"]["result"] == {"amount": "859353.00", "currency": "CNY"}
    [totals] = await market.trading.escrow_balances(MNAA_TRADER)
    assert (totals.currency, str(totals.held)) == ("EUR", "110000.00 EUR")


async def test_accept_offer_with_the_same_key_returns_the_first_transfer(market: Hub) -> None:
    _listing, euros, dirhams = await two_offers(market)
    first = await market.trading.accept_offer(TWMM_TRADER, euros, idempotency_key="sell-horse")
    before = await snapshot(market)
    again = await market.trading.accept_offer(TWMM_TRADER, euros, idempotency_key="sell-horse")
    assert (again.transfer.id, again.declined_offer_ids, again.replayed) == (first.transfer.id, (dirhams,), True)
    assert await snapshot(market) == before


class Blocked:
    async def __call__(self, session: AsyncSession, facts: TransferFacts) -> ClearanceOutcome:
        return ClearanceOutcome(TransferStatus.BLOCKED, {"rule": "CN-relics-1", "item": facts.item_id})


class Broken:
    async def __call__(self, session: AsyncSession, facts: TransferFacts) -> ClearanceOutcome:
        raise RuntimeError("the rule table is unreadable")


async def test_accept_offer_blocked_by_clearance_returns_the_escrow_at_once(market: Hub) -> None:
    _listing, euros, _dirhams = await two_offers(market)
    trading = TradingService(market.sessions, market.transfer_events, Blocked())
    accepted = await trading.accept_offer(TWMM_TRADER, euros)
    assert accepted.transfer.status is TransferStatus.BLOCKED
    assert accepted.transfer.clearance_decision == {"rule": "CN-relics-1", "item": accepted.transfer.item_id}
    async with market.sessions() as session:
        held = await escrow_for(session, f"transfer:{accepted.transfer.id}")
        buyer = await balance(session, Account(AccountKind.INSTITUTION, "MNAA"), "EUR")
    assert held is not None and held.state is EscrowState.RETURNED
    assert buyer.is_zero()
    [totals] = await trading.escrow_balances(MNAA_TRADER)
    assert (str(totals.held), str(totals.returned)) == ("0.00 EUR", "110000.00 EUR")


async def test_accept_offer_writes_nothing_when_the_clearance_hook_fails(market: Hub) -> None:
    _listing, euros, _dirhams = await two_offers(market)
    trading = TradingService(market.sessions, market.transfer_events, Broken())
    before = await snapshot(market)
    with pytest.raises(RuntimeError, match="unreadable"):
        await trading.accept_offer(TWMM_TRADER, euros)
    assert await snapshot(market) == before
