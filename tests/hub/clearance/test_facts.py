from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from hub.clearance import FactsError, ItemFacts, TradeFacts


@pytest.mark.parametrize(
    ("changes", "field", "bad"),
    [
        ({"kind": "VASE"}, "kind", "VASE"),
        ({"origin_country": "China"}, "origin_country", "China"),
        ({"relic_grade": "4"}, "relic_grade", "4"),
        ({"earliest_year": 1900, "latest_year": 1800}, "earliest_year", 1900),
        ({"earliest_year": 20000}, "earliest_year", 20000),
        ({"material": "x" * 501}, "material", "x" * 501),
        ({"flags": {"Historical Value": True}}, "flags", "Historical Value"),
        ({"flags": {"historical_value": "yes"}}, "flags.historical_value", "yes"),
        ({"creators": ("a",) * 51}, "creators", ("a",) * 51),
    ],
)
def test_item_facts_refuse_a_bad_value_naming_it(changes: dict[str, Any], field: str, bad: object) -> None:
    facts: dict[str, Any] = {"origin_country": "CN", "kind": "CERAMIC", **changes}
    with pytest.raises(FactsError) as refused:
        ItemFacts(**facts)
    assert refused.value.field == field
    assert repr(bad)[:40] in str(refused.value)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"destination": "fr"}, "destination"),
        ({"export_country": "china"}, "export_country"),
        ({"purpose": "GIFT"}, "purpose"),
        ({"value_eur": 1000.0}, "value_eur"),
        ({"value_eur": Decimal("-1")}, "value_eur"),
        ({"value_eur": Decimal("NaN")}, "value_eur"),
    ],
)
def test_trade_facts_refuse_a_bad_value_naming_it(changes: dict[str, Any], field: str) -> None:
    facts: dict[str, Any] = {"destination": "FR", "decided_on": date(2026, 11, 20), **changes}
    with pytest.raises(FactsError) as refused:
        TradeFacts(**facts)
    assert refused.value.field == field


def test_item_facts_flags_cannot_be_changed_after_the_decision_reads_them() -> None:
    flags = {"historical_value": True}
    facts = ItemFacts(origin_country="CN", kind="CERAMIC", flags=flags)
    flags["historical_value"] = False
    assert facts.flags["historical_value"] is True
    with pytest.raises(TypeError):
        facts.flags["historical_value"] = False  # type: ignore[index]
