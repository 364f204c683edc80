from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from hub.app import Hub
from hub.audit.models import AuditEntry
from hub.auth.principal import Principal
from hub.core.user_errors import Refused
from hub.money.escrow import EscrowState, escrow_for
from hub.trading import transfers
from hub.trading.errors import TradingErrorCode
from hub.trading.inputs import ListingInput, LoanTerms, MoneyInput, TransferFilter
from hub.trading.records import TransferRecord
from hub.trading.states import ListingKind, TransferLeg, TransferStatus
from hub.trading.visibility import transfer_visible_to
from tests.hub.trading.conftest import (
    CRECC_TRADER,
    MNAA_TRADER,
    TWMM_TRADER,
    Scene,
    item_id,
    offer,
)

ALL = set(TransferStatus)


def token(client: str, scope: str, *, institution: str | None = None, jurisdiction: str | None = None) -> Principal:
    return Principal(client_id=client, scopes=frozenset({scope}), institution=institution, jurisdiction=jurisdiction)


async def escrow_state(hub: Hub, transfer: TransferRecord) -> EscrowState:
    async with hub.sessions() as session:
        held = await escrow_for(session, f"transfer:{transfer.id}")
    assert held is not None
    return held.state


@pytest.mark.parametrize("party", [TWMM_TRADER, MNAA_TRADER], ids=["seller", "buyer"])
async def test_cancel_transfer_by_either_party_returns_the_escrow(market: Hub, scene: Scene, party: Principal) -> None:
    cancelled = await market.trading.cancel_transfer(party, scene.waiting_transfer)
    assert cancelled.transfer.status is TransferStatus.CANCELLED
    assert await escrow_state(market, cancelled.transfer) is EscrowState.RETURNED
    [totals] = await market.trading.escrow_balances(MNAA_TRADER)
    assert (str(totals.held), str(totals.returned)) == ("0.00 EUR", "7000.00 EUR")
    async with market.sessions() as session:
        entry = (await session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()))).first()
    assert entry is not None
    assert (entry.action, entry.actor, entry.jurisdictions) == (
        "trading.transfer_cancelled",
        party.client_id,
        ["CN", "FR"],
    )
    with pytest.raises(Refused) as again:
        await market.trading.cancel_transfer(party, scene.waiting_transfer)
    assert again.value.errors[0].code is TradingErrorCode.TRANSFER_NOT_CANCELLABLE


async def test_release_escrow_to_seller_pays_the_seller_at_completion(market: Hub, scene: Scene) -> None:
    async with market.sessions.begin() as session:
        for status in (TransferStatus.ARRIVED, TransferStatus.COMPLETED):
            record = await transfers.advance_transfer(
                session, scene.shipped_transfer, ALL, status, "customs-ae", "clearance.test"
            )
        released = await transfers.release_escrow_to_seller(session, record, "customs-ae")
    assert (released.state, released.seller, str(released.amount)) == (EscrowState.RELEASED, "CRECC", "140000.00 AED")
    [totals] = await market.trading.escrow_balances(CRECC_TRADER)
    assert str(totals.received) == "140000.00 AED"


async def test_end_transfer_early_rejects_and_returns_the_escrow(market: Hub, scene: Scene) -> None:
    async with market.sessions.begin() as session:
        ended = await transfers.end_transfer_early(
            session, scene.waiting_transfer, TransferStatus.REJECTED, "licence-cn", {"reason": "grade 1 relic"}
        )
    assert ended.status is TransferStatus.REJECTED
    assert await escrow_state(market, ended) is EscrowState.RETURNED
    with pytest.raises(Refused) as late:
        async with market.sessions.begin() as session:
            await transfers.end_transfer_early(session, scene.waiting_transfer, TransferStatus.CANCELLED, "x")
    assert late.value.errors[0].code is TradingErrorCode.INVALID_TRANSITION


