"""Dated FX rates and conversion at an instant, as pure functions over a set of rates.

A rate says 1 `base` = `rate` `quote` from `valid_from` on, until a later rate for the same pair. Converting
at an instant uses the latest rate valid then for the pair, in either direction (the later one wins; direct on
a tie); without one, it goes through a pivot currency (EUR, then USD), or through both. The legs' product is
computed exactly up to one final division (at 100 significant digits), then rounded half-even to the target's
minor units. No rate, no conversion: the refusal names the pair and the instant.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from typing import Any

from hub.core.translations import N_
from hub.money.currencies import PIVOT_CURRENCIES, check_currency, minor_units
from hub.money.errors import MoneyError, MoneyErrorCode, money_text, shown
from hub.money.money import MAX_AMOUNT, Money, parse_decimal

MAX_RATE = Decimal(10) ** 12
MAX_RATE_PLACES = 12
MAX_SOURCE_LENGTH = 64
EXACT = Context(prec=100, rounding=ROUND_HALF_EVEN)
EFFECTIVE_RATE = Context(prec=18, rounding=ROUND_HALF_EVEN)

RATE_OUT_OF_RANGE = N_("rate {rate} must be positive and at most 10^12")
RATE_TOO_PRECISE = N_("rate {rate} has more than {places} decimal places")
NO_TIME_ZONE = N_("{value} is not a date-time with a time zone")
BAD_SOURCE = N_("source must be 1-{limit} characters naming where the rate comes from, not {value}")
SAME_CURRENCY = N_("a rate needs two currencies, not {currency} twice")
TOO_LARGE_CONVERTED = N_("{money} is over the limit of 10^15 once converted to {currency}")
NO_RATE = N_("no {source}->{target} rate valid at {at}")
NO_RATE_THROUGH = N_("no {source}->{target} rate valid at {at} (directly or through {pivots})")
"""The effective rate a conversion reports is rounded to 18 significant digits; the result is not."""


def parse_rate(value: object, field: str = "rate") -> Decimal:
    """A positive rate of at most 10^12 with at most 12 decimal places."""
    rate = parse_decimal(value, field, MoneyErrorCode.INVALID_RATE)
    if rate <= 0 or rate > MAX_RATE:
        raise MoneyError(MoneyErrorCode.INVALID_RATE, field, money_text(RATE_OUT_OF_RANGE, rate=shown(str(rate))))
    exponent = rate.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_RATE_PLACES:
        message = money_text(RATE_TOO_PRECISE, rate=shown(str(rate)), places=MAX_RATE_PLACES)
        raise MoneyError(MoneyErrorCode.INVALID_RATE, field, message)
    return rate


def check_instant(value: object, field: str = "at") -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise MoneyError(MoneyErrorCode.INVALID_INSTANT, field, money_text(NO_TIME_ZONE, value=shown(value)))
    return value.astimezone(UTC)


def check_source(value: object, field: str = "source") -> str:
    if not isinstance(value, str) or not 0 < len(value.strip()) <= MAX_SOURCE_LENGTH:
        message = money_text(BAD_SOURCE, limit=MAX_SOURCE_LENGTH, value=shown(value))
        raise MoneyError(MoneyErrorCode.INVALID_SOURCE, field, message)
    return value.strip()


def instant_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class FxRate:
    """1 `base` = `rate` `quote`, from `valid_from` on; `id` is the stored row's, when stored."""

    base: str
    quote: str
    rate: Decimal
    valid_from: datetime
    source: str
    id: int | None = None

    @classmethod
    def checked(cls, base: object, quote: object, rate: object, valid_from: object, source: object) -> FxRate:
        """A rate from client input, each bad value refused with its field named."""
        base_code = check_currency(base, "base")
        quote_code = check_currency(quote, "quote")
        if base_code == quote_code:
            raise MoneyError(MoneyErrorCode.SAME_CURRENCY, "quote", money_text(SAME_CURRENCY, currency=base_code))
        return cls(
            base_code,
            quote_code,
            parse_rate(rate),
            check_instant(valid_from, "valid_from"),
            check_source(source),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "base": self.base,
            "quote": self.quote,
            "rate": str(self.rate),
            "valid_from": self.valid_from.isoformat(),
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class RateLeg:
    """One step of a conversion: a stored rate, used as given or inverted (from its quote to its base)."""

    rate: FxRate
    inverted: bool

    @property
    def source_currency(self) -> str:
        return self.rate.quote if self.inverted else self.rate.base

    @property
    def target_currency(self) -> str:
        return self.rate.base if self.inverted else self.rate.quote

    def to_json(self) -> dict[str, Any]:
        return self.rate.to_json() | {"inverted": self.inverted}


@dataclass(frozen=True, slots=True)
class Conversion:
    """`source` converted to `result` at `at` through `legs`; `effective_rate` is result per source unit."""

    source: Money
    result: Money
    at: datetime
    effective_rate: Decimal
    legs: tuple[RateLeg, ...]

    @property
    def path(self) -> tuple[str, ...]:
        """The currencies the conversion went through: ('AED', 'USD', 'CNY')."""
        return (self.source.currency, *(leg.target_currency for leg in self.legs))

    def to_json(self) -> dict[str, Any]:
        """Everything needed to show or redo the conversion: amounts and rates as strings."""
        return {
            "source": self.source.to_json(),
            "result": self.result.to_json(),
            "at": self.at.isoformat(),
            "effective_rate": str(self.effective_rate),
            "path": list(self.path),
            "legs": [leg.to_json() for leg in self.legs],
        }


class RateBook:
    """Rates indexed by pair and date, for conversions at any instant."""

    def __init__(self, rates: Iterable[FxRate] = ()) -> None:
        self._dates: dict[tuple[str, str], list[datetime]] = defaultdict(list)
        self._rates: dict[tuple[str, str], list[FxRate]] = defaultdict(list)
        for rate in sorted(rates, key=lambda r: r.valid_from):
            self._dates[rate.base, rate.quote].append(rate.valid_from)
            self._rates[rate.base, rate.quote].append(rate)

    def latest(self, base: str, quote: str, at: datetime) -> FxRate | None:
        """The rate for base->quote valid at `at` (the latest from at or before it), if any."""
        dates = self._dates.get((base, quote))
        if not dates:
            return None
        index = bisect.bisect_right(dates, at)
        return self._rates[base, quote][index - 1] if index else None

    def leg(self, source: str, target: str, at: datetime) -> RateLeg | None:
        """source->target at `at` from a rate for either direction: the later one wins, direct on a tie."""
        direct = self.latest(source, target, at)
        inverse = self.latest(target, source, at)
        if inverse is not None and (direct is None or inverse.valid_from > direct.valid_from):
            return RateLeg(inverse, inverted=True)
        return RateLeg(direct, inverted=False) if direct is not None else None

    def route(self, source: str, target: str, at: datetime) -> tuple[RateLeg, ...] | None:
        """The fewest legs from source to target at `at`: one rate; else two through a pivot (EUR, then USD);
        else three through both (AED->USD->EUR->CNY, when AED is set against USD and CNY comes from the ECB)."""
        direct = self.leg(source, target, at)
        if direct is not None:
            return (direct,)
        pivots = [p for p in PIVOT_CURRENCIES if p not in (source, target)]
        for pivot in pivots:
            legs = self._chain((source, pivot, target), at)
            if legs is not None:
                return legs
        for first, second in itertools.permutations(pivots, 2):
            legs = self._chain((source, first, second, target), at)
            if legs is not None:
                return legs
        return None

    def _chain(self, currencies: tuple[str, ...], at: datetime) -> tuple[RateLeg, ...] | None:
        legs = [self.leg(a, b, at) for a, b in itertools.pairwise(currencies)]
        return tuple(leg for leg in legs if leg is not None) if all(legs) else None


def apply_legs(source: Money, target: str, legs: tuple[RateLeg, ...]) -> tuple[Money, Decimal]:
    """`source` through `legs` into `target`, rounded half-even to its minor units; and the effective rate."""
    with localcontext(EXACT):
        numerator, denominator = Decimal(1), Decimal(1)
        for leg in legs:
            if leg.inverted:
                denominator *= leg.rate.rate
            else:
                numerator *= leg.rate.rate
        exact = source.amount * numerator if denominator == 1 else source.amount * numerator / denominator
        effective = numerator if denominator == 1 else numerator / denominator
    if abs(exact) > MAX_AMOUNT:
        message = money_text(TOO_LARGE_CONVERTED, money=str(source), currency=target)
        raise MoneyError(MoneyErrorCode.AMOUNT_TOO_LARGE, "amount", message)
    rounded = exact.quantize(Decimal(1).scaleb(-minor_units(target)), rounding=ROUND_HALF_EVEN)
    with localcontext(EFFECTIVE_RATE):
        effective = +effective
    return Money(rounded, target), effective


def convert(book: RateBook, money: Money, to_currency: object, at: object) -> Conversion:
    """`money` in `to_currency` at instant `at`, or NO_FX_RATE naming the pair and the instant."""
    target = check_currency(to_currency, "to_currency")
    instant = check_instant(at)
    if target == money.currency:
        return Conversion(money, money, instant, Decimal(1), ())
    legs = book.route(money.currency, target, instant)
    if legs is None:
        pivots = "/".join(p for p in PIVOT_CURRENCIES if p not in (money.currency, target))
        facts = {"source": money.currency, "target": target, "at": instant_text(instant)}
        message = money_text(NO_RATE_THROUGH, pivots=pivots, **facts) if pivots else money_text(NO_RATE, **facts)
        raise MoneyError(MoneyErrorCode.NO_FX_RATE, "to_currency", message)
    result, effective = apply_legs(money, target, legs)
    return Conversion(money, result, instant, effective, legs)
