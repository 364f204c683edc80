"""The trading domain's per-request DataLoaders (each batch in its own short session)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from hub.db import SessionFactory
from hub.money.escrow import Escrow, escrow_for
from hub.trading import listing_query
from hub.trading.records import ListingRecord
from schema.core.dataloaders import batch_loader


async def listings_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, ListingRecord]:
    found = {}
    for listing_id in dict.fromkeys(ids):
        record = await listing_query.listing(session, listing_id)
        if record is not None:
            found[listing_id] = record
    return found


async def open_listings_of_items(session: AsyncSession, item_ids: Sequence[int]) -> dict[int, ListingRecord]:
    return await listing_query.open_listings_of_items(session, list(item_ids))


async def escrows_by_reference(session: AsyncSession, references: Sequence[str]) -> dict[str, Escrow]:
    found = {}
    for reference in dict.fromkeys(references):
        escrow = await escrow_for(session, reference)
        if escrow is not None:
            found[reference] = escrow
    return found


@dataclass
class TradingLoaders:
    listings: DataLoader[int, ListingRecord | None]
    open_listings_of_items: DataLoader[int, ListingRecord | None]
    escrows: DataLoader[str, Escrow | None]

    @classmethod
    def create(cls, sessions: SessionFactory) -> TradingLoaders:
        return cls(
            listings=batch_loader(sessions, listings_by_ids),
            open_listings_of_items=batch_loader(sessions, open_listings_of_items),
            escrows=batch_loader(sessions, escrows_by_reference),
        )
