"""Accepted trades per second and p95 latency of `acceptOffer` through the GraphQL HTTP API of a hub process, on
SQLite and on PostgreSQL, with and without contention on one listing.

    python bench/trades.py                                   # SQLite (a fresh file)
    HUB_BENCH_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench python bench/trades.py
    options: [--trades 120] [--concurrency 8] [--rounds 3]

Each database gets TWMM's items (one per listing), four foreign buyers and FX rates. Per round, for each case:
- no contention: `--trades` listings with one offer each; `--concurrency` clients accept them, each offer once;
- contention: `--trades` listings with `--concurrency` offers each (two per buyer); the seller sends one accept per
  offer of a listing at once, and the listing's next round starts when all have answered: one wins, the others
  are refused (LISTING_NOT_OPEN or OFFER_NOT_OPEN);
- baseline: the same clients send a minimal authenticated query (`{ __typename }`), as many requests as the
  no-contention case (at least 400), through the same server: what one GraphQL round trip costs here now.
Listings and offers are made through the API before the timing. The hub runs in a child process (one uvicorn
worker, rate limits lifted), the load comes from this process; the median round is shown, with the trades' rate
as a share of the baseline's request rate.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.catalogue_page import free_port  # noqa: E402

BUYERS = (("MNAA", "FR"), ("DXBG", "AE"), ("KZNM", "KZ"), ("HERM", "RU"))
ACCEPT = """mutation($input: AcceptOfferInput!) { acceptOffer(input: $input) {
  transfer { id state } errors { code } } }"""
LIST = """mutation($input: CreateListingInput!) { createListing(input: $input) { listing { id } errors { code } } }"""
OFFER = """mutation($input: PlaceOfferInput!) { placeOffer(input: $input) { offer { id } errors { code } } }"""
BASELINE = "{ __typename }"


@dataclass
class Market:
    url: str
    tokens: dict[str, str]
    items: list[str]
    """Global ids of TWMM's items not listed yet."""


@dataclass
class Figures:
    trades: int
    seconds: float
    latencies: list[float]
    refused: int = 0

    @property
    def per_second(self) -> float:
        return self.trades / self.seconds

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.latencies, n=20, method="inclusive")[-1] * 1000


async def seed(database_url: str, items: int) -> tuple[dict[str, str], list[str]]:
    """Migrates, adds the buyers, TWMM's items and FX rates; the traders' tokens and the items' global ids."""
    from sqlalchemy import select

    from hub.app import Hub
    from hub.catalogue.institutions import add_institution
    from hub.catalogue.models import Institution
    from hub.catalogue.store import store_records
    from hub.cli.migrate import upgrade_database
    from hub.money import fx_rates
    from hub.settings import Settings
    from schema.trading.ids import global_id
    from tests.auth_support import mint_token
    from tests.records import relic

    await asyncio.to_thread(upgrade_database, database_url)
    hub = Hub.create(Settings(database_url=database_url))
    try:
        async with hub.sessions.begin() as session:
            for code, country in BUYERS:
                await add_institution(session, code, f"Museum {code}", country, "en")
            since = datetime(2026, 1, 2, 15, tzinfo=UTC)
            for base, quote, rate in (("EUR", "CNY", "7.8123"), ("EUR", "USD", "1.085"), ("USD", "AED", "3.6725")):
                await fx_rates.set_rate(session, "bench", base, quote, rate, since, "ECB")
            twmm = await session.scalar(select(Institution.id).where(Institution.code == "TWMM"))
            assert twmm is not None
            stamp = int(time.time())
            records = [relic(f"BENCH-{stamp}-{n:05d}", f"三彩马 {n}", f"Sancai horse {n}") for n in range(items)]
            changes = await store_records(session, twmm, records)
        tokens = {
            code: await mint_token(hub, "trade:read trade:write", code, client_id=f"{code.lower()}-bench")
            for code in ("TWMM", *(code for code, _ in BUYERS))
        }
    finally:
        await hub.close()
    return tokens, [str(global_id("CatalogueItem", item)) for item in changes.added]


def serve_hub(database_url: str, port: int, var_dir: str) -> None:
    import uvicorn

    from hub.app import Hub
    from hub.settings import RateLimit, Settings
    from hub.web.app import create_app

    never = RateLimit(1_000_000_000, 60)
    settings = Settings(
        database_url=database_url, var_dir=Path(var_dir), anonymous_rate_limit=never, graphql_rate_limit=never
    )
    uvicorn.run(create_app(Hub.create(settings)), host="127.0.0.1", port=port, log_level="warning", access_log=False)


