"""Checkpoints: signed RFC 6962 roots over the log, made incrementally."""

from __future__ import annotations

from sqlalchemy import func, select

from hub.app import Hub
from hub.audit.checkpoints import checkpoint_now
from hub.audit.documents import entry_bytes
from hub.audit.log import append_entry
from hub.audit.merkle import leaf_hash, tree_root
from hub.audit.models import AuditCheckpoint, AuditEntry, AuditTreeNode
from hub.audit.note_keys import NoteKeys
from hub.audit.signed_note import open_checkpoint
from tests.hub.audit.conftest import entries

ORIGIN = "hub.test/audit"


async def append(hub: Hub, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        async with hub.sessions.begin() as session:
            await append_entry(session, "nlc-app", "catalogue.items_upserted", f"item:{n}", ["CN"], {"n": n})


def leaves(rows: list[AuditEntry]) -> list[bytes]:
    return [
        leaf_hash(
            entry_bytes(
                r.format, r.seq, r.at, r.actor, r.action, r.subject, r.jurisdictions, r.payload, r.prev_hash, r.hash
            )
        )
        for r in rows
    ]


async def test_checkpoint_signs_the_root_over_every_entry_so_far(hub: Hub) -> None:
    keys = NoteKeys(hub.sessions, ORIGIN)
    signer = await keys.signer()
    await append(hub, 5)
    first = await checkpoint_now(hub.sessions, signer, ORIGIN)
    await append(hub, 6, start=5)
    second = await checkpoint_now(hub.sessions, signer, ORIGIN)
    assert await checkpoint_now(hub.sessions, signer, ORIGIN) is None
    assert first is not None and second is not None
    rows = await entries(hub)
    assert (first.tree_size, first.first_seq, second.tree_size, second.first_seq) == (5, 1, 11, 6)
    assert first.root_hash == tree_root(leaves(rows[:5])).hex()
    assert second.root_hash == tree_root(leaves(rows)).hex()
    opened = open_checkpoint(second.note, await keys.verifier())
    assert (opened.origin, opened.tree_size, opened.root.hex()) == (ORIGIN, 11, second.root_hash)
    async with hub.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AuditCheckpoint)) == 2
        # every perfect subtree of 11 leaves once: 11 leaves, 5 pairs, 2 fours, 1 eight
        assert await session.scalar(select(func.count()).select_from(AuditTreeNode)) == 19
