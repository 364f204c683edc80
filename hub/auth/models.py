"""Auth tables: OAuth clients, token signing keys, revoked tokens, used client assertions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.catalogue.models import Institution
from hub.core.clock import utc_now
from hub.db import Base


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
