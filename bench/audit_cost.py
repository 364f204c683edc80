"""What the audit entry costs a catalogue push: the `upsertCatalogueItems` mutation with its audit entry (as the
hub runs it) and without (the entry's append replaced by nothing), in the same run, interleaved; and the same for
a trading call, `placeOffer`'s service (`TradingService.place_offer`: the offer, its FX conversion, its entry).

    python bench/audit_cost.py [--count 200] [--rounds 3]
    HUB_BENCH_DATABASE_URL=postgresql+asyncpg://.../empty_db python bench/audit_cost.py

Each sample is one mutation over the hub's ASGI app in-process (httpx, no sockets): parse, scope check, one
transaction storing one new item, its audit entry (hash chain head locked, entry and jurisdiction rows), commit.
Rounds alternate with and without; the ratio is of the medians over all samples. The figure is for one push of
one item: a push of many items still writes one entry, so the share falls with the batch size.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

UPSERT = """mutation($input: UpsertCatalogueItemsInput!) {
  upsertCatalogueItems(input: $input) { items { id } errors { code message } } }"""


async def no_entry(*_args: Any, **_kwargs: Any) -> None:
    return None


async def pushes(client: httpx.AsyncClient, token: str, label: str, count: int) -> list[float]:
    samples = []
    for n in range(count):
        item = {
            "sourceId": f"NLC-BENCH-{label}-{n}",
            "kind": "MANUSCRIPT",
            "titles": [{"lang": "zh", "value": "敦煌星图"}, {"lang": "en", "value": f"Dunhuang star chart {n}"}],
            "earliestYear": 649,
            "latestYear": 684,
        }
        started = time.perf_counter()
        response = await client.post(
            "/graphql",
            json={"query": UPSERT, "variables": {"input": {"items": [item]}}},
            headers={"Authorization": f"Bearer {token}"},
        )
        samples.append(time.perf_counter() - started)
        body = response.json()
        assert response.status_code == 200 and not body["data"]["upsertCatalogueItems"]["errors"], body
    return samples


async def offers(hub: Any, listing: int, count: int) -> list[float]:
    from datetime import UTC, datetime, timedelta

    from hub.auth.principal import Principal
    from hub.trading.inputs import MoneyInput, OfferInput

    buyer = Principal(client_id="mnaa-app", scopes=frozenset({"trade:read", "trade:write"}), institution="MNAA")
    samples = []
    for n in range(count):
        bid = OfferInput(listing, MoneyInput(str(100000 + n), "EUR"), datetime.now(UTC) + timedelta(days=2), None)
        started = time.perf_counter()
        placed = await hub.trading.place_offer(buyer, bid)
        samples.append(time.perf_counter() - started)
        await hub.trading.withdraw_offer(buyer, placed.offer.id)  # a buyer keeps at most 10 open offers
    return samples


async def trading_market(hub: Any) -> int:
    """TWMM's sancai horse listed for sale, the MNAA (Paris) as buyer, ECB rates: the listing's id."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from hub.auth.principal import Principal
    from hub.catalogue.institutions import add_institution
    from hub.catalogue.models import CatalogueItem
    from hub.money import fx_rates
    from hub.trading.inputs import ListingInput, MoneyInput
    from hub.trading.states import ListingKind
    from tests import records

    await records.store(hub, "TWMM", [records.SANCAI_HORSE])
    async with hub.sessions.begin() as session:
        await add_institution(session, "MNAA", "Musée national des arts asiatiques – Guimet", "FR", "fr")
        await fx_rates.set_rate(session, "bench", "EUR", "CNY", "7.8123", datetime(2026, 1, 2, tzinfo=UTC), "ECB")
        horse = await session.scalar(select(CatalogueItem.id).where(CatalogueItem.source_id == "TW-0001"))
    seller = Principal(client_id="twmm-app", scopes=frozenset({"trade:read", "trade:write"}), institution="TWMM")
    listing = await hub.trading.create_listing(
        seller, ListingInput(horse, ListingKind.SALE, MoneyInput("880000", "CNY"))
    )
    return int(listing.listing.id)


def table(title: str, with_entry: list[float], without_entry: list[float]) -> None:
    print(f"{title}")
    print("| call | median ms | p95 ms |")
    print("| --- | --- | --- |")
    for name, samples in (("with the audit entry", with_entry), ("without", without_entry)):
        p95 = statistics.quantiles(samples, n=20, method="inclusive")[-1]
        print(f"| {name} | {statistics.median(samples) * 1000:.2f} | {p95 * 1000:.2f} |")
    print(f"ratio with / without (medians): {statistics.median(with_entry) / statistics.median(without_entry):.3f}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=200, help="mutations a round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds with and rounds without the entry")
    args = parser.parse_args()

    from hub.app import Hub
    from hub.catalogue import changes
    from hub.cli.migrate import upgrade_database
    from hub.settings import RateLimit, Settings
    from hub.trading import offers as trading_offers
    from hub.web.app import create_app
    from tests.auth_support import mint_token

    with tempfile.TemporaryDirectory() as scratch:
        url = os.environ.get("HUB_BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{scratch}/bench.sqlite3"
        await asyncio.to_thread(upgrade_database, url)
        no_limit = RateLimit(10**9, 60)
        settings = Settings(database_url=url, var_dir=Path(scratch), graphql_rate_limit=no_limit)
        hub = Hub.create(settings)
        token = await mint_token(hub, "catalogue:write", "NLC")
        audited = changes.append_entry
        with_entry: list[float] = []
        without_entry: list[float] = []
        transport = httpx.ASGITransport(app=create_app(hub))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.bench") as client:
            await pushes(client, token, "warm", 20)
            for round_number in range(args.rounds):
                changes.append_entry = audited  # type: ignore[attr-defined]
                with_entry += await pushes(client, token, f"with{round_number}", args.count)
                changes.append_entry = no_entry  # type: ignore[attr-defined,assignment]
                without_entry += await pushes(client, token, f"without{round_number}", args.count)
        changes.append_entry = audited  # type: ignore[attr-defined]
        listing = await trading_market(hub)
        offered_with: list[float] = []
        offered_without: list[float] = []
        await offers(hub, listing, 10)
        for _ in range(args.rounds):
            trading_offers.append_entry = audited  # type: ignore[attr-defined]
            offered_with += await offers(hub, listing, args.count)
            trading_offers.append_entry = no_entry  # type: ignore[attr-defined,assignment]
            offered_without += await offers(hub, listing, args.count)
        trading_offers.append_entry = audited  # type: ignore[attr-defined]
        await hub.close()
    kind = url.split(":")[0]
    table(f"{args.rounds} x {args.count} upsertCatalogueItems of one item each way; {kind}", with_entry, without_entry)
    table(f"{args.rounds} x {args.count} TradingService.place_offer each way; {kind}", offered_with, offered_without)


if __name__ == "__main__":
    asyncio.run(main())
