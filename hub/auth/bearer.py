"""Reading a bearer token into a principal: from an `Authorization` header over HTTP, from a websocket's
`connection_init` payload, and where the HTTP layer keeps it for the request."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from hub.auth.principal import ANONYMOUS, Principal
from hub.auth.tokens import InvalidTokenError, TokenVerifier

PRINCIPAL_STATE = "principal"
"""The key of the principal in an ASGI scope's `state`."""


def bearer_token(value: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` value; "" when the header is there but not a bearer."""
    if value is None:
        return None
    scheme, _, token = value.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def principal_of(scope: Mapping[str, Any]) -> Principal:
    """The principal stored for this request by `remember_principal` (anonymous when none)."""
    principal: Principal = scope.get("state", {}).get(PRINCIPAL_STATE, ANONYMOUS)
    return principal


def remember_principal(scope: MutableMapping[str, Any], principal: Principal) -> None:
    scope.setdefault("state", {})[PRINCIPAL_STATE] = principal


async def principal_from_connection_params(verifier: TokenVerifier, params: dict[str, Any] | None) -> Principal:
    """The principal of a websocket's `connection_init` payload: `Authorization: Bearer ...` (or `access_token`)."""
    params = params or {}
    raw = params.get("Authorization", params.get("authorization"))
    token = bearer_token(raw) if isinstance(raw, str) else params.get("access_token")
    if token is None:
        return ANONYMOUS
    if not isinstance(token, str) or not token:
        raise InvalidTokenError("connection_init Authorization must be 'Bearer <token>'")
    return await verifier.verify(token)
