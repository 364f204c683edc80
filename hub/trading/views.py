"""Rows to records: the stored listings, offers and transfers as the services return them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.catalogue.models import Institution
from hub.core.clock import utc_now
from hub.money.models import FxConversionRecord
from hub.money.money import Money
from hub.trading.models import Listing, Offer, Transfer
from hub.trading.records import (
    ListingRecord,
    LoanDetails,
    OfferRecord,
    StoredConversion,
    TransferRecord,
)
from hub.trading.states import ListingKind, ListingStatus, OfferStatus, TransferLeg, TransferStatus

OPEN = OfferStatus.OPEN.value
KNOWN_INSTITUTIONS = "hub.trading.known_institutions"


async def institutions(session: AsyncSession, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(code, country) of each institution id; remembered for the rest of the session (codes never change)."""
    known: dict[int, tuple[str, str]] = session.info.setdefault(KNOWN_INSTITUTIONS, {})
    wanted = sorted(set(ids) - set(known))
    if wanted:
        rows = await session.execute(
            select(Institution.id, Institution.code, Institution.country).where(Institution.id.in_(wanted))
        )
        known.update({id_: (code, country) for id_, code, country in rows})
    return known


def listing_record(row: Listing, seller: tuple[str, str]) -> ListingRecord:
    loan = None
    if row.kind == ListingKind.LOAN.value:
        assert row.exhibition and row.venue_country and row.return_date and row.loan_fee_currency
        assert row.loan_fee_minor is not None
        loan = LoanDetails(
            row.exhibition,
            row.venue_country,
            row.return_date,
            Money.from_minor(row.loan_fee_minor, row.loan_fee_currency),
        )
    return ListingRecord(
        id=row.id,
        item_id=row.item_id,
        seller=seller[0],
        seller_country=seller[1],
        kind=ListingKind(row.kind),
        asking_price=Money.from_minor(row.asking_minor, row.asking_currency),
        loan=loan,
        status=ListingStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def listing_records(session: AsyncSession, rows: list[Listing]) -> list[ListingRecord]:
    places = await institutions(session, (row.seller_id for row in rows))
    return [listing_record(row, places[row.seller_id]) for row in rows]


def conversion_record(row: FxConversionRecord) -> StoredConversion:
    return StoredConversion(
        id=row.id,
        at=row.at,
        source=Money(row.source_amount, row.source_currency),
        result=Money(row.amount, row.currency),
        effective_rate=row.effective_rate,
        legs=tuple(row.legs),
    )


async def offer_records(session: AsyncSession, rows: list[Offer]) -> list[OfferRecord]:
    places = await institutions(session, (row.buyer_id for row in rows))
    conversion_ids = [row.conversion_id for row in rows if row.conversion_id is not None]
    conversions: dict[int, StoredConversion] = {}
    if conversion_ids:
        stored = await session.scalars(select(FxConversionRecord).where(FxConversionRecord.id.in_(conversion_ids)))
        conversions = {row.id: conversion_record(row) for row in stored}
    now = utc_now()
    return [
        OfferRecord(
            id=row.id,
            listing_id=row.listing_id,
            buyer=places[row.buyer_id][0],
            amount=Money.from_minor(row.amount_minor, row.currency),
            destination_country=row.destination_country,
            expires_at=row.expires_at,
            status=OfferStatus.EXPIRED if row.status == OPEN and row.expires_at <= now else OfferStatus(row.status),
            created_at=row.created_at,
            decided_at=row.decided_at,
            at_placement=conversions.get(row.conversion_id) if row.conversion_id is not None else None,
        )
        for row in rows
    ]


async def offer_record(session: AsyncSession, row: Offer) -> OfferRecord:
    [record] = await offer_records(session, [row])
    return record


async def transfer_records(session: AsyncSession, rows: list[Transfer]) -> list[TransferRecord]:
    places = await institutions(session, [i for row in rows for i in (row.seller_id, row.buyer_id)])
    return [
        TransferRecord(
            id=row.id,
            item_id=row.item_id,
            listing_id=row.listing_id,
            offer_id=row.offer_id,
            seller=places[row.seller_id][0],
            buyer=places[row.buyer_id][0],
            price=Money.from_minor(row.price_minor, row.currency),
            kind=ListingKind(row.kind),
            leg=TransferLeg(row.leg),
            parent_transfer_id=row.parent_transfer_id,
            origin_country=row.origin_country,
            destination_country=row.destination_country,
            status=TransferStatus(row.status),
            clearance_decision=dict(row.clearance_decision),
            escrow_reference=row.escrow_reference,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
        for row in rows
    ]


async def transfer_record(session: AsyncSession, row: Transfer) -> TransferRecord:
    [record] = await transfer_records(session, [row])
    return record


async def listing_by_id(session: AsyncSession, listing_id: int) -> ListingRecord | None:
    row = await session.get(Listing, listing_id, populate_existing=True)
    return None if row is None else (await listing_records(session, [row]))[0]
