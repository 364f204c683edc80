from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hub.app import Hub
from hub.auth.principal import ANONYMOUS, Principal
from hub.money import escrow
from hub.money.errors import MoneyError, MoneyErrorCode
from hub.money.money import Money
from hub.money.service import MoneyService
from tests.hub.money.conftest import audit_log
from tests.hub.money.ecb_documents import DAILY

FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
OPERATOR = Principal(client_id="ops-console", scopes=frozenset({"hub:admin"}))
MNAA_APP = Principal(client_id="mnaa-app", scopes=frozenset({"trade:read", "trade:write"}), institution="MNAA")
TWMM_APP = Principal(client_id="twmm-app", scopes=frozenset({"trade:read"}), institution="TWMM")


@pytest.fixture
def money(hub: Hub) -> MoneyService:
    return MoneyService(hub.sessions)


async def test_service_operator_sets_rates_and_anyone_reads_and_converts(hub: Hub, money: MoneyService) -> None:
    await money.set_fx_rate(OPERATOR, "USD", "AED", "3.6725", datetime(2026, 1, 2, tzinfo=UTC), "CBUAE peg")
    report = await money.import_ecb(OPERATOR, DAILY.read_bytes())
    assert report.added == 7
    listed = await money.fx_rates(at=FRIDAY, currency="USD")
    assert [(r.base, r.quote) for r in listed] == [("EUR", "USD"), ("USD", "AED")]
    converted = await money.convert(Money.parse("1000", "AED"), "CNY", FRIDAY)
    assert converted.path == ("AED", "USD", "EUR", "CNY")
    assert [(actor, action) for actor, action, _, _ in await audit_log(hub)] == [
        ("ops-console", "money.fx_rate_set"),
        ("ops-console", "money.fx_rates_imported"),
    ]


@pytest.mark.parametrize("caller", [ANONYMOUS, MNAA_APP], ids=["anonymous", "trade-token"])
async def test_service_only_an_admin_token_sets_rates(hub: Hub, money: MoneyService, caller: Principal) -> None:
    with pytest.raises(MoneyError) as refused:
        await money.set_fx_rate(caller, "EUR", "USD", "1.16", FRIDAY, "manual")
    assert (refused.value.code, refused.value.message) == (
        MoneyErrorCode.FORBIDDEN,
        "setting an FX rate needs a hub:admin token",
    )
    with pytest.raises(MoneyError):
        await money.import_ecb(caller, DAILY.read_bytes())
    assert await money.fx_rates(at=FRIDAY) == []
    assert await audit_log(hub) == []


async def test_service_escrow_summary_is_for_the_institution_itself(traders: Hub, money: MoneyService) -> None:
    async with traders.sessions.begin() as session:
        await escrow.hold(session, "mnaa-app", "MNAA", "TWMM", Money.parse("100", "USD"), "transfer:1")
    [own] = await money.escrow_summary(MNAA_APP)
    assert own.held == Money.parse("100", "USD")
    assert [t.held for t in await money.escrow_summary(OPERATOR, "mnaa")] == [Money.parse("100", "USD")]
    assert await money.escrow_summary(TWMM_APP) == []
    with pytest.raises(MoneyError) as refused:
        await money.escrow_summary(TWMM_APP, "MNAA")
    assert (refused.value.code, refused.value.field, refused.value.message) == (
        MoneyErrorCode.FORBIDDEN,
        "institution",
        "a trade:read token of TWMM may not read the escrow of MNAA",
    )
