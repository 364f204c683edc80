"""Placing and withdrawing offers, and reading them: the seller sees each in its listing's currency."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.log import append_entry
from hub.auth.principal import Principal
from hub.auth.scopes import TRADE_READ
from hub.catalogue.models import Institution
from hub.core.clock import utc_now
from hub.core.translations import N_
from hub.core.user_errors import CommonErrorCode
from hub.money import fx, fx_rates
from hub.money.errors import MoneyError, MoneyErrorCode
from hub.money.fx import Conversion
from hub.money.money import Money
from hub.trading.errors import TradingErrorCode, refusal
from hub.trading.inputs import OfferInput
from hub.trading.listings import (
    LISTING_NOT_OPEN,
    LISTING_UNKNOWN,
    NOT_OWN_LISTING,
    country_code,
    lock_listing,
    money_input,
    seller_of,
)
from hub.trading.models import Listing, Offer
from hub.trading.records import OfferForSeller, OfferRecord
from hub.trading.states import ListingStatus, OfferStatus
from hub.trading.views import institutions, offer_record, offer_records

MAX_OFFER_LIFETIME = timedelta(days=366)
MAX_OPEN_OFFERS_PER_BUYER = 10
"""Open offers one buyer may have on one listing: a bound on what one client can make the seller read."""
MAX_OFFERS_SHOWN = 500

OWN_LISTING = N_("Listing {listing} is your own ({institution}): you cannot offer on it.")
EXPIRY_PAST = N_("The offer must expire in the future, not at {expires_at}.")
EXPIRY_TOO_LATE = N_("The offer must expire within {days} days, not at {expires_at}.")
EXPIRY_NAIVE = N_("The expiry {expires_at} needs a time zone.")
TOO_MANY = N_("{institution} already has {count} open offers on listing {listing}; withdraw one first.")
NO_RATE = N_("No FX rate converts {currency} into the listing's {listing_currency} now: {detail}")
OFFER_UNKNOWN = N_("There is no offer {offer}.")
NOT_OWN_OFFER = N_("Offer {offer} was made by {buyer}, not by {institution}.")
OFFER_NOT_OPEN = N_("Offer {offer} is {status}, not OPEN.")
OFFER_EXPIRED = N_("Offer {offer} expired at {expires_at}.")


def _expiry(value: object, now: datetime) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise refusal(TradingErrorCode.INVALID_EXPIRY, "expires_at", EXPIRY_NAIVE, expires_at=repr(value)[:40])
    if value <= now:
        raise refusal(TradingErrorCode.INVALID_EXPIRY, "expires_at", EXPIRY_PAST, expires_at=value.isoformat())
    if value > now + MAX_OFFER_LIFETIME:
        raise refusal(
            TradingErrorCode.INVALID_EXPIRY,
            "expires_at",
            EXPIRY_TOO_LATE,
            days=MAX_OFFER_LIFETIME.days,
            expires_at=value.isoformat(),
        )
    return value


async def _open_listing_of_another(
    session: AsyncSession, buyer: str, listing_id: int
) -> tuple[Listing, tuple[str, str], Institution]:
    """The listing (locked), its seller (code, country) and the buyer, if the buyer may offer on it now."""
    listing = await lock_listing(session, listing_id)
    seller = await seller_of(session, listing)
    if listing.status != ListingStatus.OPEN.value:
        raise refusal(
            TradingErrorCode.LISTING_NOT_OPEN, "listing_id", LISTING_NOT_OPEN, listing=listing.id, status=listing.status
        )
    if seller[0] == buyer:
        raise refusal(TradingErrorCode.OWN_LISTING, "listing_id", OWN_LISTING, listing=listing.id, institution=buyer)
    institution = await session.scalar(select(Institution).where(Institution.code == buyer))
    assert institution is not None, f"the token's institution {buyer} is not registered"
    open_offers = await session.scalar(
        select(func.count(Offer.id)).where(
            Offer.listing_id == listing.id, Offer.buyer_id == institution.id, Offer.status == OfferStatus.OPEN.value
        )
    )
    if (open_offers or 0) >= MAX_OPEN_OFFERS_PER_BUYER:
        raise refusal(
            TradingErrorCode.TOO_MANY_OFFERS,
            "listing_id",
            TOO_MANY,
            institution=buyer,
            count=open_offers,
            listing=listing.id,
        )
    return listing, seller, institution


async def _in_listing_currency(
    session: AsyncSession, amount: Money, listing: Listing, now: datetime
) -> Conversion | None:
    """`amount` in the listing's currency at `now` (None when it is already); NO_FX_RATE without a rate."""
    if amount.currency == listing.asking_currency:
        return None
    try:
        return await fx_rates.convert(session, amount, listing.asking_currency, now)
    except MoneyError as exc:
        if exc.code is not MoneyErrorCode.NO_FX_RATE:
            raise
        raise refusal(
            TradingErrorCode.NO_FX_RATE,
            "amount.currency",
            NO_RATE,
            currency=amount.currency,
            listing_currency=listing.asking_currency,
            detail=exc.message,
        ) from None


