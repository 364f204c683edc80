"""Reading listings: by id, the open listing of items, and pages of listings with filters.

A price range is given in one currency and compared with each listing in its own: the range's bounds are
converted, at the rates valid now, into every currency some rate links to the range's; listings asking in a
currency no rate links are left out (never guessed).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.catalogue.models import Institution
from hub.core.clock import utc_now
from hub.core.cursors import CursorKind
from hub.core.paging import page_size
from hub.core.user_errors import InvalidArgumentError
from hub.money import fx, fx_rates
from hub.money.currencies import SUPPORTED_CURRENCIES, check_currency
from hub.money.errors import MoneyError
from hub.money.money import Money, parse_decimal
from hub.trading.inputs import ListingFilter, PriceRange
from hub.trading.models import Listing
from hub.trading.records import ListingRecord, Page
from hub.trading.states import ListingKind, ListingStatus
from hub.trading.views import listing_records

CURSORS = CursorKind("listing", "pass an endCursor from a page of listings")
MAX_ITEMS = 500


async def listing(session: AsyncSession, listing_id: int) -> ListingRecord | None:
    row = await session.get(Listing, listing_id)
    return None if row is None else (await listing_records(session, [row]))[0]


async def open_listings_of_items(session: AsyncSession, item_ids: list[int]) -> dict[int, ListingRecord]:
    if len(item_ids) > MAX_ITEMS:
        raise InvalidArgumentError("item_ids", f"ask for at most {MAX_ITEMS} items at once, not {len(item_ids)}")
    rows = list(
        await session.scalars(
            select(Listing).where(Listing.item_id.in_(item_ids), Listing.status == ListingStatus.OPEN.value)
        )
    )
    return {record.item_id: record for record in await listing_records(session, rows)}


def _currency(value: str, field: str) -> str:
    try:
        return check_currency(value, field)
    except MoneyError as exc:
        raise InvalidArgumentError(field, exc.message) from None


async def _price_condition(session: AsyncSession, price: PriceRange) -> ColumnElement[bool]:
    currency = _currency(price.currency, "filter.price.currency")
    low = _money_bound(price.minimum, currency, "filter.price.minimum")
    high = _money_bound(price.maximum, currency, "filter.price.maximum")
    if low is not None and high is not None and low > high:
        raise InvalidArgumentError("filter.price.minimum", f"the minimum {low} is above the maximum {high}")
    now = utc_now()
    book = await fx_rates.rate_book(session, SUPPORTED_CURRENCIES, now)
    clauses: list[ColumnElement[bool]] = []
    for other in sorted(SUPPORTED_CURRENCIES):
        try:
            low_there = fx.convert(book, low, other, now).result if low is not None else None
            high_there = fx.convert(book, high, other, now).result if high is not None else None
        except MoneyError:
            continue  # no rate links `other` to the range's currency now: its listings cannot be compared
        conditions = [Listing.asking_currency == other]
        if low_there is not None:
            conditions.append(Listing.asking_minor >= low_there.minor)
        if high_there is not None:
            conditions.append(Listing.asking_minor <= high_there.minor)
        clauses.append(and_(*conditions))
    return or_(*clauses) if clauses else false()


def _money_bound(value: object, currency: str, field: str) -> Money | None:
    if value is None:
        return None
    try:
        amount = parse_decimal(value, field)
        return Money.parse(amount, currency, field=field)
    except MoneyError as exc:
        raise InvalidArgumentError(field, exc.message) from None


async def listings(
    session: AsyncSession, filters: ListingFilter, first: int | None, after: str | None
) -> Page[ListingRecord]:
    size = page_size(first)
    conditions: list[ColumnElement[bool]] = []
    if filters.institution is not None:
        seller = select(Institution.id).where(Institution.code == filters.institution.strip().upper())
        conditions.append(Listing.seller_id == seller.scalar_subquery())
    if filters.kind is not None:
        conditions.append(Listing.kind == ListingKind(filters.kind).value)
    if filters.status is not None:
        conditions.append(Listing.status == ListingStatus(filters.status).value)
    if filters.currency is not None:
        conditions.append(Listing.asking_currency == _currency(filters.currency, "filter.currency"))
    if filters.item_id is not None:
        conditions.append(Listing.item_id == filters.item_id)
    if filters.price is not None:
        conditions.append(await _price_condition(session, filters.price))
    total = await session.scalar(select(func.count(Listing.id)).where(*conditions))
    stmt = select(Listing).where(*conditions)
    if after is not None:
        stmt = stmt.where(Listing.id < CURSORS.decode(after))
    rows = list(await session.scalars(stmt.order_by(Listing.id.desc()).limit(size + 1)))
    records = await listing_records(session, rows[:size])
    return Page(records, [CURSORS.encode(r.id) for r in records], len(rows) > size, int(total or 0))
