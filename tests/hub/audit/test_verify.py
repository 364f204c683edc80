"""Verifying the audit log: the first entry that does not hold is named."""

from __future__ import annotations

import pytest

from hub.app import Hub
from hub.audit.log import append_entry
from hub.audit.verify import verify_chain
from tests.hub.audit.conftest import entries
from tests.hub.audit.tampering import tamper


@pytest.mark.parametrize(
    ("tampering", "problem"),
    [
        ("UPDATE audit_entries SET payload = '{\"added\":[]}' WHERE seq = 1", "entry 1 does not match its hash"),
        ("UPDATE audit_entries SET actor = 'someone' WHERE seq = 1", "entry 1 does not match its hash"),
        (f"UPDATE audit_entries SET prev_hash = '{'1' * 64}' WHERE seq = 1", "entry 1 does not link to entry 0"),
    ],
)
async def test_audit_verify_names_the_first_tampered_entry(synced: Hub, tampering: str, problem: str) -> None:
    await tamper(synced, tampering)
    async with synced.sessions() as session:
        report = await verify_chain(session)
    assert not report.ok
    assert report.first_bad_seq == 1
    assert report.problem == problem


async def test_audit_verify_notices_a_missing_last_entry(synced: Hub) -> None:
    last = (await entries(synced))[-1].seq
    await tamper(
        synced,
        f"DELETE FROM audit_entry_jurisdictions WHERE seq = {last}",
        f"DELETE FROM audit_entries WHERE seq = {last}",
    )
    async with synced.sessions() as session:
        report = await verify_chain(session)
    assert report.first_bad_seq == last
    assert report.problem == f"the chain head says {last} entries, the log holds {last - 1}"


async def test_audit_verify_holds_for_entries_with_the_old_action_names(hub: Hub) -> None:
    """Entries written before the actions were named after domain events verify as they are."""
    old_and_new = ["catalogue.harvest", "catalogue.upsertCatalogueItems", "catalogue.items_upserted"]
    for n, action in enumerate(old_and_new):
        async with hub.sessions.begin() as session:
            await append_entry(session, "nlc-app", action, "institution:NLC", ["CN"], {"added": [n]})
    async with hub.sessions() as session:
        report = await verify_chain(session)
    assert report.ok and report.entries == 3
    assert [e.action for e in await entries(hub)] == old_and_new