async def test_a_completed_loan_comes_back_on_a_return_leg(market: Hub) -> None:
    t = market.trading
    horse = await item_id(market, "TW-0001")
    terms = LoanTerms("Splendours of the Tang", "FR", date(2031, 3, 31), MoneyInput("15000", "EUR"))
    listing = (
        await t.create_listing(TWMM_TRADER, ListingInput(horse, ListingKind.LOAN, MoneyInput("15000", "EUR"), terms))
    ).listing.id
    bid = (await t.place_offer(MNAA_TRADER, offer(listing, "15000", "EUR"))).offer.id
    outbound = (await t.accept_offer(TWMM_TRADER, bid)).transfer
    async with market.sessions.begin() as session:
        done = await transfers.advance_transfer(session, outbound.id, ALL, TransferStatus.COMPLETED, "x", "test")
        back = await transfers.start_return_leg(session, done, "mnaa-app")
    assert (back.leg, back.parent_transfer_id, back.kind) == (TransferLeg.RETURN, outbound.id, ListingKind.LOAN)
    assert (back.origin_country, back.destination_country, back.status) == (
        "FR",
        "CN",
        TransferStatus.AWAITING_EXPORT_LICENCE,
    )
    assert back.price.is_zero() and back.escrow_reference is None
    with pytest.raises(Refused):  # one way back per loan
        async with market.sessions.begin() as session:
            await transfers.start_return_leg(session, outbound.id, "mnaa-app")


VIEWERS = {
    "seller": token("twmm", "trade:read", institution="TWMM"),
    "buyer": token("mnaa", "trade:read", institution="MNAA"),
    "the camel's buyer": token("lad", "trade:read", institution="LAD"),
    "a trader of neither": token("nlc", "trade:read", institution="NLC"),
    "trade:write only": token("mnaa-w", "trade:write", institution="MNAA"),
    "licence CN": token("lic-cn", "licence:issue", jurisdiction="CN"),
    "licence FR": token("lic-fr", "licence:issue", jurisdiction="FR"),
    "customs CN": token("cus-cn", "customs:clear", jurisdiction="CN"),
    "customs FR": token("cus-fr", "customs:clear", jurisdiction="FR"),
    "customs DE": token("cus-de", "customs:clear", jurisdiction="DE"),
    "audit FR": token("aud-fr", "audit:read", jurisdiction="FR"),
    "audit AE": token("aud-ae", "audit:read", jurisdiction="AE"),
    "admin": token("ops", "hub:admin"),
}
SEES_WAITING = {"seller", "buyer", "licence CN", "customs CN", "customs FR", "audit FR"}
"""The horse's transfer: TWMM (CN) to MNAA (FR)."""
SEES_SHIPPED = {"the camel's buyer", "licence CN", "customs CN", "audit AE"}
"""The camel's transfer: CRECC (CN) to LAD (AE)."""
SEES_NOTHING_AT_ALL = {"trade:write only", "admin"}


async def test_transfer_visibility_follows_the_scopes_and_their_bindings(market: Hub, scene: Scene) -> None:
    for name, viewer in VIEWERS.items():
        waiting = await market.trading.transfer(viewer, scene.waiting_transfer)
        shipped = await market.trading.transfer(viewer, scene.shipped_transfer)
        assert (waiting is not None, shipped is not None) == (name in SEES_WAITING, name in SEES_SHIPPED), name
        if name in SEES_NOTHING_AT_ALL:
            with pytest.raises(Refused):
                await market.trading.transfers(viewer)
            continue
        page = await market.trading.transfers(viewer)
        expected = [scene.shipped_transfer] if name in SEES_SHIPPED else []
        expected += [scene.waiting_transfer] if name in SEES_WAITING else []
        assert [r.id for r in page.rows] == expected, name
        assert page.total_count == len(expected)
        assert all(transfer_visible_to(viewer, r) for r in page.rows)


async def test_transfers_filter_by_status_and_page_with_cursors(market: Hub, scene: Scene) -> None:
    customs = VIEWERS["customs CN"]
    in_transit = await market.trading.transfers(customs, TransferFilter(status=TransferStatus.IN_TRANSIT))
    assert [r.id for r in in_transit.rows] == [scene.shipped_transfer]
    first = await market.trading.transfers(customs, first=1)
    assert (first.has_next_page, first.total_count) == (True, 2)
    rest = await market.trading.transfers(customs, first=1, after=first.cursors[0])
    assert ([r.id for r in rest.rows], rest.has_next_page) == ([scene.waiting_transfer], False)
    lad = await market.trading.transfers(VIEWERS["customs CN"], TransferFilter(institution="lad"))
    assert [r.id for r in lad.rows] == [scene.shipped_transfer]
