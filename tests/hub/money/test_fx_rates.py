from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from hub.app import Hub
from hub.money import fx_rates
from hub.money.errors import MoneyError, MoneyErrorCode
from hub.money.fx import FxRate
from hub.money.models import FxConversionRecord, FxRateRecord
from hub.money.money import Money
from tests.hub.money.conftest import audit_log

FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
SUNDAY = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
JANUARY = datetime(2026, 1, 2, tzinfo=UTC)


async def set_rates(hub: Hub, *rates: tuple[str, str, str, datetime, str]) -> list[FxRate]:
    async with hub.sessions.begin() as session:
        return [await fx_rates.set_rate(session, "ops-console", *rate) for rate in rates]


@pytest.fixture
async def rated(hub: Hub) -> Hub:
    """The ECB's Friday rates for USD and CNY, and the UAE dirham's peg to the dollar."""
    await set_rates(
        hub,
        ("EUR", "USD", "1.1602", FRIDAY, "ECB"),
        ("EUR", "CNY", "8.2136", FRIDAY, "ECB"),
        ("USD", "AED", "3.6725", JANUARY, "CBUAE peg"),
    )
    return hub


async def stored_rates(hub: Hub) -> int:
    async with hub.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(FxRateRecord)) or 0)


async def test_fx_rates_set_rate_stores_it_with_an_audit_entry(hub: Hub) -> None:
    [stored] = await set_rates(hub, ("eur", "usd", "1.16020", FRIDAY, "ECB"))
    assert (stored.base, stored.quote, stored.rate, stored.valid_from, stored.source) == (
        "EUR",
        "USD",
        Decimal("1.16020"),
        FRIDAY,
        "ECB",
    )
    assert stored.id is not None
    assert await audit_log(hub) == [
        (
            "ops-console",
            "money.fx_rate_set",
            "fx:EUR/USD",
            {
                "id": stored.id,
                "base": "EUR",
                "quote": "USD",
                "rate": "1.16020",
                "valid_from": "2026-11-27T15:00:00+00:00",
                "source": "ECB",
            },
        )
    ]


@pytest.mark.parametrize(
    ("rate", "code", "field"),
    [
        (("EUR", "EUR", "1", FRIDAY, "ECB"), MoneyErrorCode.SAME_CURRENCY, "quote"),
        (("EUR", "USD", "-1.16", FRIDAY, "ECB"), MoneyErrorCode.INVALID_RATE, "rate"),
        (("EUR", "USD", "1.1234567890123", FRIDAY, "ECB"), MoneyErrorCode.INVALID_RATE, "rate"),
        (("EUR", "XBT", "1.16", FRIDAY, "ECB"), MoneyErrorCode.UNSUPPORTED_CURRENCY, "quote"),
        (("EUR", "USD", "1.16", datetime(2026, 11, 27, 15), "ECB"), MoneyErrorCode.INVALID_INSTANT, "valid_from"),
    ],
)
async def test_fx_rates_refused_rate_writes_nothing(
    hub: Hub, rate: tuple[str, str, str, datetime, str], code: MoneyErrorCode, field: str
) -> None:
    with pytest.raises(MoneyError) as refused:
        await set_rates(hub, rate)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert await stored_rates(hub) == 0
    assert await audit_log(hub) == []


async def test_fx_rates_same_rate_again_changes_nothing_and_a_different_one_is_refused(rated: Hub) -> None:
    before = await audit_log(rated)
    [again] = await set_rates(rated, ("EUR", "USD", "1.16020", FRIDAY, "a re-run"))
    assert again.source == "ECB"
    assert await audit_log(rated) == before
    with pytest.raises(MoneyError) as refused:
        await set_rates(rated, ("EUR", "USD", "1.17", FRIDAY, "manual"))
    assert refused.value.code is MoneyErrorCode.RATE_CONFLICT
    assert refused.value.message == (
        "EUR->USD is already 1.1602 (from ECB) at 2026-11-27T15:00:00Z; set a rate valid from a later instant instead"
    )
    assert await stored_rates(rated) == 3


