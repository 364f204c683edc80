"""OAuth clients: registration by the operator, lookup for client authentication, revocation."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.log import append_entry
from hub.auth.models import OAuthClient
from hub.auth.scopes import ScopeError, check_bindings, parse_scopes
from hub.auth.secret_hash import hash_secret, new_secret, verify_secret
from hub.catalogue.models import Institution
from hub.core.clock import utc_now

GRANT_TYPE = "client_credentials"
SECRET_METHODS = frozenset({"client_secret_basic", "client_secret_post"})
PRIVATE_KEY_JWT = "private_key_jwt"
OPERATOR = "hub:operator"
"""The actor of the audit entries of what the operator does with `hub clients`."""


class ClientAction:
    """Audit actions of OAuth clients."""

    REGISTERED = "auth.client_registered"
    REVOKED = "auth.client_revoked"


class ClientError(ValueError):
    """A client cannot be registered or changed as asked; the message names the bad value."""


@dataclass(frozen=True)
class ClientRecord:
    """A client as loaded for one request; also what authlib calls its ClientMixin."""

    client_id: str
    name: str
    scopes: tuple[str, ...]
    institution: str | None
    jurisdiction: str | None
    secret_hash: str | None
    jwks: dict[str, Any] | None
    created_at: datetime | None = None
    revoked: bool = False

    @classmethod
    def from_row(cls, row: OAuthClient, institution: str | None) -> ClientRecord:
        return cls(
            client_id=row.client_id,
            name=row.name,
            scopes=tuple(row.scopes.split()),
            institution=institution,
            jurisdiction=row.jurisdiction,
            secret_hash=row.secret_hash,
            jwks=row.jwks,
            created_at=row.created_at,
            revoked=row.revoked_at is not None,
        )

    @classmethod
    def unknown(cls, client_id: str) -> ClientRecord:
        """Stands in for a client id the hub does not know, so that it fails exactly like a wrong secret."""
        return cls(client_id, "", (), None, None, None, None, revoked=True)

    # authlib's ClientMixin
    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in scope.split() if s in self.scopes)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        matches = verify_secret(client_secret, self.secret_hash)
        return matches and not self.revoked

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.revoked:
            return False
        if method in SECRET_METHODS:
            return self.secret_hash is not None
        if method == PRIVATE_KEY_JWT:
            return self.jwks is not None
        return False

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == GRANT_TYPE


@dataclass(frozen=True)
class NewClient:
    client_id: str
    client_secret: str | None
    """Shown once, at creation; only its hash is kept."""


def _check_jwks(jwks: dict[str, Any]) -> None:
    try:
        key_set = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise ClientError(f"client public keys are not a JWK set: {exc}") from None
    if not key_set.keys:
        raise ClientError("client JWK set holds no key")
    if any(key.is_private for key in key_set):
        raise ClientError("client JWK set holds a private key: register only the public keys")


def new_client_id() -> str:
    """32 hex digits: never starts with "-" (an operator types it after `hub clients revoke`)
    and needs no escaping in a URL, a form or HTTP Basic credentials."""
    return secrets.token_hex(16)


async def create_client(
    session: AsyncSession,
    name: str,
    scopes: str,
    institution: str | None = None,
    jurisdiction: str | None = None,
    jwks: dict[str, Any] | None = None,
    *,
    actor: str = OPERATOR,
) -> NewClient:
    """Registers a client with a new secret, or with `jwks` for `private_key_jwt` (then no secret); its audit
    entry (never the secret) is written in the same transaction."""
    if not name.strip():
        raise ClientError("client name must not be empty")
    jurisdiction = jurisdiction.upper() if jurisdiction else None
    if jurisdiction is not None and (len(jurisdiction) != 2 or not jurisdiction.isalpha()):
        raise ClientError(f"jurisdiction must be an ISO 3166 country code like CN, not {jurisdiction!r}")
    try:
        granted = parse_scopes(scopes)
        check_bindings(granted, institution, jurisdiction)
    except ScopeError as exc:
        raise ClientError(str(exc)) from None
    institution_id = None
    country = None
    if institution is not None:
        found = (
            await session.execute(
                select(Institution.id, Institution.country).where(Institution.code == institution.upper())
            )
        ).first()
        if found is None:
            raise ClientError(f"unknown institution {institution!r}: add it first (hub institutions add)")
        institution_id, country = found
    if jwks is not None:
        _check_jwks(jwks)
    secret = None if jwks is not None else new_secret()
    client_id = new_client_id()
    session.add(
        OAuthClient(
            client_id=client_id,
            name=name.strip(),
            secret_hash=hash_secret(secret) if secret is not None else None,
            jwks=jwks,
            scopes=" ".join(granted),
            institution_id=institution_id,
            jurisdiction=jurisdiction,
        )
    )
    await session.flush()
    payload = {
        "client_id": client_id,
        "name": name.strip(),
        "scopes": granted,
        "institution": institution.upper() if institution else None,
        "jurisdiction": jurisdiction,
        "authentication": PRIVATE_KEY_JWT if jwks is not None else "client_secret",
    }
    places = [place for place in (jurisdiction, country) if place]
    await append_entry(session, actor, ClientAction.REGISTERED, f"client:{client_id}", places, payload)
    return NewClient(client_id, secret)


def _select_clients() -> Any:
    return select(OAuthClient, Institution.code).outerjoin(Institution, OAuthClient.institution_id == Institution.id)


async def load_client(session: AsyncSession, client_id: str) -> ClientRecord | None:
    row = (await session.execute(_select_clients().where(OAuthClient.client_id == client_id))).first()
    return ClientRecord.from_row(row[0], row[1]) if row else None


async def list_clients(session: AsyncSession) -> list[ClientRecord]:
    rows = (await session.execute(_select_clients().order_by(OAuthClient.id))).all()
    return [ClientRecord.from_row(client, code) for client, code in rows]


async def revoke_client(session: AsyncSession, client_id: str, *, actor: str = OPERATOR) -> None:
    """The client gets no new token, and its tokens are refused from now on; audited once, when it happens."""
    found = (
        await session.execute(
            select(OAuthClient, Institution.country)
            .outerjoin(Institution, OAuthClient.institution_id == Institution.id)
            .where(OAuthClient.client_id == client_id)
        )
    ).first()
    if found is None:
        raise ClientError(f"unknown client {client_id!r}")
    client, country = found
    if client.revoked_at is None:
        client.revoked_at = utc_now()
        places = [place for place in (client.jurisdiction, country) if place]
        payload = {"client_id": client_id, "name": client.name}
        await append_entry(session, actor, ClientAction.REVOKED, f"client:{client_id}", places, payload)
