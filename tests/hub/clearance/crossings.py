"""Builders for the facts of a crossing, with defaults that fire no rule of their own.

The default item is a general relic from Japan with every stricter-when-unknown flag answered "no",
so each test sets only the facts its rule reads.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hub.clearance import ItemFacts, TradeFacts

DECIDED_ON = date(2026, 11, 20)
QUIET_FLAGS = {
    "historical_value": False,
    "ethnic_minority_representative": False,
    "archaeological": False,
    "monumental": False,
}


def item(**changes: Any) -> ItemFacts:
    flags = {**QUIET_FLAGS, **changes.pop("flags", {})}
    for name in changes.pop("forget_flags", ()):
        flags.pop(name)
    facts: dict[str, Any] = {
        "origin_country": "JP",
        "kind": "OTHER",
        "earliest_year": 1990,
        "latest_year": 1990,
        "material": "lacquered wood",
        "relic_grade": "general",
        "flags": flags,
    }
    if "year" in changes:
        facts["earliest_year"] = facts["latest_year"] = changes.pop("year")
    facts.update(changes)
    return ItemFacts(**facts)


def trade(**changes: Any) -> TradeFacts:
    facts: dict[str, Any] = {"destination": "FR", "decided_on": DECIDED_ON, "value_eur": Decimal("1000.00")}
    if isinstance(changes.get("value_eur"), str):
        changes["value_eur"] = Decimal(changes["value_eur"])
    facts.update(changes)
    return TradeFacts(**facts)
