"""Forward keyset pages: the page size a caller may ask for, and one page of rows with whether more follow."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.core.user_errors import InvalidArgumentError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

T = TypeVar("T")


def page_size(first: int | None, default: int = DEFAULT_PAGE_SIZE, maximum: int = MAX_PAGE_SIZE) -> int:
    """`first`, or `default` when not given; InvalidArgumentError outside 0..`maximum`."""
    size = default if first is None else first
    if not 0 <= size <= maximum:
        raise InvalidArgumentError("first", f"first must be between 0 and {maximum}, not {size}")
    return size


async def fetch_page(session: AsyncSession, stmt: Select[Any], size: int) -> tuple[list[T], bool]:
    """Up to `size` rows of the ordered `stmt`, and whether another page follows (one row more is read)."""
    rows: list[T] = list(await session.scalars(stmt.limit(size + 1)))
    return rows[:size], len(rows) > size
