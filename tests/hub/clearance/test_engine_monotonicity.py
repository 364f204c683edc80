"""Knowing less never makes a crossing easier.

Forgetting a fact the engine treats as stricter-when-unknown (the year, by widening the range or dropping
it; the material; the relic grade; the value; a flag declared `stricter`) can only add fired rules and
can only raise the outcome. This holds because conditions use three-valued logic, rules fire on
UNKNOWN, and exceptions (which may only relax an outcome) apply only on TRUE. Flags declared
`if_unknown: false` are left out on purpose: for them an absent flag means "no".
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.clearance import ItemFacts, TradeFacts, decide, load_rule_table

TABLE = load_rule_table()
ANSWERED = {"historical_value": True, "ethnic_minority_representative": False, "archaeological": False}


def crossing(item: dict[str, Any], **trade: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    flags = {**ANSWERED, "monumental": False, **item.pop("flags", {})}
    if "year" in item:
        item["earliest_year"] = item["latest_year"] = item.pop("year")
    facts = {"material": "stoneware", "relic_grade": "general", **item, "flags": flags}
    value = trade.pop("value", "1000")
    return facts, {"destination": "FR", "value_eur": Decimal(value), **trade}


# Crossings each of which fires rules of the reference: forgetting their facts must not relax them.
SCENARIOS = [
    crossing({"origin_country": "CN", "kind": "CERAMIC", "earliest_year": 618, "latest_year": 907}),
    crossing({"origin_country": "CN", "kind": "CERAMIC", "year": 700, "relic_grade": "2"}, purpose="LOAN"),
    crossing({"origin_country": "CN", "kind": "PAINTING", "year": 1985, "material": "ink on paper"}, value="20000"),
    crossing({"origin_country": "CN", "kind": "CERAMIC", "year": 1930}, destination="US"),
    crossing(
        {"origin_country": "CN", "kind": "TEXTILE", "year": 1960, "flags": {"ethnic_minority_representative": True}}
    ),
    crossing({"origin_country": "CN", "kind": "COIN", "year": 621, "material": "bronze"}, destination="US"),
    crossing(
        {"origin_country": "CN", "kind": "SCULPTURE", "year": 1700, "flags": {"monumental": True}}, destination="US"
    ),
    crossing({"origin_country": "CN", "kind": "BOOK", "year": 2021, "material": "paper"}, destination="GB"),
    crossing({"origin_country": "CN", "kind": "OTHER", "year": 1700, "material": "rhinoceros horn"}),
    crossing({"origin_country": "JP", "kind": "CERAMIC", "year": 1700, "flags": {"archaeological": True}}),
    crossing(
        {"origin_country": "JP", "kind": "CERAMIC", "year": 1700, "flags": {"archaeological": True}}, purpose="LOAN"
    ),
    crossing({"origin_country": "JP", "kind": "PAINTING", "year": 1800, "material": "ink on silk"}, value="18000"),
    crossing({"origin_country": "JP", "kind": "OTHER", "year": 1960, "material": "ivory"}, destination="GB"),
    crossing(
        {"origin_country": "JP", "kind": "OTHER", "year": 1990, "material": "hippopotamus ivory"}, destination="US"
    ),
    crossing(
        {"origin_country": "FR", "kind": "PAINTING", "year": 1900, "material": "oil on canvas"},
        destination="US",
        value="150000",
    ),
    crossing(
        {"origin_country": "FR", "kind": "PAINTING", "year": 1900, "material": "gouache"},
        destination="US",
        value="30000",
    ),
    crossing(
        {"origin_country": "FR", "kind": "PAINTING", "year": 1900, "material": "drawing"},
        destination="CN",
        value="15000",
    ),
    crossing(
        {"origin_country": "FR", "kind": "SCULPTURE", "year": 1900, "material": "marble"},
        destination="US",
        value="50000",
    ),
    crossing(
        {"origin_country": "FR", "kind": "RARE_BOOK", "year": 1900, "material": "paper"},
        destination="US",
        value="50000",
    ),
    crossing(
        {"origin_country": "FR", "kind": "MAP", "year": 1800, "material": "paper"}, destination="US", value="15000"
    ),
    crossing(
        {"origin_country": "FR", "kind": "MANUSCRIPT", "year": 1900, "material": "paper"}, destination="US", value="0"
    ),
    crossing(
        {"origin_country": "FR", "kind": "CERAMIC", "year": 1970, "material": "porcelain"},
        destination="US",
        value="50000",
    ),
    crossing(
        {"origin_country": "FR", "kind": "JADE", "year": 1900, "material": "nephrite"}, destination="US", value="50000"
    ),
]


@st.composite
def crossings(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    item, trade = draw(st.sampled_from(SCENARIOS))
    return item, {**trade, "decided_on": draw(st.dates(date(2019, 1, 1), date(2031, 12, 31)))}


@st.composite
def forgettings(draw: st.DrawFn) -> dict[str, Any]:
    stricter_flags = sorted(TABLE.stricter_flags)
    return {
        "widen_before": draw(st.integers(0, 300)),
        "widen_after": draw(st.integers(0, 300)),
        "drop_earliest": draw(st.booleans()),
        "drop_latest": draw(st.booleans()),
        "drop_material": draw(st.booleans()),
        "drop_grade": draw(st.booleans()),
        "drop_value": draw(st.booleans()),
        "drop_flags": draw(st.sets(st.sampled_from(stricter_flags))),
    }


def forget(item: dict[str, Any], trade: dict[str, Any], what: dict[str, Any]) -> tuple[ItemFacts, TradeFacts]:
    vaguer = {**item, "flags": {k: v for k, v in item["flags"].items() if k not in what["drop_flags"]}}
    vaguer["earliest_year"] = None if what["drop_earliest"] else item["earliest_year"] - what["widen_before"]
    vaguer["latest_year"] = None if what["drop_latest"] else min(item["latest_year"] + what["widen_after"], 9999)
    if what["drop_material"]:
        vaguer["material"] = None
    if what["drop_grade"]:
        vaguer["relic_grade"] = None
    return ItemFacts(**vaguer), TradeFacts(**{**trade, "value_eur": None if what["drop_value"] else trade["value_eur"]})


@settings(max_examples=300, deadline=None)
@given(crossings(), forgettings())
def test_forgetting_a_fact_never_makes_a_crossing_easier(
    crossing: tuple[dict[str, Any], dict[str, Any]], what: dict[str, Any]
) -> None:
    item, trade = crossing
    known = decide(TABLE, ItemFacts(**item), TradeFacts(**trade))
    vague = decide(TABLE, *forget(item, trade, what))
    assert vague.outcome.rank >= known.outcome.rank
    assert set(known.fired_rule_ids) <= set(vague.fired_rule_ids)


@settings(max_examples=100, deadline=None)
@given(crossings())
def test_a_rule_fired_only_by_assumption_names_the_facts_it_assumed(crossing: tuple[dict[str, Any], Any]) -> None:
    item, trade = crossing
    item = {**item, "earliest_year": None, "material": None}
    decision = decide(TABLE, ItemFacts(**item), TradeFacts(**trade))
    named = {rule for fact in decision.missing_facts for rule in fact.rules}
    assert named == {rule.rule_id for rule in decision.fired_rules if rule.assumed}
