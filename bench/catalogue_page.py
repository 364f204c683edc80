"""Requests/s for a catalogue page of 20 items over HTTP (uvicorn), against a raw Starlette endpoint
returning the same JSON bytes, measured in the same run with the same client.

    python bench/catalogue_page.py [--seconds 3] [--rounds 3] [--concurrency 16]
    HUB_BENCH_DATABASE_URL=postgresql+asyncpg://.../empty_db python bench/catalogue_page.py

Three rounds, each measuring the hub (response cache off, then on) and then the raw endpoint
serving the hub's own answer, each for a fixed time; the median of each is shown. The hub gets a
database (a fresh SQLite file, or the empty one in HUB_BENCH_DATABASE_URL) with 500 items;
the query includes institution and images. Each server runs alone in a child process, single
worker; the load comes from this process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERY = """{ catalogue(first: 20, query: "sancai") { totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id sourceId title titles { lang value } kind period earliestYear latestYear
    institution { code name } images { manifestUrl } } } } }"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def seed(database_url: str) -> None:
    from sqlalchemy import select

    from hub.app import Hub
    from hub.catalogue.models import Institution
    from hub.catalogue.store import store_records
    from hub.cli.migrate import upgrade_database
    from hub.settings import Settings
    from tests.records import relic

    await asyncio.to_thread(upgrade_database, database_url)
    hub = Hub.create(Settings(database_url=database_url))
    async with hub.sessions.begin() as session:
        ids = list(await session.scalars(select(Institution.id).order_by(Institution.id)))
        for n in range(500):
            await store_records(
                session, ids[n % 3], [relic(f"B-{n:05d}", f"三彩俑 {n}", f"Sancai figure {n}", images=2)]
            )
    await hub.close()


def serve_hub(database_url: str, port: int, cache_ttl: float) -> None:
    import uvicorn

    from hub.app import Hub
    from hub.settings import RateLimit, Settings
    from hub.web.app import create_app

    never = RateLimit(1_000_000_000, 60)  # the load comes from one address: the limit per address must not stop it
    settings = Settings(database_url=database_url, response_cache_ttl=cache_ttl, anonymous_rate_limit=never)
    app = create_app(Hub.create(settings))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def serve_raw(body: bytes, port: int) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    async def page(request: Request) -> Response:
        await request.body()
        return Response(body, media_type="application/json")

    app = Starlette(routes=[Route("/graphql", page, methods=["POST"])])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


async def wait_ready(url: str) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(200):
            try:
                async with http.post(url, json={"query": QUERY}) as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError(f"{url} did not come up")


async def load(url: str, seconds: float, concurrency: int) -> tuple[float, bytes]:
    """Requests/s over `seconds` of `concurrency` clients posting the page query back to back."""
    payload = json.dumps({"query": QUERY}).encode()
    done = 0
    last = b""
    deadline = time.perf_counter() + seconds

    async def worker(http: aiohttp.ClientSession) -> None:
        nonlocal done, last
        while time.perf_counter() < deadline:
            async with http.post(url, data=payload, headers={"Content-Type": "application/json"}) as resp:
                last = await resp.read()
                assert resp.status == 200, last[:200]
            done += 1

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:
        started = time.perf_counter()
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
        return done / (time.perf_counter() - started), last


def measure(target: multiprocessing.Process, url: str, seconds: float, concurrency: int) -> tuple[float, bytes]:
    target.start()
    try:
        asyncio.run(wait_ready(url))
        asyncio.run(load(url, seconds / 5, concurrency))  # warm-up
        return asyncio.run(load(url, seconds, concurrency))
    finally:
        target.terminate()
        target.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0, help="load time per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of all three; the median is shown")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database_url = os.environ.get("HUB_BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
        asyncio.run(seed(database_url))
        body = b""
        configs: list[tuple[str, Callable[[int], multiprocessing.Process]]] = [
            ("hub /graphql, response cache off", lambda port: hub_process(database_url, port, 0.0)),
            ("hub /graphql, response cache on", lambda port: hub_process(database_url, port, 60.0)),
            ("raw Starlette, same JSON", lambda port: raw_process(body, port)),
        ]
        rates: dict[str, list[float]] = {label: [] for label, _ in configs}
        for _ in range(args.rounds):
            for label, make in configs:
                port = free_port()
                rate, answer = measure(make(port), f"http://127.0.0.1:{port}/graphql", args.seconds, args.concurrency)
                if label.startswith("hub"):
                    assert len(json.loads(answer)["data"]["catalogue"]["edges"]) == 20
                    body = answer
                rates[label].append(rate)
    medians = {label: sorted(values)[len(values) // 2] for label, values in rates.items()}
    raw = medians["raw Starlette, same JSON"]
    print(
        f"catalogue page of 20 items, {args.concurrency} clients, median of {args.rounds} rounds of {args.seconds:g} s"
    )
    for label, rate in sorted(medians.items(), key=lambda item: -item[1]):
        print(f"{label:<34} {rate:8.0f} req/s  {rate / raw:6.1%}")


def hub_process(database_url: str, port: int, cache_ttl: float) -> multiprocessing.Process:
    return multiprocessing.Process(target=serve_hub, args=(database_url, port, cache_ttl))


def raw_process(body: bytes, port: int) -> multiprocessing.Process:
    return multiprocessing.Process(target=serve_raw, args=(body, port))


if __name__ == "__main__":
    main()
