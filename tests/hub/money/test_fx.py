from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.money.currencies import MINOR_UNITS, SUPPORTED_CURRENCIES
from hub.money.errors import MoneyError, MoneyErrorCode
from hub.money.fx import FxRate, RateBook, RateLeg, convert
from hub.money.money import Money

FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
SUNDAY = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
CURRENCIES = sorted(SUPPORTED_CURRENCIES)
RATES = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("100000"), places=4)


def rate(base: str, quote: str, value: str, at: datetime = FRIDAY, source: str = "ECB") -> FxRate:
    return FxRate(base, quote, Decimal(value), at, source)


ECB_FRIDAY = [rate("EUR", "USD", "1.1602"), rate("EUR", "CNY", "8.2136"), rate("EUR", "JPY", "181.27")]
AED_PEG = rate("USD", "AED", "3.6725", datetime(2026, 1, 2, tzinfo=UTC), "CBUAE peg")


def usd(amount: str) -> Money:
    return Money.parse(amount, "USD")


def test_fx_direct_rate_converts_and_carries_the_rate_used() -> None:
    result = convert(RateBook(ECB_FRIDAY), Money.parse("1000", "EUR"), "USD", SUNDAY)
    assert result.result == usd("1160.20")
    assert result.effective_rate == Decimal("1.1602")
    assert result.path == ("EUR", "USD")
    assert result.legs == (RateLeg(ECB_FRIDAY[0], inverted=False),)
    assert result.at == SUNDAY


@pytest.mark.parametrize(("amount", "yen"), [("1", "2"), ("3", "8"), ("5", "12"), ("7", "18")])
def test_fx_rounds_half_even_to_the_target_minor_units(amount: str, yen: str) -> None:
    book = RateBook([rate("USD", "JPY", "2.5")])
    assert convert(book, usd(amount), "JPY", SUNDAY).result == Money.parse(yen, "JPY")


def test_fx_inverse_rate_is_used_when_only_the_other_direction_is_stored() -> None:
    result = convert(RateBook(ECB_FRIDAY), usd("1160.20"), "EUR", SUNDAY)
    assert result.result == Money.parse("1000.00", "EUR")
    assert result.legs == (RateLeg(ECB_FRIDAY[0], inverted=True),)


def test_fx_the_later_rate_of_either_direction_wins() -> None:
    older = rate("EUR", "USD", "1.10", FRIDAY - timedelta(days=1))
    newer_inverse = rate("USD", "EUR", "0.80", FRIDAY)
    result = convert(RateBook([older, newer_inverse]), Money.parse("100", "EUR"), "USD", SUNDAY)
    assert result.result == usd("125.00")
    assert result.legs == (RateLeg(newer_inverse, inverted=True),)


def test_fx_goes_through_eur_when_no_rate_links_the_pair() -> None:
    result = convert(RateBook(ECB_FRIDAY), usd("1000"), "CNY", SUNDAY)
    assert result.path == ("USD", "EUR", "CNY")
    assert result.result == Money.parse("7079.47", "CNY")  # 1000 / 1.1602 * 8.2136 = 7079.469...
    assert result.effective_rate == Decimal("7.07946905705912774")


def test_fx_goes_through_usd_when_eur_does_not_link_the_pair() -> None:
    book = RateBook([AED_PEG, rate("USD", "SAR", "3.75", AED_PEG.valid_from, "SAMA peg")])
    result = convert(book, Money.parse("3672.50", "AED"), "SAR", SUNDAY)
    assert result.path == ("AED", "USD", "SAR")
    assert result.result == Money.parse("3750.00", "SAR")


def test_fx_goes_through_both_pivots_when_one_is_not_enough() -> None:
    result = convert(RateBook([*ECB_FRIDAY, AED_PEG]), Money.parse("36725", "AED"), "CNY", SUNDAY)
    assert result.path == ("AED", "USD", "EUR", "CNY")
    assert [leg.inverted for leg in result.legs] == [True, True, False]
    assert result.result == Money.parse("70794.69", "CNY")


def test_fx_a_rate_set_later_is_not_used_for_an_earlier_instant() -> None:
    monday = rate("EUR", "USD", "1.2000", FRIDAY + timedelta(days=3))
    book = RateBook([*ECB_FRIDAY, monday])
    assert convert(book, Money.parse("10", "EUR"), "USD", SUNDAY).result == usd("11.60")
    assert convert(book, Money.parse("10", "EUR"), "USD", monday.valid_from).result == usd("12.00")
    with pytest.raises(MoneyError) as refused:
        convert(book, Money.parse("10", "EUR"), "USD", FRIDAY - timedelta(seconds=1))
    assert refused.value.message == "no EUR->USD rate valid at 2026-11-27T14:59:59Z"


def test_fx_without_a_rate_refuses_naming_the_pair_and_the_instant() -> None:
    with pytest.raises(MoneyError) as refused:
        convert(RateBook(ECB_FRIDAY), Money.parse("10", "EUR"), "AED", SUNDAY)
    assert refused.value.code is MoneyErrorCode.NO_FX_RATE
    assert refused.value.field == "to_currency"
    assert refused.value.message == "no EUR->AED rate valid at 2026-11-29T10:00:00Z (directly or through USD)"
    with pytest.raises(MoneyError) as refused:
        convert(RateBook(), Money.parse("10", "KZT"), "UZS", SUNDAY)
    assert refused.value.message == "no KZT->UZS rate valid at 2026-11-29T10:00:00Z (directly or through EUR/USD)"


