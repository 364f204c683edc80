from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.money.currencies import MINOR_UNITS, SUPPORTED_CURRENCIES
from hub.money.errors import MoneyError, MoneyErrorCode
from hub.money.money import Money

CURRENCIES = sorted(SUPPORTED_CURRENCIES)


@st.composite
def money(draw: st.DrawFn, currency: str | None = None, bound: int = 10**12) -> Money:
    code = currency or draw(st.sampled_from(CURRENCIES))
    return Money.from_minor(draw(st.integers(-bound, bound)), code)


def test_money_parse_keeps_the_currency_minor_units() -> None:
    assert Money.parse("12.5", "usd") == Money(Decimal("12.50"), "USD")
    assert str(Money.parse("12.5", "USD").amount) == "12.50"
    assert str(Money.parse("1500", "JPY").amount) == "1500"
    assert str(Money.parse("0.25", "KWD").amount) == "0.250"
    assert str(Money.parse("1.2300", "BHD").amount) == "1.230"
    assert Money.parse(Decimal("88000"), "CNY").minor == 8_800_000


@pytest.mark.parametrize(
    ("amount", "currency", "code", "message"),
    [
        ("12.345", "USD", MoneyErrorCode.TOO_PRECISE, "'12.345' has more decimal places than USD allows (2)"),
        ("1.5", "JPY", MoneyErrorCode.TOO_PRECISE, "'1.5' has more decimal places than JPY allows (0)"),
        ("0.0001", "KWD", MoneyErrorCode.TOO_PRECISE, "'0.0001' has more decimal places than KWD allows (3)"),
        ("-5.00", "EUR", MoneyErrorCode.NEGATIVE_AMOUNT, "'-5.00' EUR is negative"),
        ("1000000000000000.01", "USD", MoneyErrorCode.AMOUNT_TOO_LARGE, "over the limit of 10^15"),
        ("1e999", "USD", MoneyErrorCode.AMOUNT_TOO_LARGE, "'1E+999' USD is over the limit of 10^15"),
        ("1e-999", "USD", MoneyErrorCode.TOO_PRECISE, "'1E-999' has more decimal places than USD allows (2)"),
        ("NaN", "USD", MoneyErrorCode.INVALID_AMOUNT, "'NaN' is not a decimal number like '1234.50'"),
        ("Infinity", "USD", MoneyErrorCode.INVALID_AMOUNT, "'Infinity' is not a decimal number"),
        ("1,000.00", "USD", MoneyErrorCode.INVALID_AMOUNT, "'1,000.00' is not a decimal number"),
        ("1_000", "USD", MoneyErrorCode.INVALID_AMOUNT, "'1_000' is not a decimal number"),
        (" 12", "USD", MoneyErrorCode.INVALID_AMOUNT, "' 12' is not a decimal number"),
        ("9" * 65, "USD", MoneyErrorCode.INVALID_AMOUNT, "is not a decimal number"),
        (12.5, "USD", MoneyErrorCode.INVALID_AMOUNT, "12.5 is a float: give the amount as a decimal string"),
        (True, "USD", MoneyErrorCode.INVALID_AMOUNT, "True is a bool"),
        (Decimal("sNaN"), "USD", MoneyErrorCode.INVALID_AMOUNT, "'sNaN' is not a finite number"),
        ("10", "XAU", MoneyErrorCode.UNSUPPORTED_CURRENCY, "currency 'XAU' is not supported"),
    ],
)
def test_money_parse_refuses_with_code_field_and_the_bad_value(
    amount: object, currency: str, code: MoneyErrorCode, message: str
) -> None:
    with pytest.raises(MoneyError) as refused:
        Money.parse(amount, currency, field="price")
    assert refused.value.code is code
    assert refused.value.field == ("price.currency" if code is MoneyErrorCode.UNSUPPORTED_CURRENCY else "price.amount")
    assert message in refused.value.message


def test_money_parse_allows_negative_only_when_asked() -> None:
    assert Money.parse("-5.25", "EUR", allow_negative=True).amount == Decimal("-5.25")
    assert str(Money.parse("-0", "KWD").amount) == "0.000"


