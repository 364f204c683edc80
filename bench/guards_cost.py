"""What the request guards cost on the catalogue page: requests/s of the hub with its guards and without them,
measured in the same run with the same client (see bench/catalogue_page.py for the page and the load).

    python bench/guards_cost.py [--seconds 3] [--rounds 3] [--concurrency 16]
    HUB_BENCH_DATABASE_URL=postgresql+asyncpg://.../empty_db python bench/guards_cost.py

Guarded is `create_app` as served: body size and JSON depth limits, request ids, the per-address rate limit
(counted in memory, with a limit no client reaches), the deadline, the document limits rule, and, with the
response cache on, the data version check before every cached answer. Unguarded is the same graph without the
limits rule behind only the metrics middleware (and, cache on, a response cache that trusts local changes
alone, as the hub did before). Each pair is measured with the response cache off (every request runs the
query) and on (every request but the first is a cache hit).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.catalogue_page import free_port, measure, seed  # noqa: E402


def unguarded_app(database_url: str, cache_ttl: float):  # type: ignore[no-untyped-def]
    from starlette.applications import Starlette
    from starlette.routing import Route, WebSocketRoute

    from hub.app import Hub
    from hub.settings import Settings
    from hub.web.metrics import MetricsMiddleware
    from hub.web.response_cache import ResponseCache
    from schema import app as graph
    from schema.core.context import FreshLoadersPerOperation

    hub = Hub.create(Settings(database_url=database_url, statement_timeout=0))
    unlimited = graph.HubSchema(
        query=graph.Query,
        mutation=graph.Mutation,
        subscription=graph.Subscription,
        types=[graph.LibraryItem, graph.MuseumObject],
        extensions=[graph.parser_cache, graph.validation_cache, graph.mask_errors, FreshLoadersPerOperation],
        federation_version="2.11",
    )
    graphql = graph.HubGraphQL(hub)
    graphql.schema = unlimited

    async def generation() -> int:
        return hub.events.generation

    endpoint = ResponseCache(graphql, generation, hub.events.touch, ttl=cache_ttl) if cache_ttl else graphql
    app = Starlette(routes=[Route("/graphql", endpoint, methods=["POST"]), WebSocketRoute("/graphql", graphql)])
    app.add_middleware(MetricsMiddleware, metrics=hub.metrics)
    return app


def guarded_app(database_url: str, cache_ttl: float):  # type: ignore[no-untyped-def]
    from hub.app import Hub
    from hub.settings import RateLimit, Settings
    from hub.web.app import create_app

    never = RateLimit(1_000_000_000, 60)  # counted on every request, reached by none
    settings = Settings(database_url=database_url, response_cache_ttl=cache_ttl, anonymous_rate_limit=never)
    return create_app(Hub.create(settings))


def serve(guarded: bool, database_url: str, port: int, cache_ttl: float) -> None:
    import uvicorn

    app = (guarded_app if guarded else unguarded_app)(database_url, cache_ttl)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0, help="load time per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of all four; the median is shown")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database_url = os.environ.get("HUB_BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
        asyncio.run(seed(database_url))
        configs: list[tuple[str, Callable[[int], multiprocessing.Process]]] = [
            (
                f"{'guarded' if guarded else 'unguarded'}, cache {'on' if ttl else 'off'}",
                _process(guarded, database_url, ttl),
            )
            for ttl in (0.0, 60.0)
            for guarded in (False, True)
        ]
        rates: dict[str, list[float]] = {label: [] for label, _ in configs}
        for _ in range(args.rounds):
            for label, make in configs:
                port = free_port()
                rate, answer = measure(make(port), f"http://127.0.0.1:{port}/graphql", args.seconds, args.concurrency)
                assert len(json.loads(answer)["data"]["catalogue"]["edges"]) == 20
                rates[label].append(rate)
    medians = {label: sorted(values)[len(values) // 2] for label, values in rates.items()}
    print(
        f"catalogue page of 20 items, {args.concurrency} clients, median of {args.rounds} rounds of {args.seconds:g} s"
    )
    for cache in ("off", "on"):
        off, on = medians[f"unguarded, cache {cache}"], medians[f"guarded, cache {cache}"]
        ratio = f"guarded/unguarded {on / off:6.1%}"
        print(f"cache {cache:<3}  unguarded {off:8.0f} req/s   guarded {on:8.0f} req/s   {ratio}")


def _process(guarded: bool, database_url: str, ttl: float) -> Callable[[int], multiprocessing.Process]:
    return lambda port: multiprocessing.Process(target=serve, args=(guarded, database_url, port, ttl))


if __name__ == "__main__":
    main()
