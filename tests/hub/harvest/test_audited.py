"""A harvest run's result is audited with the partner's status: a failed run, and one that changed records."""

from __future__ import annotations

import json

from sqlalchemy import select

from hub.app import Hub
from hub.audit.models import AuditEntry
from tests.connectors.hostile.relics import RelicsPartner, relic
from tests.hub.harvest.partners import partner_of, sync_state


async def audit_entries(hub: Hub) -> list[AuditEntry]:
    async with hub.sessions() as session:
        return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


async def test_failed_harvest_is_audited_with_its_error(hub: Hub) -> None:
    partner = RelicsPartner([relic("R-1")], token_chars=20_000)
    async with partner_of(hub, "CRECC", partner.make_app()):
        result = await hub.sync.sync_partner("CRECC")
    assert not result.ok
    [entry] = await audit_entries(hub)
    assert (entry.actor, entry.action, entry.subject, entry.jurisdictions) == (
        "hub:sync",
        "harvest.sync_finished",
        "institution:CRECC",
        ["CN"],
    )
    payload = json.loads(entry.payload)
    assert payload["ok"] is False and payload["error"] == result.error == (await sync_state(hub, "CRECC")).last_error


async def test_harvest_that_finds_nothing_new_adds_no_result_entry(hub: Hub) -> None:
    partner = RelicsPartner([relic("R-1"), relic("R-2")])
    async with partner_of(hub, "CRECC", partner.make_app()):
        assert (await hub.sync.sync_partner("CRECC")).ok
        first = await audit_entries(hub)
        assert (await hub.sync.sync_partner("CRECC")).ok
    assert [e.action for e in first] == ["catalogue.harvested", "harvest.sync_finished"]
    assert json.loads(first[-1].payload)["added"] == 2
    assert len(await audit_entries(hub)) == len(first)