def test_money_of_two_currencies_do_not_mix() -> None:
    with pytest.raises(MoneyError) as refused:
        _ = Money.parse("1", "USD") + Money.parse("1", "EUR")
    assert refused.value.code is MoneyErrorCode.CURRENCY_MISMATCH
    assert refused.value.message == "cannot combine 1.00 USD with 1.00 EUR: convert one of them first"
    with pytest.raises(MoneyError):
        _ = Money.parse("1", "USD") < Money.parse("2", "EUR")


@pytest.mark.parametrize(
    ("locale", "amount", "currency", "expected"),
    [
        ("zh-CN", "88000", "CNY", "¥88,000.00"),
        ("zh-CN", "1234567.5", "USD", "US$1,234,567.50"),
        ("en-US", "1234567.5", "USD", "$1,234,567.50"),
        ("en-US", "1234", "JPY", "¥1,234"),
        ("en-US", "1234.567", "KWD", "KWD1,234.567"),
        ("ar-EG", "1234.5", "EGP", "\u200f1,234.50\xa0ج.م.\u200f"),
        ("ar-EG", "1234567.5", "USD", "\u200f1,234,567.50\xa0US$"),
        ("fr-FR", "1234567.5", "USD", "1\u202f234\u202f567,50\xa0$US"),
        ("fr-FR", "-5.25", "EUR", "-5,25\xa0€"),
        ("ru-RU", "1234.5", "RUB", "1\xa0234,50\xa0₽"),
        ("ru-RU", "1234.567", "BHD", "1\xa0234,567\xa0BHD"),
    ],
)
def test_money_formatted_as_the_locale_writes_it(locale: str, amount: str, currency: str, expected: str) -> None:
    assert Money.parse(amount, currency, allow_negative=True).formatted(locale) == expected


@pytest.mark.parametrize("locale", ["xx-YY", "en_US", "", "zh-CN-" + "x" * 40, "de-DE-u-nu-arab"])
def test_money_formatted_refuses_an_unknown_locale(locale: str) -> None:
    with pytest.raises(MoneyError) as refused:
        Money.parse("1", "USD").formatted(locale)
    assert refused.value.code is MoneyErrorCode.INVALID_LOCALE
    assert refused.value.field == "locale"


def test_money_to_json_holds_strings_never_floats() -> None:
    assert Money.parse("0.5", "BHD").to_json() == {"amount": "0.500", "currency": "BHD"}


@given(st.sampled_from(CURRENCIES).flatmap(lambda code: st.tuples(money(code), money(code), money(code))))
def test_money_arithmetic_within_a_currency_is_exact(values: tuple[Money, Money, Money]) -> None:
    a, b, c = values
    assert (a + b) - b == a
    assert a + b == b + a
    assert (a + b) + c == a + (b + c)
    assert a - a == Money.zero(a.currency)
    assert a + (-a) == Money.zero(a.currency)
    assert (a + b).minor == a.minor + b.minor
    assert (a < b) == (a.amount < b.amount)


@given(money())
def test_money_round_trips_through_text_and_minor_units(value: Money) -> None:
    assert Money.parse(str(value.amount), value.currency, allow_negative=True) == value
    assert Money.from_minor(value.minor, value.currency) == value
    assert value.amount.as_tuple().exponent == -MINOR_UNITS[value.currency]


@given(st.sampled_from(CURRENCIES), st.integers(0, 10**15 - 1), st.integers(0, 999), st.integers(1, 9))
def test_money_parse_refuses_every_amount_finer_than_the_minor_units(
    currency: str, whole: int, allowed: int, extra: int
) -> None:
    places = MINOR_UNITS[currency]
    fraction = f"{allowed:03d}"[:places] + str(extra)
    with pytest.raises(MoneyError) as refused:
        Money.parse(f"{whole}.{fraction}", currency)
    assert refused.value.code is MoneyErrorCode.TOO_PRECISE
