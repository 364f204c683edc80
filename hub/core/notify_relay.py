"""Events across hub processes that share a PostgreSQL database, over one LISTEN/NOTIFY channel.

Each process sends the events it announces as JSON notifications tagged with its own origin, listens on a
connection of its own, ignores its own origin and publishes the others' events to its subscribers. If that
connection drops, the relay reconnects with a bounded backoff (notifications sent in between are missed).
SQLite serves one process and needs no relay.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

E = TypeVar("E")

MAX_PAYLOAD_BYTES = 7999
"""PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more."""
FIRST_RETRY_SECONDS = 0.1
MAX_RETRY_SECONDS = 5.0
"""Reconnecting waits twice as long after each failed attempt, never longer than this."""


@dataclass(frozen=True)
class NotifyChannel(Generic[E]):
    """What one relay carries: the channel, how a batch of events becomes notification bodies (each small enough
    for NOTIFY once tagged with the origin) and how a received body becomes events again."""

    name: str
    encode: Callable[[list[E]], Iterable[dict[str, Any]]]
    decode: Callable[[dict[str, Any]], list[E]]
    what: str
    """The events in log lines, e.g. "transfer events"."""


class RelayedEvents(Protocol[E]):
    """An in-process publisher whose announcements the relay sends on (`relay`) and which publishes the others'."""

    relay: Callable[[list[E]], None] | None

    def publish(self, events: Iterable[E], /) -> None: ...


def payloads(origin: str, bodies: Iterable[dict[str, Any]]) -> list[str]:
    """The notifications of `bodies`, each tagged with `origin`; ValueError if one is too big for NOTIFY."""
    out = []
    for body in bodies:
        payload = json.dumps({"origin": origin, **body})
        size = len(payload.encode())
        if size > MAX_PAYLOAD_BYTES:
            raise ValueError(f"a notification of {size} bytes is over PostgreSQL's limit of {MAX_PAYLOAD_BYTES}")
        out.append(payload)
    return out


class NotifyRelay(Generic[E]):
    def __init__(self, engine: AsyncEngine, channel: NotifyChannel[E], events: RelayedEvents[E]) -> None:
        self.engine = engine
        self.channel = channel
        self.events = events
        self.origin = uuid.uuid4().hex
        self._outbox: asyncio.Queue[list[E]] = asyncio.Queue()
        self._listening: AsyncConnection | None = None
        self._driver: Any = None
        self._sender: asyncio.Task[None] | None = None
        self._reconnecting: asyncio.Task[None] | None = None
        self._closing = False

    @property
    def listener_pid(self) -> int | None:
        """The PostgreSQL backend process listening for this relay (None while reconnecting)."""
        return None if self._driver is None else int(self._driver.get_server_pid())

    async def start(self) -> None:
        await self._listen()
        self._sender = asyncio.create_task(self._send_forever())
        self.events.relay = self.send

    def send(self, batch: list[E]) -> None:
        """Queues this process's events for the other processes."""
        self._outbox.put_nowait(batch)

    async def close(self) -> None:
        self._closing = True
        self.events.relay = None
        if self._sender is not None:
            await self._outbox.join()
            await _cancel(self._sender)
        if self._reconnecting is not None:
            await _cancel(self._reconnecting)
        listening, driver = self._listening, self._driver
        self._listening = self._driver = None
        if driver is not None:
            driver.remove_termination_listener(self._lost)
            await driver.remove_listener(self.channel.name, self._received)
        if listening is not None and (driver is None or driver.is_closed()):
            await _discard(listening)
        elif listening is not None:
            await listening.close()

    async def _listen(self) -> None:
        connection = await self.engine.connect()
        try:
            raw = await connection.get_raw_connection()
            driver: Any = raw.driver_connection
            await driver.add_listener(self.channel.name, self._received)
            driver.add_termination_listener(self._lost)
        except BaseException:
            await _discard(connection)
            raise
        self._listening, self._driver = connection, driver

    def _lost(self, connection: Any) -> None:
        if self._closing or connection is not self._driver:
            return
        log.warning("lost the connection listening for %s on %s; reconnecting", self.channel.what, self.channel.name)
        self._reconnecting = asyncio.create_task(self._reconnect())

    async def _reconnect(self) -> None:
        dead, self._listening, self._driver = self._listening, None, None
        if dead is not None:
            await _discard(dead)
        delay = FIRST_RETRY_SECONDS
        while True:
            try:
                await self._listen()
            except Exception:  # the database is still away: try again later, quietly
                log.debug("could not listen on %s yet", self.channel.name, exc_info=True)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_RETRY_SECONDS)
            else:
                log.info("listening for %s on %s again", self.channel.what, self.channel.name)
                return

    async def _send_forever(self) -> None:
        while True:
            batch = await self._outbox.get()
            try:
                async with self.engine.connect() as connection:
                    for payload in payloads(self.origin, self.channel.encode(batch)):
                        await connection.execute(select(func.pg_notify(self.channel.name, payload)))
                    await connection.commit()
            except Exception:  # a lost notification must not stop the relay; subscribers elsewhere miss it
                log.exception("could not relay %d %s", len(batch), self.channel.what)
            finally:
                self._outbox.task_done()

    def _received(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            data = json.loads(payload)
            if data["origin"] == self.origin:
                return
            events = self.channel.decode(data)
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed notification on %s", self.channel.name)
            return
        self.events.publish(events)


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _discard(connection: AsyncConnection) -> None:
    """Gives a (possibly dead) connection back to the pool as unusable."""
    with contextlib.suppress(Exception):
        await connection.invalidate()
    with contextlib.suppress(Exception):
        await connection.close()
