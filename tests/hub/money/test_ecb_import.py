from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from hub.app import Hub
from hub.money import fx_rates
from hub.money.ecb_import import EcbImport, import_ecb
from hub.money.errors import MoneyError, MoneyErrorCode
from hub.money.models import FxRateRecord
from hub.money.money import Money
from tests.hub.money.conftest import audit_log
from tests.hub.money.ecb_documents import DAILY, history

NOT_PUBLISHED_BY_THE_ECB = ("AED", "BHD", "EGP", "KWD", "KZT", "PKR", "RUB", "SAR", "UZS")
FRIDAY_1600_CET = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


async def run_import(hub: Hub, document: bytes) -> EcbImport:
    async with hub.sessions.begin() as session:
        return await import_ecb(session, "ops-console", document)


async def stored(hub: Hub) -> dict[tuple[str, str, datetime], tuple[Decimal, str]]:
    async with hub.sessions() as session:
        rows = await session.scalars(select(FxRateRecord))
        return {(r.base, r.quote, r.valid_from): (r.rate, r.source) for r in rows}


async def test_ecb_import_stores_the_supported_rates_and_names_the_missing_currencies(hub: Hub) -> None:
    report = await run_import(hub, DAILY.read_bytes())
    assert report.days == (date(2026, 11, 27),)
    assert (report.added, report.unchanged) == (7, 0)
    assert report.not_covered == NOT_PUBLISHED_BY_THE_ECB
    assert "CHF" in report.unsupported and "USD" not in report.unsupported
    rates = await stored(hub)
    assert rates[("EUR", "USD", FRIDAY_1600_CET)] == (Decimal("1.1602"), "ECB")
    assert {quote for _, quote, _ in rates} == {"USD", "JPY", "GBP", "TRY", "CNY", "HKD", "INR"}
    [(actor, action, subject, payload)] = await audit_log(hub)
    assert (actor, action, subject) == ("ops-console", "money.fx_rates_imported", "fx:ECB")
    assert payload["rates"]["2026-11-27T15:00:00+00:00"]["INR"] == "103.7985"
    async with hub.sessions() as session:
        converted = await fx_rates.convert(
            session, Money.parse("100", "GBP"), "JPY", datetime(2026, 11, 28, tzinfo=UTC)
        )
    assert converted.result == Money.parse("20666", "JPY")  # 100 / 0.87715 * 181.27 = 20665.79


async def test_ecb_import_of_the_same_file_twice_adds_nothing(hub: Hub) -> None:
    await run_import(hub, DAILY.read_bytes())
    before, log = await stored(hub), await audit_log(hub)
    again = await run_import(hub, DAILY.read_bytes())
    assert (again.added, again.unchanged) == (0, 7)
    assert await stored(hub) == before
    assert await audit_log(hub) == log


async def test_ecb_import_of_a_history_adds_only_the_new_days(hub: Hub) -> None:
    await run_import(hub, DAILY.read_bytes())
    report = await run_import(
        hub, history({"2026-11-26": {"USD": "1.1587", "CHF": "0.9321"}, "2026-11-27": {"USD": "1.1602"}})
    )
    assert (report.added, report.unchanged, report.unsupported) == (1, 1, ("CHF",))
    assert (await stored(hub))[("EUR", "USD", datetime(2026, 11, 26, 15, 0, tzinfo=UTC))] == (Decimal("1.1587"), "ECB")


async def test_ecb_import_conflicting_with_a_stored_rate_stores_none_of_the_document(hub: Hub) -> None:
    await run_import(hub, DAILY.read_bytes())
    before, log = await stored(hub), await audit_log(hub)
    with pytest.raises(MoneyError) as refused:
        await run_import(hub, history({"2026-11-28": {"USD": "1.17"}, "2026-11-27": {"USD": "1.1603"}}))
    assert refused.value.code is MoneyErrorCode.RATE_CONFLICT
    assert refused.value.message == "EUR->USD on 2026-11-27 is 1.1602 already (from ECB); the document says 1.1603"
    assert await stored(hub) == before
    assert await audit_log(hub) == log


async def test_ecb_import_of_a_malformed_document_stores_nothing(hub: Hub) -> None:
    with pytest.raises(MoneyError) as refused:
        await run_import(hub, history({"2026-11-27": {"USD": "1.1602", "JPY": "abc"}}))
    assert refused.value.code is MoneyErrorCode.INVALID_ECB_DOCUMENT
    assert await stored(hub) == {}
