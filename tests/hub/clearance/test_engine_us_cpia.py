"""US import restrictions on Chinese archaeological material (19 CFR 12.104g) at their lines and dates."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hub.clearance import Outcome, RuleTable, decide
from tests.hub.clearance.crossings import item, trade


def to_us(table: RuleTable, decided_on: date = date(2026, 11, 20), **facts: Any) -> Any:
    """Chinese goods shipped to the US from London, so that China's own exit rules stay out of the way."""
    goods = item(origin_country="CN", **facts)
    return decide(table, goods, trade(destination="US", export_country="GB", decided_on=decided_on))


@pytest.mark.parametrize(
    ("rule_id", "facts", "fires"),
    [
        ("US-CPIA-CN-ARCHAEOLOGICAL", {"kind": "CERAMIC", "year": 907}, True),
        ("US-CPIA-CN-ARCHAEOLOGICAL", {"kind": "CERAMIC", "year": 908}, False),
        ("US-CPIA-CN-ARCHAEOLOGICAL", {"kind": "COIN", "year": 621, "material": "bronze"}, True),
        ("US-CPIA-CN-ARCHAEOLOGICAL", {"kind": "METALWORK", "year": -1200, "material": "bronze"}, True),
        ("US-CPIA-CN-ARCHAEOLOGICAL", {"kind": "CERAMIC", "earliest_year": 900, "latest_year": 960}, True),
        ("US-CPIA-CN-ARCHAEOLOGICAL", {"kind": "PAINTING", "year": 800}, False),
        ("US-CPIA-CN-MONUMENTAL", {"kind": "SCULPTURE", "year": 1759, "flags": {"monumental": True}}, True),
        ("US-CPIA-CN-MONUMENTAL", {"kind": "SCULPTURE", "year": 1760, "flags": {"monumental": True}}, False),
        ("US-CPIA-CN-MONUMENTAL", {"kind": "SCULPTURE", "year": 1500, "flags": {"monumental": False}}, False),
    ],
)
def test_us_cpia_rule_fires_exactly_at_its_line(
    table: RuleTable, rule_id: str, facts: dict[str, Any], fires: bool
) -> None:
    decision = to_us(table, **facts)
    assert (rule_id in decision.fired_rule_ids) is fires
    if fires:
        assert decision.outcome is Outcome.LICENCE_REQUIRED
        (document,) = decision.required_documents
        assert (document.code, document.issued_by, document.presented_to) == ("US_CPIA_DOCUMENTATION", "CN", "US")


def test_us_cpia_straddling_range_fires_and_names_the_year(table: RuleTable) -> None:
    decision = to_us(table, kind="CERAMIC", earliest_year=900, latest_year=960)
    assert [(fact.fact, fact.rules) for fact in decision.missing_facts] == [("year", ("US-CPIA-CN-ARCHAEOLOGICAL",))]


def test_us_cpia_monumental_line_is_fixed_at_2009_not_moving_with_the_decision_date(table: RuleTable) -> None:
    later, monumental = date(2028, 12, 1), {"monumental": True}
    assert "US-CPIA-CN-MONUMENTAL" in to_us(table, later, kind="SCULPTURE", year=1759, flags=monumental).fired_rule_ids
    assert (
        "US-CPIA-CN-MONUMENTAL" not in to_us(table, later, kind="SCULPTURE", year=1760, flags=monumental).fired_rule_ids
    )


@pytest.mark.parametrize(
    ("decided_on", "fires"),
    [(date(2009, 1, 15), False), (date(2009, 1, 16), True), (date(2029, 1, 14), True), (date(2029, 1, 15), False)],
)
def test_us_cpia_applies_from_january_2009_through_the_mou_end(table: RuleTable, decided_on: date, fires: bool) -> None:
    decision = to_us(table, decided_on, kind="COIN", year=621, material="bronze")
    assert ("US-CPIA-CN-ARCHAEOLOGICAL" in decision.fired_rule_ids) is fires


def test_us_cpia_exhibition_loan_immune_from_seizure_is_exempt(table: RuleTable) -> None:
    coin = item(origin_country="CN", kind="COIN", year=621, material="bronze", flags={"immune_from_seizure": True})
    loan = decide(table, coin, trade(destination="US", export_country="GB", purpose="LOAN"))
    sale = decide(table, coin, trade(destination="US", export_country="GB", purpose="SALE"))
    assert loan.outcome is Outcome.ALLOWED
    assert sale.outcome is Outcome.LICENCE_REQUIRED


def test_us_cpia_spares_material_of_other_countries(table: RuleTable) -> None:
    goods = item(origin_country="JP", kind="CERAMIC", year=700)
    assert decide(table, goods, trade(destination="US")).fired_rule_ids == ()
