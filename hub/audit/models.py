"""Audit tables: the hash-chained entries, the chain head that orders them, and who may read each."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base


class AuditChainHead(Base):
    """The one row that orders the audit log: appending updates it first, so appends serialize."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditEntry(Base):
    """One state change, hash-chained to the one before: hash = SHA-256(prev_hash bytes || canonical JSON)."""

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(255))
    jurisdictions: Mapped[list[Any]] = mapped_column(JSON)
    payload: Mapped[str] = mapped_column(Text)
    """The canonical JSON of the change's details, exactly as hashed."""
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditEntryJurisdiction(Base):
    """Which jurisdictions an entry touches: what a regulator's `audit:read` token may see."""

    __tablename__ = "audit_entry_jurisdictions"

    seq: Mapped[int] = mapped_column(ForeignKey("audit_entries.seq"), primary_key=True)
    jurisdiction: Mapped[str] = mapped_column(String(2), primary_key=True, index=True)
