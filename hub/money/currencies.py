"""The currencies the hub trades in, with their minor units (decimal places) from ISO 4217 as babel gives them."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from babel.numbers import get_currency_precision

from hub.core.translations import N_
from hub.money.errors import MoneyError, MoneyErrorCode, money_text, shown

UNSUPPORTED = N_("currency {value} is not supported; use one of {supported}")

SUPPORTED_CURRENCIES: frozenset[str] = frozenset(
    {
        "AED",
        "BHD",
        "CNY",
        "EGP",
        "EUR",
        "GBP",
        "HKD",
        "INR",
        "JPY",
        "KWD",
        "KZT",
        "PKR",
        "RUB",
        "SAR",
        "TRY",
        "USD",
        "UZS",
    }
)

MINOR_UNITS: Mapping[str, int] = MappingProxyType({code: get_currency_precision(code) for code in SUPPORTED_CURRENCIES})
"""Decimal places of each supported currency: JPY 0, KWD and BHD 3, the others 2 (checked by a test)."""

PIVOT_CURRENCIES: tuple[str, ...] = ("EUR", "USD")
"""Currencies a conversion may go through when no rate links two currencies directly, in order of preference."""


def check_currency(value: object, field: str = "currency") -> str:
    """The ISO 4217 code `value` names (any case), if the hub supports it."""
    code = value.upper() if isinstance(value, str) else None
    if code is None or code not in SUPPORTED_CURRENCIES:
        supported = ", ".join(sorted(SUPPORTED_CURRENCIES))
        message = money_text(UNSUPPORTED, value=shown(value), supported=supported)
        raise MoneyError(MoneyErrorCode.UNSUPPORTED_CURRENCY, field, message)
    return code


def minor_units(currency: str) -> int:
    return MINOR_UNITS[currency]
