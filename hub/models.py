"""The database tables, as SQLAlchemy models. Alembic migrations must agree with them (a test checks)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC without a zone (the same on SQLite and PostgreSQL) and hands back aware datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


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


class OAuthClient(Base):
    """A registered OAuth client: a partner's or regulator's software, bound to an institution or a jurisdiction."""

    __tablename__ = "oauth_clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    secret_hash: Mapped[str | None] = mapped_column(String(255))
    """A slow hash of the client secret (see hub.auth.secret_hash); None for a `private_key_jwt` client."""
    jwks: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The client's public keys, for `private_key_jwt` client authentication (RFC 7523)."""
    scopes: Mapped[str] = mapped_column(String(1024))
    """The scopes the client may be granted, space-separated."""
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    jurisdiction: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    revoked_at: Mapped[datetime | None]

    institution: Mapped[Institution | None] = relationship(lazy="raise")


class SigningKey(Base):
    """A private key the hub signs access tokens with; published at /.well-known/jwks.json while in use."""

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    algorithm: Mapped[str] = mapped_column(String(16))
    private_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    retired_at: Mapped[datetime | None]
    """When a newer key took over signing; the key stays published until its last tokens expire."""


class RevokedToken(Base):
    """An access token revoked before its expiry (RFC 7009); every hub process refuses it."""

    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(index=True)
    revoked_at: Mapped[datetime] = mapped_column(default=utc_now)


class UsedClientAssertion(Base):
    """A `private_key_jwt` client assertion already used: each may authenticate once (RFC 7523 section 3)."""

    __tablename__ = "used_client_assertions"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    jti: Mapped[str] = mapped_column(String(255), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class IdempotencyRecord(Base):
    """The outcome of a mutation sent with an `idempotencyKey`: a retry with the same key gets it back."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("principal", "operation", "key", name="uq_idempotency_records_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    principal: Mapped[str] = mapped_column(String(255))
    operation: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


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
