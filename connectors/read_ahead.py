"""Reading a few pages ahead of the consumer, so fetching the next page overlaps storing this one."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TypeVar

T = TypeVar("T")


class _Done:
    pass


async def read_ahead(pages: AsyncIterator[T], depth: int = 2) -> AsyncIterator[T]:
    """The items of `pages`, in order, with up to `depth` of them fetched before they are asked for.

    Memory stays bounded by `depth`; an error while reading reaches the consumer at the point it
    happened (items before it are still delivered); stopping early cancels the reading.
    """
    queue: asyncio.Queue[T | _Done | Exception] = asyncio.Queue(depth)

    async def produce() -> None:
        try:
            async with contextlib.aclosing(pages) as reading:  # type: ignore[type-var]
                async for page in reading:
                    await queue.put(page)
        except Exception as exc:  # handed to the consumer, which raises it
            await queue.put(exc)
        else:
            await queue.put(_Done())

    producer = asyncio.create_task(produce())
    try:
        while True:
            item = await queue.get()
            if isinstance(item, _Done):
                return
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        producer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await producer
