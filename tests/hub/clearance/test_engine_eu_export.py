"""Regulation (EC) 116/2009, Annex I: every category at its value line and its age line, on both sides.

Goods leave France for the United States, decided on 2026-11-20: more than 50 years old means made in
or before 1976, 75 years 1951, 100 years 1926, 200 years 1826.
"""

from __future__ import annotations

from typing import Any

import pytest

from hub.clearance import RuleTable, decide
from tests.hub.clearance.crossings import item, trade

# (rule, item facts, value at the line, value a cent below it); a value of "0" means any value.
VALUE_LINES: list[tuple[str, dict[str, Any], str, str | None]] = [
    ("EU-EXPORT-A3-PAINTINGS", {"kind": "PAINTING", "material": "oil on canvas", "year": 1900}, "150000", "149999.99"),
    (
        "EU-EXPORT-A4-WATERCOLOURS",
        {"kind": "PAINTING", "material": "watercolour on paper", "year": 1900},
        "30000",
        "29999.99",
    ),
    ("EU-EXPORT-A4-WATERCOLOURS", {"kind": "PAINTING", "material": "pastel", "year": 1900}, "30000", "29999.99"),
    (
        "EU-EXPORT-A5-MOSAICS-DRAWINGS",
        {"kind": "PAINTING", "material": "pencil drawing", "year": 1900},
        "15000",
        "14999.99",
    ),
    (
        "EU-EXPORT-A5-MOSAICS-DRAWINGS",
        {"kind": "OTHER", "material": "marble mosaic", "year": 1900},
        "15000",
        "14999.99",
    ),
    ("EU-EXPORT-A6-PRINTS", {"kind": "PAINTING", "material": "colour woodcut", "year": 1900}, "15000", "14999.99"),
    ("EU-EXPORT-A6-PRINTS", {"kind": "RUBBING", "material": "ink on paper", "year": 1920}, "15000", "14999.99"),
    ("EU-EXPORT-A7-SCULPTURE", {"kind": "SCULPTURE", "material": "bronze", "year": 1900}, "50000", "49999.99"),
    (
        "EU-EXPORT-A8-PHOTOGRAPHS",
        {"kind": "OTHER", "material": "albumen photograph", "year": 1900},
        "15000",
        "14999.99",
    ),
    ("EU-EXPORT-A10-BOOKS", {"kind": "RARE_BOOK", "material": "paper", "year": 1900}, "50000", "49999.99"),
    ("EU-EXPORT-A11-MAPS", {"kind": "MAP", "material": "paper", "year": 1800}, "15000", "14999.99"),
    (
        "EU-EXPORT-A13-COLLECTIONS",
        {"kind": "COIN", "material": "silver", "flags": {"collection": True}},
        "50000",
        "49999.99",
    ),
    (
        "EU-EXPORT-A14-TRANSPORT",
        {"kind": "OTHER", "material": "wood", "year": 1940, "flags": {"means_of_transport": True}},
        "50000",
        "49999.99",
    ),
    ("EU-EXPORT-A15A-ANTIQUES-50", {"kind": "CERAMIC", "material": "porcelain", "year": 1970}, "50000", "49999.99"),
    ("EU-EXPORT-A15B-ANTIQUES-100", {"kind": "JADE", "material": "nephrite", "year": 1900}, "50000", "49999.99"),
    ("EU-EXPORT-A1-ARCHAEOLOGICAL", {"kind": "CERAMIC", "year": 1500, "flags": {"archaeological": True}}, "0", None),
    (
        "EU-EXPORT-A2-MONUMENT-ELEMENTS",
        {"kind": "SCULPTURE", "year": 1500, "flags": {"monument_element": True}},
        "0",
        None,
    ),
    ("EU-EXPORT-A9-INCUNABULA-MANUSCRIPTS", {"kind": "MANUSCRIPT", "material": "paper", "year": 1700}, "0", None),
    ("EU-EXPORT-A9-INCUNABULA-MANUSCRIPTS", {"kind": "RARE_BOOK", "material": "paper", "year": 1500}, "0", None),
    (
        "EU-EXPORT-A12-ARCHIVES",
        {"kind": "MANUSCRIPT", "material": "paper", "year": 1950, "flags": {"archive": True}},
        "0",
        None,
    ),
]

