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
