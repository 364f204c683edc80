"""Listing an item, withdrawing a listing; and the row lock every change on a listing starts with."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.log import append_entry
from hub.catalogue.models import CatalogueItem, Institution
from hub.core.clock import utc_now
from hub.core.translations import N_
from hub.core.user_errors import CommonErrorCode
from hub.money.money import Money
from hub.trading.errors import TradingErrorCode, refusal
from hub.trading.inputs import ListingInput, LoanTerms, MoneyInput
from hub.trading.models import Listing, Offer, Transfer
from hub.trading.records import ListingRecord
from hub.trading.states import ACTIVE_TRANSFER_STATES, ListingKind, ListingStatus, OfferStatus
from hub.trading.views import institutions, listing_record

MAX_EXHIBITION = 255

ITEM_UNKNOWN = N_("There is no catalogue item {item}.")
NOT_OWN_ITEM = N_("Item {item} belongs to {owner}, not to {institution}.")
ALREADY_LISTED = N_("Item {item} already has an open listing ({listing}); withdraw it first.")
IN_TRANSFER = N_("Item {item} is being transferred ({transfer}); it cannot be listed until that ends.")
LISTING_UNKNOWN = N_("There is no listing {listing}.")
NOT_OWN_LISTING = N_("Listing {listing} belongs to {owner}, not to {institution}.")
LISTING_NOT_OPEN = N_("Listing {listing} is {status}, not OPEN.")
POSITIVE_PRICE = N_("The asking price must be more than zero, not {amount}.")
LOAN_TERMS_MISSING = N_("A LOAN listing needs its loan terms (exhibition, venue country, return date, loan fee).")
LOAN_TERMS_FOR_SALE = N_("A SALE listing takes no loan terms.")
EXHIBITION_LENGTH = N_("The exhibition's name must be 1 to {limit} characters long.")
BAD_COUNTRY = N_("{value} is not an ISO 3166 country code like FR.")
RETURN_DATE_PAST = N_("The return date {date} must be after today ({today}).")


def country_code(value: object, field: str) -> str:
    """An ISO 3166-1 alpha-2 code (any case) upper-cased, or a refusal naming the value."""
    code = value.strip().upper() if isinstance(value, str) else ""
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise refusal(TradingErrorCode.INVALID_COUNTRY, field, BAD_COUNTRY, value=repr(value)[:40])
    return code


def money_input(value: MoneyInput, field: str, *, allow_zero: bool = False) -> Money:
    """Money from client input; MoneyError (mapped by the service) for a bad amount or currency."""
    money = Money.parse(value.amount, value.currency, field=field)
    if money.is_zero() and not allow_zero:
        raise refusal(TradingErrorCode.ZERO_AMOUNT, f"{field}.amount", POSITIVE_PRICE, amount=str(money))
    return money


def _loan_terms(kind: ListingKind, loan: LoanTerms | None) -> tuple[str, str, date, Money] | None:
    if kind is ListingKind.SALE:
        if loan is not None:
            raise refusal(TradingErrorCode.INVALID_LOAN_TERMS, "loan", LOAN_TERMS_FOR_SALE)
        return None
    if loan is None:
        raise refusal(TradingErrorCode.INVALID_LOAN_TERMS, "loan", LOAN_TERMS_MISSING)
    exhibition = loan.exhibition.strip()
    if not 0 < len(exhibition) <= MAX_EXHIBITION:
        raise refusal(TradingErrorCode.INVALID_LOAN_TERMS, "loan.exhibition", EXHIBITION_LENGTH, limit=MAX_EXHIBITION)
    venue = country_code(loan.venue_country, "loan.venue_country")
    today = utc_now().date()
    if not isinstance(loan.return_date, date) or loan.return_date <= today:
        raise refusal(
            TradingErrorCode.INVALID_LOAN_TERMS,
            "loan.return_date",
            RETURN_DATE_PAST,
            date=str(loan.return_date),
            today=today.isoformat(),
        )
    fee = money_input(loan.loan_fee, "loan.loan_fee", allow_zero=True)
    return exhibition, venue, loan.return_date, fee


async def _own_item(session: AsyncSession, seller: str, item_id: int) -> tuple[CatalogueItem, Institution]:
    found = (
        await session.execute(
            select(CatalogueItem, Institution)
            .join(Institution, Institution.id == CatalogueItem.institution_id)
            .where(CatalogueItem.id == item_id, CatalogueItem.deleted_at.is_(None))
        )
    ).one_or_none()
    if found is None:
        raise refusal(CommonErrorCode.NOT_FOUND, "item_id", ITEM_UNKNOWN, item=item_id)
    item, owner = found
    if owner.code != seller:
        raise refusal(
            TradingErrorCode.NOT_OWN_ITEM, "item_id", NOT_OWN_ITEM, item=item_id, owner=owner.code, institution=seller
        )
    return item, owner


async def active_transfer(session: AsyncSession, item_id: int) -> int | None:
    """The item's transfer under way (awaiting licence or customs, in transit, arrived), if any."""
    return await session.scalar(
        select(Transfer.id).where(
            Transfer.item_id == item_id, Transfer.status.in_([s.value for s in ACTIVE_TRANSFER_STATES])
        )
    )


