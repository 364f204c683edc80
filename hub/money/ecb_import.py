"""Importing the ECB's reference rates: all rates of a document in one transaction with one audit entry.

Only the currencies the hub supports are stored (as EUR->X rates, source "ECB"); the report names the
supported currencies the document does not cover (the ECB publishes no AED, SAR, KWD, BHD, UZS, KZT, EGP or
PKR rate, nor RUB since March 2022: those need `set_rate` or another source) and the ones it skipped.
Importing a document again adds nothing; a rate that differs from one stored for the same day is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.log import append_entry
from hub.core.clock import utc_now
from hub.money.currencies import SUPPORTED_CURRENCIES
from hub.money.ecb import ECB_SOURCE, MAX_ECB_DOCUMENT_BYTES, EcbDay, parse_ecb
from hub.money.errors import MoneyError, MoneyErrorCode
from hub.money.fx import FxRate
from hub.money.models import FxRateRecord

BASE = "EUR"


@dataclass(frozen=True, slots=True)
class EcbImport:
    days: tuple[date, ...]
    """Every day the document holds, oldest first."""
    added: int
    unchanged: int
    """Rates of the document stored already (by an earlier import of it, say)."""
    not_covered: tuple[str, ...]
    """Supported currencies the document has no rate for."""
    unsupported: tuple[str, ...]
    """Currencies of the document the hub does not trade in: not stored."""


def _supported_rates(days: list[EcbDay]) -> list[FxRate]:
    return [
        FxRate(BASE, currency, rate, day.valid_from, ECB_SOURCE)
        for day in days
        for currency, rate in sorted(day.rates.items())
        if currency in SUPPORTED_CURRENCIES and currency != BASE
    ]


async def _stored(session: AsyncSession, rates: list[FxRate]) -> dict[tuple[str, datetime], FxRateRecord]:
    first, last = min(r.valid_from for r in rates), max(r.valid_from for r in rates)
    rows = await session.scalars(
        select(FxRateRecord).where(FxRateRecord.base == BASE, FxRateRecord.valid_from.between(first, last))
    )
    return {(row.quote, row.valid_from): row for row in rows}


def _new_rates(rates: list[FxRate], stored: dict[tuple[str, datetime], FxRateRecord]) -> list[FxRate]:
    """The rates not stored yet; a rate stored already with another value refuses the whole document."""
    new: list[FxRate] = []
    for rate in rates:
        existing = stored.get((rate.quote, rate.valid_from))
        if existing is None:
            new.append(rate)
        elif existing.rate != rate.rate:
            raise MoneyError(
                MoneyErrorCode.RATE_CONFLICT,
                "document",
                f"EUR->{rate.quote} on {rate.valid_from.date()} is {existing.rate} already (from {existing.source}); "
                f"the document says {rate.rate}",
            )
    return new


async def import_ecb(
    session: AsyncSession, actor: str, document: bytes, max_bytes: int = MAX_ECB_DOCUMENT_BYTES
) -> EcbImport:
    """Stores the new rates of an ECB reference-rate document in the caller's transaction."""
    days = parse_ecb(document, max_bytes)
    published = {currency for day in days for currency in day.rates}
    rates = _supported_rates(days)
    new = _new_rates(rates, await _stored(session, rates) if rates else {})
    if new:
        now = utc_now()
        await session.execute(
            insert(FxRateRecord),
            [
                {
                    "base": r.base,
                    "quote": r.quote,
                    "rate": r.rate,
                    "valid_from": r.valid_from,
                    "source": r.source,
                    "recorded_by": actor,
                    "recorded_at": now,
                }
                for r in new
            ],
        )
        await append_entry(
            session,
            actor=actor,
            action="money.fx_rates_imported",
            subject="fx:ECB",
            jurisdictions=[],
            payload=_payload(new),
        )
    return EcbImport(
        days=tuple(day.day for day in days),
        added=len(new),
        unchanged=len(rates) - len(new),
        not_covered=tuple(sorted(SUPPORTED_CURRENCIES - published - {BASE})),
        unsupported=tuple(sorted(published - SUPPORTED_CURRENCIES)),
    )


def _payload(rates: list[FxRate]) -> dict[str, object]:
    by_instant: dict[str, dict[str, str]] = {}
    for rate in rates:
        by_instant.setdefault(rate.valid_from.isoformat(), {})[rate.quote] = str(rate.rate)
    return {"source": ECB_SOURCE, "base": BASE, "rates": by_instant}
