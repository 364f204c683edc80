"""The resource side of /graphql over HTTP: bearer token in, principal out (or 401), per-client rate limit."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from hub.auth.bearer import bearer_token, remember_principal
from hub.auth.principal import ANONYMOUS
from hub.auth.tokens import InvalidTokenError, TokenVerifier
from hub.web.rate_limit import RateLimiter, retry_after


def _challenge(error: str, description: str) -> str:
    return f'Bearer error="{error}", error_description="{description.replace(chr(34), chr(39))}"'


def _unauthorized(error: str, description: str) -> JSONResponse:
    body: dict[str, Any] = {"errors": [{"message": description, "extensions": {"code": "UNAUTHENTICATED"}}]}
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": _challenge(error, description)})


def _rate_limited(wait: float) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": "too many requests", "extensions": {"code": "RATE_LIMITED"}}]},
        status_code=429,
        headers={"Retry-After": retry_after(wait)},
    )


class BearerGuard:
    """Wraps the GraphQL app for HTTP; websockets pass through (their token comes in `connection_init`)."""

    def __init__(self, app: ASGIApp, verifier: TokenVerifier, limits: RateLimiter) -> None:
        self.app = app
        self.verifier = verifier
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = bearer_token(Headers(scope=scope).get("authorization"))
        principal = ANONYMOUS
        if token is not None:
            if not token:
                refusal = _unauthorized("invalid_request", "use an Authorization: Bearer <token> header")
                await refusal(scope, receive, send)
                return
            try:
                principal = await self.verifier.verify(token)
            except InvalidTokenError as exc:
                await _unauthorized("invalid_token", str(exc))(scope, receive, send)
                return
            wait = self.limits.acquire(principal.key)
            if wait:
                await _rate_limited(wait)(scope, receive, send)
                return
        remember_principal(scope, principal)
        await self.app(scope, receive, send)
