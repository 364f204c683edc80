"""Clients and keys write their audit entries in the same transaction as the change, never a secret."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from hub.app import Hub
from hub.audit.models import AuditEntry
from hub.auth.clients import ClientError, revoke_client
from tests.auth_support import register_client


async def audit_entries(hub: Hub) -> list[AuditEntry]:
    async with hub.sessions() as session:
        return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


async def test_client_registration_and_revocation_are_audited_in_their_jurisdictions(hub: Hub) -> None:
    partner = await register_client(hub, "catalogue:write", institution="nlc", name="nlc-app")
    regulator = await register_client(hub, "audit:read", jurisdiction="fr", name="douane")
    async with hub.sessions.begin() as session:
        await revoke_client(session, regulator.client_id)
    async with hub.sessions.begin() as session:
        await revoke_client(session, regulator.client_id)  # already revoked: nothing changes, nothing is written
    registered, registered_fr, revoked = await audit_entries(hub)
    assert (registered.action, registered.subject, registered.jurisdictions) == (
        "auth.client_registered",
        f"client:{partner.client_id}",
        ["CN"],
    )
    assert json.loads(registered.payload) == {
        "client_id": partner.client_id,
        "name": "nlc-app",
        "scopes": ["catalogue:write"],
        "institution": "NLC",
        "jurisdiction": None,
        "authentication": "client_secret",
    }
    assert partner.client_secret is not None and partner.client_secret not in registered.payload
    assert registered_fr.jurisdictions == ["FR"]
    assert (revoked.action, revoked.actor, revoked.jurisdictions) == ("auth.client_revoked", "hub:operator", ["FR"])
    assert json.loads(revoked.payload) == {"client_id": regulator.client_id, "name": "douane"}


async def test_client_refused_registration_writes_no_entry(hub: Hub) -> None:
    with pytest.raises(ClientError):
        await register_client(hub, "trade:read", institution="NOPE")
    assert await audit_entries(hub) == []


async def test_signing_key_creation_and_rotation_are_audited_without_the_key(hub: Hub) -> None:
    first = (await hub.auth.keys.signing_key()).kid
    second = await hub.auth.keys.rotate()
    created, rotated = await audit_entries(hub)
    assert (created.action, created.subject, json.loads(created.payload)["retired"]) == (
        "auth.signing_key_created",
        f"signing_key:{first}",
        [],
    )
    assert (rotated.action, rotated.actor) == ("auth.signing_key_rotated", "hub:keys")
    assert json.loads(rotated.payload) == {"kid": second, "algorithm": "RS256", "retired": [first], "deleted": []}
    private = (await hub.auth.keys.signing_key()).as_dict(private=True)
    assert private["d"] not in created.payload + rotated.payload
