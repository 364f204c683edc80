"""What the audit entry costs a catalogue push: the `upsertCatalogueItems` mutation with its audit entry (as the
hub runs it) and without (the entry's append replaced by nothing), in the same run, interleaved.

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


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=200, help="mutations a round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds with and rounds without the entry")
    args = parser.parse_args()

    from hub.app import Hub
    from hub.catalogue import changes
    from hub.cli.migrate import upgrade_database
    from hub.settings import RateLimit, Settings
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
        await hub.close()
    median_with, median_without = statistics.median(with_entry), statistics.median(without_entry)
    print(f"{args.rounds} x {args.count} pushes of one item each way; {url.split(':')[0]}")
    print("| push | median ms | p95 ms |")
    print("| --- | --- | --- |")
    for name, samples in (("with the audit entry", with_entry), ("without", without_entry)):
        p95 = statistics.quantiles(samples, n=20, method="inclusive")[-1]
        print(f"| {name} | {statistics.median(samples) * 1000:.2f} | {p95 * 1000:.2f} |")
    print(f"ratio with / without (medians): {median_with / median_without:.3f}")


if __name__ == "__main__":
    asyncio.run(main())
