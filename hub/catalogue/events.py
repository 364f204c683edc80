"""In-process publish/subscribe of catalogue changes, for the `catalogueChanges` subscription."""

from __future__ import annotations

import asyncio
import enum
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from hub.catalogue.changes import ChangeSet
from hub.core.clock import utc_now


class ChangeKind(enum.Enum):
    ADDED = "ADDED"
    CHANGED = "CHANGED"
    REMOVED = "REMOVED"


@dataclass(frozen=True)
class CatalogueChange:
    kind: ChangeKind
    item_id: int
    institution: str
    at: datetime


class CatalogueEvents:
    """Fan-out to subscribers, each with a bounded queue; a subscriber that falls behind loses the oldest events."""

    def __init__(self, queue_size: int = 10_000) -> None:
        self._subscribers: set[asyncio.Queue[CatalogueChange]] = set()
        self._queue_size = queue_size
        self.generation = 0
        """Bumped by every change public reads could see (for response caches)."""
        self.relay: Callable[[list[CatalogueChange]], None] | None = None
        """Sends this process's changes to the other hub processes (see hub.catalogue.change_relay)."""

    def touch(self) -> None:
        self.generation += 1

    def announce(self, institution: str, changes: ChangeSet) -> None:
        """Publishes what one catalogue write did to `institution`'s items."""
        now = utc_now()
        batch = (
            [CatalogueChange(ChangeKind.ADDED, i, institution, now) for i in changes.added]
            + [CatalogueChange(ChangeKind.CHANGED, i, institution, now) for i in changes.changed]
            + [CatalogueChange(ChangeKind.REMOVED, i, institution, now) for i in changes.removed]
        )
        self.publish(batch)
        if batch and self.relay is not None:
            self.relay(batch)

    def publish(self, changes: Iterable[CatalogueChange]) -> None:
        batch = list(changes)
        if batch:
            self.touch()
        for change in batch:
            for queue in self._subscribers:
                if queue.full():
                    queue.get_nowait()
                queue.put_nowait(change)

    async def subscribe(self, institutions: set[str] | None = None) -> AsyncIterator[CatalogueChange]:
        queue: asyncio.Queue[CatalogueChange] = asyncio.Queue(self._queue_size)
        self._subscribers.add(queue)
        try:
            while True:
                change = await queue.get()
                if institutions is None or change.institution in institutions:
                    yield change
        finally:
            self._subscribers.discard(queue)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)
