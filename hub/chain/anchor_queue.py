"""Anchors every checkpoint (and registers every provenance record) on every chain, in the background,
retrying a chain that is down with backoff.

The hub records a pending (subject, chain) pair for each configured chain when it makes a checkpoint or a
provenance record (the database keeps them: `PendingAnchors`), and wakes the queue. The queue's worker takes
the pairs that are due, works through each chain's pairs in order, all chains at once, and stores each anchor as
it lands. A chain that does not answer keeps its pairs pending, each retried after an exponential delay with
jitter; the other chains go on. A chain that refuses one write (a revert) holds back only that pair. Nothing
here is awaited by a request: `submit()` only records the pairs and `wake()` only sets an event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from hub.chain.anchors import ChainWrite, Subject, describe_subject, subject_key
from hub.chain.bounds import Backoff
from hub.chain.deployments import ChainDeployments
from hub.chain.endpoints import ChainEndpoint
from hub.chain.errors import ChainRejected, is_unavailable
from hub.chain.registry import AuditRegistry, describe_failure

logger = logging.getLogger("hub.chain")


@dataclass(frozen=True)
class PendingAnchor:
    """A checkpoint or provenance record not yet written to the chain named `chain`; `retry_at` is wall-clock
    seconds."""

    subject: Subject
    chain: str
    attempts: int = 0
    retry_at: float = 0.0
    last_error: str | None = None


class PendingAnchors(Protocol):
    """The pending pairs and the anchors made; the hub keeps both in its database."""

    async def add(self, subject: Subject, chains: Sequence[str]) -> None:
        """One pending pair per chain (a pair already pending stays as it is)."""
        ...

    async def due(self, now: float, limit: int) -> list[PendingAnchor]:
        """Up to `limit` pairs whose `retry_at` has come, in the order they were added."""
        ...

    async def anchored(self, pending: PendingAnchor, anchor: ChainWrite) -> None:
        """Stores the anchor (an Anchor or a ProvenanceAnchor) and drops the pair, in one transaction."""
        ...

    async def postpone(self, pending: PendingAnchor) -> None:
        """Stores the pair's new attempts, retry_at and last_error."""
        ...

    async def next_retry_at(self) -> float | None:
        """When the earliest pending pair falls due; None when nothing is pending."""
        ...


@dataclass(frozen=True)
class AnchorOutcome:
    """What one attempt at a pair did: an anchor, or the error and when the pair is retried."""

    pending: PendingAnchor
    anchor: ChainWrite | None = None
    error: str | None = None


class ChainAnchorer:
    """Writes to one chain, opening (and where missing deploying) the registry on first use."""

    def __init__(self, endpoint: ChainEndpoint, deployments: ChainDeployments) -> None:
        self.endpoint = endpoint
        self.deployments = deployments
        self._registry: AuditRegistry | None = None

    async def write(self, subject: Subject) -> ChainWrite:
        if self._registry is None:
            self._registry = await AuditRegistry.open(self.endpoint, self.deployments)
        try:
            return await self._registry.write(subject)
        except ChainRejected:
            # The chain may have lost the registry (a node restarted without its state): look again next time.
            self._registry = None
            raise


async def anchor_pending(
    store: PendingAnchors,
    anchorers: Mapping[str, ChainAnchorer],
    backoff: Backoff = Backoff(),
    now: float | None = None,
    limit: int = 100,
) -> list[AnchorOutcome]:
    """One pass: every due pair is attempted once, each chain's pairs in order, the chains concurrently."""
    started = time.time() if now is None else now
    by_chain: dict[str, list[PendingAnchor]] = {}
    for pending in await store.due(started, limit):
        by_chain.setdefault(pending.chain, []).append(pending)
    passes = [
        _anchor_on_chain(store, anchorers.get(chain), chain, pairs, backoff, started)
        for chain, pairs in by_chain.items()
    ]
    return [outcome for outcomes in await asyncio.gather(*passes) for outcome in outcomes]


