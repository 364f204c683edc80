"""Relay pieces every domain's connections share: the Node interface and PageInfo."""

from __future__ import annotations

import strawberry


@strawberry.interface(description="An object with a global id.")
class Node:
    id: strawberry.ID


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
