"""Trading: listings, offers and transfers.

Revision ID: 0008_trading
Revises: 0007 (0007_rejected_records.py)
Create Date: 2026-11-29

Partial unique indexes (SQLite and PostgreSQL alike) keep at most one OPEN listing per item and at most one
active transfer (awaiting licence or customs, in transit, arrived) per item; a transfer per accepted offer and a
return leg per outbound transfer are unique too.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from hub.db import UTCDateTime
from hub.trading.models import (
    ACTIVE_TRANSFER,
    LISTING_KINDS,
    LISTING_STATES,
    LOAN_TERMS,
    OFFER_STATES,
    OPEN_LISTING,
    TRANSFER_LEGS,
    TRANSFER_STATES,
)

revision: str = "0008_trading"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "listings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("asking_minor", sa.BigInteger(), nullable=False),
        sa.Column("asking_currency", sa.String(length=3), nullable=False),
        sa.Column("exhibition", sa.String(length=255), nullable=True),
        sa.Column("venue_country", sa.String(length=2), nullable=True),
        sa.Column("return_date", sa.Date(), nullable=True),
        sa.Column("loan_fee_minor", sa.BigInteger(), nullable=True),
        sa.Column("loan_fee_currency", sa.String(length=3), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(LISTING_KINDS, name=op.f("ck_listings_kind")),
        sa.CheckConstraint(LISTING_STATES, name=op.f("ck_listings_status")),
        sa.CheckConstraint("asking_minor > 0", name=op.f("ck_listings_asking_positive")),
        sa.CheckConstraint(
            "loan_fee_minor IS NULL OR loan_fee_minor >= 0", name=op.f("ck_listings_loan_fee_not_negative")
        ),
        sa.CheckConstraint(LOAN_TERMS, name=op.f("ck_listings_loan_terms")),
        sa.ForeignKeyConstraint(["item_id"], ["catalogue_items.id"], name=op.f("fk_listings_item_id_catalogue_items")),
        sa.ForeignKeyConstraint(["seller_id"], ["institutions.id"], name=op.f("fk_listings_seller_id_institutions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listings")),
    )
    op.create_index(op.f("ix_listings_item_id"), "listings", ["item_id"], unique=False)
    op.create_index(op.f("ix_listings_seller_id"), "listings", ["seller_id"], unique=False)
    op.create_index("ix_listings_status_id", "listings", ["status", "id"], unique=False)
    op.create_index(
        "uq_listings_open_item",
        "listings",
        ["item_id"],
        unique=True,
        sqlite_where=sa.text(OPEN_LISTING),
        postgresql_where=sa.text(OPEN_LISTING),
    )
    op.create_table(
        "offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("destination_country", sa.String(length=2), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("conversion_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(OFFER_STATES, name=op.f("ck_offers_status")),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_offers_amount_positive")),
        sa.ForeignKeyConstraint(["listing_id"], ["listings.id"], name=op.f("fk_offers_listing_id_listings")),
        sa.ForeignKeyConstraint(["buyer_id"], ["institutions.id"], name=op.f("fk_offers_buyer_id_institutions")),
        sa.ForeignKeyConstraint(
            ["conversion_id"], ["fx_conversions.id"], name=op.f("fk_offers_conversion_id_fx_conversions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
    )
    op.create_index(op.f("ix_offers_buyer_id"), "offers", ["buyer_id"], unique=False)
    op.create_index("ix_offers_listing_status", "offers", ["listing_id", "status"], unique=False)
    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("leg", sa.String(length=8), nullable=False),
        sa.Column("parent_transfer_id", sa.Integer(), nullable=True),
        sa.Column("origin_country", sa.String(length=2), nullable=False),
        sa.Column("destination_country", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("clearance_decision", sa.JSON(), nullable=False),
        sa.Column("escrow_reference", sa.String(length=255), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(TRANSFER_STATES, name=op.f("ck_transfers_status")),
        sa.CheckConstraint(LISTING_KINDS, name=op.f("ck_transfers_kind")),
        sa.CheckConstraint(TRANSFER_LEGS, name=op.f("ck_transfers_leg")),
        sa.CheckConstraint("price_minor >= 0", name=op.f("ck_transfers_price_not_negative")),
        sa.CheckConstraint(
            "(leg = 'OUTBOUND' AND parent_transfer_id IS NULL AND offer_id IS NOT NULL) OR "
            "(leg = 'RETURN' AND parent_transfer_id IS NOT NULL AND offer_id IS NULL)",
            name=op.f("ck_transfers_leg_origin"),
        ),
        sa.ForeignKeyConstraint(["item_id"], ["catalogue_items.id"], name=op.f("fk_transfers_item_id_catalogue_items")),
        sa.ForeignKeyConstraint(["listing_id"], ["listings.id"], name=op.f("fk_transfers_listing_id_listings")),
        sa.ForeignKeyConstraint(["offer_id"], ["offers.id"], name=op.f("fk_transfers_offer_id_offers")),
        sa.ForeignKeyConstraint(["seller_id"], ["institutions.id"], name=op.f("fk_transfers_seller_id_institutions")),
        sa.ForeignKeyConstraint(["buyer_id"], ["institutions.id"], name=op.f("fk_transfers_buyer_id_institutions")),
        sa.ForeignKeyConstraint(
            ["parent_transfer_id"], ["transfers.id"], name=op.f("fk_transfers_parent_transfer_id_transfers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers")),
        sa.UniqueConstraint("offer_id", name=op.f("uq_transfers_offer_id")),
        sa.UniqueConstraint("parent_transfer_id", name=op.f("uq_transfers_parent_transfer_id")),
    )
    op.create_index(op.f("ix_transfers_item_id"), "transfers", ["item_id"], unique=False)
    op.create_index(op.f("ix_transfers_listing_id"), "transfers", ["listing_id"], unique=False)
    op.create_index(op.f("ix_transfers_seller_id"), "transfers", ["seller_id"], unique=False)
    op.create_index(op.f("ix_transfers_buyer_id"), "transfers", ["buyer_id"], unique=False)
    op.create_index("ix_transfers_origin_country", "transfers", ["origin_country", "id"], unique=False)
    op.create_index("ix_transfers_destination_country", "transfers", ["destination_country", "id"], unique=False)
    op.create_index(
        "uq_transfers_active_item",
        "transfers",
        ["item_id"],
        unique=True,
        sqlite_where=sa.text(ACTIVE_TRANSFER),
        postgresql_where=sa.text(ACTIVE_TRANSFER),
    )


def downgrade() -> None:
    op.drop_table("transfers")
    op.drop_table("offers")
    op.drop_table("listings")
