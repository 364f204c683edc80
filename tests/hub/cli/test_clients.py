"""`hub clients create|list|revoke`."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from joserfc.jwk import RSAKey

from hub.app import Hub
from tests.auth_support import bearer, jwt_parts
from tests.hub.cli.conftest import HubCli


async def test_clients_create_prints_id_and_secret_that_get_a_token(
    hub: Hub, client: httpx.AsyncClient, hub_cli: HubCli
) -> None:
    await hub_cli("institutions", "add", "MNAA", "--name", "Guimet", "--country", "FR")
    status, out, _ = await hub_cli(
        "clients", "create", "--name", "guimet-app", "--institution", "MNAA", "--scopes", "trade:read trade:write"
    )
    assert status == 0
    created = json.loads(out)
    assert set(created) == {"client_id", "client_secret"}
    response = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(created["client_id"], created["client_secret"]),
    )
    assert response.status_code == 200, response.text
    claims = jwt_parts(response.json()["access_token"])[1]
    assert claims["institution"] == "MNAA" and claims["scope"] == "trade:read trade:write"


async def test_clients_create_refuses_a_scope_without_its_binding(hub_cli: HubCli) -> None:
    status, out, err = await hub_cli("clients", "create", "--name", "douane", "--scopes", "customs:clear")
    assert status == 1 and out == ""
    assert "'customs:clear' needs a jurisdiction" in err


async def test_clients_create_with_a_jwks_file_has_no_secret(hub_cli: HubCli, tmp_path: Path) -> None:
    key = RSAKey.generate_key(2048, private=True, auto_kid=True)
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [key.as_dict(private=False)]}))
    status, out, _ = await hub_cli(
        "clients", "create", "--name", "crecc-erp", "--institution", "CRECC", "--scopes", "catalogue:write",
        "--jwks", str(jwks),
    )  # fmt: skip
    assert status == 0 and json.loads(out)["client_secret"] is None


async def test_clients_list_and_revoke(hub: Hub, client: httpx.AsyncClient, hub_cli: HubCli) -> None:
    _, out, _ = await hub_cli(
        "clients", "create", "--name", "douane-fr", "--jurisdiction", "FR", "--scopes", "audit:read"
    )
    created = json.loads(out)
    token = (
        await client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(created["client_id"], created["client_secret"]),
        )
    ).json()["access_token"]
    status, out, _ = await hub_cli("clients", "revoke", created["client_id"])
    assert status == 0
    _, out, _ = await hub_cli("clients", "list", "--json")
    (listed,) = [c for c in json.loads(out) if c["client_id"] == created["client_id"]]
    assert listed["revoked"] is True and listed["jurisdiction"] == "FR"
    assert created["client_secret"] not in out
    response = await client.post("/graphql", json={"query": "{ institutions { code } }"}, headers=bearer(token))
    assert response.status_code == 401
    status, _, err = await hub_cli("clients", "revoke", "nobody")
    assert status == 1 and "'nobody'" in err


async def test_clients_list_prints_a_table_with_a_header_and_a_status_column(hub_cli: HubCli) -> None:
    _, out, _ = await hub_cli("clients", "create", "--name", "douane-fr", "--jurisdiction", "FR", "--scopes", "")
    revoked = json.loads(out)["client_id"]
    await hub_cli("clients", "create", "--name", "guimet-app", "--institution", "CRECC", "--scopes", "trade:read")
    await hub_cli("clients", "revoke", revoked)
    status, out, _ = await hub_cli("clients", "list")
    assert status == 0
    header, *rows = out.splitlines()
    assert header.split() == ["CLIENT", "ID", "NAME", "SCOPES", "INSTITUTION", "JURISDICTION", "AUTH", "STATUS"]
    statuses = {row.split()[1]: row.split()[-1] for row in rows}
    assert statuses == {"douane-fr": "revoked", "guimet-app": "active"}
    assert "False" not in out and "True" not in out


async def test_clients_list_without_clients_says_how_to_add_one(hub_cli: HubCli) -> None:
    status, out, _ = await hub_cli("clients", "list")
    assert status == 0 and "hub clients create" in out


async def test_clients_create_warns_when_the_name_is_in_use(hub_cli: HubCli) -> None:
    _, out, err = await hub_cli("clients", "create", "--name", "nlc-push", "--institution", "NLC", "--scopes", "")
    first = json.loads(out)["client_id"]
    assert err == ""
    status, out, err = await hub_cli("clients", "create", "--name", "nlc-push", "--institution", "NLC")
    assert status == 0 and json.loads(out)["client_id"] != first  # created all the same
    assert f"a client named 'nlc-push' exists already (active, client_id {first})" in err
