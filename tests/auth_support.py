"""Test helpers for OAuth: register clients, fetch tokens over HTTP, mint tokens with the hub's own key."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx

from hub.app import Hub
from hub.auth.clients import NewClient, create_client
from hub.auth.tokens import Grant, sign_access_token


async def register_client(
    hub: Hub,
    scopes: str = "",
    institution: str | None = None,
    jurisdiction: str | None = None,
    name: str = "test-client",
    jwks: dict[str, Any] | None = None,
) -> NewClient:
    async with hub.sessions.begin() as session:
        return await create_client(session, name, scopes, institution, jurisdiction, jwks)


async def request_token(
    http: httpx.AsyncClient, client: NewClient, scope: str | None = None, secret: str | None = None
) -> httpx.Response:
    """POST /oauth/token with `client_secret_post`."""
    form = {"grant_type": "client_credentials", "client_id": client.client_id}
    form["client_secret"] = secret if secret is not None else client.client_secret or ""
    if scope is not None:
        form["scope"] = scope
    return await http.post("/oauth/token", data=form)


async def fetch_token(http: httpx.AsyncClient, client: NewClient, scope: str | None = None) -> str:
    response = await request_token(http, client, scope)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def mint_token(
    hub: Hub,
    scopes: str = "",
    institution: str | None = None,
    jurisdiction: str | None = None,
    client_id: str = "minted-client",
    now: float | None = None,
) -> str:
    """A token signed by the hub's current key, without a registered client (the resource side trusts it)."""
    key = await hub.auth.keys.signing_key()
    grant = Grant(client_id, tuple(scopes.split()), institution, jurisdiction)
    token: str = sign_access_token(hub.settings, key, grant, now)["access_token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def jwt_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The unverified header and claims of a compact JWT."""
    header, payload, _ = token.split(".")
    return _unb64_json(header), _unb64_json(payload)


def _unb64_json(part: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return data


def b64_json(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
