"""The pending anchors in the database: a due row is claimed by one hub at a time (a lease), a claim that is
never settled falls due again, and adding a subject twice queues it once per chain."""

from __future__ import annotations

from hub.app import Hub
from hub.chain.anchor_store import SqlPendingAnchors, checkpoint_subject
from tests.hub.chain.hub_anchoring import anchor_on, checkpoint, pending_of, push

CHAINS = ("embedded", "http://127.0.0.1:9")


async def test_anchor_store_claims_a_due_row_for_one_hub_until_its_lease_ends(hub: Hub) -> None:
    anchor_on(hub, ("embedded",))
    await push(hub, "NLC-L1")
    made = await checkpoint(hub)
    first, second = SqlPendingAnchors(hub.sessions, lease=60.0), SqlPendingAnchors(hub.sessions, lease=60.0)

    [claimed] = await first.due(1000.0, 10)
    assert (claimed.subject, claimed.chain) == (checkpoint_subject(made), "embedded")
    assert await second.due(1000.0, 10) == []  # the other hub finds it taken
    assert (await pending_of(hub, made.tree_size))["embedded"].retry_at == 1060.0
    [again] = await second.due(1061.0, 10)  # the first never settled it: due again after the lease
    assert again.subject == claimed.subject


async def test_anchor_store_add_queues_a_subject_once_per_chain(hub: Hub) -> None:
    anchor_on(hub, CHAINS[:1])
    await push(hub, "NLC-L2")
    made = await checkpoint(hub)
    store = SqlPendingAnchors(hub.sessions)
    await store.add(checkpoint_subject(made), CHAINS)
    await store.add(checkpoint_subject(made), CHAINS)
    assert set(await pending_of(hub, made.tree_size)) == set(CHAINS)