async def _anchor_on_chain(
    store: PendingAnchors,
    anchorer: ChainAnchorer | None,
    chain: str,
    pairs: list[PendingAnchor],
    backoff: Backoff,
    now: float,
) -> list[AnchorOutcome]:
    outcomes: list[AnchorOutcome] = []
    for index, pending in enumerate(pairs):
        if anchorer is None:
            error = f"chain {chain!r} is not configured any more"
        else:
            try:
                anchor = await anchorer.write(pending.subject)
            except Exception as failure:
                error = describe_failure(failure)
                if is_unavailable(failure):
                    # The chain is down: its later pairs wait too, without a request each.
                    for waiting in [pending, *pairs[index + 1 :]]:
                        outcomes.append(await _postpone(store, waiting, error, backoff, now))
                    return outcomes
            else:
                await store.anchored(pending, anchor)
                outcomes.append(AnchorOutcome(pending, anchor=anchor))
                continue
        outcomes.append(await _postpone(store, pending, error, backoff, now))
    return outcomes


async def _postpone(
    store: PendingAnchors, pending: PendingAnchor, error: str, backoff: Backoff, now: float
) -> AnchorOutcome:
    attempts = pending.attempts + 1
    later = replace(pending, attempts=attempts, retry_at=now + backoff.delay(attempts), last_error=error)
    await store.postpone(later)
    logger.warning(
        "writing %s to %s failed (attempt %d, next in %.0f s): %s",
        describe_subject(pending.subject),
        pending.chain,
        attempts,
        later.retry_at - now,
        error,
    )
    return AnchorOutcome(later, error=error)


class AnchorQueue:
    """The background worker: `start()` it once; `wake()` it after adding pending pairs."""

    def __init__(
        self,
        store: PendingAnchors,
        anchorers: Mapping[str, ChainAnchorer],
        backoff: Backoff = Backoff(),
        idle: float = 60.0,
    ) -> None:
        self.store = store
        self.anchorers = dict(anchorers)
        self.backoff = backoff
        self.idle = idle
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def chains(self) -> list[str]:
        return list(self.anchorers)

    async def submit(self, subject: Subject) -> None:
        """Adds the subject's pairs (one per chain) and wakes the worker; returns without touching a chain."""
        await self.store.add(subject, self.chains)
        self.wake()

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name="anchor-queue")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def run(self) -> None:
        failures = 0
        while True:
            self._wake.clear()
            try:
                await anchor_pending(self.store, self.anchorers, self.backoff)
                next_at = await self.store.next_retry_at()
                failures = 0
            except Exception:
                # The store failed (the database is away): try again later, never give up.
                failures += 1
                logger.exception("the anchor queue could not read or write its pending anchors")
                next_at = time.time() + self.backoff.delay(failures)
            pause = self.idle if next_at is None else min(self.idle, max(next_at - time.time(), 0.0))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=pause)


class MemoryPendingAnchors:
    """PendingAnchors in memory, for tests and for a hub without a database of pending anchors."""

    def __init__(self) -> None:
        self.pending: dict[tuple[bytes, str], PendingAnchor] = {}
        self.anchors: list[ChainWrite] = []

    async def add(self, subject: Subject, chains: Sequence[str]) -> None:
        for chain in chains:
            self.pending.setdefault((subject_key(subject), chain), PendingAnchor(subject, chain))

    async def due(self, now: float, limit: int) -> list[PendingAnchor]:
        return [pending for pending in self.pending.values() if pending.retry_at <= now][:limit]

    async def anchored(self, pending: PendingAnchor, anchor: ChainWrite) -> None:
        del self.pending[(subject_key(pending.subject), pending.chain)]
        self.anchors.append(anchor)

    async def postpone(self, pending: PendingAnchor) -> None:
        self.pending[(subject_key(pending.subject), pending.chain)] = pending

    async def next_retry_at(self) -> float | None:
        return min((pending.retry_at for pending in self.pending.values()), default=None)
