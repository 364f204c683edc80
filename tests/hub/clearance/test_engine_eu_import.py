"""Regulation (EU) 2019/880 at its age and value lines, its dates of application and its exceptions.

The items come from Japan, so that no Chinese exit rule fires; decisions are dated 2026-11-20, so 250
years old means made in or before 1776 and 200 years old made in or before 1826.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hub.clearance import Outcome, RuleTable, decide
from tests.hub.clearance.crossings import item, trade

ARCHAEOLOGICAL = {"kind": "CERAMIC", "flags": {"archaeological": True}}


@pytest.mark.parametrize(
    ("rule_id", "item_facts", "trade_facts", "fires"),
    [
        ("EU-IMPORT-B-LICENCE", {**ARCHAEOLOGICAL, "year": 1776}, {"value_eur": "1"}, True),
        ("EU-IMPORT-B-LICENCE", {**ARCHAEOLOGICAL, "year": 1777}, {"value_eur": "1"}, False),
        ("EU-IMPORT-B-LICENCE", {"kind": "SCULPTURE", "year": 1776, "flags": {"monument_element": True}}, {}, True),
        ("EU-IMPORT-B-LICENCE", {"kind": "CERAMIC", "year": 1776}, {}, False),
        ("EU-IMPORT-C-STATEMENT", {"kind": "PAINTING", "year": 1826}, {"value_eur": "18000"}, True),
        ("EU-IMPORT-C-STATEMENT", {"kind": "PAINTING", "year": 1826}, {"value_eur": "17999.99"}, False),
        ("EU-IMPORT-C-STATEMENT", {"kind": "PAINTING", "year": 1827}, {"value_eur": "18000"}, False),
        ("EU-IMPORT-C-STATEMENT", {"kind": "COIN", "year": 1700}, {"value_eur": "18000"}, True),
        ("EU-IMPORT-C-STATEMENT", {**ARCHAEOLOGICAL, "year": 1776}, {"value_eur": "18000"}, False),
        ("EU-IMPORT-C-STATEMENT", {**ARCHAEOLOGICAL, "year": 1777}, {"value_eur": "18000"}, True),
        ("EU-IMPORT-BREACH", {"flags": {"exported_in_breach": True}}, {}, True),
        ("EU-IMPORT-BREACH", {}, {}, False),
    ],
)
def test_eu_import_rule_fires_exactly_at_its_line(
    table: RuleTable, rule_id: str, item_facts: dict[str, Any], trade_facts: dict[str, Any], fires: bool
) -> None:
    decision = decide(table, item(**item_facts), trade(destination="FR", **trade_facts))
    assert (rule_id in decision.fired_rule_ids) is fires
    assert all(rule.startswith("EU-IMPORT") for rule in decision.fired_rule_ids)


def test_eu_import_licence_is_issued_by_the_destination_and_the_statement_by_the_importer(table: RuleTable) -> None:
    licence = decide(table, item(**ARCHAEOLOGICAL, year=1700), trade(destination="DE"))
    statement = decide(table, item(kind="PAINTING", year=1700), trade(destination="IT", value_eur="90000"))
    assert [(d.code, d.issued_by, d.presented_to) for d in licence.required_documents] == [
        ("EU_IMPORT_LICENCE", "DE", "DE")
    ]
    assert [(d.code, d.issued_by, d.presented_to) for d in statement.required_documents] == [
        ("EU_IMPORTER_STATEMENT", "IMPORTER", "IT")
    ]


def test_eu_import_breach_prohibits_entry(table: RuleTable) -> None:
    decision = decide(table, item(flags={"exported_in_breach": True}), trade(destination="NL"))
    assert decision.outcome is Outcome.PROHIBITED
    assert decision.fired_rules[0].article.startswith("Art. 3(1)")


@pytest.mark.parametrize(
    ("decided_on", "fires"),
    [(date(2025, 6, 27), False), (date(2025, 6, 28), True)],
)
def test_eu_import_licences_and_statements_apply_from_28_june_2025(
    table: RuleTable, decided_on: date, fires: bool
) -> None:
    licence = decide(table, item(**ARCHAEOLOGICAL, year=1700), trade(decided_on=decided_on))
    statement = decide(table, item(kind="PAINTING", year=1700), trade(decided_on=decided_on, value_eur="18000"))
    assert ("EU-IMPORT-B-LICENCE" in licence.fired_rule_ids) is fires
    assert ("EU-IMPORT-C-STATEMENT" in statement.fired_rule_ids) is fires


@pytest.mark.parametrize(("decided_on", "fires"), [(date(2020, 12, 27), False), (date(2020, 12, 28), True)])
def test_eu_import_breach_prohibition_applies_from_28_december_2020(
    table: RuleTable, decided_on: date, fires: bool
) -> None:
    decision = decide(table, item(flags={"exported_in_breach": True}), trade(decided_on=decided_on))
    assert ("EU-IMPORT-BREACH" in decision.fired_rule_ids) is fires


def test_eu_import_museum_loan_needs_no_licence(table: RuleTable) -> None:
    decision = decide(table, item(**ARCHAEOLOGICAL, year=1700), trade(destination="FR", purpose="LOAN"))
    assert decision.outcome is Outcome.ALLOWED
    (rule,) = decision.fired_rules
    assert rule.exception is not None and "2021/1079" in rule.exception.article
    assert decision.required_documents == ()


@pytest.mark.parametrize(
    ("origin", "export_country", "destination"),
    [("IT", "US", "FR"), ("JP", "DE", "FR"), ("JP", "JP", "CH")],
)
def test_eu_import_rules_spare_goods_created_in_the_eu_moving_inside_it_or_going_elsewhere(
    table: RuleTable, origin: str, export_country: str, destination: str
) -> None:
    goods = item(origin_country=origin, **ARCHAEOLOGICAL, year=1700)
    decision = decide(table, goods, trade(destination=destination, export_country=export_country))
    assert not any(rule_id.startswith("EU-IMPORT") for rule_id in decision.fired_rule_ids)
