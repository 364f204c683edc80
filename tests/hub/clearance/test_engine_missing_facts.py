"""A fact the rules need but the item lacks is named, and the stricter case is assumed: never silently allowed."""

from __future__ import annotations

from typing import Any

import pytest

from hub.clearance import Outcome, RuleTable, decide
from tests.hub.clearance.crossings import item, trade


def missing(decision: Any) -> dict[str, tuple[str, ...]]:
    return {fact.fact: fact.rules for fact in decision.missing_facts}


def test_missing_year_of_a_chinese_relic_is_treated_as_old_enough_to_be_prohibited(table: RuleTable) -> None:
    decision = decide(table, item(origin_country="CN", earliest_year=None, latest_year=None), trade())
    assert decision.outcome is Outcome.PROHIBITED
    assert missing(decision) == {"year": ("CN-EXIT-1911",)}
    rule = next(rule for rule in decision.fired_rules if rule.rule_id == "CN-EXIT-1911")
    assert rule.assumed == ("year",)


@pytest.mark.parametrize(("earliest", "latest", "prohibited"), [(1900, 1920, True), (1912, 1920, False)])
def test_year_range_straddling_1911_is_the_stricter_case(
    table: RuleTable, earliest: int, latest: int, prohibited: bool
) -> None:
    decision = decide(table, item(origin_country="CN", earliest_year=earliest, latest_year=latest), trade())
    assert ("CN-EXIT-1911" in decision.fired_rule_ids) is prohibited
    assert ("year" in missing(decision)) is prohibited


def test_missing_grade_of_a_chinese_relic_is_treated_as_a_precious_relic(table: RuleTable) -> None:
    decision = decide(table, item(origin_country="CN", relic_grade=None, year=1985), trade())
    assert decision.outcome is Outcome.PROHIBITED
    assert missing(decision) == {"relic_grade": ("CN-EXIT-GRADED",)}


def test_unknown_historical_value_of_a_republican_relic_is_presumed(table: RuleTable) -> None:
    decision = decide(table, item(origin_country="CN", year=1930, forget_flags=["historical_value"]), trade())
    assert decision.outcome is Outcome.PROHIBITED
    assert missing(decision) == {"flags.historical_value": ("CN-EXIT-1949",)}


def test_missing_material_needs_the_cites_permits_and_is_named(table: RuleTable) -> None:
    decision = decide(table, item(material=None), trade(destination="GB"))
    assert decision.outcome is Outcome.LICENCE_REQUIRED
    assert missing(decision) == {"material": ("CITES-I-EXPORT", "CITES-I-IMPORT", "CITES-II-EXPORT")}


def test_missing_value_is_treated_as_over_the_eu_threshold(table: RuleTable) -> None:
    decision = decide(table, item(kind="PAINTING", year=1700), trade(destination="FR", value_eur=None))
    assert decision.fired_rule_ids == ("EU-IMPORT-C-STATEMENT",)
    assert missing(decision) == {"value_eur": ("EU-IMPORT-C-STATEMENT",)}


def test_unknown_archaeological_origin_asks_for_the_eu_import_licence(table: RuleTable) -> None:
    decision = decide(table, item(kind="CERAMIC", year=1600, forget_flags=["archaeological"]), trade(value_eur="1"))
    assert decision.fired_rule_ids == ("EU-IMPORT-B-LICENCE",)
    assert missing(decision) == {"flags.archaeological": ("EU-IMPORT-B-LICENCE",)}


def test_fully_known_item_names_no_missing_fact(table: RuleTable) -> None:
    decision = decide(table, item(kind="PAINTING", year=1700), trade(destination="FR", value_eur="18000"))
    assert decision.missing_facts == ()
    assert all(rule.assumed == () for rule in decision.fired_rules)


def test_exception_is_not_granted_on_an_unknown_fact(table: RuleTable) -> None:
    """Loan purpose is known, but whether a CITES specimen is pre-Convention is not: the permits stay."""
    decision = decide(table, item(material="rhino horn", earliest_year=None, latest_year=None), trade())
    assert all(rule.exception is None for rule in decision.fired_rules)
