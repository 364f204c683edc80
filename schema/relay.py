"""Relay-style connection types."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry

from schema.types import CatalogueItem


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


def page_info(cursors: list[str], has_next_page: bool, after: str | None) -> PageInfo:
    """The PageInfo of a forward page whose edges have `cursors`."""
    return PageInfo(
        has_next_page=has_next_page,
        has_previous_page=after is not None,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )


@strawberry.type
class CatalogueItemEdge:
    cursor: str
    node: CatalogueItem


@strawberry.type
class CatalogueItemConnection:
    edges: list[CatalogueItemEdge]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Items matching the filters, over all pages.")
    async def total_count(self) -> int:
        return await self.count()
