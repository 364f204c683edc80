"""The audit log: one hash-chained entry per catalogue change, in the same transaction, the client as actor."""

from __future__ import annotations

import asyncio
import itertools
import json

import pytest

from hub.app import Hub
from hub.audit.log import GENESIS_HASH
from hub.audit.verify import verify_chain
from hub.auth.principal import Principal
from hub.core.user_errors import Refused
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import serve_app
from tests import records
from tests.hub.audit.conftest import entries


async def test_audit_harvest_writes_a_chained_entry_per_changing_page(synced: Hub) -> None:
    log = await entries(synced)
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    assert log[0].prev_hash == GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(log))
    *pages, result = log
    assert {(e.actor, e.action, e.subject) for e in pages} == {("hub:sync", "catalogue.harvested", "institution:CRECC")}
    assert all(e.jurisdictions == ["CN"] for e in log)
    added = [item for e in pages for item in json.loads(e.payload)["added"]]
    assert len(added) == 27
    # The run's result closes it: what it did in counts, in the same jurisdiction.
    assert (result.actor, result.action, result.subject) == ("hub:sync", "harvest.sync_finished", "institution:CRECC")
    assert json.loads(result.payload) == {
        "ok": True,
        "pages": len(pages),
        "added": 27,
        "changed": 0,
        "removed": 0,
        "unchanged": 0,
        "rejected": 0,
        "error": None,
    }
    async with synced.sessions() as session:
        report = await verify_chain(session)
    assert report.ok and report.entries == len(log)


async def test_audit_sync_that_changes_nothing_writes_nothing(synced: Hub) -> None:
    before = len(await entries(synced))
    assert before > 0  # the control: the first harvest, which changed items, wrote entries
    sandbox = CreccSandbox()
    server = await serve_app(sandbox.make_app())
    synced.sync.partner_urls["CRECC"] = server.url
    try:
        assert (await synced.sync.sync_partner("CRECC", full=True)).ok
    finally:
        await server.close()
    assert len(await entries(synced)) == before


async def test_audit_push_writes_its_entry_with_the_client_as_actor(hub: Hub) -> None:
    pusher = Principal(client_id="nlc-app", scopes=frozenset({"catalogue:write"}), institution="NLC")
    outcome = await hub.push.upsert(pusher, None, [records.SOGDIAN_BOOK])
    [entry] = await entries(hub)
    assert (entry.actor, entry.action, entry.subject) == (
        "nlc-app",
        "catalogue.items_upserted",
        "institution:NLC",
    )
    assert json.loads(entry.payload)["added"] == outcome.item_ids


async def test_audit_refused_push_writes_no_entry(hub: Hub) -> None:
    intruder = Principal(client_id="nlc-app", scopes=frozenset({"catalogue:write"}), institution="NLC")
    with pytest.raises(Refused) as refused:
        await hub.push.upsert(intruder, "TWMM", [records.SANCAI_HORSE])
    assert [e.code.value for e in refused.value.errors] == ["FORBIDDEN"]
    assert await entries(hub) == []
    await hub.push.upsert(intruder, "NLC", [records.SANCAI_HORSE])  # the control: to its own institution
    assert [e.subject for e in await entries(hub)] == ["institution:NLC"]


async def test_audit_concurrent_writers_keep_one_unbroken_chain(hub: Hub) -> None:
    writers = [
        Principal(client_id=f"{code.lower()}-app", scopes=frozenset({"catalogue:write"}), institution=code)
        for code in ("NLC", "CRECC", "TWMM")
    ]
    batches = [
        [records.book(f"{w.institution}-{n}", f"书 {n}", f"Book {n}", 2000 + n)] for w in writers for n in range(4)
    ]
    outcomes = await asyncio.gather(*(hub.push.upsert(writers[i // 4], None, batch) for i, batch in enumerate(batches)))
    assert all(len(o.item_ids) == 1 for o in outcomes)
    async with hub.sessions() as session:
        report = await verify_chain(session)
    assert report.ok and report.entries == 12
