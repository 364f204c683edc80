"""The resource side of /graphql over HTTP: bearer token in, principal out (or 401), per-client rate limit."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from hub.auth.principal import ANONYMOUS, Principal
from hub.auth.runtime import HubAuth
from hub.auth.tokens import InvalidTokenError
from hub.rate_limit import retry_after

PRINCIPAL_STATE = "principal"


def bearer_token(value: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` value; "" when the header is there but not a bearer."""
    if value is None:
        return None
    scheme, _, token = value.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def principal_of(scope: Scope) -> Principal:
    """The principal `BearerGuard` stored for this request (anonymous when none)."""
    principal: Principal = scope.get("state", {}).get(PRINCIPAL_STATE, ANONYMOUS)
    return principal


def _challenge(error: str, description: str) -> str:
    return f'Bearer error="{error}", error_description="{description.replace(chr(34), chr(39))}"'


def _unauthorized(error: str, description: str) -> JSONResponse:
    body: dict[str, Any] = {"errors": [{"message": description, "extensions": {"code": "UNAUTHENTICATED"}}]}
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": _challenge(error, description)})


class BearerGuard:
    """Wraps the GraphQL app for HTTP; websockets pass through (their token comes in `connection_init`)."""

    def __init__(self, app: ASGIApp, auth: HubAuth) -> None:
        self.app = app
        self.auth = auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = bearer_token(Headers(scope=scope).get("authorization"))
        principal = ANONYMOUS
        if token is not None:
            if not token:
                await _unauthorized("invalid_request", "use an Authorization: Bearer <token> header")(
                    scope, receive, send
                )
                return
            try:
                principal = await self.auth.verifier.verify(token)
            except InvalidTokenError as exc:
                await _unauthorized("invalid_token", str(exc))(scope, receive, send)
                return
            wait = self.auth.graphql_limits.acquire(principal.key)
            if wait:
                response = JSONResponse(
                    {"errors": [{"message": "too many requests", "extensions": {"code": "RATE_LIMITED"}}]},
                    status_code=429,
                    headers={"Retry-After": retry_after(wait)},
                )
                await response(scope, receive, send)
                return
        scope.setdefault("state", {})[PRINCIPAL_STATE] = principal
        await self.app(scope, receive, send)


async def principal_from_connection_params(auth: HubAuth, params: dict[str, Any] | None) -> Principal:
    """The principal of a websocket's `connection_init` payload: `Authorization: Bearer ...` (or `access_token`)."""
    params = params or {}
    raw = params.get("Authorization", params.get("authorization"))
    token = bearer_token(raw) if isinstance(raw, str) else params.get("access_token")
    if token is None:
        return ANONYMOUS
    if not isinstance(token, str) or not token:
        raise InvalidTokenError("connection_init Authorization must be 'Bearer <token>'")
    return await auth.verifier.verify(token)
