"""`node(id)` for the trading objects: a listing (public), an offer (for its buyer and its seller), a transfer
(for whoever may see it)."""

from __future__ import annotations

from schema.core.context import Info
from schema.core.relay import Node
from schema.trading.ids import LISTING, OFFER, TRANSFER
from schema.trading.transfer_types import Transfer
from schema.trading.types import Listing, Offer


async def trading_node(info: Info, type_name: str, key: str) -> Node | None:
    if not key.isdigit() or len(key) > 18:
        return None
    if type_name == LISTING:
        record = await info.context.loaders.trading.listings.load(int(key))
        return Listing.of(record) if record is not None else None
    if type_name == OFFER:
        offer = await info.context.hub.trading.offer(info.context.principal, int(key))
        return Offer.of(offer) if offer is not None else None
    if type_name == TRANSFER:
        seen = await info.context.hub.trading.transfer(info.context.principal, int(key))
        return Transfer.of(seen) if seen is not None else None
    return None
