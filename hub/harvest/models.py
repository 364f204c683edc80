"""Harvest tables: each partner's checkpoint and how its last harvests went; the records it set aside."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base


class SyncState(Base):
    """Per-partner harvest state: the checkpoint and how the last runs went."""

    __tablename__ = "sync_states"

    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), primary_key=True)
    checkpoint: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="NEVER")
    last_started_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]


class Rejection(Base):
    """A partner record set aside: it could not be normalised, so it is not in the catalogue.

    `key` identifies it at its partner: the partner's source id, or "sha256:" and the hash of the excerpt when
    the record names none. A record arriving good (or as a tombstone) with that source id clears it.
    """

    __tablename__ = "rejected_records"
    __table_args__ = (
        UniqueConstraint("institution_id", "key", name="uq_rejected_records_institution_key"),
        Index("ix_rejected_records_institution_last_seen", "institution_id", "last_seen_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"))
    key: Mapped[str] = mapped_column(String(255))
    source_id: Mapped[str | None] = mapped_column(String(255))
    reason: Mapped[str] = mapped_column(String(500))
    excerpt: Mapped[str] = mapped_column(Text)
    """The start of the raw record as the partner sent it: at most 2,048 bytes of UTF-8."""
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    times_seen: Mapped[int] = mapped_column(Integer, default=1)
