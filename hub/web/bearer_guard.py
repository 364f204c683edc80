"""The resource side of /graphql over HTTP: bearer token in, principal out (or 401); rate limits per client,
and per client address for requests without a token."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from hub.auth.bearer import bearer_token, remember_principal
from hub.auth.principal import ANONYMOUS
from hub.auth.tokens import InvalidTokenError, TokenVerifier
from hub.settings import Settings
from hub.web.client_address import client_address
from hub.web.rate_limit import RateLimits, retry_after


def _challenge(error: str, description: str) -> str:
    return f'Bearer error="{error}", error_description="{description.replace(chr(34), chr(39))}"'


def _unauthorized(error: str, description: str) -> JSONResponse:
    body: dict[str, Any] = {"errors": [{"message": description, "extensions": {"code": "UNAUTHENTICATED"}}]}
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": _challenge(error, description)})


def rate_limited(wait: float, who: str) -> JSONResponse:
    seconds = retry_after(wait)
    message = f"too many requests from this {who}: retry in {seconds} s"
    extensions = {"code": "RATE_LIMITED", "retryAfter": int(seconds)}
    return JSONResponse(
        {"errors": [{"message": message, "extensions": extensions}]}, status_code=429, headers={"Retry-After": seconds}
    )


class BearerGuard:
    """Wraps the GraphQL app for HTTP; websockets pass through (their token comes in `connection_init`)."""

    def __init__(self, app: ASGIApp, verifier: TokenVerifier, limits: RateLimits, settings: Settings) -> None:
        self.app = app
        self.verifier = verifier
        self.limits = limits
        self.settings = settings

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
            wait = await self.limits.hit(self.settings.graphql_rate_limit, "graphql-client", principal.key)
            who = "client"
        else:
            address = client_address(scope, self.settings.trusted_proxies)
            wait = await self.limits.hit(self.settings.anonymous_rate_limit, "graphql-address", address)
            who = "address"
        if wait:
            await rate_limited(wait, who)(scope, receive, send)
            return
        remember_principal(scope, principal)
        await self.app(scope, receive, send)
