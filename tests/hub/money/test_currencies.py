from __future__ import annotations

import pytest

from hub.money.currencies import MINOR_UNITS, SUPPORTED_CURRENCIES, check_currency
from hub.money.errors import MoneyError, MoneyErrorCode

ISO_4217_MINOR_UNITS = {
    "CNY": 2,
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "HKD": 2,
    "JPY": 0,
    "AED": 2,
    "SAR": 2,
    "RUB": 2,
    "KZT": 2,
    "UZS": 2,
    "TRY": 2,
    "EGP": 2,
    "PKR": 2,
    "INR": 2,
    "KWD": 3,
    "BHD": 3,
}


def test_currencies_minor_units_are_those_of_iso_4217() -> None:
    assert dict(MINOR_UNITS) == ISO_4217_MINOR_UNITS
    assert frozenset(ISO_4217_MINOR_UNITS) == SUPPORTED_CURRENCIES


def test_currencies_code_in_any_case_is_accepted_in_capitals() -> None:
    assert check_currency("kwd") == "KWD"


@pytest.mark.parametrize("value", ["XYZ", "CHF", "", "US", 840, None])
def test_currencies_unsupported_code_is_refused_naming_it(value: object) -> None:
    with pytest.raises(MoneyError) as refused:
        check_currency(value, "price.currency")
    assert refused.value.code is MoneyErrorCode.UNSUPPORTED_CURRENCY
    assert refused.value.field == "price.currency"
    assert refused.value.message.startswith(f"currency {value!r} is not supported; use one of AED, BHD, CNY")
