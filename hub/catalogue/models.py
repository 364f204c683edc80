"""Catalogue tables: institutions, their items and the items' images."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.core.clock import utc_now
from hub.db import Base


class Institution(Base):
    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    names: Mapped[list[Any]] = mapped_column(JSON)
    """[{"lang": BCP 47, "value": name}, ...] in order of preference."""
    country: Mapped[str] = mapped_column(String(2))
    protocol: Mapped[str | None] = mapped_column(String(32))
    """The connector protocol of a partner that the hub harvests; None for one that only trades."""
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class CatalogueItem(Base):
    __tablename__ = "catalogue_items"
    __table_args__ = (
        UniqueConstraint("institution_id", "source_id", name="uq_catalogue_items_institution_source"),
        Index("ix_catalogue_items_live_kind", "deleted_at", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    source_id: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(35))
    """The item's own language: that of its first title."""
    titles: Mapped[list[Any]] = mapped_column(JSON)
    descriptions: Mapped[list[Any]] = mapped_column(JSON)
    creators: Mapped[list[Any]] = mapped_column(JSON)
    period: Mapped[str | None] = mapped_column(String(128))
    earliest_year: Mapped[int | None] = mapped_column(Integer)
    latest_year: Mapped[int | None] = mapped_column(Integer)
    origin_country: Mapped[str] = mapped_column(String(2))
    material: Mapped[str | None] = mapped_column(String(255))
    dimensions: Mapped[str | None] = mapped_column(String(255))
    relic_grade: Mapped[str | None] = mapped_column(String(16))
    export_restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    search_text: Mapped[str] = mapped_column(Text)
    """Case-folded titles, descriptions, creators and period: what `catalogue(query:)` matches."""
    content_hash: Mapped[str] = mapped_column(String(64))
    source_updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    """Set when the partner deleted the item: gone from the graph, kept for sync and audit."""
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)

    images: Mapped[list[ItemImage]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ItemImage.position", lazy="raise"
    )


class ItemImage(Base):
    __tablename__ = "item_images"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_items.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    manifest_url: Mapped[str | None] = mapped_column(String(1024))
    image_url: Mapped[str | None] = mapped_column(String(1024))
    label: Mapped[str | None] = mapped_column(String(512))

    item: Mapped[CatalogueItem] = relationship(back_populates="images", lazy="raise")
