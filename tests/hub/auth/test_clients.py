from __future__ import annotations

import re

import pytest
from joserfc.jwk import RSAKey
from sqlalchemy import select

from hub.app import Hub
from hub.auth.clients import ClientError, create_client, list_clients, load_client, new_client_id, revoke_client
from hub.auth.models import OAuthClient
from tests.auth_support import register_client


async def test_clients_create_keeps_only_a_hash_of_the_secret(hub: Hub) -> None:
    new = await register_client(hub, "catalogue:write", institution="NLC")
    assert new.client_secret
    async with hub.sessions() as session:
        row = await session.scalar(select(OAuthClient).where(OAuthClient.client_id == new.client_id))
        record = await load_client(session, new.client_id)
    assert row is not None and row.secret_hash is not None
    assert new.client_secret not in row.secret_hash
    assert record is not None
    assert record.check_client_secret(new.client_secret)
    assert not record.check_client_secret("wrong")
    assert record.institution == "NLC" and record.scopes == ("catalogue:write",)


@pytest.mark.parametrize(
    ("scopes", "institution", "jurisdiction", "named"),
    [
        ("catalogue:write", None, None, "'catalogue:write' needs an institution"),
        ("audit:read", "NLC", None, "'audit:read' needs a jurisdiction"),
        ("trade:fly", "NLC", None, "unknown scope 'trade:fly'"),
        ("trade:read", "NOPE", None, "unknown institution 'NOPE'"),
        ("audit:read", None, "France", "not 'FRANCE'"),
    ],
)
async def test_clients_create_refuses_bad_values_naming_them(
    hub: Hub, scopes: str, institution: str | None, jurisdiction: str | None, named: str
) -> None:
    with pytest.raises(ClientError, match=named):
        await register_client(hub, scopes, institution, jurisdiction)


async def test_clients_with_public_keys_get_no_secret(hub: Hub) -> None:
    key = RSAKey.generate_key(2048, private=True, auto_kid=True)
    new = await register_client(hub, "trade:read", institution="TWMM", jwks={"keys": [key.as_dict(private=False)]})
    assert new.client_secret is None


async def test_clients_refuse_a_private_key_in_the_jwks(hub: Hub) -> None:
    key = RSAKey.generate_key(2048, private=True, auto_kid=True)
    with pytest.raises(ClientError, match="private key"):
        await register_client(hub, "trade:read", institution="TWMM", jwks={"keys": [key.as_dict(private=True)]})


async def test_clients_list_and_revoke(hub: Hub) -> None:
    new = await register_client(hub, "audit:read", jurisdiction="fr", name="douane")
    async with hub.sessions.begin() as session:
        await revoke_client(session, new.client_id)
    async with hub.sessions() as session:
        (listed,) = [c for c in await list_clients(session) if c.client_id == new.client_id]
    assert listed.revoked and listed.jurisdiction == "FR" and listed.name == "douane"
    assert new.client_secret is not None and not listed.check_client_secret(new.client_secret)


async def test_clients_revoke_unknown_names_it(hub: Hub) -> None:
    async with hub.sessions.begin() as session:
        with pytest.raises(ClientError, match="'nobody'"):
            await revoke_client(session, "nobody")
        with pytest.raises(ClientError, match="client name"):
            await create_client(session, " ", "")


def test_clients_get_ids_an_operator_can_type_after_revoke() -> None:
    ids = {new_client_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(re.fullmatch(r"[0-9a-f]{32}", client_id) for client_id in ids)
