"""Anchors: the registry deployed on each chain, the anchor queue's pending writes with their retry state, the
anchors made (for checkpoints and provenance registrations), and the provenance registrations.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from hub.db import UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONE_SUBJECT = "(checkpoint_size IS NULL) <> (registration_id IS NULL)"


def _subject_columns(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("checkpoint_size", sa.Integer(), nullable=True),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("chain", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["checkpoint_size"],
            ["audit_checkpoints.tree_size"],
            name=op.f(f"fk_{table}_checkpoint_size_audit_checkpoints"),
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["provenance_registrations.id"],
            name=op.f(f"fk_{table}_registration_id_provenance_registrations"),
        ),
        sa.UniqueConstraint("checkpoint_size", "chain", name=op.f(f"uq_{table}_checkpoint_size")),
        sa.UniqueConstraint("registration_id", "chain", name=op.f(f"uq_{table}_registration_id")),
        sa.CheckConstraint(ONE_SUBJECT, name=op.f(f"ck_{table}_one_subject")),
    ]


def upgrade() -> None:
    op.create_table(
        "chain_deployments",
        sa.Column("chain_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("contract", sa.String(length=42), nullable=False),
        sa.Column("tx_hash", sa.String(length=66), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("deployed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("chain_id", name=op.f("pk_chain_deployments")),
    )
    op.create_table(
        "provenance_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("item_hash", sa.String(length=64), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("registered_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["catalogue_items.id"], name=op.f("fk_provenance_registrations_item_id_catalogue_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provenance_registrations")),
        sa.UniqueConstraint("item_hash", "record_hash", name=op.f("uq_provenance_registrations_item_hash")),
    )
    op.create_index(
        op.f("ix_provenance_registrations_item_id"), "provenance_registrations", ["item_id"], unique=False
    )
    op.create_table(
        "pending_anchors",
        sa.Column("id", sa.Integer(), nullable=False),
        *_subject_columns("pending_anchors"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("retry_at", sa.Double(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("queued_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_anchors")),
    )
    op.create_index("ix_pending_anchors_retry_at", "pending_anchors", ["retry_at"], unique=False)
    op.create_table(
        "chain_anchors",
        sa.Column("id", sa.Integer(), nullable=False),
        *_subject_columns("chain_anchors"),
        sa.Column("chain_id", sa.BigInteger(), nullable=False),
        sa.Column("contract", sa.String(length=42), nullable=False),
        sa.Column("tx_hash", sa.String(length=66), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("anchored_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_anchors")),
    )


def downgrade() -> None:
    op.drop_table("chain_anchors")
    op.drop_index("ix_pending_anchors_retry_at", table_name="pending_anchors")
    op.drop_table("pending_anchors")
    op.drop_index(op.f("ix_provenance_registrations_item_id"), table_name="provenance_registrations")
    op.drop_table("provenance_registrations")
    op.drop_table("chain_deployments")