async def post(http: aiohttp.ClientSession, url: str, query: str, variables: dict[str, Any], token: str) -> Any:
    async with http.post(
        f"{url}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    ) as response:
        body = await response.json()
        assert response.status == 200 and "errors" not in body, body
        return body["data"]


async def listings_with_offers(http: aiohttp.ClientSession, market: Market, count: int, offers: int) -> list[list[str]]:
    """`count` new listings of TWMM with `offers` offers each (buyers in turn); the offers' ids per listing."""
    expiry = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    made = []
    for _ in range(count):
        item = market.items.pop()
        price = {"amount": "880000", "currency": "CNY"}
        listed = await post(
            http, market.url, LIST, {"input": {"itemId": item, "askingPrice": price}}, market.tokens["TWMM"]
        )
        listing = listed["createListing"]["listing"]["id"]
        ids = []
        for n in range(offers):
            buyer = BUYERS[n % len(BUYERS)][0]
            bid = {"listingId": listing, "amount": {"amount": str(100000 + n), "currency": "EUR"}, "expiresAt": expiry}
            placed = await post(http, market.url, OFFER, {"input": bid}, market.tokens[buyer])
            ids.append(placed["placeOffer"]["offer"]["id"])
        made.append(ids)
    return made


async def timed(call: Awaitable[Any], latencies: list[float]) -> Any:
    """`call`'s result; how long awaiting it took is added to `latencies` (a coroutine starts when awaited)."""
    started = time.perf_counter()
    result = await call
    latencies.append(time.perf_counter() - started)
    return result


async def without_contention(http: aiohttp.ClientSession, market: Market, trades: int, concurrency: int) -> Figures:
    offers = [ids[0] for ids in await listings_with_offers(http, market, trades, 1)]
    queue = list(offers)
    latencies: list[float] = []
    accepted = 0

    async def client() -> None:
        nonlocal accepted
        while queue:
            offer = queue.pop()
            accept = post(http, market.url, ACCEPT, {"input": {"offerId": offer}}, market.tokens["TWMM"])
            data = await timed(accept, latencies)
            accepted += not data["acceptOffer"]["errors"]

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return Figures(accepted, time.perf_counter() - started, latencies)


async def with_contention(http: aiohttp.ClientSession, market: Market, trades: int, concurrency: int) -> Figures:
    listings = await listings_with_offers(http, market, trades, concurrency)
    latencies: list[float] = []
    accepted = refused = 0
    started = time.perf_counter()
    for offers in listings:
        accepts = [post(http, market.url, ACCEPT, {"input": {"offerId": o}}, market.tokens["TWMM"]) for o in offers]
        answers = await asyncio.gather(*(timed(accept, latencies) for accept in accepts))
        wins = sum(not a["acceptOffer"]["errors"] for a in answers)
        assert wins == 1, answers
        accepted += wins
        refused += len(answers) - wins
    return Figures(accepted, time.perf_counter() - started, latencies, refused)


async def baseline(http: aiohttp.ClientSession, market: Market, requests: int, concurrency: int) -> Figures:
    latencies: list[float] = []
    left = requests

    async def client() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            await timed(post(http, market.url, BASELINE, {}, market.tokens["TWMM"]), latencies)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return Figures(requests, time.perf_counter() - started, latencies)


async def wait_ready(url: str) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(300):
            try:
                async with http.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


async def measure(market: Market, args: argparse.Namespace) -> dict[str, list[Figures]]:
    await wait_ready(market.url)
    results: dict[str, list[Figures]] = {"baseline": [], "no contention": [], "contention": []}
    connector = aiohttp.TCPConnector(limit=args.concurrency * 2)
    async with aiohttp.ClientSession(connector=connector) as http:
        await baseline(http, market, 50, args.concurrency)  # warm-up
        for _ in range(args.rounds):
            results["baseline"].append(await baseline(http, market, max(args.trades, 400), args.concurrency))
            results["no contention"].append(await without_contention(http, market, args.trades, args.concurrency))
            results["contention"].append(await with_contention(http, market, args.trades, args.concurrency))
    return results


def run_on(label: str, database_url: str, args: argparse.Namespace) -> list[str]:
    listings = args.rounds * args.trades * 2
    tokens, items = asyncio.run(seed(database_url, listings))
    port = free_port()
    with tempfile.TemporaryDirectory() as var_dir:
        server = multiprocessing.Process(target=serve_hub, args=(database_url, port, var_dir))
        server.start()
        try:
            results = asyncio.run(measure(Market(f"http://127.0.0.1:{port}", tokens, items), args))
        finally:
            server.terminate()
            server.join()
    base = median(results["baseline"])
    rows = [f"| {label} | baseline: `{{ __typename }}` | {base.per_second:,.0f} req/s | {base.p95_ms:.1f} | 100% | |"]
    for case in ("no contention", "contention"):
        figures = median(results[case])
        share = figures.per_second / base.per_second
        refused = f"{figures.refused} refused" if figures.refused else ""
        rate = f"{figures.per_second:,.1f} trades/s"
        rows.append(f"| {label} | {case} | {rate} | {figures.p95_ms:.1f} | {share:.1%} | {refused} |")
    return rows


def median(figures: list[Figures]) -> Figures:
    return sorted(figures, key=lambda f: f.per_second)[len(figures) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trades", type=int, default=120, help="accepted trades per case and round")
    parser.add_argument("--concurrency", type=int, default=8, help="clients; offers per listing under contention")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the median is shown")
    args = parser.parse_args()
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        rows += run_on("SQLite", f"sqlite+aiosqlite:///{folder}/bench.sqlite3", args)
    postgres = os.environ.get("HUB_BENCH_DATABASE_URL")
    if postgres:
        rows += run_on("PostgreSQL", postgres, args)
    print(
        f"acceptOffer through /graphql, {args.concurrency} clients, {args.trades} trades per case, "
        f"median of {args.rounds} rounds"
    )
    print("| database | case | rate | p95 ms | of baseline | |")
    print("| --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
