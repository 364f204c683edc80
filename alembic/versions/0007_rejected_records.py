"""Rejected records: partner records set aside with their reason; last errors cut to their bound.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-02

A `last_error` stored before partner texts were bounded may hold a whole partner answer: it is cut to the
2,000 characters the hub now keeps (ending in "…"), so `institutions { lastSyncError }` stays small.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from hub.db import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_LAST_ERROR = 2000


def upgrade() -> None:
    op.create_table(
        "rejected_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("source_id", sa.String(length=255), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=False),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("times_seen", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"], name=op.f("fk_rejected_records_institution_id_institutions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejected_records")),
        sa.UniqueConstraint("institution_id", "key", name="uq_rejected_records_institution_key"),
    )
    op.create_index(
        "ix_rejected_records_institution_last_seen", "rejected_records", ["institution_id", "last_seen_at"]
    )
    op.execute(
        sa.text(
            "UPDATE sync_states SET last_error = substr(last_error, 1, :kept) || :marker "
            "WHERE length(last_error) > :limit"
        ).bindparams(kept=MAX_LAST_ERROR - 1, marker="…", limit=MAX_LAST_ERROR)
    )


def downgrade() -> None:
    op.drop_index("ix_rejected_records_institution_last_seen", table_name="rejected_records")
    op.drop_table("rejected_records")
