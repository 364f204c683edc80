"""Accepted trades per second and p95 latency of `acceptOffer` (the domain service), with and without contention on
one listing, against a baseline in the same run.

    python bench/trade_service.py [--workers 8] [--trades 200] [--rounds 3]
    HUB_BENCH_DATABASE_URL=postgresql+asyncpg://.../empty_db python bench/trade_service.py

The domain alone, without HTTP and GraphQL (bench/trades.py measures acceptOffer through /graphql).

Baseline: the cheapest state change the hub makes, one transaction holding one audit entry (what every trading
mutation writes besides its own rows), run by the same number of concurrent workers.
Without contention: `workers` tasks accept offers on listings of their own, each acceptance one transaction
(listing closed, offers declined, transfer created, escrow held: ledger postings and two audit entries).
With contention: for each listing, `workers` tasks try to accept its offers at the same moment; one wins, the
others are refused (LISTING_NOT_OPEN). Trades per second counts the winners; p95 is over every attempt.
Each round uses fresh listings; the median round is shown.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SELLER, BUYERS = "TWMM", ("MNAA", "LAD")


def p95(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000


async def timed(work: Callable[[], Awaitable[object]], latencies: list[float]) -> bool:
    from hub.core.user_errors import Refused

    start = time.perf_counter()
    try:
        await work()
        return True
    except Refused:
        return False
    finally:
        latencies.append(time.perf_counter() - start)


async def prepare(database_url: str) -> object:
    from hub.app import Hub
    from hub.catalogue.institutions import add_institution
    from hub.cli.migrate import upgrade_database
    from hub.money import fx_rates
    from hub.settings import Settings

    await asyncio.to_thread(upgrade_database, database_url)
    hub = Hub.create(Settings(database_url=database_url, var_dir=Path(tempfile.mkdtemp())))
    async with hub.sessions.begin() as session:
        await add_institution(session, "MNAA", "Musée national des arts asiatiques – Guimet", "FR", "fr")
        await add_institution(session, "LAD", "Louvre Abu Dhabi", "AE", "en")
        await fx_rates.set_rate(session, "bench", "EUR", "CNY", "7.8123", datetime(2026, 1, 2, tzinfo=UTC), "ECB")
    return hub


def bench_record(n: int) -> object:
    from connectors.records import CatalogueRecord, ItemKind, LocalizedText

    return CatalogueRecord(
        source_id=f"BENCH-{n:06d}",
        kind=ItemKind.CERAMIC,
        titles=(LocalizedText("en", f"Bench object {n}"),),
        updated_at=datetime(2025, 3, 1, tzinfo=UTC),
    )


class Market:
    def __init__(self, hub: object) -> None:
        from hub.auth.principal import Principal

        self.hub = hub
        self.next_item = 0
        self.seller = Principal(client_id="twmm-app", scopes=frozenset({"trade:write"}), institution=SELLER)
        self.buyers = [
            Principal(client_id=f"{code.lower()}-app", scopes=frozenset({"trade:write"}), institution=code)
            for code in BUYERS
        ]

    async def listings_with_offers(self, listings: int, offers_each: int) -> list[list[int]]:
        """`listings` fresh listings, each with `offers_each` open offers: their offer ids."""
        from sqlalchemy import select

        from hub.catalogue.models import CatalogueItem, Institution
        from hub.catalogue.store import store_records
        from hub.trading.inputs import ListingInput, MoneyInput, OfferInput
        from hub.trading.states import ListingKind

        hub = self.hub
        records = [bench_record(self.next_item + n) for n in range(listings)]
        self.next_item += listings
        async with hub.sessions.begin() as session:  # type: ignore[attr-defined]
            seller_id = await session.scalar(select(Institution.id).where(Institution.code == SELLER))
            await store_records(session, seller_id, records)
            ids = list(
                await session.scalars(
                    select(CatalogueItem.id).where(CatalogueItem.source_id.in_([r.source_id for r in records]))
                )
            )
        trading = hub.trading  # type: ignore[attr-defined]
        expiry = datetime.now(UTC) + timedelta(days=1)
        out = []
        for item in ids:
            listing = await trading.create_listing(
                self.seller, ListingInput(item, ListingKind.SALE, MoneyInput("880000", "CNY"))
            )
            offers = []
            for n in range(offers_each):
                buyer = self.buyers[n % len(self.buyers)]
                amount = MoneyInput(str(100000 + n), "EUR")
                placed = await trading.place_offer(buyer, OfferInput(listing.listing.id, amount, expiry))
                offers.append(placed.offer.id)
            out.append(offers)
        return out


async def baseline(hub: object, workers: int, count: int) -> tuple[float, float]:
    from hub.audit.log import append_entry

    latencies: list[float] = []

    async def one(n: int) -> None:
        async with hub.sessions.begin() as session:  # type: ignore[attr-defined]
            await append_entry(session, "bench", "bench.baseline", f"bench:{n}", ["CN", "FR"], {"n": n})

    queue = list(range(count))
    start = time.perf_counter()

    async def worker() -> None:
        while queue:
            n = queue.pop()
            await timed(lambda n=n: one(n), latencies)

    await asyncio.gather(*(worker() for _ in range(workers)))
    return count / (time.perf_counter() - start), p95(latencies)


async def uncontended(market: Market, workers: int, count: int) -> tuple[float, float]:
    offers = [ids[0] for ids in await market.listings_with_offers(count, 1)]
    trading, seller = market.hub.trading, market.seller  # type: ignore[attr-defined]
    latencies: list[float] = []
    start = time.perf_counter()

    async def worker() -> int:
        won = 0
        while offers:
            offer_id = offers.pop()
            won += await timed(lambda o=offer_id: trading.accept_offer(seller, o), latencies)
        return won

    won = sum(await asyncio.gather(*(worker() for _ in range(workers))))
    return won / (time.perf_counter() - start), p95(latencies)


async def contended(market: Market, workers: int, count: int) -> tuple[float, float]:
    listings = await market.listings_with_offers(count // workers or 1, workers)
    trading, seller = market.hub.trading, market.seller  # type: ignore[attr-defined]
    latencies: list[float] = []
    won = 0
    start = time.perf_counter()
    for offers in listings:
        results = await asyncio.gather(
            *(timed(lambda o=offer_id: trading.accept_offer(seller, o), latencies) for offer_id in offers)
        )
        assert sum(results) == 1, f"{sum(results)} offers accepted on one listing"
        won += 1
    return won / (time.perf_counter() - start), p95(latencies)


async def run(database_url: str, workers: int, trades: int, rounds: int) -> dict[str, list[tuple[float, float]]]:
    hub = await prepare(database_url)
    market = Market(hub)
    results: dict[str, list[tuple[float, float]]] = {
        "baseline: one audit entry per transaction": [],
        "acceptOffer, a listing each": [],
        f"acceptOffer, {workers} at once on one listing": [],
    }
    try:
        for _ in range(rounds):
            cases = (
                baseline(hub, workers, trades),
                uncontended(market, workers, trades),
                contended(market, workers, trades),
            )
            for name, case in zip(results, cases, strict=True):
                results[name].append(await case)
    finally:
        await hub.close()  # type: ignore[attr-defined]
    return results


def report(title: str, results: dict[str, list[tuple[float, float]]]) -> None:
    medians = {name: statistics.median_low(values) for name, values in results.items()}
    base = next(iter(medians.values()))[0]
    print(f"\n{title}\n| case | per second | p95 ms | ratio to baseline |\n| --- | --- | --- | --- |")
    for name, (rate, latency) in medians.items():
        print(f"| {name} | {rate:,.0f} | {latency:.1f} | {rate / base:.1%} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--trades", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    database_url = os.environ.get("HUB_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        label = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        results = asyncio.run(run(url, args.workers, args.trades, args.rounds))
        report(f"Accepted trades ({label}, {args.workers} concurrent workers, TradingService.accept_offer)", results)


if __name__ == "__main__":
    main()