# (rule, item facts at the age line, the same a year younger, value)
AGE_LINES: list[tuple[str, dict[str, Any], int, int, str]] = [
    ("EU-EXPORT-A1-ARCHAEOLOGICAL", {"kind": "CERAMIC", "flags": {"archaeological": True}}, 1926, 1927, "0"),
    ("EU-EXPORT-A2-MONUMENT-ELEMENTS", {"kind": "SCULPTURE", "flags": {"monument_element": True}}, 1926, 1927, "0"),
    ("EU-EXPORT-A3-PAINTINGS", {"kind": "PAINTING", "material": "oil on canvas"}, 1976, 1977, "200000"),
    ("EU-EXPORT-A7-SCULPTURE", {"kind": "SCULPTURE", "material": "marble"}, 1976, 1977, "60000"),
    ("EU-EXPORT-A9-INCUNABULA-MANUSCRIPTS", {"kind": "MANUSCRIPT", "material": "paper"}, 1976, 1977, "0"),
    ("EU-EXPORT-A9-INCUNABULA-MANUSCRIPTS", {"kind": "BOOK", "material": "paper"}, 1500, 1501, "0"),
    ("EU-EXPORT-A10-BOOKS", {"kind": "BOOK", "material": "paper"}, 1926, 1927, "60000"),
    ("EU-EXPORT-A11-MAPS", {"kind": "MAP", "material": "paper"}, 1826, 1827, "20000"),
    (
        "EU-EXPORT-A12-ARCHIVES",
        {"kind": "MANUSCRIPT", "material": "paper", "flags": {"archive": True}},
        1976,
        1977,
        "0",
    ),
    (
        "EU-EXPORT-A14-TRANSPORT",
        {"kind": "OTHER", "material": "wood", "flags": {"means_of_transport": True}},
        1951,
        1952,
        "60000",
    ),
    ("EU-EXPORT-A15A-ANTIQUES-50", {"kind": "TEXTILE", "material": "silk tapestry"}, 1976, 1977, "60000"),
    ("EU-EXPORT-A15B-ANTIQUES-100", {"kind": "EPITAPH", "material": "limestone"}, 1926, 1927, "60000"),
]


def fired(table: RuleTable, item_facts: dict[str, Any], value: str, destination: str = "US") -> tuple[str, ...]:
    goods = item(origin_country="FR", **item_facts)
    return decide(table, goods, trade(destination=destination, value_eur=value)).fired_rule_ids


@pytest.mark.parametrize(("rule_id", "item_facts", "at", "below"), VALUE_LINES)
def test_eu_export_category_needs_a_licence_from_its_value_line(
    table: RuleTable, rule_id: str, item_facts: dict[str, Any], at: str, below: str | None
) -> None:
    assert rule_id in fired(table, item_facts, at)
    if below is not None:
        assert rule_id not in fired(table, item_facts, below)


@pytest.mark.parametrize(("rule_id", "item_facts", "old_enough", "too_young", "value"), AGE_LINES)
def test_eu_export_category_needs_a_licence_from_its_age_line(
    table: RuleTable, rule_id: str, item_facts: dict[str, Any], old_enough: int, too_young: int, value: str
) -> None:
    assert rule_id in fired(table, {**item_facts, "year": old_enough}, value)
    assert rule_id not in fired(table, {**item_facts, "year": too_young}, value)


def test_eu_export_licence_is_issued_by_the_member_state_the_goods_leave(table: RuleTable) -> None:
    goods = item(origin_country="FR", kind="PAINTING", material="oil on canvas", year=1900)
    decision = decide(table, goods, trade(destination="CN", export_country="BE", value_eur="150000"))
    assert [(d.code, d.issued_by) for d in decision.required_documents] == [("EU_EXPORT_LICENCE", "BE")]


def test_eu_export_paintings_still_owned_by_their_creator_need_no_licence(table: RuleTable) -> None:
    painting = {"kind": "PAINTING", "material": "oil on canvas", "year": 1960, "flags": {"owned_by_creator": True}}
    assert fired(table, painting, "900000") == ()


def test_eu_export_rules_spare_goods_moving_inside_the_union(table: RuleTable) -> None:
    painting = {"kind": "PAINTING", "material": "oil on canvas", "year": 1900}
    assert fired(table, painting, "900000", destination="DE") == ()


def test_eu_export_painting_of_unknown_medium_is_held_to_the_lowest_line_its_value_reaches(table: RuleTable) -> None:
    """Unknown medium: 20,000 EUR is below the painting line but might be a drawing (15,000)."""
    painting = {"kind": "PAINTING", "material": None, "year": 1900}
    licences = [rule for rule in fired(table, painting, "20000") if rule.startswith("EU-EXPORT")]
    assert licences == ["EU-EXPORT-A5-MOSAICS-DRAWINGS", "EU-EXPORT-A6-PRINTS", "EU-EXPORT-A8-PHOTOGRAPHS"]
    assert not any(rule.startswith("EU-EXPORT") for rule in fired(table, painting, "14999.99"))
