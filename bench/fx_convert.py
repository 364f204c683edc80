"""Conversions per second, in process and through the database, each against a baseline in the same run.

    python bench/fx_convert.py [--seconds 2] [--rounds 3]
    HUB_BENCH_DATABASE_URL=postgresql+asyncpg://.../empty_db python bench/fx_convert.py

In process: `hub.money.fx.convert` over a RateBook of the ECB's daily rates (a direct pair, one through EUR,
one through USD and EUR), against the baseline of the same amount multiplied by one rate and rounded half-even.
Through the database: `hub.money.fx_rates.convert` (one query for the rates, then the conversion) against the
baseline of a `SELECT 1` round trip on the same session. Fixed-time rounds; the median of each is shown.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIXTURE = ROOT / "tests" / "hub" / "money" / "fixtures" / "eurofxref-daily.xml"
SUNDAY = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def per_second(work: Callable[[], object], seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(100):
            work()
        count += 100
    return count / elapsed


async def per_second_async(work: Callable[[], Awaitable[object]], seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        await work()
        count += 1
    return count / elapsed


def in_process(seconds: float, rounds: int) -> dict[str, list[float]]:
    from hub.money.ecb import parse_ecb
    from hub.money.fx import FxRate, RateBook, convert
    from hub.money.money import Money

    [day] = parse_ecb(FIXTURE.read_bytes())
    rates = [FxRate("EUR", code, rate, day.valid_from, "ECB") for code, rate in day.rates.items() if code != "CHF"]
    rates.append(FxRate("USD", "AED", Decimal("3.6725"), datetime(2026, 1, 2, tzinfo=UTC), "peg"))
    book = RateBook(r for r in rates if r.quote in {"USD", "CNY", "JPY", "GBP", "AED"})
    amount, cent, usd = Decimal("12345.67"), Decimal("0.01"), day.rates["USD"]
    cases: dict[str, Callable[[], object]] = {
        "baseline: Decimal multiply and round": lambda: (amount * usd).quantize(cent, rounding=ROUND_HALF_EVEN),
        "EUR->USD (direct)": lambda: convert(book, Money(amount, "EUR"), "USD", SUNDAY),
        "USD->CNY (through EUR)": lambda: convert(book, Money(amount, "USD"), "CNY", SUNDAY),
        "AED->CNY (through USD and EUR)": lambda: convert(book, Money(amount, "AED"), "CNY", SUNDAY),
    }
    results: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, work in cases.items():
            results[name].append(per_second(work, seconds))
    return results


async def through_database(database_url: str, seconds: float, rounds: int) -> dict[str, list[float]]:
    from sqlalchemy import text

    from hub.cli.migrate import upgrade_database
    from hub.db import create_engine, session_factory
    from hub.money.ecb_import import import_ecb
    from hub.money.fx_rates import convert
    from hub.money.money import Money

    await asyncio.to_thread(upgrade_database, database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    async with sessions.begin() as session:
        await import_ecb(session, "bench", FIXTURE.read_bytes())
    results: dict[str, list[float]] = {"baseline: SELECT 1": [], "EUR->USD": [], "USD->CNY (through EUR)": []}
    amount = Decimal("12345.67")
    async with sessions() as session:
        cases: dict[str, Callable[[], Awaitable[object]]] = {
            "baseline: SELECT 1": lambda: session.execute(text("SELECT 1")),
            "EUR->USD": lambda: convert(session, Money(amount, "EUR"), "USD", SUNDAY),
            "USD->CNY (through EUR)": lambda: convert(session, Money(amount, "USD"), "CNY", SUNDAY),
        }
        for _ in range(rounds):
            for name, work in cases.items():
                results[name].append(await per_second_async(work, seconds))
    await engine.dispose()
    return results


def report(title: str, results: dict[str, list[float]]) -> None:
    medians = {name: statistics.median(values) for name, values in results.items()}
    baseline = next(iter(medians.values()))
    print(f"\n{title}\n| case | per second | ratio to baseline |\n| --- | --- | --- |")
    for name, value in medians.items():
        print(f"| {name} | {value:,.0f} | {value / baseline:.1%} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    report("In process (hub.money.fx.convert)", in_process(args.seconds, args.rounds))
    database_url = os.environ.get("HUB_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        label = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        report(
            f"Through the database ({label}, hub.money.fx_rates.convert)",
            asyncio.run(through_database(url, args.seconds, args.rounds)),
        )


if __name__ == "__main__":
    main()
