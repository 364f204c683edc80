from __future__ import annotations

import asyncio
import itertools
import json
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from hub.app import Hub
from hub.audit.log import GENESIS_HASH
from hub.audit.models import AuditEntry
from hub.audit.verify import verify_chain
from hub.auth.principal import Principal
from hub.core.user_errors import Refused
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import serve_app
from tests import records

ROOT = Path(__file__).resolve().parents[3]


async def entries(hub: Hub) -> list[AuditEntry]:
    async with hub.sessions() as session:
        return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


@pytest.fixture
async def synced(hub: Hub) -> Hub:
    sandbox = CreccSandbox()
    server = await serve_app(sandbox.make_app())
    hub.sync.partner_urls["CRECC"] = server.url
    try:
        assert (await hub.sync.sync_partner("CRECC")).ok
    finally:
        await server.close()
    return hub


async def test_audit_harvest_writes_a_chained_entry_per_changing_page(synced: Hub) -> None:
    log = await entries(synced)
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    assert log[0].prev_hash == GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(log))
    assert {(e.actor, e.action, e.subject) for e in log} == {("hub:sync", "catalogue.harvested", "institution:CRECC")}
    assert all(e.jurisdictions == ["CN"] for e in log)
    added = [item for e in log for item in json.loads(e.payload)["added"]]
    assert len(added) == 27
    async with synced.sessions() as session:
        report = await verify_chain(session)
    assert report.ok and report.entries == len(log)


async def test_audit_sync_that_changes_nothing_writes_nothing(synced: Hub) -> None:
    before = len(await entries(synced))
    sandbox = CreccSandbox()
    server = await serve_app(sandbox.make_app())
    synced.sync.partner_urls["CRECC"] = server.url
    try:
        assert (await synced.sync.sync_partner("CRECC", full=True)).ok
    finally:
        await server.close()
    assert len(await entries(synced)) == before


@pytest.mark.parametrize(
    ("tampering", "problem"),
    [
        ("UPDATE audit_entries SET payload = '{\"added\":[]}' WHERE seq = 1", "entry 1 does not match its hash"),
        ("UPDATE audit_entries SET actor = 'someone' WHERE seq = 1", "entry 1 does not match its hash"),
        (f"UPDATE audit_entries SET prev_hash = '{'1' * 64}' WHERE seq = 1", "entry 1 does not link to entry 0"),
    ],
)
async def test_audit_verify_names_the_first_tampered_entry(synced: Hub, tampering: str, problem: str) -> None:
    async with synced.sessions.begin() as session:
        await session.execute(text(tampering))
    async with synced.sessions() as session:
        report = await verify_chain(session)
    assert not report.ok
    assert report.first_bad_seq == 1
    assert report.problem == problem


async def test_audit_verify_notices_a_missing_last_entry(synced: Hub) -> None:
    last = (await entries(synced))[-1].seq
    async with synced.sessions.begin() as session:
        await session.execute(text(f"DELETE FROM audit_entry_jurisdictions WHERE seq = {last}"))
        await session.execute(text(f"DELETE FROM audit_entries WHERE seq = {last}"))
    async with synced.sessions() as session:
        report = await verify_chain(session)
    assert report.first_bad_seq == last
    assert report.problem == f"the chain head says {last} entries, the log holds {last - 1}"


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


async def run_verify(database_url: str) -> tuple[int, dict[str, object]]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "hub.cli",
        "audit",
        "verify",
        "--json",
        cwd=ROOT,
        env=os.environ | {"HUB_DATABASE_URL": database_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, _err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, json.loads(out)


async def test_audit_verify_command_exits_zero_only_when_the_chain_holds(synced: Hub, database_url: str) -> None:
    code, report = await run_verify(database_url)
    assert code == 0
    assert report["ok"] is True
    async with synced.sessions.begin() as session:
        await session.execute(text("UPDATE audit_entries SET subject = 'institution:NLC' WHERE seq = 1"))
    code, report = await run_verify(database_url)
    assert code == 1
    assert report == {
        "ok": False,
        "entries": 0,
        "first_bad_seq": 1,
        "problem": "entry 1 does not match its hash",
    }
