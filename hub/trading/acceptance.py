"""Accepting an offer: the listing closes, the other offers are declined, the transfer starts in the state the
clearance hook gives, and the buyer's payment is held in escrow; all in the caller's one transaction.

Exactly one offer per listing is ever accepted: the acceptance starts by locking the listing's row (an UPDATE,
which PostgreSQL locks until commit and SQLite serializes), and every other change on the listing or its offers
starts the same way, so each sees the state the one before it committed.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.log import append_entry
from hub.core.clock import utc_now
from hub.money import escrow, fx_rates
from hub.money.errors import MoneyError
from hub.money.money import Money
from hub.trading.clearance_hook import INITIAL_STATES, AcceptanceClearance, ClearanceOutcome, TransferFacts
from hub.trading.errors import TradingErrorCode, refusal
from hub.trading.events import note_transfer_change
from hub.trading.listings import (
    IN_TRANSFER,
    LISTING_NOT_OPEN,
    NOT_OWN_LISTING,
    active_transfer,
    decline_open_offers,
    lock_listing,
    seller_of,
)
from hub.trading.models import Listing, Offer, Transfer
from hub.trading.offers import check_open, load_offer
from hub.trading.records import AcceptanceOutcome
from hub.trading.states import (
    ListingKind,
    ListingStatus,
    OfferStatus,
    TransferLeg,
    TransferStatus,
)
from hub.trading.views import institutions, listing_record, offer_record, transfer_record


def escrow_reference(transfer_id: int) -> str:
    return f"transfer:{transfer_id}"


async def _claim(session: AsyncSession, seller: str, offer_id: int) -> tuple[Listing, Offer, tuple[str, str]]:
    """The offer and its listing (locked), with the seller's (code, country), once every check has passed."""
    first_look = await load_offer(session, offer_id)
    listing = await lock_listing(session, first_look.listing_id, "offer_id")
    offer = await load_offer(session, offer_id)
    owner = await seller_of(session, listing)
    if owner[0] != seller:
        raise refusal(
            TradingErrorCode.NOT_OWN_LISTING,
            "offer_id",
            NOT_OWN_LISTING,
            listing=listing.id,
            owner=owner[0],
            institution=seller,
        )
    if listing.status != ListingStatus.OPEN.value:
        raise refusal(
            TradingErrorCode.LISTING_NOT_OPEN, "offer_id", LISTING_NOT_OPEN, listing=listing.id, status=listing.status
        )
    check_open(offer, utc_now())
    active = await active_transfer(session, listing.item_id)
    if active is not None:
        raise refusal(TradingErrorCode.ITEM_IN_TRANSFER, "offer_id", IN_TRANSFER, item=listing.item_id, transfer=active)
    return listing, offer, owner


async def _start_transfer(
    session: AsyncSession, actor: str, listing: Listing, offer: Offer, facts: TransferFacts, decision: ClearanceOutcome
) -> Transfer:
    """The transfer row in the state the clearance hook gave, with the buyer's payment held (and returned at once
    when the transfer is BLOCKED)."""
    now = utc_now()
    row = Transfer(
        item_id=listing.item_id,
        listing_id=listing.id,
        offer_id=offer.id,
        seller_id=listing.seller_id,
        buyer_id=offer.buyer_id,
        price_minor=facts.price.minor,
        currency=facts.price.currency,
        kind=listing.kind,
        leg=TransferLeg.OUTBOUND.value,
        origin_country=facts.origin_country,
        destination_country=facts.destination_country,
        status=decision.status.value,
        clearance_decision=decision.decision,
        version=0,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    reference = row.escrow_reference = escrow_reference(row.id)
    await session.flush()
    places = sorted({facts.origin_country, facts.destination_country})
    await escrow.hold(session, actor, facts.buyer, facts.seller, facts.price, reference, places)
    if decision.status is TransferStatus.BLOCKED:
        await escrow.return_to_buyer(session, actor, reference, places)
    return row


async def accept_offer(
    session: AsyncSession, actor: str, seller: str, offer_id: int, clearance: AcceptanceClearance
) -> AcceptanceOutcome:
    listing, offer, owner = await _claim(session, seller, offer_id)
    now = utc_now()
    listing.status, listing.updated_at = ListingStatus.CLOSED.value, now
    offer.status, offer.decided_at = OfferStatus.ACCEPTED.value, now
    declined = await decline_open_offers(session, listing.id, now, keep=offer.id)
    buyer = (await institutions(session, [offer.buyer_id]))[offer.buyer_id]
    facts = TransferFacts(
        item_id=listing.item_id,
        seller=owner[0],
        buyer=buyer[0],
        origin_country=owner[1],
        destination_country=offer.destination_country,
        price=Money.from_minor(offer.amount_minor, offer.currency),
        kind=ListingKind(listing.kind),
    )
    decision = await clearance(session, facts)
    if decision.status not in INITIAL_STATES:
        raise ValueError(f"the clearance hook answered {decision.status.value}, not one of the initial states")
    row = await _start_transfer(session, actor, listing, offer, facts, decision)
    transfer = await transfer_record(session, row)
    payload = {
        "transfer": row.id,
        "offer": offer.id,
        "listing": listing.id,
        "item": listing.item_id,
        "seller": owner[0],
        "buyer": buyer[0],
        "price": facts.price.to_json(),
        "in_listing_currency": await _in_listing_currency(session, facts.price, listing, row.id),
        "kind": listing.kind,
        "status": decision.status.value,
        "declined_offers": declined,
        "clearance_decision": decision.decision,
    }
    await append_entry(session, actor, "trading.offer_accepted", f"transfer:{row.id}", transfer.jurisdictions, payload)
    note_transfer_change(session, transfer)
    return AcceptanceOutcome(
        transfer=transfer,
        offer=await offer_record(session, offer),
        listing=listing_record(listing, owner),
        declined_offer_ids=tuple(declined),
    )


async def _in_listing_currency(
    session: AsyncSession, price: Money, listing: Listing, transfer_id: int
) -> dict[str, object] | None:
    """The price in the listing's currency at acceptance, recorded with its rates; None without a rate now."""
    if price.currency == listing.asking_currency:
        return None
    try:
        conversion = await fx_rates.convert(session, price, listing.asking_currency)
    except MoneyError:
        return None
    await fx_rates.record_conversion(session, conversion, escrow_reference(transfer_id))
    return conversion.to_json()


async def existing_acceptance(session: AsyncSession, transfer_id: int, declined: Sequence[int]) -> AcceptanceOutcome:
    row = await session.get(Transfer, transfer_id, populate_existing=True)
    assert row is not None and row.offer_id is not None
    listing = await session.get(Listing, row.listing_id, populate_existing=True)
    offer = await session.get(Offer, row.offer_id, populate_existing=True)
    assert listing is not None and offer is not None
    return AcceptanceOutcome(
        transfer=await transfer_record(session, row),
        offer=await offer_record(session, offer),
        listing=listing_record(listing, await seller_of(session, listing)),
        declined_offer_ids=tuple(declined),
    )
