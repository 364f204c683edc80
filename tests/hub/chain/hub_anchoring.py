"""Test support: a hub anchoring on chosen chains with short bounds, catalogue pushes, checkpoints with the
anchoring hook, and waiting for the database to say something."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace

from sqlalchemy import func, select

from hub.app import Hub
from hub.audit.checkpoints import checkpoint_now
from hub.audit.models import AuditCheckpoint
from hub.audit.note_keys import NoteKeys
from hub.auth.principal import Principal
from hub.chain.anchoring import Anchoring
from hub.chain.bounds import Backoff
from hub.chain.models import ChainAnchorRow, PendingAnchorRow
from hub.provenance.service import ProvenanceService
from tests import records
from tests.hub.chain.conftest import TEST_TIMEOUTS

FAST_BACKOFF = Backoff(base=0.05, cap=0.4)
PUSHER = Principal(client_id="nlc-app", scopes=frozenset({"catalogue:write"}), institution="NLC")


def anchor_on(hub: Hub, chains: tuple[str, ...], private_key: str | None = None) -> Anchoring:
    """Replaces the hub's anchoring with one on `chains` (`embedded` and JSON-RPC URLs), fast to retry."""
    settings = replace(hub.settings, chain_rpc_urls=chains, chain_private_key=private_key)
    hub.settings = settings
    hub.anchoring = Anchoring(settings, hub.sessions, FAST_BACKOFF, idle=0.2, timeouts=TEST_TIMEOUTS)
    hub.provenance = ProvenanceService(hub.sessions, hub.anchoring.registration_made)
    return hub.anchoring


@contextlib.asynccontextmanager
async def anchor_worker(hub: Hub) -> AsyncIterator[Anchoring]:
    """The serving hub's anchor worker, running until the block ends (it opens the chains once there is work)."""
    task = asyncio.create_task(hub.anchoring.run())
    try:
        yield hub.anchoring
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def push(hub: Hub, *source_ids: str) -> None:
    for source_id in source_ids:
        outcome = await hub.push.upsert(PUSHER, None, [records.book(source_id, "书", f"Book {source_id}", 2001)])
        assert len(outcome.item_ids) == 1


async def checkpoint(hub: Hub, hooked: bool = True) -> AuditCheckpoint:
    signer = await NoteKeys(hub.sessions, hub.settings.audit_origin).signer()
    hooks = [hub.anchoring.checkpoint_made] if hooked else []
    made = await checkpoint_now(hub.sessions, signer, hub.settings.audit_origin, in_transaction=hooks)
    assert made is not None
    return made


async def anchors_of(hub: Hub, size: int) -> dict[str, ChainAnchorRow]:
    async with hub.sessions() as session:
        rows = await session.scalars(select(ChainAnchorRow).where(ChainAnchorRow.checkpoint_size == size))
        return {row.chain: row for row in rows}


async def pending_of(hub: Hub, size: int) -> dict[str, PendingAnchorRow]:
    async with hub.sessions() as session:
        rows = await session.scalars(select(PendingAnchorRow).where(PendingAnchorRow.checkpoint_size == size))
        return {row.chain: row for row in rows}


async def pending_count(hub: Hub) -> int:
    async with hub.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(PendingAnchorRow)) or 0)


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, "not reached in time"
        await asyncio.sleep(0.05)
