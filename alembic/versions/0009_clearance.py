"""Clearance: licence decisions, customs declarations and customs checks of transfers.

Revision ID: 0009_clearance
Revises: 0008_trading
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from hub.clearance.models import CUSTOMS_DIRECTIONS, CUSTOMS_STATES, LICENCE_VERDICTS
from hub.db import UTCDateTime

revision: str = "0009_clearance"
down_revision: str | None = "0008_trading"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "licence_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.String(length=64), nullable=False),
        sa.Column("jurisdiction", sa.String(length=2), nullable=False),
        sa.Column("verdict", sa.String(length=8), nullable=False),
        sa.Column("reference_number", sa.String(length=64), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("decided_by", sa.String(length=255), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["transfer_id"], ["transfers.id"], name=op.f("fk_licence_decisions_transfer_id_transfers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_licence_decisions")),
        sa.UniqueConstraint("transfer_id", "document", name="uq_licence_decisions_transfer_document"),
        sa.CheckConstraint(LICENCE_VERDICTS, name=op.f("ck_licence_decisions_verdict")),
        sa.CheckConstraint(
            "(verdict = 'GRANTED' AND reference_number IS NOT NULL AND valid_until IS NOT NULL) OR verdict = 'DENIED'",
            name=op.f("ck_licence_decisions_grant_terms"),
        ),
    )
    op.create_index("ix_licence_decisions_jurisdiction", "licence_decisions", ["jurisdiction", "transfer_id"])
    op.create_table(
        "customs_declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("hs_code", sa.String(length=10), nullable=False),
        sa.Column("declared_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("origin_country", sa.String(length=2), nullable=False),
        sa.Column("destination_country", sa.String(length=2), nullable=False),
        sa.Column("consignor", sa.String(length=255), nullable=False),
        sa.Column("consignee", sa.String(length=255), nullable=False),
        sa.Column("licence_references", sa.JSON(), nullable=False),
        sa.Column("filed_by", sa.String(length=255), nullable=False),
        sa.Column("filed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["transfer_id"], ["transfers.id"], name=op.f("fk_customs_declarations_transfer_id_transfers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customs_declarations")),
        sa.UniqueConstraint("transfer_id", name=op.f("uq_customs_declarations_transfer_id")),
    )
    op.create_table(
        "customs_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("jurisdiction", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("decided_by", sa.String(length=255), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["transfer_id"], ["transfers.id"], name=op.f("fk_customs_checks_transfer_id_transfers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customs_checks")),
        sa.UniqueConstraint("transfer_id", "direction", name="uq_customs_checks_transfer_direction"),
        sa.CheckConstraint(CUSTOMS_DIRECTIONS, name=op.f("ck_customs_checks_direction")),
        sa.CheckConstraint(CUSTOMS_STATES, name=op.f("ck_customs_checks_status")),
    )
    op.create_index("ix_customs_checks_jurisdiction_status", "customs_checks", ["jurisdiction", "status"])


def downgrade() -> None:
    op.drop_index("ix_customs_checks_jurisdiction_status", table_name="customs_checks")
    op.drop_table("customs_checks")
    op.drop_table("customs_declarations")
    op.drop_index("ix_licence_decisions_jurisdiction", table_name="licence_decisions")
    op.drop_table("licence_decisions")
