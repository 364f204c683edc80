"""Property: whatever sequence of listings, offers, withdrawals, acceptances and cancellations the traders send
(most of them refused), the books balance, no listing has two accepted offers, no item two active transfers,
and the escrow holds exactly the prices of the active transfers."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from hub.app import Hub
from hub.auth.principal import Principal
from hub.catalogue.models import Institution
from hub.core.user_errors import Refused
from hub.money.escrow import EscrowState, escrow_summary
from hub.money.models import EscrowHold
from hub.money.money import Money
from hub.trading.models import Listing, Offer, Transfer
from hub.trading.states import ACTIVE_TRANSFER_STATES, ListingStatus, OfferStatus, TransferStatus
from tests.hub.money.ledger_checks import unbalanced_transactions
from tests.hub.trading.conftest import CRECC_TRADER, LAD_TRADER, MNAA_TRADER, TWMM_TRADER, item_id, offer, sale

TRADERS = (TWMM_TRADER, CRECC_TRADER, MNAA_TRADER, LAD_TRADER)
ITEMS = ("TW-0001", "TW-0002", "TW-0003", "CR-0001")
ITEM_OWNERS = ("TWMM", "TWMM", "TWMM", "CRECC")
CURRENCIES = ("CNY", "EUR", "USD", "AED", "JPY")
ACTIVE = [s.value for s in ACTIVE_TRANSFER_STATES]

trader = st.integers(0, len(TRADERS) + 1)
"""0 and 1: whoever may do it (the item's owner, the listing's seller, the offer's buyer, a party, a buyer for an
offer); else one of the traders."""
pick = st.integers(0, 3)
"""Which listing, offer or transfer: 0 the newest (open one, to offer on or accept), 1 the one before, ..."""
money = st.tuples(st.integers(1, 10**9), st.sampled_from(CURRENCIES))
listings = st.tuples(st.just("list"), trader, st.integers(0, len(ITEMS) - 1), money)
offers = st.tuples(st.just("offer"), trader, pick, money)
acceptances = st.tuples(st.just("accept"), trader, pick)
operations = st.lists(
    st.one_of(
        listings,
        listings,
        offers,
        offers,
        offers,
        acceptances,
        acceptances,
        st.tuples(st.just("withdraw_listing"), trader, pick),
        st.tuples(st.just("withdraw_offer"), trader, pick),
        st.tuples(st.just("cancel"), trader, pick),
    ),
    min_size=6,
    max_size=16,
)
BY_CODE = {p.institution: p for p in TRADERS}


async def newest(hub: Hub, model: type[Listing] | type[Offer] | type[Transfer], back: int, *where: Any) -> int:
    """Among the rows of `model` matching `where`, newest first, the one at `back` (modulo their number); 1 if
    there is none (refused as unknown, or as not open)."""
    async with hub.sessions() as session:
        found = list(await session.scalars(select(model.id).where(*where).order_by(model.id.desc()).limit(10)))
    return found[back % len(found)] if found else 1


async def party(hub: Hub, column: Any, row_id: int, *joins: Any) -> str:
    """The code of the institution `column` (like Listing.seller_id) names in row `row_id`."""
    statement = select(Institution.code).join(column.class_, column == Institution.id)
    for target, condition in joins:
        statement = statement.join(target, condition)
    async with hub.sessions() as session:
        return (
            await session.scalar(statement.where(joins[-1][0].id == row_id if joins else column.class_.id == row_id))
            or "TWMM"
        )


def actor(who: int, rightful: str) -> Principal:
    return BY_CODE[rightful] if who < 2 else TRADERS[who - 2]


async def apply(hub: Hub, items: list[int], operation: tuple[Any, ...]) -> None:
    kind, who, *rest = operation
    t = hub.trading
    if kind in ("list", "offer"):
        units, currency = rest[1]
        amount = str(Money.from_minor(units, currency).amount)
        if kind == "list":
            await t.create_listing(actor(who, ITEM_OWNERS[rest[0]]), sale(items[rest[0]], amount, currency))
        else:
            bid = offer(await newest(hub, Listing, rest[0], Listing.status == "OPEN"), amount, currency)
            await t.place_offer(actor(who, ("MNAA", "LAD")[rest[0] % 2]), bid)
    elif kind == "withdraw_listing":
        listing = await newest(hub, Listing, rest[0])
        await t.withdraw_listing(actor(who, await party(hub, Listing.seller_id, listing)), listing)
    elif kind == "withdraw_offer":
        bid_id = await newest(hub, Offer, rest[0])
        await t.withdraw_offer(actor(who, await party(hub, Offer.buyer_id, bid_id)), bid_id)
    elif kind == "accept":
        bid_id = await newest(hub, Offer, rest[0], Offer.status == "OPEN")
        seller = await party(hub, Listing.seller_id, bid_id, (Offer, Offer.listing_id == Listing.id))
        await t.accept_offer(actor(who, seller), bid_id)
    else:
        transfer = await newest(hub, Transfer, rest[0])
        await t.cancel_transfer(actor(who, await party(hub, Transfer.buyer_id, transfer)), transfer)


async def check_market(hub: Hub) -> None:
    assert await unbalanced_transactions(hub) == []
    async with hub.sessions() as session:
        accepted = await session.execute(
            select(Offer.listing_id, func.count())
            .where(Offer.status == OfferStatus.ACCEPTED.value)
            .group_by(Offer.listing_id)
        )
        accepted_per_listing = dict(accepted.all())
        assert all(count == 1 for count in accepted_per_listing.values()), accepted_per_listing
        for listing in await session.scalars(select(Listing)):
            closed = listing.status == ListingStatus.CLOSED.value
            assert (listing.id in accepted_per_listing) == closed, listing.id
        active = await session.execute(
            select(Transfer.item_id, func.count()).where(Transfer.status.in_(ACTIVE)).group_by(Transfer.item_id)
        )
        assert all(count == 1 for _, count in active), "an item has two active transfers"
        held: dict[tuple[str, str], int] = defaultdict(int)
        rows = await session.execute(
            select(Transfer, EscrowHold.state, Institution.code)
            .join(EscrowHold, EscrowHold.reference == Transfer.escrow_reference)
            .join(Institution, Institution.id == Transfer.buyer_id)
        )
        for transfer, escrow_state, buyer in rows:
            state = EscrowState(escrow_state)
            assert (state is EscrowState.HELD) == (transfer.status in ACTIVE), (transfer.id, transfer.status)
            if TransferStatus(transfer.status) is TransferStatus.CANCELLED:
                assert state is EscrowState.RETURNED
            if state is EscrowState.HELD:
                held[buyer, transfer.currency] += transfer.price_minor
        summary = {
            (code, totals.currency): totals.held.minor
            for code in ("MNAA", "LAD", "TWMM", "CRECC")
            for totals in await escrow_summary(session, code)
            if totals.held.minor
        }
    assert summary == held


@settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations)
async def test_market_any_sequence_keeps_books_balanced_and_one_acceptance_per_listing(
    market: Hub, sequence: list[tuple[Any, ...]]
) -> None:
    items = [await item_id(market, source_id) for source_id in ITEMS]
    for operation in sequence:
        with contextlib.suppress(Refused):
            await apply(market, items, operation)
    await check_market(market)
