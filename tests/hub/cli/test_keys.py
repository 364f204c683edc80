"""`hub keys rotate`."""

from __future__ import annotations

import json

import httpx

from hub.app import Hub
from hub.web.app import create_app
from tests.auth_support import bearer, jwt_parts
from tests.hub.cli.conftest import HubCli


async def test_keys_rotate_keeps_old_tokens_valid_and_signs_new_ones_with_the_new_key(
    hub: Hub, client: httpx.AsyncClient, hub_cli: HubCli
) -> None:
    _, out, _ = await hub_cli(
        "clients", "create", "--name", "nlc", "--institution", "NLC", "--scopes", "catalogue:write"
    )
    created = json.loads(out)

    async def token(http: httpx.AsyncClient) -> str:
        form = {"grant_type": "client_credentials", **created}
        value: str = (await http.post("/oauth/token", data=form)).json()["access_token"]
        return value

    old_token = await token(client)
    status, out, _ = await hub_cli("keys", "rotate")
    assert status == 0
    new_kid = json.loads(out)["kid"]
    # A hub process started after the rotation (a running one picks the new key up within a minute).
    restarted = Hub.create(hub.settings)
    try:
        transport = httpx.ASGITransport(app=create_app(restarted))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            new_token = await token(client)
            assert jwt_parts(new_token)[0]["kid"] == new_kid != jwt_parts(old_token)[0]["kid"]
            published = {key["kid"] for key in (await client.get("/.well-known/jwks.json")).json()["keys"]}
            assert published == {new_kid, jwt_parts(old_token)[0]["kid"]}
            query = {"query": "{ institutions { code } }"}
            for valid in (old_token, new_token):
                assert (await client.post("/graphql", json=query, headers=bearer(valid))).status_code == 200
    finally:
        await restarted.close()
