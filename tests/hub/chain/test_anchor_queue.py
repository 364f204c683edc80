"""The anchor queue: every checkpoint on every chain, a chain that is down retried with backoff, the others on."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from hub.chain import (
    Anchor,
    AnchorQueue,
    AuditRegistry,
    Backoff,
    ChainAnchorer,
    ChainEndpoint,
    Checkpoint,
    MemoryDeployments,
    MemoryPendingAnchors,
    ProvenanceAnchor,
    ProvenanceRecord,
    anchor_pending,
    verify_anchor,
    verify_provenance,
)
from tests.hub.chain.anvil import ANVIL_CHAIN_ID, AnvilNode

FAST_BACKOFF = Backoff(base=0.05, cap=0.4)
PROVENANCE = ProvenanceRecord(item_hash=b"\x0a" * 32, record_hash=b"\x0b" * 32)


async def wait_until(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


async def test_anchor_queue_on_two_chains_catches_up_on_the_one_stopped_mid_run(
    embedded: ChainEndpoint, anvil: AnvilNode, anvil_endpoint: ChainEndpoint, checkpoint: Callable[..., Checkpoint]
) -> None:
    store = MemoryPendingAnchors()
    deployments = MemoryDeployments()
    anchorers = {e.name: ChainAnchorer(e, deployments) for e in (embedded, anvil_endpoint)}
    queue = AnchorQueue(store, anchorers, backoff=FAST_BACKOFF)
    embedded_id = await embedded.web3.eth.chain_id
    queue.start()

    await queue.submit(checkpoint(1))
    await wait_until(lambda: len(store.anchors) == 2)
    anvil.stop()
    for size in (2, 3, 4):
        await queue.submit(checkpoint(size))
        assert (checkpoint(size).root, anvil_endpoint.name) in store.pending  # recorded, not waited for
    await queue.submit(PROVENANCE)

    # The embedded chain goes on while anvil is down; anvil's pairs stay pending and are retried.
    await wait_until(lambda: sum(anchor.chain_id == embedded_id for anchor in store.anchors) == 5)
    await wait_until(lambda: all(p.attempts >= 2 for p in store.pending.values()) and len(store.pending) == 4)
    assert {p.chain for p in store.pending.values()} == {anvil_endpoint.name}
    assert all(f"on {anvil_endpoint.name}" in (p.last_error or "") for p in store.pending.values())
    assert all(anchor.chain_id == embedded_id for anchor in store.anchors[2:])

    anvil.start()
    await wait_until(lambda: not store.pending)
    await queue.stop()

    anchors = [a for a in store.anchors if isinstance(a, Anchor)]
    registrations = [a for a in store.anchors if isinstance(a, ProvenanceAnchor)]
    assert sorted((a.chain_id, a.tree_size) for a in anchors) == sorted(
        [(embedded_id, size) for size in (1, 2, 3, 4)] + [(ANVIL_CHAIN_ID, size) for size in (1, 2, 3, 4)]
    )
    assert sorted(a.chain_id for a in registrations) == sorted([embedded_id, ANVIL_CHAIN_ID])
    web3_by_chain = {embedded_id: embedded.web3, ANVIL_CHAIN_ID: anvil_endpoint.web3}
    for anchor in anchors:
        check = await verify_anchor(web3_by_chain[anchor.chain_id], anchor, anchor.root, anchor.tree_size)
        assert check.holds, check.problem
    for registration in registrations:
        web3 = web3_by_chain[registration.chain_id]
        check = await verify_provenance(web3, registration, PROVENANCE.item_hash, PROVENANCE.record_hash)
        assert check.holds, check.problem
    # One registry per chain, deployed once, the same after anvil's restart.
    assert len({(a.chain_id, a.contract) for a in store.anchors}) == 2


async def test_anchor_pending_refused_pair_waits_while_the_next_one_lands(
    embedded: ChainEndpoint, checkpoint: Callable[..., Checkpoint]
) -> None:
    deployments = MemoryDeployments()
    registry = await AuditRegistry.open(embedded, deployments)
    taken = await registry.anchor_checkpoint(checkpoint(3))
    store = MemoryPendingAnchors()
    clash = Checkpoint(taken.root, 4, checkpoint(3).log_id)
    await store.add(clash, [embedded.name])
    await store.add(checkpoint(5), [embedded.name])

    outcomes = await anchor_pending(store, {embedded.name: ChainAnchorer(embedded, deployments)}, FAST_BACKOFF, 1000.0)

    assert [(o.pending.subject, o.anchor is not None) for o in outcomes] == [(clash, False), (checkpoint(5), True)]
    waiting = store.pending[(taken.root, embedded.name)]
    assert waiting.attempts == 1 and 1000.0 < waiting.retry_at <= 1000.0 + FAST_BACKOFF.base
    assert waiting.last_error is not None and "anchored on chain" in waiting.last_error
    assert "with tree size 3, not 4" in waiting.last_error


async def test_anchor_pending_for_a_chain_no_longer_configured_keeps_the_pair(
    checkpoint: Callable[..., Checkpoint],
) -> None:
    store = MemoryPendingAnchors()
    await store.add(checkpoint(1), ["http://127.0.0.1:1"])

    outcomes = await anchor_pending(store, {}, FAST_BACKOFF, 50.0)

    assert [o.error for o in outcomes] == ["chain 'http://127.0.0.1:1' is not configured any more"]
    assert store.pending[(checkpoint(1).root, "http://127.0.0.1:1")].attempts == 1
    assert await store.due(50.0, 10) == []


def test_backoff_grows_exponentially_with_jitter_up_to_its_cap() -> None:
    backoff = Backoff(base=1.0, cap=60.0)

    assert [backoff.delay(n, lambda: 1.0) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 8.0]
    assert [backoff.delay(n, lambda: 0.0) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]
    assert backoff.delay(30, lambda: 1.0) == 60.0
    assert backoff.delay(5000, lambda: 0.0) == 30.0
