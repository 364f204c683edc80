"""Catalogue changes across hub processes that share a PostgreSQL database, over LISTEN/NOTIFY.

Each process relays the changes it makes (`CatalogueEvents.announce`) as notifications and
publishes the ones other processes send to its own subscribers, so `catalogueChanges` and the
response cache see every replica's writes. SQLite serves one process and needs no relay.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hub.catalogue.events import CatalogueChange, CatalogueEvents, ChangeKind

log = logging.getLogger(__name__)

CHANNEL = "hub_catalogue_changes"
IDS_PER_NOTIFICATION = 500
"""Keeps each payload well under PostgreSQL's 8,000-byte NOTIFY limit."""


def notifications(origin: str, changes: list[CatalogueChange]) -> list[str]:
    grouped: dict[tuple[str, ChangeKind, datetime], list[int]] = {}
    for change in changes:
        grouped.setdefault((change.institution, change.kind, change.at), []).append(change.item_id)
    payloads = []
    for (institution, kind, at), ids in grouped.items():
        for start in range(0, len(ids), IDS_PER_NOTIFICATION):
            payloads.append(
                json.dumps(
                    {
                        "origin": origin,
                        "institution": institution,
                        "kind": kind.value,
                        "at": at.isoformat(),
                        "ids": ids[start : start + IDS_PER_NOTIFICATION],
                    }
                )
            )
    return payloads


class PostgresChangeRelay:
    def __init__(self, engine: AsyncEngine, events: CatalogueEvents) -> None:
        self.engine = engine
        self.events = events
        self.origin = uuid.uuid4().hex
        self._outbox: asyncio.Queue[list[CatalogueChange]] = asyncio.Queue()
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
                log.exception("could not relay %d catalogue changes", len(batch))
            finally:
                self._outbox.task_done()

    def _received(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        data = json.loads(payload)
        if data["origin"] == self.origin:
            return
        at = datetime.fromisoformat(data["at"])
        kind = ChangeKind(data["kind"])
        self.events.publish([CatalogueChange(kind, item_id, data["institution"], at) for item_id in data["ids"]])
