"""Per-request DataLoaders: each batch runs in its own short session, so concurrent fields never share one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from hub import catalogue_query
from hub.db import SessionFactory
from hub.models import CatalogueItem, Institution, ItemImage, SyncState

K = TypeVar("K")
V = TypeVar("V")


def _loader(
    sessions: SessionFactory,
    fetch: Callable[[AsyncSession, Sequence[K]], Awaitable[Mapping[K, Any]]],
    default: Callable[[], Any] = lambda: None,
) -> DataLoader[K, V]:
    async def load(keys: list[K]) -> list[V]:
        async with sessions() as session:
            found = await fetch(session, keys)
        return [found[k] if k in found else default() for k in keys]

    return DataLoader(load_fn=load)


async def _sync_states(session: AsyncSession, ids: Sequence[int]) -> dict[int, SyncState]:
    rows = await session.scalars(select(SyncState).where(SyncState.institution_id.in_(ids)))
    return {row.institution_id: row for row in rows}


@dataclass
class Loaders:
    items: DataLoader[int, CatalogueItem | None]
    images: DataLoader[int, list[ItemImage]]
    institutions: DataLoader[int, Institution | None]
    institutions_by_code: DataLoader[str, Institution | None]
    item_counts: DataLoader[int, int]
    sync_states: DataLoader[int, SyncState | None]

    @classmethod
    def create(cls, sessions: SessionFactory) -> Loaders:
        return cls(
            items=_loader(sessions, catalogue_query.items_by_ids),
            images=_loader(sessions, catalogue_query.images_by_item_ids, list),
            institutions=_loader(sessions, catalogue_query.institutions_by_ids),
            institutions_by_code=_loader(sessions, catalogue_query.institutions_by_codes),
            item_counts=_loader(sessions, catalogue_query.live_item_counts, int),
            sync_states=_loader(sessions, _sync_states),
        )
