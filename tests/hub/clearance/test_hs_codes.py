"""HS code suggestions per kind and age (HS 2022 subheadings), with what they depend on when facts are missing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hub.clearance import RuleTable, suggest_hs_code
from tests.hub.clearance.crossings import item

ON = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("facts", "heading", "subheading"),
    [
        ({"kind": "COIN", "year": 621, "material": "bronze"}, "9705", "9705.31"),
        ({"kind": "COIN", "year": 1990, "material": "brass"}, "9705", "9705.39"),
        ({"kind": "CERAMIC", "year": 700, "flags": {"archaeological": True}}, "9705", "9705.10"),
        ({"kind": "CERAMIC", "year": 700}, "9706", "9706.10"),
        ({"kind": "CERAMIC", "year": 1800}, "9706", "9706.90"),
        ({"kind": "CERAMIC", "year": 1990}, "6913", None),
        ({"kind": "PAINTING", "year": 1985, "material": "ink on paper"}, "9701", "9701.91"),
        ({"kind": "PAINTING", "year": 1850, "material": "ink on silk"}, "9701", "9701.21"),
        ({"kind": "PAINTING", "year": 1925, "material": "ink on silk"}, "9701", "9701.21"),
        ({"kind": "PAINTING", "year": 1926, "material": "ink on silk"}, "9701", "9701.91"),
        ({"kind": "RUBBING", "year": 1920, "material": "ink on paper"}, "9702", "9702.10"),
        ({"kind": "SCULPTURE", "year": 1990, "material": "bronze"}, "9703", "9703.90"),
        ({"kind": "BOOK", "year": 2021, "material": "paper"}, "4901", "4901.99"),
        ({"kind": "RARE_BOOK", "year": 1800, "material": "paper"}, "9706", "9706.90"),
        ({"kind": "MANUSCRIPT", "year": 1990, "material": "paper"}, "4906", "4906.00"),
        ({"kind": "MAP", "year": 1990, "material": "paper"}, "4905", None),
        ({"kind": "METALWORK", "year": 1990, "material": "silver"}, "7114", None),
        ({"kind": "METALWORK", "year": 1990, "material": "bronze"}, "8306", None),
    ],
)
def test_hs_code_suggested_per_kind_and_age(
    table: RuleTable, facts: dict[str, Any], heading: str, subheading: str | None
) -> None:
    suggestion = suggest_hs_code(table, item(**facts), ON)
    assert (suggestion.heading, suggestion.subheading) == (heading, subheading)


def test_hs_code_without_a_year_gives_the_heading_and_says_the_year_decides(table: RuleTable) -> None:
    suggestion = suggest_hs_code(table, item(kind="PAINTING", earliest_year=None, latest_year=None), ON)
    assert (suggestion.heading, suggestion.subheading) == ("9701", None)
    assert suggestion.depends_on == ("year",)


def test_hs_code_of_modern_unknown_thing_is_none(table: RuleTable) -> None:
    suggestion = suggest_hs_code(table, item(kind="OTHER", year=2000), ON)
    assert suggestion.code is None
    assert suggestion.message_id == "hs.none"
