"""Transfer events across hub processes that share a PostgreSQL database, over LISTEN/NOTIFY
(hub.core.notify_relay): each process sends the events it commits and publishes the ones the others send,
so `transferUpdates` hears every replica's changes. SQLite serves one process (`hub serve --workers` needs
PostgreSQL), where the in-process publication after commit is all there is.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.core.notify_relay import NotifyChannel, NotifyRelay, payloads
from hub.trading.events import TransferEvent, TransferEvents

CHANNEL = "hub_transfer_updates"
EVENTS_PER_NOTIFICATION = 20
"""An event is about 250 bytes of JSON: well under PostgreSQL's 8,000-byte NOTIFY limit."""


def bodies(events: list[TransferEvent]) -> list[dict[str, Any]]:
    return [
        {"events": [e.to_json() for e in events[start : start + EVENTS_PER_NOTIFICATION]]}
        for start in range(0, len(events), EVENTS_PER_NOTIFICATION)
    ]


def events_of(body: dict[str, Any]) -> list[TransferEvent]:
    return [TransferEvent.from_json(item) for item in body["events"]]


def notifications(origin: str, events: list[TransferEvent]) -> list[str]:
    return payloads(origin, bodies(events))


TRANSFER_UPDATES = NotifyChannel(CHANNEL, bodies, events_of, "transfer events")


class PostgresTransferRelay(NotifyRelay[TransferEvent]):
    def __init__(self, engine: AsyncEngine, events: TransferEvents) -> None:
        super().__init__(engine, TRANSFER_UPDATES, events)
