"""The gates that spare the engine most rules never hide a rule that would fire."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.clearance import ItemFacts, TradeFacts, decide, load_rule_table
from hub.clearance.conditions import Truth
from hub.clearance.engine import build_context
from hub.clearance.facts import GRADES, KINDS, PURPOSES

TABLE = load_rule_table()
COUNTRIES = ("CN", "FR", "DE", "US", "GB", "JP", "IR")


@st.composite
def crossings(draw: st.DrawFn) -> tuple[ItemFacts, TradeFacts]:
    year = draw(st.one_of(st.none(), st.integers(-1500, 2030)))
    item = ItemFacts(
        origin_country=draw(st.sampled_from(COUNTRIES)),
        kind=draw(st.sampled_from(KINDS)),
        earliest_year=year,
        latest_year=year,
        material=draw(st.sampled_from((None, "ivory", "oil on canvas", "watercolour", "bronze"))),
        relic_grade=draw(st.sampled_from((None, *GRADES))),
        flags=draw(st.dictionaries(st.sampled_from(sorted(TABLE.stricter_flags)), st.booleans())),
    )
    trade = TradeFacts(
        destination=draw(st.sampled_from(COUNTRIES)),
        export_country=draw(st.sampled_from((None, *COUNTRIES))),
        purpose=draw(st.sampled_from(PURPOSES)),
        value_eur=draw(st.sampled_from((None, Decimal("100"), Decimal("200000")))),
        decided_on=draw(st.dates(date(2008, 1, 1), date(2030, 12, 31))),
    )
    return item, trade


@settings(max_examples=200, deadline=None)
@given(crossings())
def test_rule_gates_decide_as_evaluating_every_rule_in_force(crossing: tuple[ItemFacts, TradeFacts]) -> None:
    item, trade = crossing
    context = build_context(TABLE, item, trade)
    every_rule = [
        rule.id for rule in TABLE.rules if rule.in_force(trade.decided_on) and rule.fires(context)[0] is not Truth.FALSE
    ]
    assert list(decide(TABLE, item, trade).fired_rule_ids) == every_rule
