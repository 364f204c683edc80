from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from connectors.read_ahead import read_ahead


async def numbers(
    count: int, produced: list[int], fail_at: int | None = None, closed: list[bool] | None = None
) -> AsyncIterator[int]:
    try:
        for n in range(count):
            if n == fail_at:
                raise RuntimeError(f"page {n} is malformed")
            produced.append(n)
            yield n
    finally:
        if closed is not None:
            closed.append(True)


async def test_read_ahead_keeps_the_order() -> None:
    produced: list[int] = []
    assert [n async for n in read_ahead(numbers(10, produced))] == list(range(10))


async def test_read_ahead_delivers_pages_before_an_error_then_raises_it() -> None:
    produced: list[int] = []
    received: list[int] = []
    with pytest.raises(RuntimeError, match="page 3 is malformed"):
        async for n in read_ahead(numbers(10, produced, fail_at=3)):
            received.append(n)
    assert received == [0, 1, 2]


async def test_read_ahead_stays_at_most_depth_pages_ahead() -> None:
    produced: list[int] = []
    pages = read_ahead(numbers(100, produced), depth=2)
    first = await anext(pages)
    await asyncio.sleep(0.01)  # let the reader run as far as it may
    assert first == 0
    assert len(produced) <= 1 + 2 + 1  # the one consumed, two queued, one waiting to be queued
    await pages.aclose()


async def test_read_ahead_stopping_early_closes_the_source() -> None:
    produced: list[int] = []
    closed: list[bool] = []
    pages = read_ahead(numbers(1000, produced, closed=closed))
    async for n in pages:
        if n == 5:
            break
    await pages.aclose()
    assert closed == [True]
    assert len(produced) < 10
