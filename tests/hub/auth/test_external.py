"""Tokens of an external issuer: its JWKS served over loopback by aiohttp, its tokens signed with its own key."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from aiohttp import web
from joserfc import jwt
from joserfc.jwk import RSAKey

from hub.app import Hub
from hub.settings import ExternalIssuer, Settings
from hub.web.app import create_app
from tests.auth_support import bearer

ISSUER = "https://idp.culture.example"
AUDIENCE = "https://hub.example/graphql"
UPSERT = """mutation($input: UpsertCatalogueItemsInput!) {
  upsertCatalogueItems(input: $input) { items { sourceId institution { code } } errors { code } } }"""


@dataclass
class Idp:
    key: RSAKey
    jwks_url: str

    def token(self, signing_key: RSAKey | None = None, **overrides: Any) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": "svc-twmm",
            "aud": AUDIENCE,
            "exp": now + 300,
            "iat": now,
            "jti": uuid.uuid4().hex,
            "azp": "twmm-collections",
            "scp": ["catalogue:write"],
            "org": "TWMM",
        } | overrides
        return jwt.encode({"alg": "RS256", "typ": "at+jwt", "kid": self.key.kid}, claims, signing_key or self.key)


@pytest.fixture
async def idp() -> AsyncIterator[Idp]:
    key = RSAKey.generate_key(2048, private=True, auto_kid=True)

    async def jwks(_request: web.Request) -> web.Response:
        return web.json_response({"keys": [key.as_dict(private=False)]})

    app = web.Application()
    app.router.add_get("/jwks", jwks)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield Idp(key, f"http://127.0.0.1:{port}/jwks")
    await runner.cleanup()


@pytest.fixture
async def federated(hub: Hub, idp: Idp) -> AsyncIterator[httpx.AsyncClient]:
    """A hub trusting the external issuer, with its claim names mapped to the hub's."""
    issuer = ExternalIssuer(
        ISSUER, idp.jwks_url, AUDIENCE, claims={"client_id": "azp", "scope": "scp", "institution": "org"}
    )
    trusting = Hub.create(Settings(database_url=hub.settings.database_url, external_issuers=(issuer,)))
    transport = httpx.ASGITransport(app=create_app(trusting))
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        yield client
    await trusting.close()


def _push(institution: str) -> dict[str, Any]:
    item = {"sourceId": "TW-EXT-1", "kind": "COIN", "titles": [{"lang": "en", "value": "Kaiyuan coin"}]}
    return {"query": UPSERT, "variables": {"input": {"institution": institution, "items": [item]}}}


async def test_external_token_is_trusted_like_the_hubs_own(federated: httpx.AsyncClient, idp: Idp) -> None:
    response = await federated.post("/graphql", json=_push("TWMM"), headers=bearer(idp.token()))
    assert response.status_code == 200, response.text
    payload = response.json()["data"]["upsertCatalogueItems"]
    assert payload == {"items": [{"sourceId": "TW-EXT-1", "institution": {"code": "TWMM"}}], "errors": []}


async def test_external_token_keeps_its_institution_binding(federated: httpx.AsyncClient, idp: Idp) -> None:
    response = await federated.post("/graphql", json=_push("NLC"), headers=bearer(idp.token()))
    assert response.json()["data"]["upsertCatalogueItems"]["errors"] == [{"code": "FORBIDDEN"}]


async def test_external_token_without_the_scope_is_forbidden(federated: httpx.AsyncClient, idp: Idp) -> None:
    response = await federated.post("/graphql", json=_push("TWMM"), headers=bearer(idp.token(scp=["trade:read"])))
    assert response.json()["errors"][0]["extensions"] == {"code": "FORBIDDEN", "scope": "catalogue:write"}


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"aud": "https://elsewhere.example"}, "aud"),
        ({"exp": int(time.time()) - 600}, "expired"),
        ({"iss": "https://evil.example"}, "untrusted issuer"),
    ],
)
async def test_external_token_is_refused_when_wrong(
    federated: httpx.AsyncClient, idp: Idp, overrides: dict[str, Any], reason: str
) -> None:
    response = await federated.post("/graphql", json=_push("TWMM"), headers=bearer(idp.token(**overrides)))
    assert response.status_code == 401
    assert reason in response.headers["www-authenticate"]


async def test_external_token_signed_by_another_key_is_refused(federated: httpx.AsyncClient, idp: Idp) -> None:
    impostor = RSAKey.generate_key(2048, private=True)
    response = await federated.post("/graphql", json=_push("TWMM"), headers=bearer(idp.token(signing_key=impostor)))
    assert response.status_code == 401
    assert "signature" in response.headers["www-authenticate"]


async def test_external_issuer_is_refused_when_its_keys_are_unreachable(hub: Hub, idp: Idp) -> None:
    issuer = ExternalIssuer(ISSUER, "http://127.0.0.1:9/jwks", AUDIENCE, claims={"scope": "scp"})
    trusting = Hub.create(Settings(database_url=hub.settings.database_url, external_issuers=(issuer,)))
    try:
        transport = httpx.ASGITransport(app=create_app(trusting))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            response = await client.post("/graphql", json=_push("TWMM"), headers=bearer(idp.token()))
        assert response.status_code == 401
        assert "unavailable" in response.headers["www-authenticate"]
    finally:
        await trusting.close()
