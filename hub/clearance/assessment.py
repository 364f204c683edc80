"""A compliance decision about a catalogue item and a proposed crossing, as the hub makes it from its data.

The value is converted to EUR at the FX rate valid at the decision instant; without a rate for the pair the
value in EUR is unknown, and the engine then assumes the stricter case and names the missing fact.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.catalogue.models import CatalogueItem, Institution
from hub.clearance import refusals
from hub.clearance.decision import ComplianceDecision
from hub.clearance.engine import decide
from hub.clearance.errors import ClearanceErrorCode
from hub.clearance.facts import MAX_CREATORS, MAX_FLAGS, MAX_TEXT, PURPOSES, FactsError, ItemFacts, TradeFacts
from hub.clearance.rule_table import RuleTable
from hub.money import fx_rates
from hub.money.errors import MoneyError
from hub.money.fx import Conversion
from hub.money.money import Money

EUR = "EUR"
COUNTRY = re.compile(r"[A-Z]{2}")
FLAGS_KEY = "compliance_flags"
"""Where an item's `extra` may carry compliance flags its partner stated ({"state_owned": true, ...})."""


@dataclass(frozen=True, slots=True)
class Assessment:
    """The decision, and what the value in EUR was made of: the value as given and its conversion."""

    decision: ComplianceDecision
    item_id: int
    value: Money | None
    conversion: Conversion | None

    def as_record(self) -> dict[str, Any]:
        return self.decision.as_record() | {
            "item_id": self.item_id,
            "value": None if self.value is None else self.value.to_json(),
            "conversion": None if self.conversion is None else self.conversion.to_json(),
        }


def item_facts(row: CatalogueItem) -> ItemFacts:
    """The rules' view of a stored item. Partner strings are cut to the engine's bounds."""
    return ItemFacts(
        origin_country=row.origin_country,
        kind=row.kind,
        earliest_year=row.earliest_year,
        latest_year=row.latest_year,
        material=None if row.material is None else row.material[:MAX_TEXT],
        relic_grade=row.relic_grade,
        export_restricted=bool(row.export_restricted),
        creators=tuple(str(name)[:MAX_TEXT] for name in (row.creators or [])[:MAX_CREATORS]),
        flags=_stated_flags((row.extra or {}).get(FLAGS_KEY)),
    )


def _stated_flags(value: object) -> dict[str, bool]:
    if not isinstance(value, Mapping):
        return {}
    flags = {str(name): flag for name, flag in value.items() if isinstance(flag, bool)}
    return dict(list(flags.items())[:MAX_FLAGS])


def check_country(field: str, value: str) -> None:
    if not COUNTRY.fullmatch(value):
        raise refusals.refused(
            ClearanceErrorCode.INVALID_VALUE, field, refusals.INVALID_COUNTRY, value=repr(value[:20])
        )


async def load_item(session: AsyncSession, item_id: int) -> CatalogueItem:
    row = await session.scalar(
        select(CatalogueItem).where(CatalogueItem.id == item_id, CatalogueItem.deleted_at.is_(None))
    )
    if row is None:
        raise refusals.refused(ClearanceErrorCode.ITEM_NOT_FOUND, "item_id", refusals.ITEM_NOT_FOUND, item=item_id)
    return row


async def item_id_by_source(session: AsyncSession, institution: str, source_id: str) -> int:
    item_id = await session.scalar(
        select(CatalogueItem.id)
        .join(Institution, Institution.id == CatalogueItem.institution_id)
        .where(
            Institution.code == institution, CatalogueItem.source_id == source_id, CatalogueItem.deleted_at.is_(None)
        )
    )
    if item_id is None:
        raise refusals.refused(
            ClearanceErrorCode.ITEM_NOT_FOUND, "item_id", refusals.ITEM_NOT_FOUND, item=f"{institution}:{source_id}"
        )
    return item_id


async def value_in_eur(
    session: AsyncSession, value: Money | None, at: datetime
) -> tuple[Decimal | None, Conversion | None]:
    if value is None:
        return None, None
    if value.currency == EUR:
        return value.amount, None
    try:
        conversion = await fx_rates.convert(session, value, EUR, at)
    except MoneyError:
        return None, None
    return conversion.result.amount, conversion


async def assess(
    session: AsyncSession,
    table: RuleTable,
    item: CatalogueItem,
    *,
    destination: str,
    value: Money | None,
    purpose: str,
    at: datetime,
    export_country: str | None = None,
) -> Assessment:
    """The decision for `item` going to `destination` (from `export_country`, default its origin) at `at`."""
    check_country("destination", destination)
    if export_country is not None:
        check_country("export_country", export_country)
    if purpose not in PURPOSES:
        raise refusals.refused(ClearanceErrorCode.INVALID_VALUE, "purpose", refusals.INVALID_PURPOSE, value=purpose)
    value_eur, conversion = await value_in_eur(session, value, at)
    rate_date = None if conversion is None else max(leg.rate.valid_from for leg in conversion.legs).date()
    try:
        facts = item_facts(item)
        trade = TradeFacts(
            destination=destination,
            decided_on=at.date(),
            purpose=purpose,
            value_eur=value_eur,
            export_country=export_country,
            fx_rate_date=rate_date,
        )
    except FactsError as error:
        raise refusals.refused(
            ClearanceErrorCode.INVALID_VALUE, "item_id", refusals.UNUSABLE_FACTS, item=item.id, problem=str(error)
        ) from None
    return Assessment(decide(table, facts, trade), item.id, value, conversion)
