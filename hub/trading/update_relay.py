"""Transfer events across hub processes that share a PostgreSQL database, over LISTEN/NOTIFY (the pattern of
hub.catalogue.change_relay): each process sends the events it commits and publishes the ones the others send,
so `transferUpdates` hears every replica's changes. SQLite serves one process (`hub serve --workers` needs
PostgreSQL), where the in-process publication after commit is all there is.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hub.trading.events import TransferEvent, TransferEvents

log = logging.getLogger(__name__)

CHANNEL = "hub_transfer_updates"
EVENTS_PER_NOTIFICATION = 20
"""An event is about 250 bytes of JSON: well under PostgreSQL's 8,000-byte NOTIFY limit."""


def notifications(origin: str, events: list[TransferEvent]) -> list[str]:
    return [
        json.dumps({"origin": origin, "events": [e.to_json() for e in events[start : start + EVENTS_PER_NOTIFICATION]]})
        for start in range(0, len(events), EVENTS_PER_NOTIFICATION)
    ]


class PostgresTransferRelay:
    def __init__(self, engine: AsyncEngine, events: TransferEvents) -> None:
        self.engine = engine
        self.events = events
        self.origin = uuid.uuid4().hex
        self._outbox: asyncio.Queue[list[TransferEvent]] = asyncio.Queue()
        self._listening: AsyncConnection | None = None
        self._driver: Any = None
        self._sender: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._listening = await self.engine.connect()
        raw = await self._listening.get_raw_connection()
        self._driver = raw.driver_connection
        await self._driver.add_listener(CHANNEL, self._received)
        self._sender = asyncio.create_task(self._send_forever())
        self.events.relay = self._outbox.put_nowait

    async def close(self) -> None:
        self.events.relay = None
        if self._sender is not None:
            await self._outbox.join()
            self._sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender
        if self._driver is not None:
            await self._driver.remove_listener(CHANNEL, self._received)
        if self._listening is not None:
            await self._listening.close()

    async def _send_forever(self) -> None:
        while True:
            batch = await self._outbox.get()
            try:
                async with self.engine.connect() as connection:
                    for payload in notifications(self.origin, batch):
                        await connection.execute(select(func.pg_notify(CHANNEL, payload)))
                    await connection.commit()
            except Exception:  # a lost notification must not stop the relay; subscribers elsewhere miss it
                log.exception("could not relay %d transfer events", len(batch))
            finally:
                self._outbox.task_done()

    def _received(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            data = json.loads(payload)
            if data["origin"] == self.origin:
                return
            self.events.publish([TransferEvent.from_json(item) for item in data["events"]])
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed transfer notification")
