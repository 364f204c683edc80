"""Trading tables: listings of catalogue items, offers on them, and the transfers accepted offers start.

Amounts are integer counts of the currency's minor units (like the ledger's), so price filters compare
exactly in SQL. The database enforces what must hold whatever the code does: at most one OPEN listing per item
and at most one active transfer per item (partial unique indexes on SQLite and PostgreSQL), at most one
transfer per accepted offer, and the allowed values of every state.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from hub.core.clock import utc_now
from hub.db import Base

OPEN_LISTING = "status = 'OPEN'"
ACTIVE_TRANSFER = "status IN ('AWAITING_EXPORT_LICENCE', 'AWAITING_CUSTOMS', 'IN_TRANSIT', 'ARRIVED')"
LISTING_KINDS = "kind IN ('SALE', 'LOAN')"
LISTING_STATES = "status IN ('OPEN', 'WITHDRAWN', 'CLOSED')"
OFFER_STATES = "status IN ('OPEN', 'WITHDRAWN', 'DECLINED', 'ACCEPTED', 'EXPIRED')"
TRANSFER_STATES = (
    "status IN ('BLOCKED', 'AWAITING_EXPORT_LICENCE', 'AWAITING_CUSTOMS', 'IN_TRANSIT', 'ARRIVED', "
    "'COMPLETED', 'REJECTED', 'CANCELLED')"
)
TRANSFER_LEGS = "leg IN ('OUTBOUND', 'RETURN')"
LOAN_TERMS = (
    "(kind = 'SALE' AND exhibition IS NULL AND venue_country IS NULL AND return_date IS NULL "
    "AND loan_fee_minor IS NULL AND loan_fee_currency IS NULL) OR "
    "(kind = 'LOAN' AND exhibition IS NOT NULL AND venue_country IS NOT NULL AND return_date IS NOT NULL "
    "AND loan_fee_minor IS NOT NULL AND loan_fee_currency IS NOT NULL)"
)


class Listing(Base):
    """An item of the seller's catalogue offered for sale, or for a loan to an exhibition."""

    __tablename__ = "listings"
    __table_args__ = (
        CheckConstraint(LISTING_KINDS, name="kind"),
        CheckConstraint(LISTING_STATES, name="status"),
        CheckConstraint("asking_minor > 0", name="asking_positive"),
        CheckConstraint("loan_fee_minor IS NULL OR loan_fee_minor >= 0", name="loan_fee_not_negative"),
        CheckConstraint(LOAN_TERMS, name="loan_terms"),
        Index(
            "uq_listings_open_item",
            "item_id",
            unique=True,
            sqlite_where=text(OPEN_LISTING),
            postgresql_where=text(OPEN_LISTING),
        ),
        Index("ix_listings_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_items.id"), index=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    asking_minor: Mapped[int] = mapped_column(BigInteger)
    asking_currency: Mapped[str] = mapped_column(String(3))
    exhibition: Mapped[str | None] = mapped_column(String(255))
    venue_country: Mapped[str | None] = mapped_column(String(2))
    return_date: Mapped[date | None]
    loan_fee_minor: Mapped[int | None] = mapped_column(BigInteger)
    loan_fee_currency: Mapped[str | None] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=0)
    """Bumped by every change: the first statement of a change on the listing, which locks its row."""
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class Offer(Base):
    """A buyer's offer on a listing, in any supported currency, with the conversion into the listing's currency
    made when it was placed (`conversion_id`, with the rates used)."""

    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint(OFFER_STATES, name="status"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        Index("ix_offers_listing_status", "listing_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    destination_country: Mapped[str] = mapped_column(String(2))
    expires_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    conversion_id: Mapped[int | None] = mapped_column(ForeignKey("fx_conversions.id"))
    """The offer in the listing's currency at placement; None when both currencies are the same."""
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    decided_at: Mapped[datetime | None]
    """When it left OPEN (withdrawn, declined, accepted, expired)."""


class Transfer(Base):
    """The movement of an item from seller to buyer that an accepted offer starts, through clearance to delivery;
    a loan's way back is a second transfer (leg RETURN) whose parent is the outbound one."""

    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint(TRANSFER_STATES, name="status"),
        CheckConstraint(LISTING_KINDS, name="kind"),
        CheckConstraint(TRANSFER_LEGS, name="leg"),
        CheckConstraint("price_minor >= 0", name="price_not_negative"),
        CheckConstraint(
            "(leg = 'OUTBOUND' AND parent_transfer_id IS NULL AND offer_id IS NOT NULL) OR "
            "(leg = 'RETURN' AND parent_transfer_id IS NOT NULL AND offer_id IS NULL)",
            name="leg_origin",
        ),
        Index(
            "uq_transfers_active_item",
            "item_id",
            unique=True,
            sqlite_where=text(ACTIVE_TRANSFER),
            postgresql_where=text(ACTIVE_TRANSFER),
        ),
        Index("ix_transfers_origin_country", "origin_country", "id"),
        Index("ix_transfers_destination_country", "destination_country", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_items.id"), index=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"), unique=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(8))
    leg: Mapped[str] = mapped_column(String(8))
    parent_transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"), unique=True)
    origin_country: Mapped[str] = mapped_column(String(2))
    destination_country: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(32))
    clearance_decision: Mapped[dict[str, Any]] = mapped_column(JSON)
    """What the clearance hook decided at acceptance (opaque to trading: the compliance engine's record)."""
    escrow_reference: Mapped[str | None] = mapped_column(String(255))
    """The escrow holding the buyer's payment ('transfer:<id>'); None for a return leg (nothing is paid)."""
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
