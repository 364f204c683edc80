"""Compliance decisions per second on a realistic mix of crossings, against building their facts alone.

    python bench/compliance_decisions.py [--seconds 2] [--rounds 3]

The mix is the sandbox partners' kind of holdings (Tang sancai and coins, Sogdian silver, graded CRECC
loans, epitaph rubbings, rare books, a modern ink painting, worked ivory) going to France, Germany, the
United States, the United Kingdom and Japan, for sale or on loan, some with missing facts, plus a few
European goods leaving the EU. Each round measures, for a fixed time, (1) building the ItemFacts and
TradeFacts of the next crossing (the baseline every caller pays anyway), (2) that plus `decide`, and
(3) that plus `as_record()` serialised to JSON, as stored with a transfer. The median of the rounds
is shown, with the cost of each relative to the baseline.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.clearance import ItemFacts, TradeFacts, decide, load_rule_table  # noqa: E402

ON = date(2026, 11, 20)
TANG = {"earliest_year": 618, "latest_year": 907}
# (item facts, trade facts): realistic holdings of NLC, CRECC and TWMM, and some European goods.
MIX: list[tuple[dict[str, Any], dict[str, Any]]] = [
    (
        {"origin_country": "CN", "kind": "CERAMIC", **TANG, "material": "三彩釉陶", "relic_grade": "ungraded"},
        {"destination": "FR", "value_eur": "250000"},
    ),
    (
        {"origin_country": "CN", "kind": "CERAMIC", **TANG, "material": "sancai earthenware", "relic_grade": "2"},
        {"destination": "FR", "purpose": "LOAN"},
    ),
    (
        {
            "origin_country": "CN",
            "kind": "COIN",
            "earliest_year": 621,
            "latest_year": 907,
            "material": "bronze",
            "relic_grade": "general",
        },
        {"destination": "US", "value_eur": "80"},
    ),
    (
        {
            "origin_country": "CN",
            "kind": "METALWORK",
            "earliest_year": 700,
            "latest_year": 799,
            "material": "gilt silver",
            "relic_grade": "1",
            "export_restricted": True,
        },
        {"destination": "DE", "purpose": "LOAN"},
    ),
    (
        {
            "origin_country": "IR",
            "kind": "COIN",
            "earliest_year": 590,
            "latest_year": 628,
            "material": "silver",
            "relic_grade": "3",
        },
        {"destination": "GB", "export_country": "CN", "value_eur": "1200"},
    ),
    (
        {
            "origin_country": "CN",
            "kind": "SCULPTURE",
            "earliest_year": 386,
            "latest_year": 534,
            "material": "gilt bronze",
            "relic_grade": "ungraded",
        },
        {"destination": "US", "value_eur": "400000"},
    ),
    (
        {
            "origin_country": "CN",
            "kind": "PAINTING",
            "earliest_year": 1985,
            "latest_year": 1985,
            "material": "ink and colour on paper",
            "relic_grade": "ungraded",
            "creators": ("赵伟",),
        },
        {"destination": "FR", "value_eur": "20000"},
    ),
    (
        {
            "origin_country": "CN",
            "kind": "PAINTING",
            "earliest_year": 1950,
            "latest_year": 1957,
            "material": "ink on paper",
            "relic_grade": "ungraded",
            "creators": ("齐白石",),
        },
        {"destination": "JP", "value_eur": "900000"},
    ),
    (
        {
            "origin_country": "CN",
            "kind": "RUBBING",
            "earliest_year": 1912,
            "latest_year": 1949,
            "material": "ink on paper",
            "relic_grade": "general",
            "flags": {"historical_value": True},
        },
        {"destination": "JP", "value_eur": "3000"},
    ),
    (
        {
            "origin_country": "CN",
            "kind": "BOOK",
            "earliest_year": 2021,
            "latest_year": 2021,
            "material": "paper",
            "relic_grade": "ungraded",
        },
        {"destination": "GB", "value_eur": "120"},
    ),
    (
        {"origin_country": "CN", "kind": "MANUSCRIPT", "earliest_year": 1736, "latest_year": 1795, "material": "paper"},
        {"destination": "FR", "value_eur": "45000"},
    ),
    (
        {
            "origin_country": "CN",
            "kind": "EPITAPH",
            "earliest_year": 735,
            "latest_year": 735,
            "material": "limestone",
            "relic_grade": "3",
        },
        {"destination": "US", "purpose": "LOAN"},
    ),
    (
        {"origin_country": "CN", "kind": "OTHER", "material": "carved ivory", "relic_grade": "ungraded"},
        {"destination": "DE", "value_eur": "15000"},
    ),
    (
        {"origin_country": "JP", "kind": "OTHER", "earliest_year": 1890, "latest_year": 1910, "material": "象牙"},
        {"destination": "GB", "value_eur": "9000"},
    ),
    (
        {
            "origin_country": "FR",
            "kind": "PAINTING",
            "earliest_year": 1890,
            "latest_year": 1890,
            "material": "oil on canvas",
        },
        {"destination": "US", "value_eur": "180000"},
    ),
    (
        {"origin_country": "FR", "kind": "RARE_BOOK", "earliest_year": 1780, "latest_year": 1780, "material": "paper"},
        {"destination": "CN", "value_eur": "52000"},
    ),
]


def build(entry: tuple[dict[str, Any], dict[str, Any]]) -> tuple[ItemFacts, TradeFacts]:
    item, trade = entry
    value = trade.get("value_eur")
    trade_facts = {**trade, "value_eur": None if value is None else Decimal(value)}
    return ItemFacts(**item), TradeFacts(decided_on=ON, **trade_facts)


def rate(step: Callable[[tuple[dict[str, Any], dict[str, Any]]], object], seconds: float) -> float:
    """Calls of `step` per second over the mix, back to back for `seconds`."""
    done = 0
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        for entry in MIX:
            step(entry)
        done += len(MIX)
    return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of all three; the median is shown")
    args = parser.parse_args()
    table = load_rule_table()

    def decision(entry: tuple[dict[str, Any], dict[str, Any]]) -> object:
        return decide(table, *build(entry))

    def stored(entry: tuple[dict[str, Any], dict[str, Any]]) -> object:
        return json.dumps(decide(table, *build(entry)).as_record(), ensure_ascii=False)

    outcomes = sorted({decide(table, *build(entry)).outcome.value for entry in MIX})
    steps: dict[str, Callable[[tuple[dict[str, Any], dict[str, Any]]], object]] = {
        "build facts (baseline)": build,
        "build facts + decide": decision,
        "build + decide + JSON record": stored,
    }
    rates: dict[str, list[float]] = {label: [] for label in steps}
    for _ in range(args.rounds):
        for label, step in steps.items():
            rate(step, args.seconds / 5)  # warm-up
            rates[label].append(rate(step, args.seconds))
    medians = {label: sorted(values)[len(values) // 2] for label, values in rates.items()}
    baseline = medians["build facts (baseline)"]
    print(
        f"compliance decisions: {len(table.rules)} rules (table {table.version}), mix of {len(MIX)} crossings "
        f"({', '.join(outcomes)}), median of {args.rounds} rounds of {args.seconds:g} s"
    )
    for label, per_second in medians.items():
        print(f"{label:<30} {per_second:10.0f} /s   {baseline / per_second:6.1f}x the baseline's time")


if __name__ == "__main__":
    main()