def test_fx_to_the_same_currency_is_the_amount_itself() -> None:
    result = convert(RateBook(), usd("12.50"), "usd", SUNDAY)
    assert (result.result, result.effective_rate, result.legs) == (usd("12.50"), Decimal(1), ())


def test_fx_result_over_the_amount_bound_is_refused() -> None:
    book = RateBook([rate("KWD", "UZS", "41000")])
    with pytest.raises(MoneyError) as refused:
        convert(book, Money.parse("100000000000", "KWD"), "UZS", SUNDAY)
    assert refused.value.code is MoneyErrorCode.AMOUNT_TOO_LARGE


@pytest.mark.parametrize(
    ("base", "quote", "value", "valid_from", "source", "code", "field"),
    [
        ("EUR", "eur", "1", FRIDAY, "x", MoneyErrorCode.SAME_CURRENCY, "quote"),
        ("EUR", "CHF", "1", FRIDAY, "x", MoneyErrorCode.UNSUPPORTED_CURRENCY, "quote"),
        ("EUR", "USD", "0", FRIDAY, "x", MoneyErrorCode.INVALID_RATE, "rate"),
        ("EUR", "USD", "-1.16", FRIDAY, "x", MoneyErrorCode.INVALID_RATE, "rate"),
        ("EUR", "USD", "1e13", FRIDAY, "x", MoneyErrorCode.INVALID_RATE, "rate"),
        ("EUR", "USD", "1.0000000000001", FRIDAY, "x", MoneyErrorCode.INVALID_RATE, "rate"),
        ("EUR", "USD", 1.16, FRIDAY, "x", MoneyErrorCode.INVALID_RATE, "rate"),
        ("EUR", "USD", "1.16", datetime(2026, 11, 27), "x", MoneyErrorCode.INVALID_INSTANT, "valid_from"),
        ("EUR", "USD", "1.16", FRIDAY, " ", MoneyErrorCode.INVALID_SOURCE, "source"),
        ("EUR", "USD", "1.16", FRIDAY, "x" * 65, MoneyErrorCode.INVALID_SOURCE, "source"),
    ],
)
def test_fx_rate_from_input_is_refused_naming_the_field(
    base: str, quote: str, value: object, valid_from: datetime, source: str, code: MoneyErrorCode, field: str
) -> None:
    with pytest.raises(MoneyError) as refused:
        FxRate.checked(base, quote, value, valid_from, source)
    assert (refused.value.code, refused.value.field) == (code, field)


def test_fx_rate_with_twelve_places_is_accepted() -> None:
    assert FxRate.checked("UZS", "KWD", "0.000000078500", FRIDAY, "manual").rate == Decimal("7.85E-8")


def unit(currency: str) -> Fraction:
    return Fraction(1, 10 ** MINOR_UNITS[currency])


pairs = st.lists(st.sampled_from(CURRENCIES), min_size=2, max_size=2, unique=True)
amounts = st.integers(0, 10**9)


@given(pairs, RATES, RATES, amounts, st.booleans())
def test_fx_conversion_is_the_exact_value_rounded_half_even(
    codes: list[str], first: Decimal, second: Decimal, units: int, pivot: bool
) -> None:
    source, target = codes
    amount = Money.from_minor(units, source)
    if pivot and "EUR" not in codes:
        book = RateBook([FxRate(source, "EUR", first, FRIDAY, "a"), FxRate("EUR", target, second, FRIDAY, "b")])
        value = Fraction(amount.amount) * Fraction(first) * Fraction(second)
    else:
        book = RateBook([FxRate(target, source, first, FRIDAY, "a")])
        value = Fraction(amount.amount) / Fraction(first)
    if value > 10**15:
        with pytest.raises(MoneyError) as refused:
            convert(book, amount, target, SUNDAY)
        assert refused.value.code is MoneyErrorCode.AMOUNT_TOO_LARGE
        return
    result = convert(book, amount, target, SUNDAY).result
    assert Fraction(result.amount) / unit(target) == round(value / unit(target))  # Fraction rounds half to even


@given(pairs, RATES, amounts)
def test_fx_round_trip_stays_within_half_a_unit_of_each_rounding(codes: list[str], value: Decimal, units: int) -> None:
    source, target = codes
    book = RateBook([FxRate(source, target, value, FRIDAY, "a")])
    original = Money.from_minor(units, source)
    there = convert(book, original, target, SUNDAY).result
    back = convert(book, there, source, SUNDAY).result
    bound = unit(source) / 2 + unit(target) / (2 * Fraction(value))
    assert abs(Fraction(back.amount) - Fraction(original.amount)) <= bound


@given(pairs, RATES, amounts, amounts)
def test_fx_conversion_keeps_order_and_sums_within_one_unit(codes: list[str], value: Decimal, a: int, b: int) -> None:
    source, target = codes
    book = RateBook([FxRate(source, target, value, FRIDAY, "a")])
    low, high = Money.from_minor(min(a, b), source), Money.from_minor(max(a, b), source)
    low_result, high_result = (convert(book, m, target, SUNDAY).result for m in (low, high))
    assert low_result <= high_result
    together = convert(book, low + high, target, SUNDAY).result
    assert abs(Fraction((together - low_result - high_result).amount)) <= unit(target)
