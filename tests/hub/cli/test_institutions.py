"""`hub institutions`, `hub clients`, `hub keys`: run through `hub.cli.main` as an operator would."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from joserfc.jwk import RSAKey

from hub.app import Hub
from hub.cli import main
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import serve_app
from hub.web.app import create_app
from tests.auth_support import bearer, jwt_parts

HubCli = Callable[..., Awaitable[tuple[int, str, str]]]


@pytest.fixture
def hub_cli(hub: Hub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[HubCli]:
    """Runs `hub ARGS...` on the test database in a worker thread (the CLI runs its own event loop)."""
    monkeypatch.setenv("HUB_DATABASE_URL", hub.settings.database_url)

    async def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = await asyncio.to_thread(main, list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    yield run


async def test_institutions_add_then_list(hub_cli: HubCli) -> None:
    status, out, _ = await hub_cli(
        "institutions", "add", "mnaa", "--name", "Musée national des arts asiatiques", "--country", "fr"
    )
    assert status == 0
    assert json.loads(out)["code"] == "MNAA"
    status, out, _ = await hub_cli("institutions", "list", "--json")
    listed = {row["code"]: row for row in json.loads(out)}
    assert listed["MNAA"] == {"code": "MNAA", "country": "FR", "name": "Musée national des arts asiatiques"}
    assert {"NLC", "CRECC", "TWMM"} <= set(listed)


async def test_institutions_add_with_a_protocol_makes_a_harvested_partner(hub: Hub, hub_cli: HubCli) -> None:
    status, out, _ = await hub_cli(
        "institutions", "add", "SHM", "--name", "Shaanxi History Museum", "--country", "CN", "--protocol", "relics-json"
    )
    assert status == 0
    assert json.loads(out)["protocol"] == "relics-json"
    server = await serve_app(CreccSandbox().make_app())  # any server speaking the relics JSON API
    hub.sync.partner_urls["SHM"] = server.url
    try:
        [result] = await hub.sync.sync_all(["SHM"])
    finally:
        await server.close()
    assert result.ok, result.error
    assert len(result.changes.added) == 27


async def test_institutions_add_refuses_an_unknown_protocol(
    hub_cli: HubCli, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        await hub_cli(
            "institutions", "add", "SHM", "--name", "Shaanxi History Museum", "--country", "CN", "--protocol", "ftp"
        )
    assert exit_info.value.code == 2
    assert "invalid choice: 'ftp'" in capsys.readouterr().err


async def test_institutions_add_refuses_a_bad_country_naming_it(hub_cli: HubCli) -> None:
    status, out, err = await hub_cli("institutions", "add", "MNAA", "--name", "Guimet", "--country", "France")
    assert status == 1 and out == ""
    assert "'FRANCE'" in err


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
