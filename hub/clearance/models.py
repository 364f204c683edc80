"""Clearance tables: each required document's decision, the customs declaration, and customs' decision at each
border. A transfer's own state lives in `transfers` (hub.trading); these rows say how it got there."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.core.clock import utc_now
from hub.db import Base

LICENCE_VERDICTS = "verdict IN ('GRANTED', 'DENIED')"
CUSTOMS_DIRECTIONS = "direction IN ('EXPORT', 'IMPORT')"
CUSTOMS_STATES = "status IN ('CLEARED', 'HELD', 'UPHELD')"


class LicenceDecision(Base):
    """A regulator's grant (with reference number and validity) or denial (with a reason) of one document."""

    __tablename__ = "licence_decisions"
    __table_args__ = (
        UniqueConstraint("transfer_id", "document", name="uq_licence_decisions_transfer_document"),
        CheckConstraint(LICENCE_VERDICTS, name="verdict"),
        CheckConstraint(
            "(verdict = 'GRANTED' AND reference_number IS NOT NULL AND valid_until IS NOT NULL) OR verdict = 'DENIED'",
            name="grant_terms",
        ),
        Index("ix_licence_decisions_jurisdiction", "jurisdiction", "transfer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"))
    document: Mapped[str] = mapped_column(String(64))
    jurisdiction: Mapped[str] = mapped_column(String(2))
    verdict: Mapped[str] = mapped_column(String(8))
    reference_number: Mapped[str | None] = mapped_column(String(64))
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]
    reason: Mapped[str | None] = mapped_column(String(500))
    decided_by: Mapped[str] = mapped_column(String(255))
    decided_at: Mapped[datetime] = mapped_column(default=utc_now)


class CustomsDeclaration(Base):
    """The shipper's declaration of the goods to customs: one per transfer (per leg)."""

    __tablename__ = "customs_declarations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), unique=True)
    hs_code: Mapped[str] = mapped_column(String(10))
    declared_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    origin_country: Mapped[str] = mapped_column(String(2))
    destination_country: Mapped[str] = mapped_column(String(2))
    consignor: Mapped[str] = mapped_column(String(255))
    consignee: Mapped[str] = mapped_column(String(255))
    licence_references: Mapped[list[Any]]
    filed_by: Mapped[str] = mapped_column(String(255))
    filed_at: Mapped[datetime] = mapped_column(default=utc_now)


class CustomsCheck(Base):
    """Customs' decision at one border: CLEARED, HELD (with a reason, may still clear) or UPHELD (the hold ended
    the transfer)."""

    __tablename__ = "customs_checks"
    __table_args__ = (
        UniqueConstraint("transfer_id", "direction", name="uq_customs_checks_transfer_direction"),
        CheckConstraint(CUSTOMS_DIRECTIONS, name="direction"),
        CheckConstraint(CUSTOMS_STATES, name="status"),
        Index("ix_customs_checks_jurisdiction_status", "jurisdiction", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"))
    direction: Mapped[str] = mapped_column(String(8))
    jurisdiction: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str | None] = mapped_column(String(500))
    decided_by: Mapped[str] = mapped_column(String(255))
    decided_at: Mapped[datetime] = mapped_column(default=utc_now)
