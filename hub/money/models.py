"""The money domain's tables: FX rates and recorded conversions, the double-entry ledger, escrow holds.

Ledger amounts are integer counts of the currency's minor units (BigInteger): exact on SQLite and PostgreSQL
alike, summed exactly in SQL on both, and checked by database triggers (see alembic/versions/0004_money.py).
Rates and converted amounts are stored as decimal text: exact on both, and never summed in SQL.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Integer, String, TypeDecorator, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column

from hub.core.clock import utc_now
from hub.db import Base

ACCOUNT_KINDS = ("institution", "escrow")
ESCROW_STATES = ("HELD", "RELEASED", "RETURNED")


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal kept as its plain decimal text: exact on every database, never a float."""

    impl = String(48)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValueError(f"{value!r} is not a finite Decimal")
        return format(value, "f")

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return Decimal(value) if value is not None else None


class FxRateRecord(Base):
    """A dated rate: 1 base = rate quote from valid_from on. One rate per pair and instant; rows never change."""

    __tablename__ = "fx_rates"
    __table_args__ = (
        UniqueConstraint("base", "quote", "valid_from", name="uq_fx_rates_pair_valid_from"),
        CheckConstraint("base <> quote", name="two_currencies"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    base: Mapped[str] = mapped_column(String(3))
    quote: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(DecimalText())
    valid_from: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(64))
    recorded_by: Mapped[str] = mapped_column(String(255))
    recorded_at: Mapped[datetime] = mapped_column(default=utc_now)


class FxConversionRecord(Base):
    """A conversion something relied on (an offer's price, say), with the rates it used."""

    __tablename__ = "fx_conversions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(255), index=True)
    at: Mapped[datetime]
    source_amount: Mapped[Decimal] = mapped_column(DecimalText())
    source_currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(DecimalText())
    currency: Mapped[str] = mapped_column(String(3))
    effective_rate: Mapped[Decimal] = mapped_column(DecimalText())
    legs: Mapped[list[Any]] = mapped_column(JSON)
    """[{id, base, quote, rate, valid_from, source, inverted}, ...]: the stored rates, in order."""
    recorded_at: Mapped[datetime] = mapped_column(default=utc_now)


class LedgerAccount(Base):
    """An institution's account with the hub, or the escrow holding its payments, in one currency."""

    __tablename__ = "ledger_accounts"
    __table_args__ = (
        UniqueConstraint("kind", "institution_id", "currency", name="uq_ledger_accounts_owner_currency"),
        CheckConstraint("kind IN ('institution', 'escrow')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"))
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class LedgerTransaction(Base):
    """A balanced set of postings. Written after its postings, and the database checks they balance."""

    __tablename__ = "ledger_transactions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(255), index=True)


class LedgerPosting(Base):
    """One leg of a ledger transaction: a signed amount in minor units on one account. Never changed."""

    __tablename__ = "ledger_postings"
    __table_args__ = (CheckConstraint("amount_minor <> 0", name="non_zero"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transaction_id: Mapped[str] = mapped_column(
        ForeignKey("ledger_transactions.id", deferrable=True, initially="DEFERRED"), index=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"), index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)


class EscrowHold(Base):
    """Funds a buyer paid into escrow for one reference (a transfer), and what became of them."""

    __tablename__ = "escrow_holds"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="positive"),
        CheckConstraint("state IN ('HELD', 'RELEASED', 'RETURNED')", name="state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(255), unique=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"))
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(16))
    held_at: Mapped[datetime]
    settled_at: Mapped[datetime | None]
    hold_transaction_id: Mapped[str] = mapped_column(ForeignKey("ledger_transactions.id"))
    settle_transaction_id: Mapped[str | None] = mapped_column(ForeignKey("ledger_transactions.id"))
