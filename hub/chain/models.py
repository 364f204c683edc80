"""What the hub keeps about its chains: the registry on each chain, the writes still to make (pending, with
their retry state) and the writes made (anchors), for audit checkpoints and provenance registrations alike.

A pending row or an anchor belongs to exactly one subject: a checkpoint (`checkpoint_size`, the primary key of
audit_checkpoints) or a provenance registration (`registration_id`). `chain` is the endpoint's name (known while
the chain is down); an anchor also records the chain id the chain reported.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Double, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.core.clock import utc_now
from hub.db import Base

ONE_SUBJECT = "(checkpoint_size IS NULL) <> (registration_id IS NULL)"


class ChainDeploymentRow(Base):
    """The audit registry the hub deployed on one chain."""

    __tablename__ = "chain_deployments"

    chain_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    contract: Mapped[str] = mapped_column(String(42))
    tx_hash: Mapped[str] = mapped_column(String(66))
    block_number: Mapped[int] = mapped_column(BigInteger)
    deployed_at: Mapped[datetime] = mapped_column(default=utc_now)


class ProvenanceRegistration(Base):
    """The canonical record of an item and its transfer history at one moment, whose hash is registered on chain."""

    __tablename__ = "provenance_registrations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_items.id"), index=True)
    item_hash: Mapped[str] = mapped_column(String(64))
    """Hex SHA-256 of the item's global id: what the registry files the record under."""
    record_hash: Mapped[str] = mapped_column(String(64))
    """Hex SHA-256 of `record`."""
    record: Mapped[str] = mapped_column(Text)
    """The canonical JSON of the item's record and completed transfers, exactly as hashed."""
    actor: Mapped[str] = mapped_column(String(255))
    registered_at: Mapped[datetime] = mapped_column(default=utc_now)

    __table_args__ = (UniqueConstraint("item_hash", "record_hash"),)


class PendingAnchorRow(Base):
    """A write not made yet on the chain `chain`; the queue retries it at `retry_at` (Unix seconds)."""

    __tablename__ = "pending_anchors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkpoint_size: Mapped[int | None] = mapped_column(ForeignKey("audit_checkpoints.tree_size"))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("provenance_registrations.id"))
    chain: Mapped[str] = mapped_column(String(255))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    retry_at: Mapped[float] = mapped_column(Double, default=0.0)
    last_error: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime] = mapped_column(default=utc_now)

    __table_args__ = (
        UniqueConstraint("checkpoint_size", "chain"),
        UniqueConstraint("registration_id", "chain"),
        CheckConstraint(ONE_SUBJECT, name="one_subject"),
        Index("ix_pending_anchors_retry_at", "retry_at"),
    )


class ChainAnchorRow(Base):
    """A write made: the transaction `tx_hash` in block `block_number` of chain `chain_id`, to `contract`."""

    __tablename__ = "chain_anchors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkpoint_size: Mapped[int | None] = mapped_column(ForeignKey("audit_checkpoints.tree_size"))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("provenance_registrations.id"))
    chain: Mapped[str] = mapped_column(String(255))
    chain_id: Mapped[int] = mapped_column(BigInteger)
    contract: Mapped[str] = mapped_column(String(42))
    tx_hash: Mapped[str] = mapped_column(String(66))
    block_number: Mapped[int] = mapped_column(BigInteger)
    anchored_at: Mapped[datetime] = mapped_column(default=utc_now)

    __table_args__ = (
        UniqueConstraint("checkpoint_size", "chain"),
        UniqueConstraint("registration_id", "chain"),
        CheckConstraint(ONE_SUBJECT, name="one_subject"),
    )
