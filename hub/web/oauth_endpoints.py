"""HTTP endpoints of the authorization server: /oauth/token, /oauth/introspect, /oauth/revoke, /.well-known/*."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from authlib.oauth2.rfc6749 import InvalidClientError
from authlib.oauth2.rfc6749.errors import InsecureTransportError
from authlib.oauth2.rfc6749.util import extract_basic_authorization
from joserfc import jws
from joserfc.errors import JoseError
from sqlalchemy.exc import IntegrityError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.auth.authorization_server import (
    CLIENT_AUTH_FAILED,
    CLIENT_AUTH_METHODS,
    HubAuthorizationServer,
    HubRequest,
    Prepared,
)
from hub.auth.clients import load_client
from hub.auth.models import UsedClientAssertion
from hub.auth.scopes import SCOPES
from hub.auth.service import AuthService
from hub.auth.tokens import InvalidTokenError, revoke
from hub.web.client_address import client_address
from hub.web.rate_limit import RateLimits, retry_after

ASSERTION_FIELD = "client_assertion"
FORM_TYPE = "application/x-www-form-urlencoded"
MAX_FORM_BYTES = 64 * 1024
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _assertion_claims(form: dict[str, str]) -> dict[str, Any]:
    """The unverified claims of a client assertion: only to know which client it claims to be."""
    assertion = form.get(ASSERTION_FIELD)
    if not assertion:
        return {}
    try:
        claims = json.loads(jws.extract_compact(assertion.encode()).payload)
    except (JoseError, ValueError, UnicodeDecodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


class BadFormError(ValueError):
    pass


async def _read_form(request: Request) -> dict[str, str]:
    """The urlencoded form of an OAuth request (RFC 6749 3.2: no parameter twice)."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM_TYPE:
        raise BadFormError(f"send the parameters as {FORM_TYPE}")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise BadFormError(f"request body over {MAX_FORM_BYTES} bytes")
    try:
        pairs = parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        raise BadFormError("request body is not a UTF-8 urlencoded form") from None
    repeated = [name for name, count in Counter(name for name, _ in pairs).items() if count > 1]
    if repeated:
        raise BadFormError(f"parameter {repeated[0]!r} given more than once")
    return dict(pairs)


def _claimed_client_id(request: Request, form: dict[str, str]) -> str | None:
    basic_id, _ = extract_basic_authorization(request.headers)
    claimed = basic_id or form.get("client_id") or _assertion_claims(form).get("sub")
    return claimed if isinstance(claimed, str) and claimed else None


def _json(status: int, body: dict[str, Any], headers: list[tuple[str, str]] | dict[str, str]) -> Response:
    pairs = headers.items() if isinstance(headers, dict) else headers
    extra = {name: value for name, value in pairs if name.lower() != "content-type"}
    return JSONResponse(body, status_code=status, headers=extra)


def _client_auth_failed() -> Response:
    error = InvalidClientError(description=CLIENT_AUTH_FAILED, status_code=401)
    return _json(*error())


Handler = Callable[[Request], Awaitable[Response]]


def _too_many(wait: float, description: str) -> Response:
    return _json(
        429,
        {"error": "too_many_requests", "error_description": description},
        NO_STORE | {"Retry-After": retry_after(wait)},
    )


def _client_auth_failed_in(response: Response) -> bool:
    if response.status_code not in (400, 401):
        return False
    try:
        return bool(json.loads(bytes(response.body)).get("error") == "invalid_client")
    except ValueError:
        return False