async def test_fx_rates_lists_the_rate_in_force_per_pair_at_an_instant(rated: Hub) -> None:
    await set_rates(rated, ("EUR", "USD", "1.1650", FRIDAY + timedelta(days=3), "ECB"))
    async with rated.sessions() as session:
        now = await fx_rates.rates(session, at=FRIDAY + timedelta(days=4))
        sunday = await fx_rates.rates(session, at=SUNDAY)
        before = await fx_rates.rates(session, at=FRIDAY - timedelta(days=1))
        dollar = await fx_rates.rates(session, at=SUNDAY, currency="usd")
        history = await fx_rates.rate_history(session, "EUR", "USD")
        with pytest.raises(MoneyError) as refused:
            await fx_rates.rate_history(session, "EUR", "USD", limit=1001)
    assert (refused.value.code, refused.value.message) == (
        MoneyErrorCode.INVALID_LIMIT,
        "limit must be 1-1000, not 1001",
    )
    assert [(r.base, r.quote, str(r.rate)) for r in now] == [
        ("EUR", "CNY", "8.2136"),
        ("EUR", "USD", "1.1650"),
        ("USD", "AED", "3.6725"),
    ]
    assert [str(r.rate) for r in sunday] == ["8.2136", "1.1602", "3.6725"]
    assert [(r.base, r.quote) for r in before] == [("USD", "AED")]
    assert [(r.base, r.quote) for r in dollar] == [("EUR", "USD"), ("USD", "AED")]
    assert [str(r.rate) for r in history] == ["1.1650", "1.1602"]


async def test_fx_rates_convert_uses_the_stored_rate_valid_at_the_instant(rated: Hub) -> None:
    await set_rates(rated, ("EUR", "USD", "1.2000", SUNDAY + timedelta(hours=1), "manual"))
    async with rated.sessions() as session:
        sunday = await fx_rates.convert(session, Money.parse("1000", "EUR"), "USD", SUNDAY)
        later = await fx_rates.convert(session, Money.parse("1000", "EUR"), "USD", SUNDAY + timedelta(hours=2))
    assert sunday.result == Money.parse("1160.20", "USD")
    assert [leg.rate.source for leg in sunday.legs] == ["ECB"]
    assert later.result == Money.parse("1200.00", "USD")


async def test_fx_rates_convert_goes_through_the_pivots(rated: Hub) -> None:
    async with rated.sessions() as session:
        yuan = await fx_rates.convert(session, Money.parse("1000", "USD"), "CNY", SUNDAY)
        from_dirham = await fx_rates.convert(session, Money.parse("36725", "AED"), "CNY", SUNDAY)
    assert (yuan.path, yuan.result) == (("USD", "EUR", "CNY"), Money.parse("7079.47", "CNY"))
    assert (from_dirham.path, from_dirham.result) == (("AED", "USD", "EUR", "CNY"), Money.parse("70794.69", "CNY"))


async def test_fx_rates_convert_without_a_rate_is_refused(rated: Hub) -> None:
    async with rated.sessions() as session:
        with pytest.raises(MoneyError) as refused:
            await fx_rates.convert(session, Money.parse("100", "EUR"), "KZT", SUNDAY)
        with pytest.raises(MoneyError) as too_early:
            await fx_rates.convert(session, Money.parse("100", "EUR"), "USD", FRIDAY - timedelta(minutes=1))
    assert refused.value.code is MoneyErrorCode.NO_FX_RATE
    assert refused.value.message == "no EUR->KZT rate valid at 2026-11-29T10:00:00Z (directly or through USD)"
    assert too_early.value.message == "no EUR->USD rate valid at 2026-11-27T14:59:00Z"


async def test_fx_rates_recorded_conversion_keeps_the_rates_it_used(rated: Hub) -> None:
    async with rated.sessions.begin() as session:
        conversion = await fx_rates.convert(session, Money.parse("36725", "AED"), "CNY", SUNDAY)
        record_id = await fx_rates.record_conversion(session, conversion, "offer:7")
    async with rated.sessions() as session:
        record = await session.get_one(FxConversionRecord, record_id)
    assert (record.reference, record.at, record.source_amount, record.source_currency) == (
        "offer:7",
        SUNDAY,
        Decimal("36725.00"),
        "AED",
    )
    assert (record.amount, record.currency, record.effective_rate) == (
        Decimal("70794.69"),
        "CNY",
        conversion.effective_rate,
    )
    assert [(leg["base"], leg["quote"], leg["rate"], leg["inverted"]) for leg in record.legs] == [
        ("USD", "AED", "3.6725", True),
        ("EUR", "USD", "1.1602", True),
        ("EUR", "CNY", "8.2136", False),
    ]
    assert all(isinstance(leg["id"], int) for leg in record.legs)
