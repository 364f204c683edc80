"""FX rates in the database: setting one (with its audit entry), listing them, converting with them, and
recording a conversion something relied on together with the rates it used."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from hub.audit.log import append_entry
from hub.core.clock import utc_now
from hub.core.translations import N_
from hub.money import fx
from hub.money.currencies import PIVOT_CURRENCIES, check_currency
from hub.money.errors import MoneyError, MoneyErrorCode, money_text
from hub.money.fx import Conversion, FxRate, RateBook, check_instant, instant_text
from hub.money.ledger import check_reference
from hub.money.models import FxConversionRecord, FxRateRecord
from hub.money.money import Money

MAX_HISTORY = 1000

RATE_CONFLICT = N_(
    "{base}->{quote} is already {rate} (from {source}) at {at}; set a rate valid from a later instant instead"
)
BAD_LIMIT = N_("limit must be 1-{limit}, not {value}")


def _rate(row: FxRateRecord) -> FxRate:
    return FxRate(row.base, row.quote, row.rate, row.valid_from, row.source, row.id)


async def set_rate(
    session: AsyncSession, actor: str, base: object, quote: object, rate: object, valid_from: object, source: object
) -> FxRate:
    """Stores 1 base = rate quote from `valid_from` on, with its audit entry. The same rate again changes nothing;
    a different rate for the same pair and instant is refused (rates are never overwritten: set a later one)."""
    new = FxRate.checked(base, quote, rate, valid_from, source)
    existing = await session.scalar(
        select(FxRateRecord).where(
            FxRateRecord.base == new.base, FxRateRecord.quote == new.quote, FxRateRecord.valid_from == new.valid_from
        )
    )
    if existing is not None:
        if existing.rate != new.rate:
            at = instant_text(new.valid_from)
            facts = {"base": new.base, "quote": new.quote, "rate": str(existing.rate), "source": existing.source}
            raise MoneyError(MoneyErrorCode.RATE_CONFLICT, "rate", money_text(RATE_CONFLICT, at=at, **facts))
        return _rate(existing)
    row = FxRateRecord(
        base=new.base,
        quote=new.quote,
        rate=new.rate,
        valid_from=new.valid_from,
        source=new.source,
        recorded_by=actor,
        recorded_at=utc_now(),
    )
    session.add(row)
    await session.flush()
    stored = _rate(row)
    await append_entry(
        session,
        actor=actor,
        action="money.fx_rate_set",
        subject=f"fx:{new.base}/{new.quote}",
        jurisdictions=[],
        payload=stored.to_json(),
    )
    return stored


def _in_force() -> Select[FxRateRecord]:
    """For each pair, the latest rate valid at the `at` parameter (no later one valid then)."""
    newer = aliased(FxRateRecord)
    superseded = (
        select(newer.id)
        .where(
            newer.base == FxRateRecord.base,
            newer.quote == FxRateRecord.quote,
            newer.valid_from > FxRateRecord.valid_from,
            newer.valid_from <= bindparam("at"),
        )
        .exists()
    )
    return select(FxRateRecord).where(FxRateRecord.valid_from <= bindparam("at"), ~superseded)


# Built once: constructing these statements costs more than running them.
IN_FORCE = _in_force().order_by(FxRateRecord.base, FxRateRecord.quote)
IN_FORCE_WITH = IN_FORCE.where((FxRateRecord.base == bindparam("code")) | (FxRateRecord.quote == bindparam("code")))
IN_FORCE_AMONG = IN_FORCE.where(
    FxRateRecord.base.in_(bindparam("codes", expanding=True)),
    FxRateRecord.quote.in_(bindparam("codes", expanding=True)),
)


async def rates(session: AsyncSession, at: object | None = None, currency: object | None = None) -> list[FxRate]:
    """The rates in force at `at` (default: now), one per stored pair; only pairs with `currency`, if given."""
    instant = utc_now() if at is None else check_instant(at)
    if currency is None:
        rows = await session.scalars(IN_FORCE, {"at": instant})
    else:
        rows = await session.scalars(IN_FORCE_WITH, {"at": instant, "code": check_currency(currency)})
    return [_rate(row) for row in rows]


async def rate_history(session: AsyncSession, base: object, quote: object, limit: int = 100) -> list[FxRate]:
    """The rates stored for base->quote, newest first, at most `limit` (up to 1000)."""
    base_code, quote_code = check_currency(base, "base"), check_currency(quote, "quote")
    if not 0 < limit <= MAX_HISTORY:
        message = money_text(BAD_LIMIT, limit=MAX_HISTORY, value=limit)
        raise MoneyError(MoneyErrorCode.INVALID_LIMIT, "limit", message)
    rows = await session.scalars(
        select(FxRateRecord)
        .where(FxRateRecord.base == base_code, FxRateRecord.quote == quote_code)
        .order_by(FxRateRecord.valid_from.desc())
        .limit(limit)
    )
    return [_rate(row) for row in rows]


async def rate_book(session: AsyncSession, currencies: Iterable[str], at: datetime) -> RateBook:
    """The rates valid at `at` between the given currencies and the pivots: all a conversion among them needs."""
    codes = sorted(set(currencies) | set(PIVOT_CURRENCIES))
    rows = await session.scalars(IN_FORCE_AMONG, {"at": at, "codes": codes})
    return RateBook(_rate(row) for row in rows)


async def convert(session: AsyncSession, money: Money, to_currency: object, at: object | None = None) -> Conversion:
    """`money` in `to_currency` at `at` (default: now) with the stored rates; NO_FX_RATE when none links them."""
    target = check_currency(to_currency, "to_currency")
    instant = utc_now() if at is None else check_instant(at)
    book = await rate_book(session, (money.currency, target), instant)
    return fx.convert(book, money, target, instant)


async def record_conversion(session: AsyncSession, conversion: Conversion, reference: str) -> int:
    """Stores a conversion `reference` (like 'offer:7') relies on, with the rates it used; returns its id."""
    check_reference(reference)
    result = await session.execute(
        insert(FxConversionRecord)
        .values(
            reference=reference,
            at=conversion.at,
            source_amount=conversion.source.amount,
            source_currency=conversion.source.currency,
            amount=conversion.result.amount,
            currency=conversion.result.currency,
            effective_rate=conversion.effective_rate,
            legs=[leg.to_json() for leg in conversion.legs],
            recorded_at=utc_now(),
        )
        .returning(FxConversionRecord.id)
    )
    return int(result.scalar_one())
