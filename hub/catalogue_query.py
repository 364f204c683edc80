"""Reading the catalogue: search with filters and keyset paging, and batched lookups for DataLoaders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from connectors.records import ItemKind
from hub import cursors
from hub.catalogue_store import normalise_for_search
from hub.models import CatalogueItem, Institution, ItemImage
from hub.periods import find_period

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
CURSOR_KIND = "item"


class CatalogueQueryError(ValueError):
    """A catalogue argument the hub cannot use; the message names it and the bad value."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class CatalogueFilter:
    query: str | None = None
    institutions: Sequence[str] | None = None
    kinds: Sequence[ItemKind] | None = None
    period: str | None = None
    year_from: int | None = None
    year_to: int | None = None


@dataclass
class ItemPage:
    items: list[CatalogueItem]
    has_next_page: bool
    filter: CatalogueFilter = field(default_factory=CatalogueFilter)


def encode_cursor(item_id: int) -> str:
    return cursors.encode_cursor(CURSOR_KIND, item_id)


def decode_cursor(cursor: str) -> int:
    try:
        return cursors.decode_cursor(CURSOR_KIND, cursor)
    except cursors.UnknownCursorError as exc:
        raise CatalogueQueryError("after", f"{exc}: pass an endCursor or edge cursor from a page") from None


def _conditions(flt: CatalogueFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [CatalogueItem.deleted_at.is_(None)]
    if flt.query:
        for term in normalise_for_search(flt.query).split():
            escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conditions.append(CatalogueItem.search_text.like(f"%{escaped}%", escape="\\"))
    if flt.institutions is not None:
        conditions.append(
            CatalogueItem.institution_id.in_(
                select(Institution.id).where(Institution.code.in_([c.upper() for c in flt.institutions]))
            )
        )
    if flt.kinds is not None:
        conditions.append(CatalogueItem.kind.in_([k.value for k in flt.kinds]))
    if flt.period:
        named = CatalogueItem.period.ilike(f"%{flt.period.strip()}%")
        known = find_period(flt.period)
        if known is not None:
            within = and_(CatalogueItem.earliest_year >= known.start, CatalogueItem.latest_year <= known.end)
            conditions.append(or_(named, within, CatalogueItem.period.ilike(f"%{known.name}%")))
        else:
            conditions.append(named)
    if flt.year_from is not None:
        conditions.append(func.coalesce(CatalogueItem.latest_year, CatalogueItem.earliest_year) >= flt.year_from)
    if flt.year_to is not None:
        conditions.append(func.coalesce(CatalogueItem.earliest_year, CatalogueItem.latest_year) <= flt.year_to)
    return conditions


def validate_filter(flt: CatalogueFilter) -> None:
    if flt.year_from is not None and flt.year_to is not None and flt.year_from > flt.year_to:
        raise CatalogueQueryError(
            "yearFrom", f"yearFrom {flt.year_from} is after yearTo {flt.year_to}: give a range that runs forward"
        )


async def search_items(
    session: AsyncSession, flt: CatalogueFilter, first: int | None = None, after: str | None = None
) -> ItemPage:
    size = DEFAULT_PAGE_SIZE if first is None else first
    if not 0 <= size <= MAX_PAGE_SIZE:
        raise CatalogueQueryError("first", f"first must be between 0 and {MAX_PAGE_SIZE}, not {size}")
    validate_filter(flt)
    stmt = select(CatalogueItem).where(*_conditions(flt))
    if after is not None:
        stmt = stmt.where(CatalogueItem.id > decode_cursor(after))
    rows = list((await session.scalars(stmt.order_by(CatalogueItem.id).limit(size + 1))).all())
    return ItemPage(items=rows[:size], has_next_page=len(rows) > size, filter=flt)


async def count_items(session: AsyncSession, flt: CatalogueFilter) -> int:
    validate_filter(flt)
    return int(await session.scalar(select(func.count(CatalogueItem.id)).where(*_conditions(flt))) or 0)


async def items_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, CatalogueItem]:
    """Live items by id; deleted ones are absent."""
    rows = await session.scalars(
        select(CatalogueItem).where(CatalogueItem.id.in_(ids), CatalogueItem.deleted_at.is_(None))
    )
    return {row.id: row for row in rows}


async def images_by_item_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, list[ItemImage]]:
    grouped: dict[int, list[ItemImage]] = {i: [] for i in ids}
    rows = await session.scalars(
        select(ItemImage).where(ItemImage.item_id.in_(ids)).order_by(ItemImage.item_id, ItemImage.position)
    )
    for image in rows:
        grouped[image.item_id].append(image)
    return grouped


async def institutions_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Institution]:
    rows = await session.scalars(select(Institution).where(Institution.id.in_(ids)))
    return {row.id: row for row in rows}


async def institutions_by_codes(session: AsyncSession, codes: Sequence[str]) -> dict[str, Institution]:
    rows = await session.scalars(select(Institution).where(Institution.code.in_(codes)))
    return {row.code: row for row in rows}


async def all_institutions(session: AsyncSession) -> list[Institution]:
    return list(await session.scalars(select(Institution).order_by(Institution.id)))


async def live_item_counts(session: AsyncSession, institution_ids: Sequence[int]) -> dict[int, int]:
    counts = {i: 0 for i in institution_ids}
    rows = await session.execute(
        select(CatalogueItem.institution_id, func.count(CatalogueItem.id))
        .where(CatalogueItem.institution_id.in_(institution_ids), CatalogueItem.deleted_at.is_(None))
        .group_by(CatalogueItem.institution_id)
    )
    for institution_id, count in rows.all():
        counts[institution_id] = int(count)
    return counts