class OAuthEndpoints:
    """Each request counts against its client address and the client id it claims; failed client
    authentications count against both as well, and past that limit a request is refused before any database
    read or secret hashing (so made-up client ids cannot buy unbounded hashing work)."""

    def __init__(self, auth: AuthService, limits: RateLimits) -> None:
        self.auth = auth
        self.settings = auth.settings
        self.limits = limits

    def routes(self) -> list[Route]:
        return [
            Route("/oauth/token", self._guarded(self.token), methods=["POST"]),
            Route("/oauth/introspect", self._guarded(self.introspect), methods=["POST"]),
            Route("/oauth/revoke", self._guarded(self.revoke), methods=["POST"]),
            Route("/.well-known/oauth-authorization-server", self.metadata, methods=["GET"]),
            Route("/.well-known/jwks.json", self.jwks, methods=["GET"]),
        ]

    def _guarded(self, handler: Callable[[Request, Prepared], Awaitable[Response]]) -> Handler:
        """Rate-limits by the client id claimed (before any database read), then prepares authlib's inputs."""

        async def endpoint(request: Request) -> Response:
            try:
                form = await _read_form(request)
            except BadFormError as exc:
                return _json(400, {"error": "invalid_request", "error_description": str(exc)}, NO_STORE)
            claimed = _claimed_client_id(request, form)
            address = client_address(request.scope, self.settings.trusted_proxies)
            refusal = await self._throttle(address, claimed)
            if refusal is not None:
                return refusal
            prepared = Prepared(form=form)
            if claimed is not None:
                async with self.auth.sessions() as session:
                    prepared.client = await load_client(session, claimed)
                    assertion = _assertion_claims(form)
                    if isinstance(assertion.get("jti"), str):
                        seen = await session.get(UsedClientAssertion, (claimed, assertion["jti"]))
                        prepared.assertion_used_before = seen is not None
            response = await handler(request, prepared)
            if _client_auth_failed_in(response):
                failures = self.settings.auth_failure_rate_limit
                await self.limits.hit(failures, "oauth-failures-address", address)
                if claimed is not None:
                    await self.limits.hit(failures, "oauth-failures-client", claimed)
            return response

        return endpoint

    async def _throttle(self, address: str, claimed: str | None) -> Response | None:
        """A 429 when the address or the claimed client is over a limit, checked before anything costly."""
        settings, limits = self.settings, self.limits
        failures = settings.auth_failure_rate_limit
        wait = await limits.exhausted(failures, "oauth-failures-address", address)
        if wait:
            return _too_many(wait, "too many failed client authentications from this address")
        if claimed is not None and (wait := await limits.exhausted(failures, "oauth-failures-client", claimed)):
            return _too_many(wait, "too many failed authentications of this client")
        if wait := await limits.hit(settings.token_address_rate_limit, "oauth-address", address):
            return _too_many(wait, "too many requests from this address")
        if claimed is not None and (wait := await limits.hit(settings.token_rate_limit, "oauth-client", claimed)):
            return _too_many(wait, "too many requests for this client")
        return None

    def _server(self, prepared: Prepared) -> HubAuthorizationServer:
        return HubAuthorizationServer(self.settings, prepared)

    def _request(self, request: Request, prepared: Prepared) -> HubRequest:
        return HubRequest(request.method, f"{self.settings.issuer}{request.url.path}", request.headers, prepared.form)

    async def _run(self, request: Request, prepared: Prepared, call: Callable[[HubRequest], Any]) -> Response:
        """Calls authlib in a worker thread (secret hashing is slow), then writes the effects it decided."""
        try:
            oauth_request = self._request(request, prepared)
        except InsecureTransportError as error:
            return _json(*error())
        status, body, headers = await asyncio.to_thread(call, oauth_request)
        if prepared.used_assertion is not None and not await self._record_assertion(*prepared.used_assertion):
            return _client_auth_failed()
        if prepared.revoke is not None:
            await revoke(self.auth.sessions, prepared.revoke)
        return _json(status, body, headers)

    async def _record_assertion(self, client_id: str, jti: str, exp: int) -> bool:
        """Whether the assertion was unused; a concurrent request with the same one loses."""
        try:
            async with self.auth.sessions.begin() as session:
                session.add(
                    UsedClientAssertion(client_id=client_id, jti=jti, expires_at=datetime.fromtimestamp(exp, UTC))
                )
        except IntegrityError:
            return False
        return True

    async def token(self, request: Request, prepared: Prepared) -> Response:
        prepared.signing_key = await self.auth.keys.signing_key()
        return await self._run(request, prepared, self._server(prepared).create_token_response)

    async def _prepare_token(self, prepared: Prepared) -> None:
        token = prepared.form.get("token")
        if token:
            try:
                prepared.token = await self.auth.verifier.verify_own(token)
            except InvalidTokenError:
                prepared.token = None

    async def introspect(self, request: Request, prepared: Prepared) -> Response:
        await self._prepare_token(prepared)
        server = self._server(prepared)
        return await self._run(request, prepared, lambda r: server.create_endpoint_response("introspection", r))

    async def revoke(self, request: Request, prepared: Prepared) -> Response:
        await self._prepare_token(prepared)
        server = self._server(prepared)
        return await self._run(request, prepared, lambda r: server.create_endpoint_response("revocation", r))

    async def metadata(self, _request: Request) -> Response:
        issuer = self.settings.issuer
        return JSONResponse(
            {
                "issuer": issuer,
                "token_endpoint": f"{issuer}/oauth/token",
                "jwks_uri": f"{issuer}/.well-known/jwks.json",
                "introspection_endpoint": f"{issuer}/oauth/introspect",
                "revocation_endpoint": f"{issuer}/oauth/revoke",
                "grant_types_supported": ["client_credentials"],
                "response_types_supported": [],
                "scopes_supported": list(SCOPES),
                "token_endpoint_auth_methods_supported": CLIENT_AUTH_METHODS,
                "token_endpoint_auth_signing_alg_values_supported": ["RS256", "ES256", "EdDSA"],
                "introspection_endpoint_auth_methods_supported": CLIENT_AUTH_METHODS,
                "revocation_endpoint_auth_methods_supported": CLIENT_AUTH_METHODS,
            }
        )

    async def jwks(self, _request: Request) -> Response:
        return JSONResponse(await self.auth.keys.jwks(), headers={"Cache-Control": "max-age=60"})
