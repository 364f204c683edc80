"""Access tokens: RFC 9068 JWTs signed by the hub, and their validation (own, external, revoked)."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from hub.auth.external import ExternalKeys, IssuerKeysUnavailableError
from hub.auth.keys import ALGORITHM, SigningKeys
from hub.auth.models import OAuthClient, RevokedToken
from hub.auth.principal import Principal
from hub.auth.scopes import SCOPES
from hub.db import SessionFactory
from hub.settings import ExternalIssuer, Settings

TOKEN_TYPE = "at+jwt"
ACCEPTED_OWN_TYPES = frozenset({"at+jwt", "application/at+jwt"})
LEEWAY_SECONDS = 5


class InvalidTokenError(Exception):
    """The bearer token cannot be used; the message says why without repeating the token."""


@dataclass(frozen=True)
class Grant:
    """What a token is issued for: the client, its binding and the granted scopes."""

    client_id: str
    scopes: tuple[str, ...]
    institution: str | None = None
    jurisdiction: str | None = None


def sign_access_token(settings: Settings, key: RSAKey, grant: Grant, now: float | None = None) -> dict[str, Any]:
    """The signed JWT and its claims (synchronous: the key is loaded beforehand)."""
    issued = int(time.time() if now is None else now)
    claims: dict[str, Any] = {
        "iss": settings.issuer,
        "sub": grant.client_id,
        "aud": settings.audience,
        "exp": issued + settings.token_lifetime,
        "iat": issued,
        "jti": secrets.token_urlsafe(18),
        "client_id": grant.client_id,
        "scope": " ".join(grant.scopes),
    }
    if grant.institution is not None:
        claims["institution"] = grant.institution
    if grant.jurisdiction is not None:
        claims["jurisdiction"] = grant.jurisdiction
    token = jwt.encode({"alg": ALGORITHM, "typ": TOKEN_TYPE, "kid": key.kid}, claims, key, algorithms=[ALGORITHM])
    return {"access_token": token, "claims": claims}


def _unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        compact = jws.extract_compact(token.encode())
        claims = json.loads(compact.payload)
    except (JoseError, ValueError, UnicodeDecodeError):
        raise InvalidTokenError("malformed token: not a signed JWT") from None
    if not isinstance(claims, dict):
        raise InvalidTokenError("malformed token: its payload is not a JSON object")
    return compact.headers(), claims


def _scopes(value: Any) -> frozenset[str]:
    items: Iterable[Any] = value.split() if isinstance(value, str) else value if isinstance(value, list) else ()
    return frozenset(str(scope) for scope in items if scope in SCOPES)


def _optional_str(claims: dict[str, Any], name: str) -> str | None:
    value = claims.get(name)
    return value if isinstance(value, str) and value else None


class TokenVerifier:
    """Validates bearer tokens of the hub and of configured external issuers into principals."""

    def __init__(self, settings: Settings, keys: SigningKeys, sessions: SessionFactory, external: ExternalKeys) -> None:
        self.settings = settings
        self.keys = keys
        self.sessions = sessions
        self.external = external
        self._issuers = {issuer.issuer: issuer for issuer in settings.external_issuers}

    async def verify(self, token: str) -> Principal:
        """The principal of a valid token; InvalidTokenError for anything else (expired, revoked, forged ...)."""
        header, unverified = _unverified(token)
        issuer = unverified.get("iss")
        if issuer == self.settings.issuer:
            return await self.verify_own(token, header)
        external = self._issuers.get(issuer) if isinstance(issuer, str) else None
        if external is None:
            raise InvalidTokenError(f"untrusted issuer {issuer!r}")
        return await self._verify_external(token, header, external)

    async def verify_own(self, token: str, header: dict[str, Any] | None = None) -> Principal:
        header = header if header is not None else _unverified(token)[0]
        if str(header.get("typ", "")).lower() not in ACCEPTED_OWN_TYPES:
            raise InvalidTokenError(f"token type {header.get('typ')!r} is not {TOKEN_TYPE!r}")
        kid = header.get("kid")
        keys = await self.keys.verification_keys(kid if isinstance(kid, str) else None)
        claims = self._decode(token, keys, [ALGORITHM], self.settings.issuer, self.settings.audience)
        if not isinstance(claims.get("jti"), str) or not isinstance(claims.get("client_id"), str):
            raise InvalidTokenError("token lacks jti or client_id")
        principal = Principal(
            client_id=claims["client_id"],
            scopes=_scopes(claims.get("scope")),
            institution=_optional_str(claims, "institution"),
            jurisdiction=_optional_str(claims, "jurisdiction"),
            issuer=self.settings.issuer,
            subject=_optional_str(claims, "sub"),
            token_id=claims["jti"],
            expires_at=datetime.fromtimestamp(claims["exp"], UTC),
        )
        await self._refuse_revoked(principal, own=True)
        return principal

    async def _verify_external(self, token: str, header: dict[str, Any], issuer: ExternalIssuer) -> Principal:
        kid = header.get("kid")
        try:
            keys = await self.external.keys(issuer, kid if isinstance(kid, str) else None)
        except IssuerKeysUnavailableError as exc:
            raise InvalidTokenError(str(exc)) from None
        claims = self._decode(token, keys, list(issuer.algorithms), issuer.issuer, issuer.audience)
        client_id = _optional_str(claims, issuer.claim("client_id")) or _optional_str(claims, "sub")
        if client_id is None:
            raise InvalidTokenError(f"token of {issuer.issuer!r} names no client ({issuer.claim('client_id')!r})")
        jurisdiction = _optional_str(claims, issuer.claim("jurisdiction"))
        principal = Principal(
            client_id=client_id,
            scopes=_scopes(claims.get(issuer.claim("scope"))),
            institution=_optional_str(claims, issuer.claim("institution")),
            jurisdiction=jurisdiction.upper() if jurisdiction else None,
            issuer=issuer.issuer,
            subject=_optional_str(claims, "sub"),
            token_id=_optional_str(claims, "jti"),
            expires_at=datetime.fromtimestamp(claims["exp"], UTC),
        )
        await self._refuse_revoked(principal, own=False)
        return principal

    @staticmethod
    def _decode(token: str, keys: KeySet, algorithms: list[str], issuer: str, audience: str) -> dict[str, Any]:
        try:
            decoded = jwt.decode(token, keys, algorithms=algorithms)
        except JoseError as exc:
            raise InvalidTokenError(f"signature not valid: {exc.error}") from None
        registry = jwt.JWTClaimsRegistry(
            leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": audience},
            exp={"essential": True},
        )
        try:
            registry.validate(decoded.claims)
        except JoseError as exc:
            raise InvalidTokenError(exc.description or exc.error) from None
        if not isinstance(decoded.claims.get("exp"), int):
            raise InvalidTokenError("token lacks an integer exp")
        return dict(decoded.claims)

    async def _refuse_revoked(self, principal: Principal, own: bool) -> None:
        """One query, on every request: revocations made by any hub process count at once."""
        checks = []
        if principal.token_id is not None:
            checks.append(exists().where(RevokedToken.jti == principal.token_id))
        if own:
            checks.append(
                exists().where(OAuthClient.client_id == principal.client_id, OAuthClient.revoked_at.is_not(None))
            )
        if not checks:
            return
        async with self.sessions() as session:
            row = (await session.execute(select(*checks))).one()
        if any(row):
            raise InvalidTokenError("token revoked")


async def revoke(sessions: SessionFactory, principal: Principal) -> None:
    """Records the token as revoked (idempotent); every process refuses it from now on."""
    if principal.token_id is None or principal.expires_at is None or principal.client_id is None:
        return
    try:
        async with sessions.begin() as session:
            if await session.get(RevokedToken, principal.token_id) is None:
                session.add(
                    RevokedToken(jti=principal.token_id, client_id=principal.client_id, expires_at=principal.expires_at)
                )
    except IntegrityError:
        pass  # revoked concurrently: the outcome wanted
