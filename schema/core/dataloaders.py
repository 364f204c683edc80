"""DataLoaders over a service's batched lookup: each batch runs in its own short session, so concurrent fields
never share one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from hub.db import SessionFactory

K = TypeVar("K")
V = TypeVar("V")


def batch_loader(
    sessions: SessionFactory,
    fetch: Callable[[AsyncSession, Sequence[K]], Awaitable[Mapping[K, Any]]],
    default: Callable[[], Any] = lambda: None,
) -> DataLoader[K, V]:
    """A DataLoader that calls `fetch(session, keys)` once per batch; a key it does not return gets `default()`."""

    async def load(keys: list[K]) -> list[V]:
        async with sessions() as session:
            found = await fetch(session, keys)
        return [found[k] if k in found else default() for k in keys]

    return DataLoader(load_fn=load)
