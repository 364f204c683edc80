"""Transfer updates for the `transferUpdates` subscription: published in-process after the change commits, and
relayed to the other hub processes on PostgreSQL (hub.trading.update_relay).

State changes call `note_transfer_change(session, record)` inside their transaction; the event waits in the
session until commit (a rollback drops it) and then goes to the `TransferEvents` the session factory names
(`hub.app` configures it: `sessions.configure(info={TRANSFER_EVENTS: events})`). Each event carries the parties
and the jurisdictions, so a subscription filters with `transfer_visible_to` without reading the database.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from hub.core.clock import utc_now
from hub.trading.records import TransferRecord
from hub.trading.states import TransferLeg, TransferStatus

TRANSFER_EVENTS = "hub.trading.transfer_events"
"""The key of the session factory's `info` naming the process's TransferEvents."""
PENDING = "hub.trading.pending_transfer_events"


@dataclass(frozen=True)
class TransferEvent:
    transfer_id: int
    status: TransferStatus
    leg: TransferLeg
    seller: str
    buyer: str
    origin_country: str
    destination_country: str
    at: datetime

    @classmethod
    def of(cls, record: TransferRecord) -> TransferEvent:
        return cls(
            record.id,
            record.status,
            record.leg,
            record.seller,
            record.buyer,
            record.origin_country,
            record.destination_country,
            utc_now(),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "transfer_id": self.transfer_id,
            "status": self.status.value,
            "leg": self.leg.value,
            "seller": self.seller,
            "buyer": self.buyer,
            "origin_country": self.origin_country,
            "destination_country": self.destination_country,
            "at": self.at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TransferEvent:
        return cls(
            int(data["transfer_id"]),
            TransferStatus(data["status"]),
            TransferLeg(data["leg"]),
            str(data["seller"]),
            str(data["buyer"]),
            str(data["origin_country"]),
            str(data["destination_country"]),
            datetime.fromisoformat(data["at"]),
        )


class TransferEvents:
    """Fan-out to subscribers, each with a bounded queue; one that falls behind loses the oldest events."""

    def __init__(self, queue_size: int = 1000) -> None:
        self._subscribers: set[asyncio.Queue[TransferEvent]] = set()
        self._queue_size = queue_size
        self.relay: Callable[[list[TransferEvent]], None] | None = None
        """Sends this process's events to the other hub processes (see hub.trading.update_relay)."""

    def announce(self, events: list[TransferEvent]) -> None:
        """Publishes what this process committed, here and (through the relay) in the other processes."""
        self.publish(events)
        if events and self.relay is not None:
            self.relay(events)

    def publish(self, events: Iterable[TransferEvent]) -> None:
        for update in events:
            for queue in self._subscribers:
                if queue.full():
                    queue.get_nowait()
                queue.put_nowait(update)

    async def subscribe(self, transfer_id: int | None = None) -> AsyncIterator[TransferEvent]:
        """Every event (of one transfer, if given) from now on; the caller filters what it may see."""
        queue: asyncio.Queue[TransferEvent] = asyncio.Queue(self._queue_size)
        self._subscribers.add(queue)
        try:
            while True:
                update = await queue.get()
                if transfer_id is None or update.transfer_id == transfer_id:
                    yield update
        finally:
            self._subscribers.discard(queue)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)


def note_transfer_change(session: AsyncSession, record: TransferRecord) -> None:
    """Queues an event for `record`'s new state, published once the session's transaction commits."""
    session.info.setdefault(PENDING, []).append(TransferEvent.of(record))


@event.listens_for(Session, "after_commit")
def _publish_after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    events = session.info.get(TRANSFER_EVENTS)
    if pending and isinstance(events, TransferEvents):
        events.announce(pending)


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, _previous: Any) -> None:
    session.info.pop(PENDING, None)
