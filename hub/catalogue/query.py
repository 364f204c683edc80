"""Reading the catalogue: search with filters and keyset paging, and batched lookups for DataLoaders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.catalogue.institutions import institutions_by_ids
from hub.catalogue.models import CatalogueItem, Institution, ItemImage
from hub.catalogue.periods import find_period
from hub.catalogue.store import normalise_for_search
from hub.catalogue.vocabulary import ItemKind
from hub.core.cursors import CursorKind
from hub.core.paging import fetch_page, page_size
from hub.core.user_errors import InvalidArgumentError
from hub.db import SessionFactory

CURSORS = CursorKind("item", "pass an endCursor or edge cursor from a page")
MAX_SEARCH_CHARACTERS = 200
MAX_SEARCH_TERMS = 16
"""Each term is one substring match over every item: the bound on what one search costs."""
MAX_PERIOD_CHARACTERS = 100
MAX_INSTITUTION_CODES = 50


@dataclass(frozen=True)
class CatalogueFilter:
    query: str | None = None
    institutions: Sequence[str] | None = None
    kinds: Sequence[ItemKind] | None = None
    period: str | None = None
    year_from: int | None = None
    year_to: int | None = None

    def validate(self) -> None:
        if self.query is not None:
            _check_search(self.query)
        if self.period is not None and len(self.period) > MAX_PERIOD_CHARACTERS:
            raise InvalidArgumentError(
                "period", f"period has {len(self.period)} characters, more than the {MAX_PERIOD_CHARACTERS} allowed"
            )
        if self.institutions is not None and len(self.institutions) > MAX_INSTITUTION_CODES:
            raise InvalidArgumentError(
                "institutions",
                f"institutions lists {len(self.institutions)} codes, more than the {MAX_INSTITUTION_CODES} allowed",
            )
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise InvalidArgumentError(
                "year_from",
                f"yearFrom {self.year_from} is after yearTo {self.year_to}: give a range that runs forward",
            )


def _check_search(query: str) -> None:
    if len(query) > MAX_SEARCH_CHARACTERS:
        raise InvalidArgumentError(
            "query", f"query has {len(query)} characters, more than the {MAX_SEARCH_CHARACTERS} allowed"
        )
    terms = len(normalise_for_search(query).split())
    if terms > MAX_SEARCH_TERMS:
        raise InvalidArgumentError(
            "query", f"query has {terms} terms, more than the {MAX_SEARCH_TERMS} allowed: search with fewer words"
        )


@dataclass(frozen=True)
class PageSelection:
    """What a reader selected besides the items: fetched with the page, in its one session."""

    total_count: bool = False
    images: bool = False
    institutions: bool = False


@dataclass
class CataloguePage:
    items: list[CatalogueItem]
    has_next_page: bool
    total_count: int | None = None
    """Items matching the filter over all pages; None unless selected."""
    images: dict[int, list[ItemImage]] | None = None
    """The images of the page's items by item id; None unless selected."""
    institutions: dict[int, Institution] | None = None
    """The institutions of the page's items by id; None unless selected."""


def _search_conditions(flt: CatalogueFilter) -> list[ColumnElement[bool]]:
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
        conditions.append(_period_condition(flt.period))
    if flt.year_from is not None:
        conditions.append(func.coalesce(CatalogueItem.latest_year, CatalogueItem.earliest_year) >= flt.year_from)
    if flt.year_to is not None:
        conditions.append(func.coalesce(CatalogueItem.earliest_year, CatalogueItem.latest_year) <= flt.year_to)
    return conditions


def _period_condition(period: str) -> ColumnElement[bool]:
    """Items naming the period, or (for a known period) dated within its years or naming it in English."""
    named = CatalogueItem.period.ilike(f"%{period.strip()}%")
    known = find_period(period)
    if known is None:
        return named
    within = and_(CatalogueItem.earliest_year >= known.start, CatalogueItem.latest_year <= known.end)
    return or_(named, within, CatalogueItem.period.ilike(f"%{known.name}%"))


async def search_items(
    session: AsyncSession, flt: CatalogueFilter, first: int | None = None, after: str | None = None
) -> tuple[list[CatalogueItem], bool]:
    """One page of live items matching `flt`, by id, and whether another page follows."""
    size = page_size(first)
    flt.validate()
    stmt = select(CatalogueItem).where(*_search_conditions(flt))
    if after is not None:
        stmt = stmt.where(CatalogueItem.id > CURSORS.decode(after))
    return await fetch_page(session, stmt.order_by(CatalogueItem.id), size)


async def count_items(session: AsyncSession, flt: CatalogueFilter) -> int:
    flt.validate()
    return int(await session.scalar(select(func.count(CatalogueItem.id)).where(*_search_conditions(flt))) or 0)


async def read_page(
    sessions: SessionFactory,
    flt: CatalogueFilter,
    first: int | None = None,
    after: str | None = None,
    selection: PageSelection | None = None,
) -> CataloguePage:
    """A catalogue page with what the reader selected, all read in one session: fewer round trips than
    one session per DataLoader batch."""
    selection = selection or PageSelection()
    async with sessions() as session:
        items, has_next_page = await search_items(session, flt, first, after)
        page = CataloguePage(items, has_next_page)
        ids = [row.id for row in items]
        if selection.total_count:
            page.total_count = await count_items(session, flt)
        if ids and selection.images:
            page.images = await images_by_item_ids(session, ids)
        if ids and selection.institutions:
            page.institutions = await institutions_by_ids(session, list({row.institution_id for row in items}))
    return page


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