async def place_offer(session: AsyncSession, actor: str, buyer: str, data: OfferInput) -> OfferRecord:
    now = utc_now()
    amount = money_input(data.amount, "amount")
    expires_at = _expiry(data.expires_at, now)
    given_destination = (
        country_code(data.destination_country, "destination_country") if data.destination_country else None
    )
    listing, seller, institution = await _open_listing_of_another(session, buyer, data.listing_id)
    destination = given_destination or listing.venue_country or institution.country
    conversion = await _in_listing_currency(session, amount, listing, now)
    row = Offer(
        listing_id=listing.id,
        buyer_id=institution.id,
        amount_minor=amount.minor,
        currency=amount.currency,
        destination_country=destination,
        expires_at=expires_at,
        status=OfferStatus.OPEN.value,
        created_by=actor,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    if conversion is not None:
        row.conversion_id = await fx_rates.record_conversion(session, conversion, f"offer:{row.id}")
        await session.flush()
    payload = {
        "offer": row.id,
        "listing": listing.id,
        "buyer": buyer,
        "seller": seller[0],
        "amount": amount.to_json(),
        "in_listing_currency": conversion.to_json() if conversion else None,
        "destination_country": destination,
        "expires_at": expires_at.isoformat(),
    }
    await append_entry(session, actor, "trading.offer_placed", f"offer:{row.id}", [seller[1], destination], payload)
    return await offer_record(session, row)


async def load_offer(session: AsyncSession, offer_id: int, field: str = "offer_id") -> Offer:
    row = await session.get(Offer, offer_id, populate_existing=True)
    if row is None:
        raise refusal(CommonErrorCode.NOT_FOUND, field, OFFER_UNKNOWN, offer=offer_id)
    return row


def check_open(offer: Offer, now: datetime) -> None:
    """Refuses an offer that is no longer open, or open but past its expiry."""
    if offer.status != OfferStatus.OPEN.value:
        raise refusal(TradingErrorCode.OFFER_NOT_OPEN, "offer_id", OFFER_NOT_OPEN, offer=offer.id, status=offer.status)
    if offer.expires_at <= now:
        raise refusal(
            TradingErrorCode.OFFER_EXPIRED,
            "offer_id",
            OFFER_EXPIRED,
            offer=offer.id,
            expires_at=offer.expires_at.isoformat(),
        )


async def withdraw_offer(session: AsyncSession, actor: str, buyer: str, offer_id: int) -> OfferRecord:
    first_look = await load_offer(session, offer_id)
    listing = await lock_listing(session, first_look.listing_id, "offer_id")
    offer = await load_offer(session, offer_id)  # as it is now that its listing is locked
    made_by = (await institutions(session, [offer.buyer_id]))[offer.buyer_id]
    if made_by[0] != buyer:
        raise refusal(
            TradingErrorCode.NOT_OWN_OFFER,
            "offer_id",
            NOT_OWN_OFFER,
            offer=offer_id,
            buyer=made_by[0],
            institution=buyer,
        )
    now = utc_now()
    check_open(offer, now)
    offer.status = OfferStatus.WITHDRAWN.value
    offer.decided_at = now
    await session.flush()
    seller = await seller_of(session, listing)
    payload = {"offer": offer_id, "listing": listing.id, "buyer": buyer}
    places = [seller[1], offer.destination_country]
    await append_entry(session, actor, "trading.offer_withdrawn", f"offer:{offer_id}", places, payload)
    return await offer_record(session, offer)


async def offers_for_seller(session: AsyncSession, seller: str, listing_id: int) -> list[OfferForSeller]:
    listing = await session.get(Listing, listing_id)
    if listing is None:
        raise refusal(CommonErrorCode.NOT_FOUND, "listing_id", LISTING_UNKNOWN, listing=listing_id)
    owner = await seller_of(session, listing)
    if owner[0] != seller:
        raise refusal(
            TradingErrorCode.NOT_OWN_LISTING,
            "listing_id",
            NOT_OWN_LISTING,
            listing=listing_id,
            owner=owner[0],
            institution=seller,
        )
    rows = list(
        await session.scalars(
            select(Offer).where(Offer.listing_id == listing_id).order_by(Offer.id).limit(MAX_OFFERS_SHOWN)
        )
    )
    records = await offer_records(session, rows)
    now = utc_now()
    book = await fx_rates.rate_book(session, {r.amount.currency for r in records} | {listing.asking_currency}, now)
    return [OfferForSeller(r, fx.convert(book, r.amount, listing.asking_currency, now)) for r in records]


async def own_offers(session: AsyncSession, buyer: str, listing_id: int | None) -> list[OfferRecord]:
    stmt = (
        select(Offer)
        .join(Institution, Institution.id == Offer.buyer_id)
        .where(Institution.code == buyer)
        .order_by(Offer.id.desc())
        .limit(MAX_OFFERS_SHOWN)
    )
    if listing_id is not None:
        stmt = stmt.where(Offer.listing_id == listing_id)
    return await offer_records(session, list(await session.scalars(stmt)))


async def visible_offer(session: AsyncSession, principal: Principal, offer_id: int) -> OfferRecord | None:
    row = await session.get(Offer, offer_id)
    if row is None:
        return None
    listing = await session.get(Listing, row.listing_id)
    assert listing is not None
    places = await institutions(session, [row.buyer_id, listing.seller_id])
    parties = (places[row.buyer_id][0], places[listing.seller_id][0])
    if not any(principal.may(TRADE_READ, institution=party) for party in parties):
        return None
    return await offer_record(session, row)


async def existing_offer(session: AsyncSession, offer_id: int) -> OfferRecord:
    return await offer_record(session, await load_offer(session, offer_id))
