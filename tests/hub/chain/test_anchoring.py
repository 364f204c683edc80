"""The hub's anchoring end to end: checkpoints queued in their own transaction, anchored on the embedded chain and
an anvil node at once, one chain stopped mid-run while catalogue writes go on, catching up when it returns."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import select

from hub.app import Hub
from hub.audit.checkpoints import make_checkpoint
from hub.audit.models import AuditCheckpoint
from hub.audit.note_keys import NoteKeys
from hub.chain.anchor_checks import verify_stored_anchors
from hub.chain.anchoring import open_chain_endpoints
from hub.chain.names import chain_name
from tests.auth_support import bearer, mint_token
from tests.hub.chain.anvil import ANVIL_CHAIN_ID, ANVIL_KEYS, AnvilNode
from tests.hub.chain.conftest import TEST_TIMEOUTS
from tests.hub.chain.hub_anchoring import (
    anchor_on,
    anchor_worker,
    anchors_of,
    checkpoint,
    eventually,
    pending_count,
    pending_of,
    push,
)
from tests.support import graphql

LEDGER = """query($checkpoint: Int) {
  ledgerAnchors(checkpoint: $checkpoint) {
    checkpointSize rootHash chain state chainId contract txHash blockNumber attempts nextRetryAt lastError
  }
}"""


async def test_anchoring_hook_queues_every_chain_in_the_checkpoints_transaction_or_not_at_all(hub: Hub) -> None:
    anchoring = anchor_on(hub, ("embedded", "http://127.0.0.1:9"), ANVIL_KEYS[0])
    await push(hub, "NLC-H1")
    signer = await NoteKeys(hub.sessions, hub.settings.audit_origin).signer()
    with pytest.raises(RuntimeError, match="after the hook"):
        async with hub.sessions.begin() as session:
            made = await make_checkpoint(session, signer, hub.settings.audit_origin)
            assert made is not None
            await anchoring.checkpoint_made(session, made)
            raise RuntimeError("after the hook")
    assert await pending_count(hub) == 0

    made = await checkpoint(hub)
    assert set(await pending_of(hub, made.tree_size)) == {"embedded", "http://127.0.0.1:9"}


async def test_anchoring_on_two_chains_one_stopped_mid_run_catches_up_while_writes_go_on(
    hub: Hub, client: httpx.AsyncClient, anvil: AnvilNode
) -> None:
    anvil_name = chain_name(anvil.url)
    anchor_on(hub, ("embedded", anvil.url), ANVIL_KEYS[0])
    token = await mint_token(hub, "audit:read", None, "CN")
    async with anchor_worker(hub):
        await push(hub, "NLC-A1", "NLC-A2")
        first = await checkpoint(hub)

        async def both_anchored(size: int) -> bool:
            return set(await anchors_of(hub, size)) == {"embedded", anvil_name}

        await eventually(lambda: both_anchored(first.tree_size))

        anvil.stop()
        await push(hub, "NLC-B1")  # catalogue writes and checkpoints go on; nothing waits for anvil
        second = await checkpoint(hub)
        await push(hub, "NLC-B2")
        third = await checkpoint(hub)

        async def anvil_retried(size: int) -> bool:
            waiting = (await pending_of(hub, size)).get(anvil_name)
            return "embedded" in await anchors_of(hub, size) and waiting is not None and waiting.attempts >= 2

        await eventually(lambda: anvil_retried(second.tree_size))
        await eventually(lambda: anvil_retried(third.tree_size))
        ledger = (await graphql(client, LEDGER, {"checkpoint": second.tree_size}, **bearer(token)))["data"]
        by_chain = {row["chain"]: row for row in ledger["ledgerAnchors"]}
        assert by_chain["embedded"]["state"] == "ANCHORED" and by_chain["embedded"]["txHash"].startswith("0x")
        assert by_chain["embedded"]["rootHash"] == second.root_hash
        assert by_chain[anvil_name]["state"] == "PENDING" and by_chain[anvil_name]["txHash"] is None
        assert by_chain[anvil_name]["attempts"] >= 2 and by_chain[anvil_name]["nextRetryAt"]
        assert anvil_name in by_chain[anvil_name]["lastError"]

        anvil.start()
        await eventually(lambda: both_anchored(third.tree_size))
        await eventually(lambda: both_anchored(second.tree_size))
        assert await pending_count(hub) == 0

    ledger = (await graphql(client, LEDGER, {}, **bearer(token)))["data"]["ledgerAnchors"]
    assert [(row["checkpointSize"], row["state"]) for row in ledger if row["chain"] == anvil_name] == [
        (third.tree_size, "ANCHORED"),
        (second.tree_size, "ANCHORED"),
        (first.tree_size, "ANCHORED"),
    ]
    assert {row["chainId"] for row in ledger if row["chain"] == anvil_name} == {ANVIL_CHAIN_ID}
    endpoints = open_chain_endpoints(hub.settings, TEST_TIMEOUTS)
    try:
        async with hub.sessions() as session:
            report = await verify_stored_anchors(session, endpoints)
    finally:
        for endpoint in endpoints:
            await endpoint.close()
    assert (report.ok, report.checked, report.unchecked) == (True, 6, {})


async def test_anchoring_worker_opens_no_chain_until_a_checkpoint_then_sweeps_one_made_without_the_hook(
    hub: Hub,
) -> None:
    anchor_on(hub, ("embedded",))
    chain_dir = hub.settings.var_dir / "chain"
    async with anchor_worker(hub):
        await push(hub, "NLC-S1")
        await asyncio.sleep(0.6)  # three idle looks at the database
        assert not chain_dir.exists() and hub.anchoring.queue is None
        made = await checkpoint(hub, hooked=False)
        assert await pending_of(hub, made.tree_size) == {}

        async def anchored() -> bool:
            return "embedded" in await anchors_of(hub, made.tree_size)

        await eventually(anchored)
    assert (chain_dir / "chain.sqlite3").exists()
    async with hub.sessions() as session:
        assert await session.scalar(select(AuditCheckpoint.root_hash)) == made.root_hash


async def test_ledger_anchors_need_an_audit_read_token(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "catalogue:write", "NLC")
    body = await graphql(client, LEDGER, {}, **bearer(token))
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
