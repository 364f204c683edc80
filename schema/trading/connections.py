"""Relay connections of listings and transfers."""

from __future__ import annotations

import strawberry

from hub.trading.records import ListingRecord, Page, TransferRecord
from schema.core.relay import PageInfo, page_info
from schema.trading.transfer_types import Transfer
from schema.trading.types import Listing


@strawberry.type
class ListingEdge:
    cursor: str
    node: Listing


@strawberry.type
class ListingConnection:
    edges: list[ListingEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Listings matching the filter, over all pages.")

    @classmethod
    def of(cls, page: Page[ListingRecord], after: str | None) -> ListingConnection:
        edges = [ListingEdge(cursor=c, node=Listing.of(r)) for r, c in zip(page.rows, page.cursors, strict=True)]
        return cls(
            edges=edges, page_info=page_info(page.cursors, page.has_next_page, after), total_count=page.total_count
        )


@strawberry.type
class TransferEdge:
    cursor: str
    node: Transfer


@strawberry.type
class TransferConnection:
    edges: list[TransferEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Transfers matching the filter that the caller may see.")

    @classmethod
    def of(cls, page: Page[TransferRecord], after: str | None) -> TransferConnection:
        edges = [TransferEdge(cursor=c, node=Transfer.of(r)) for r, c in zip(page.rows, page.cursors, strict=True)]
        return cls(
            edges=edges, page_info=page_info(page.cursors, page.has_next_page, after), total_count=page.total_count
        )