async def check_listable(session: AsyncSession, item_id: int) -> None:
    """Refuses an item that has an open listing or a transfer under way."""
    open_listing = await session.scalar(
        select(Listing.id).where(Listing.item_id == item_id, Listing.status == ListingStatus.OPEN.value)
    )
    if open_listing is not None:
        raise refusal(
            TradingErrorCode.ITEM_ALREADY_LISTED, "item_id", ALREADY_LISTED, item=item_id, listing=open_listing
        )
    active = await active_transfer(session, item_id)
    if active is not None:
        raise refusal(TradingErrorCode.ITEM_IN_TRANSFER, "item_id", IN_TRANSFER, item=item_id, transfer=active)


async def create_listing(session: AsyncSession, actor: str, seller: str, data: ListingInput) -> ListingRecord:
    kind = ListingKind(data.kind)
    price = money_input(data.asking_price, "asking_price")
    loan = _loan_terms(kind, data.loan)
    item, owner = await _own_item(session, seller, data.item_id)
    await check_listable(session, item.id)
    now = utc_now()
    row = Listing(
        item_id=item.id,
        seller_id=owner.id,
        kind=kind.value,
        asking_minor=price.minor,
        asking_currency=price.currency,
        exhibition=loan[0] if loan else None,
        venue_country=loan[1] if loan else None,
        return_date=loan[2] if loan else None,
        loan_fee_minor=loan[3].minor if loan else None,
        loan_fee_currency=loan[3].currency if loan else None,
        status=ListingStatus.OPEN.value,
        version=0,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    record = listing_record(row, (owner.code, owner.country))
    places = [owner.country] + ([loan[1]] if loan else [])
    payload = {
        "listing": row.id,
        "item": item.id,
        "seller": owner.code,
        "kind": kind.value,
        "asking_price": price.to_json(),
        "loan": data.loan.to_json() if data.loan else None,
    }
    await append_entry(session, actor, "trading.listing_created", f"listing:{row.id}", places, payload)
    return record


async def lock_listing(session: AsyncSession, listing_id: int, field: str = "listing_id") -> Listing:
    """The listing, its row locked until commit (PostgreSQL; on SQLite the write lock serializes writers):
    every change on a listing or its offers starts here, so they happen one after the other."""
    locked = await session.scalar(
        update(Listing).where(Listing.id == listing_id).values(version=Listing.version + 1).returning(Listing.id)
    )
    if locked is None:
        raise refusal(CommonErrorCode.NOT_FOUND, field, LISTING_UNKNOWN, listing=listing_id)
    row = await session.get(Listing, listing_id, populate_existing=True)
    assert row is not None
    return row


async def seller_of(session: AsyncSession, listing: Listing) -> tuple[str, str]:
    return (await institutions(session, [listing.seller_id]))[listing.seller_id]


async def withdraw_listing(session: AsyncSession, actor: str, seller: str, listing_id: int) -> ListingRecord:
    row = await lock_listing(session, listing_id)
    owner = await seller_of(session, row)
    if owner[0] != seller:
        raise refusal(
            TradingErrorCode.NOT_OWN_LISTING,
            "listing_id",
            NOT_OWN_LISTING,
            listing=listing_id,
            owner=owner[0],
            institution=seller,
        )
    if row.status != ListingStatus.OPEN.value:
        raise refusal(
            TradingErrorCode.LISTING_NOT_OPEN, "listing_id", LISTING_NOT_OPEN, listing=listing_id, status=row.status
        )
    now = utc_now()
    row.status = ListingStatus.WITHDRAWN.value
    row.updated_at = now
    declined = await decline_open_offers(session, listing_id, now)
    await session.flush()
    places = [owner[1]] + ([row.venue_country] if row.venue_country else [])
    payload = {"listing": listing_id, "seller": seller, "declined_offers": declined}
    await append_entry(session, actor, "trading.listing_withdrawn", f"listing:{listing_id}", places, payload)
    return listing_record(row, owner)


async def decline_open_offers(
    session: AsyncSession, listing_id: int, now: datetime, keep: int | None = None
) -> list[int]:
    """Declines the listing's open offers (but `keep`), and stores as EXPIRED those past their expiry; the ids
    declined, in order."""
    still_open = [Offer.listing_id == listing_id, Offer.status == OfferStatus.OPEN.value]
    if keep is not None:
        still_open.append(Offer.id != keep)
    await session.execute(
        update(Offer)
        .where(*still_open, Offer.expires_at <= now)
        .values(status=OfferStatus.EXPIRED.value, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    declined = await session.scalars(
        update(Offer)
        .where(*still_open)
        .values(status=OfferStatus.DECLINED.value, decided_at=now)
        .returning(Offer.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(declined)


async def existing_listing(session: AsyncSession, listing_id: int) -> ListingRecord:
    row = await session.get(Listing, listing_id, populate_existing=True)
    assert row is not None, f"listing {listing_id} recorded under an idempotency key is gone"
    return listing_record(row, await seller_of(session, row))
