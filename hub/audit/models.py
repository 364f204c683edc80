"""Audit tables: the hash-chained entries, the chain head that orders them, who may read each, the signed
Merkle checkpoints over them, the perfect subtree hashes proofs are made from, and the hub's note signing key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, LargeBinary, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.core.clock import utc_now
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
    format: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    """How the hashed document is spelt: 1, the hub's first canonical JSON; 2, RFC 8785 (see hub.audit.documents)."""


class AuditEntryJurisdiction(Base):
    """Which jurisdictions an entry touches: what a regulator's `audit:read` token may see."""

    __tablename__ = "audit_entry_jurisdictions"

    seq: Mapped[int] = mapped_column(ForeignKey("audit_entries.seq"), primary_key=True)
    jurisdiction: Mapped[str] = mapped_column(String(2), primary_key=True, index=True)


class AuditCheckpoint(Base):
    """A signed Merkle root over the first `tree_size` entries; it adds entries `first_seq`..`tree_size`."""

    __tablename__ = "audit_checkpoints"

    tree_size: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    first_seq: Mapped[int] = mapped_column(Integer)
    root_hash: Mapped[str] = mapped_column(String(64))
    """Hex of the RFC 6962 Merkle tree hash over entries 1..tree_size."""
    origin: Mapped[str] = mapped_column(String(255))
    note: Mapped[str] = mapped_column(Text)
    """The checkpoint as a signed note (hub.audit.signed_note): origin, size, base64 root, signature."""
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class AuditTreeNode(Base):
    """The hash of the perfect subtree `level`/`idx` (leaves idx*2**level up to, not including, (idx+1)*2**level,
    zero-based: leaf i is entry seq i+1); stored once, when a checkpoint first covers it."""

    __tablename__ = "audit_tree_nodes"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class AuditSigningKey(Base):
    """The Ed25519 key the hub signs checkpoints with (the oldest key not retired signs)."""

    __tablename__ = "audit_signing_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    private_key: Mapped[str] = mapped_column(String(64))
    """Base64 of the raw 32-byte Ed25519 private key."""
    public_key: Mapped[str] = mapped_column(String(64))
    """Base64 of the raw 32-byte Ed25519 public key."""
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    retired_at: Mapped[datetime | None]
