"""What the compliance engine knows about an item and a trade: plain values, checked on construction.

`None` (or an absent flag) means the fact is unknown; the engine then assumes the stricter case and
names the fact in its decision.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

# The hub's ItemKind values, as strings so that this package does not import the catalogue vocabulary.
KINDS = (
    "BOOK",
    "RARE_BOOK",
    "MANUSCRIPT",
    "RUBBING",
    "MAP",
    "COIN",
    "CERAMIC",
    "METALWORK",
    "SCULPTURE",
    "EPITAPH",
    "TEXTILE",
    "JADE",
    "PAINTING",
    "OTHER",
)
GRADES = ("1", "2", "3", "general", "ungraded")
PURPOSES = ("SALE", "LOAN")

MAX_TEXT = 500
MAX_CREATORS = 50
MAX_FLAGS = 50
MAX_FLAG_NAME = 64
MAX_YEAR = 9999
MAX_VALUE_EUR = Decimal("1e12")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_FLAG_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class FactsError(ValueError):
    """A fact that cannot be right; the message names the field and the bad value."""

    def __init__(self, field_name: str, value: object, why: str) -> None:
        self.field = field_name
        self.value = value
        super().__init__(f"{field_name}: {value!r} {why}")


def _check_country(field_name: str, value: str) -> None:
    if not isinstance(value, str) or not _COUNTRY.match(value):
        raise FactsError(field_name, value, "is not an ISO 3166-1 alpha-2 country code such as 'CN' or 'FR'")


def _check_year(field_name: str, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_YEAR:
        raise FactsError(field_name, value, f"is not a year between -{MAX_YEAR} and {MAX_YEAR}")


def _check_text(field_name: str, value: str | None) -> None:
    if value is not None and (not isinstance(value, str) or len(value) > MAX_TEXT):
        raise FactsError(field_name, value, f"is not a text of at most {MAX_TEXT} characters")


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """An item as the rules see it. Years are calendar years, negative before the common era."""

    origin_country: str
    kind: str
    earliest_year: int | None = None
    latest_year: int | None = None
    material: str | None = None
    relic_grade: str | None = None
    export_restricted: bool | None = None
    creators: tuple[str, ...] = ()
    flags: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        _check_country("origin_country", self.origin_country)
        if self.kind not in KINDS:
            raise FactsError("kind", self.kind, f"is not one of {', '.join(KINDS)}")
        _check_year("earliest_year", self.earliest_year)
        _check_year("latest_year", self.latest_year)
        if self.earliest_year is not None and self.latest_year is not None and self.earliest_year > self.latest_year:
            raise FactsError("earliest_year", self.earliest_year, f"is after latest_year {self.latest_year}")
        _check_text("material", self.material)
        if self.relic_grade is not None and self.relic_grade not in GRADES:
            raise FactsError("relic_grade", self.relic_grade, f"is not one of {', '.join(GRADES)}")
        if self.export_restricted is not None and not isinstance(self.export_restricted, bool):
            raise FactsError("export_restricted", self.export_restricted, "is not true, false or unknown")
        self._check_creators()
        self._check_flags()

    def _check_creators(self) -> None:
        if not isinstance(self.creators, tuple) or len(self.creators) > MAX_CREATORS:
            raise FactsError("creators", self.creators, f"is not a tuple of at most {MAX_CREATORS} names")
        for name in self.creators:
            _check_text("creators", name)

    def _check_flags(self) -> None:
        if len(self.flags) > MAX_FLAGS:
            raise FactsError("flags", dict(self.flags), f"has more than {MAX_FLAGS} entries")
        for name, value in self.flags.items():
            if not isinstance(name, str) or len(name) > MAX_FLAG_NAME or not _FLAG_NAME.match(name):
                raise FactsError("flags", name, "is not a flag name such as 'historical_value'")
            if not isinstance(value, bool):
                raise FactsError(f"flags.{name}", value, "is not true or false")
        object.__setattr__(self, "flags", MappingProxyType(dict(self.flags)))

    def as_record(self) -> dict[str, Any]:
        return {
            "origin_country": self.origin_country,
            "kind": self.kind,
            "earliest_year": self.earliest_year,
            "latest_year": self.latest_year,
            "material": self.material,
            "relic_grade": self.relic_grade,
            "export_restricted": self.export_restricted,
            "creators": list(self.creators),
            "flags": dict(sorted(self.flags.items())),
        }


@dataclass(frozen=True, slots=True)
class TradeFacts:
    """A proposed crossing. `export_country` is where the goods leave from; None means the item's origin."""

    destination: str
    decided_on: date
    purpose: str = "SALE"
    value_eur: Decimal | None = None
    export_country: str | None = None
    fx_rate_date: date | None = None

    def __post_init__(self) -> None:
        _check_country("destination", self.destination)
        if self.export_country is not None:
            _check_country("export_country", self.export_country)
        if self.purpose not in PURPOSES:
            raise FactsError("purpose", self.purpose, f"is not one of {', '.join(PURPOSES)}")
        if not isinstance(self.decided_on, date):
            raise FactsError("decided_on", self.decided_on, "is not a date")
        if self.value_eur is not None:
            if not isinstance(self.value_eur, Decimal) or not self.value_eur.is_finite():
                raise FactsError("value_eur", self.value_eur, "is not a finite Decimal (never a float)")
            if self.value_eur < 0 or self.value_eur > MAX_VALUE_EUR:
                raise FactsError("value_eur", self.value_eur, f"is not between 0 and {MAX_VALUE_EUR:,}")

    def exporting_from(self, item: ItemFacts) -> str:
        return self.export_country or item.origin_country

    def as_record(self) -> dict[str, Any]:
        return {
            "destination": self.destination,
            "export_country": self.export_country,
            "purpose": self.purpose,
            "value_eur": None if self.value_eur is None else str(self.value_eur),
            "decided_on": self.decided_on.isoformat(),
            "fx_rate_date": None if self.fx_rate_date is None else self.fx_rate_date.isoformat(),
        }
