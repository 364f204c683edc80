"""`ClearanceService.check`: the decision for a stored item and a proposed crossing, with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from hub.app import Hub
from hub.clearance import Outcome
from hub.clearance.errors import ClearanceErrorCode
from hub.core.user_errors import Refused
from hub.money.money import Money
from tests.hub.clearance.holdings import RATE_DAY, audit_count, set_rate, store_holdings

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
async def items(hub: Hub) -> dict[str, int]:
    return await store_holdings(hub)


async def test_check_ink_painting_to_paris_needs_only_the_chinese_exit_permit(hub: Hub, items: dict[str, int]) -> None:
    before = await audit_count(hub)
    assessment = await hub.clearance.check(items["TW-1985"], "FR", Money.parse("20000", "EUR"), "SALE", NOW)
    decision = assessment.decision
    assert decision.outcome is Outcome.LICENCE_REQUIRED
    assert decision.fired_rule_ids == ("CN-EXIT-PERMIT",)
    assert [d.code for d in decision.required_documents] == ["PRC_EXIT_PERMIT"]
    assert decision.hs_code.heading == "9701"
    assert assessment.as_record()["facts"]["trade"]["value_eur"] == "20000.00"
    assert await audit_count(hub) == before


async def test_check_sancai_horse_is_prohibited_with_the_prc_citation(hub: Hub, items: dict[str, int]) -> None:
    decision = (await hub.clearance.check(items["TW-0001"], "FR", None, "SALE", NOW)).decision
    assert decision.outcome is Outcome.PROHIBITED
    assert {"CN-EXIT-1911", "CN-EXIT-GRADED"} <= set(decision.fired_rule_ids)
    assert "Exit Examination of Cultural Relics" in decision.fired_rules[0].instrument


@pytest.mark.parametrize(("amount", "fires"), [("126000.00", True), ("125999.90", False)])
async def test_check_converts_the_value_to_eur_at_the_dated_rate_before_the_value_line(
    hub: Hub, items: dict[str, int], amount: str, fires: bool
) -> None:
    """1 EUR = 7 CNY: 126,000 CNY is the importer statement's EUR 18,000 line; a later rate is not used yet."""
    await set_rate(hub, "EUR", "CNY", "7")
    await set_rate(hub, "EUR", "CNY", "6", valid_from=datetime(2026, 11, 25, tzinfo=UTC))
    assessment = await hub.clearance.check(items["TW-1800"], "FR", Money.parse(amount, "CNY"), "SALE", NOW)
    assert ("EU-IMPORT-C-STATEMENT" in assessment.decision.fired_rule_ids) is fires
    trade = assessment.decision.facts["trade"]
    assert Decimal(trade["value_eur"]) == (Decimal(amount) / 7).quantize(Decimal("0.01"))
    assert trade["fx_rate_date"] == RATE_DAY.date().isoformat()
    assert assessment.conversion is not None and assessment.as_record()["conversion"]["path"] == ["CNY", "EUR"]


async def test_check_without_a_rate_names_the_value_as_missing_and_assumes_the_stricter_case(
    hub: Hub, items: dict[str, int]
) -> None:
    decision = (await hub.clearance.check(items["TW-1800"], "FR", Money.parse("1", "JPY"), "SALE", NOW)).decision
    assert "EU-IMPORT-C-STATEMENT" in decision.fired_rule_ids
    assert [(fact.fact, fact.rules) for fact in decision.missing_facts] == [("value_eur", ("EU-IMPORT-C-STATEMENT",))]


async def test_check_loan_of_a_grade_2_relic_needs_the_exhibition_approval(hub: Hub, items: dict[str, int]) -> None:
    decision = (await hub.clearance.check(items["CR-0001"], "FR", None, "LOAN", NOW)).decision
    assert decision.outcome is Outcome.LICENCE_REQUIRED
    assert [d.code for d in decision.required_documents] == ["PRC_EXHIBITION_APPROVAL"]


@pytest.mark.parametrize(
    ("item", "destination", "purpose", "code", "field"),
    [
        (999_999, "FR", "SALE", ClearanceErrorCode.ITEM_NOT_FOUND, "item_id"),
        (None, "France", "SALE", ClearanceErrorCode.INVALID_VALUE, "destination"),
        (None, "fr", "SALE", ClearanceErrorCode.INVALID_VALUE, "destination"),
        (None, "FR", "GIFT", ClearanceErrorCode.INVALID_VALUE, "purpose"),
    ],
)
async def test_check_refuses_bad_input_naming_the_field(
    hub: Hub, items: dict[str, int], item: int | None, destination: str, purpose: str, code: object, field: str
) -> None:
    with pytest.raises(Refused) as refused:
        await hub.clearance.check(item or items["TW-1985"], destination, None, purpose, NOW)
    (error,) = refused.value.errors
    assert (error.code, error.field) == (code, field)
