"""The hub's anchoring: which chains it anchors on (from the settings), the hook that queues a checkpoint's
anchors in the transaction that makes it, and the background worker of the serving hub.

Nothing here makes a request wait for a chain: the hook inserts rows and asks for a wake-up after the commit.
Only the process that runs `run()` (the serving hub's background) opens the chains.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.models import AuditCheckpoint
from hub.chain.anchor_store import SqlChainDeployments, SqlPendingAnchors, queue_checkpoint, queue_registration
from hub.chain.bounds import Backoff, ChainTimeouts
from hub.chain.names import EMBEDDED_NAME, chain_name
from hub.db import SessionFactory
from hub.settings import EMBEDDED_CHAIN, Settings

if TYPE_CHECKING:
    from hub.chain.anchor_queue import AnchorQueue
    from hub.chain.endpoints import ChainEndpoint

logger = logging.getLogger("hub.chain")

EMBEDDED_DIR = "chain"
DEFAULT_IDLE = 5.0
"""Seconds between two looks at the pending anchors when nothing wakes the worker (checkpoints made by another
process are seen within this)."""
DEFAULT_TIMEOUTS = ChainTimeouts()
DEFAULT_BACKOFF = Backoff()


def endpoint_names(entries: Sequence[str]) -> list[str]:
    """The names the pending rows carry: `embedded`, or a URL's name without its secrets."""
    return [EMBEDDED_NAME if entry == EMBEDDED_CHAIN else chain_name(entry) for entry in entries]


def open_chain_endpoints(settings: Settings, timeouts: ChainTimeouts = DEFAULT_TIMEOUTS) -> list[ChainEndpoint]:
    """Every configured chain; the embedded one kept in `<HUB_VAR_DIR>/chain`. Blocking: opens files."""
    from hub.chain.embedded import EmbeddedChain
    from hub.chain.endpoints import embedded_endpoint, rpc_endpoint

    endpoints = []
    for entry in settings.anchor_chains:
        if entry == EMBEDDED_CHAIN:
            endpoints.append(embedded_endpoint(EmbeddedChain(embedded_directory(settings.var_dir)), timeouts))
        else:
            endpoints.append(rpc_endpoint(entry, settings.chain_private_key or "", timeouts))
    return endpoints


def embedded_directory(var_dir: Path) -> Path:
    return var_dir / EMBEDDED_DIR


class Anchoring:
    def __init__(
        self,
        settings: Settings,
        sessions: SessionFactory,
        backoff: Backoff = DEFAULT_BACKOFF,
        idle: float = DEFAULT_IDLE,
        timeouts: ChainTimeouts = DEFAULT_TIMEOUTS,
    ) -> None:
        self.settings = settings
        self.chains = endpoint_names(settings.anchor_chains)
        self.store = SqlPendingAnchors(sessions, self.chains)
        self.deployments = SqlChainDeployments(sessions)
        self.backoff = backoff
        self.idle = idle
        self.timeouts = timeouts
        self.queue: AnchorQueue | None = None
        self.started = asyncio.Event()
        self._work = asyncio.Event()

    async def checkpoint_made(self, session: AsyncSession, checkpoint: AuditCheckpoint) -> None:
        """The hook of `hub.audit.checkpoints.checkpoint_now`: queues the checkpoint on every chain, in its
        transaction."""
        await queue_checkpoint(session, checkpoint.tree_size, self.chains)
        self.wake_after_commit(session)

    async def registration_made(self, session: AsyncSession, registration_id: int) -> None:
        await queue_registration(session, registration_id, self.chains)
        self.wake_after_commit(session)

    def wake_after_commit(self, session: AsyncSession) -> None:
        event.listen(session.sync_session, "after_commit", lambda _session: self.wake(), once=True)

    def wake(self) -> None:
        if self.queue is not None:
            self.queue.wake()
        self._work.set()

    async def wait_for_work(self) -> None:
        """Until there is a checkpoint or a registration to anchor: a hub that never anchors opens no chain."""
        while not await self.store.has_work():
            self._work.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._work.wait(), timeout=self.idle)

    async def run(self) -> None:
        """The worker: opens the chains and anchors what is pending until cancelled; closes the chains then."""
        from hub.chain.anchor_queue import AnchorQueue, ChainAnchorer

        await self.wait_for_work()
        endpoints = await asyncio.to_thread(open_chain_endpoints, self.settings, self.timeouts)
        anchorers = {e.name: ChainAnchorer(e, self.deployments) for e in endpoints}
        self.queue = AnchorQueue(self.store, anchorers, self.backoff, self.idle)
        self.started.set()
        logger.info("anchoring audit checkpoints on %s", ", ".join(anchorers))
        try:
            await self.queue.run()
        finally:
            self.queue = None
            self.started.clear()
            for endpoint in endpoints:
                try:
                    await endpoint.close()
                except Exception:  # closing one chain must not keep the others open
                    logger.exception("closing the chain %s failed", endpoint.name)
