from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import AsyncIterator, Iterable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.core.notify_relay import MAX_PAYLOAD_BYTES, NotifyChannel, NotifyRelay, payloads
from hub.db import create_engine

on_postgres = pytest.mark.skipif(
    not os.environ.get("HUB_TEST_DATABASE_URL"),
    reason="the relay is PostgreSQL's LISTEN/NOTIFY; SQLite serves one process",
)

NOTES = NotifyChannel[str](
    "hub_test_notes",
    lambda notes: [{"notes": notes}],
    lambda body: [str(note) for note in body["notes"]],
    "test notes",
)


class Notes:
    """The in-process side of one hub: what it announces goes to `relay`, what others announce lands in `heard`."""

    def __init__(self) -> None:
        self.relay: Any = None
        self.heard: asyncio.Queue[str] = asyncio.Queue()

    def announce(self, notes: list[str]) -> None:
        assert self.relay is not None, "the relay is not started"
        self.relay(notes)

    def publish(self, notes: Iterable[str]) -> None:
        for note in notes:
            self.heard.put_nowait(note)


def test_payloads_carry_the_origin_and_refuse_what_notify_would() -> None:
    assert payloads("hub-1", [{"notes": ["a"]}, {"notes": []}]) == [
        '{"origin": "hub-1", "notes": ["a"]}',
        '{"origin": "hub-1", "notes": []}',
    ]
    big = {"notes": ["x" * MAX_PAYLOAD_BYTES]}
    size = len(json.dumps({"origin": "hub-1", **big}))
    with pytest.raises(ValueError, match=f"{size} bytes"):
        payloads("hub-1", [{"notes": ["small"]}, big])


@pytest.fixture
async def engines(database_url: str) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    """Two hub processes' engines on one database."""
    here, there = create_engine(database_url), create_engine(database_url)
    yield here, there
    await here.dispose()
    await there.dispose()


@pytest.fixture
async def relays(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> AsyncIterator[tuple[NotifyRelay[str], NotifyRelay[str]]]:
    here = NotifyRelay(engines[0], NOTES, Notes())
    there = NotifyRelay(engines[1], NOTES, Notes())
    await here.start()
    await there.start()
    yield here, there
    await here.close()
    await there.close()


def notes(relay: NotifyRelay[str]) -> Notes:
    assert isinstance(relay.events, Notes)
    return relay.events


@on_postgres
@pytest.mark.postgres
async def test_relay_hands_other_hubs_notes_over_but_not_its_own_or_malformed_ones(
    relays: tuple[NotifyRelay[str], NotifyRelay[str]], caplog: pytest.LogCaptureFixture
) -> None:
    here, there = relays
    async with here.engine.connect() as connection:  # a stranger's payloads on the channel
        await connection.execute(select(func.pg_notify(NOTES.name, "not json")))
        await connection.execute(select(func.pg_notify(NOTES.name, '{"origin": "x", "notes": 7}')))
        await connection.commit()
    notes(here).announce(["from here"])
    notes(there).announce(["from there"])
    assert await asyncio.wait_for(notes(there).heard.get(), timeout=5) == "from here"
    assert await asyncio.wait_for(notes(here).heard.get(), timeout=5) == "from there"
    await asyncio.sleep(0.2)  # time for an echo to come back
    assert notes(here).heard.empty() and notes(there).heard.empty()
    malformed = [r for r in caplog.records if "malformed notification on hub_test_notes" in r.getMessage()]
    assert len(malformed) == 4  # two strangers' payloads, heard by both relays


@on_postgres
@pytest.mark.postgres
async def test_relay_hears_other_hubs_again_after_its_listening_backend_is_killed(
    relays: tuple[NotifyRelay[str], NotifyRelay[str]], caplog: pytest.LogCaptureFixture
) -> None:
    here, there = relays
    killed = there.listener_pid
    assert killed is not None
    async with here.engine.connect() as connection:
        assert (await connection.execute(select(func.pg_terminate_backend(killed)))).scalar_one()
    async with asyncio.timeout(10):
        while there.listener_pid in (None, killed):
            await asyncio.sleep(0.02)
    notes(here).announce(["after the drop"])
    assert await asyncio.wait_for(notes(there).heard.get(), timeout=5) == "after the drop"
    lost = [r for r in caplog.records if r.name == "hub.core.notify_relay" and r.levelno == logging.WARNING]
    assert [r.getMessage() for r in lost] == [
        "lost the connection listening for test notes on hub_test_notes; reconnecting"
    ]
