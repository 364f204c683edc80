"""Catalogue: institutions (the three partners seeded), items, images, sync state.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa

from alembic import op
from hub.db import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTNERS = [
    ("NLC", [("zh", "中国国家图书馆"), ("en", "National Library of China")], "CN", "oai-pmh"),
    ("CRECC", [("zh", "中国文物交流中心"), ("en", "China Cultural Relics Exchange Center")], "CN", "relics-json"),
    ("TWMM", [("zh", "大唐西市博物馆"), ("en", "Tang West Market Museum")], "CN", "iiif-discovery"),
]


def upgrade() -> None:
    institutions = op.create_table(
        "institutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("protocol", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institutions")),
        sa.UniqueConstraint("code", name=op.f("uq_institutions_code")),
    )
    op.create_table(
        "catalogue_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("titles", sa.JSON(), nullable=False),
        sa.Column("descriptions", sa.JSON(), nullable=False),
        sa.Column("creators", sa.JSON(), nullable=False),
        sa.Column("period", sa.String(length=128), nullable=True),
        sa.Column("earliest_year", sa.Integer(), nullable=True),
        sa.Column("latest_year", sa.Integer(), nullable=True),
        sa.Column("origin_country", sa.String(length=2), nullable=False),
        sa.Column("material", sa.String(length=255), nullable=True),
        sa.Column("dimensions", sa.String(length=255), nullable=True),
        sa.Column("relic_grade", sa.String(length=16), nullable=True),
        sa.Column("export_restricted", sa.Boolean(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source_updated_at", UTCDateTime(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_catalogue_items_institution_id_institutions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_items")),
        sa.UniqueConstraint("institution_id", "source_id", name="uq_catalogue_items_institution_source"),
    )
    op.create_index(op.f("ix_catalogue_items_institution_id"), "catalogue_items", ["institution_id"], unique=False)
    op.create_index("ix_catalogue_items_live_kind", "catalogue_items", ["deleted_at", "kind"], unique=False)
    op.create_table(
        "item_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("manifest_url", sa.String(length=1024), nullable=True),
        sa.Column("image_url", sa.String(length=1024), nullable=True),
        sa.Column("label", sa.String(length=512), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["catalogue_items.id"],
            name=op.f("fk_item_images_item_id_catalogue_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_images")),
    )
    op.create_index(op.f("ix_item_images_item_id"), "item_images", ["item_id"], unique=False)
    op.create_table(
        "sync_states",
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("checkpoint", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("last_started_at", UTCDateTime(), nullable=True),
        sa.Column("last_success_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_sync_states_institution_id_institutions"),
        ),
        sa.PrimaryKeyConstraint("institution_id", name=op.f("pk_sync_states")),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        institutions,
        [
            {
                "code": code,
                "names": [{"lang": lang, "value": value} for lang, value in names],
                "country": country,
                "protocol": protocol,
                "created_at": now,
            }
            for code, names, country, protocol in PARTNERS
        ],
    )


def downgrade() -> None:
    op.drop_table("sync_states")
    op.drop_index(op.f("ix_item_images_item_id"), table_name="item_images")
    op.drop_table("item_images")
    op.drop_index("ix_catalogue_items_live_kind", table_name="catalogue_items")
    op.drop_index(op.f("ix_catalogue_items_institution_id"), table_name="catalogue_items")
    op.drop_table("catalogue_items")
    op.drop_table("institutions")
