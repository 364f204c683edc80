"""Harvest throughput and peak memory: the hub syncs one sandbox partner serving N synthetic records.

    python bench/harvest.py                      # CRECC at 2,000 and 20,000 records, SQLite
    python bench/harvest.py --partner NLC --sizes 2000 20000
    HUB_BENCH_DATABASE_URL=postgresql+asyncpg://... python bench/harvest.py

The sandbox serves 100 records (TWMM: activities) a page, as a production endpoint would, in its own
process (so its records do not count against the hub). Each size runs --repeat times (default 3),
each in a fresh child process (so peak RSS is that harvest's own); the median run (by records/s) is
shown. Figures: records/s, and peak RSS growth over the process's RSS before the harvest. Baseline,
measured in the same process afterwards: the connector reading the same partner without storing
anything (read-only/s), so the ratio shows what storing (and auditing) costs. The last row compares
the largest size to the smallest.

    python bench/harvest.py --hostile [--answer-mb 200]

Peak RSS growth of a harvest while the CRECC partner answers its first page with a 200 MB
next_page_token, or with an answer that never ends (both refused at the answer limit,
HUB_PARTNER_MAX_RESPONSE_BYTES, 32 MiB by default), through the hub's sync service (with the hub's
settings, and what it stored) and through the connector alone; baseline, measured in the same run:
the same paths harvesting an honest partner of 2,000 records. The hostile partner
(tests/connectors/hostile) runs in its own process; each measurement in a fresh child process, with
the peak reset (/proc/self/clear_refs) just before it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def start_sandbox(partner: str, records: int) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "hub.cli", "sandbox", "--port", "0", "--synthetic", str(records)]
    process = subprocess.Popen(
        [*command, "--page-size", "100", partner],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    code, url = line.strip().split("\t")
    assert code == partner, line
    return process, url


async def harvest(partner: str, url: str, database_url: str) -> dict[str, float]:
    from hub.app import Hub
    from hub.cli.migrate import upgrade_database
    from hub.settings import Settings

    await asyncio.to_thread(upgrade_database, database_url)
    hub = Hub.create(Settings(database_url=database_url, partner_urls={partner: url}))
    before = rss_mb("VmRSS")
    started = time.perf_counter()
    result = await hub.sync.sync_partner(partner)
    elapsed = time.perf_counter() - started
    peak_growth = rss_mb("VmHWM") - before
    read_rate = await read_only(partner, url, await hub.sync.harvestable_protocol(partner))
    await hub.close()
    if not result.ok:
        raise SystemExit(f"harvest failed: {result.error}")
    written = len(result.changes.added) + len(result.changes.removed)
    return {
        "records": written + result.changes.unchanged,
        "seconds": elapsed,
        "records_per_s": (written + result.changes.unchanged) / elapsed,
        "peak_growth_mb": peak_growth,
        "read_only_per_s": read_rate,
    }


async def read_only(partner: str, url: str, protocol: str) -> float:
    """Baseline: the connector reading the whole partner without storing anything."""
    import aiohttp

    from connectors.http import PartnerHttp
    from hub.harvest.partners import source_for

    started = time.perf_counter()
    count = 0
    async with aiohttp.ClientSession() as session:
        async for page in source_for(protocol, partner, url, PartnerHttp(partner, session)).read(None):
            count += len(page.records)
    return count / (time.perf_counter() - started)


def reset_peak_rss() -> None:
    """Make VmHWM start again from the current RSS (Linux: clear_refs 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def start_hostile(kind: str, size: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.connectors.hostile", kind, str(size)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


async def hostile_via_hub(url: str, database_url: str) -> dict[str, object]:
    from hub.app import Hub
    from hub.cli.migrate import upgrade_database
    from hub.settings import Settings

    await asyncio.to_thread(upgrade_database, database_url)
    # The hub's own settings (HUB_PARTNER_MAX_RESPONSE_BYTES and the run bounds apply), this partner and database.
    env = os.environ | {"HUB_DATABASE_URL": database_url, "HUB_PARTNER_CRECC_URL": url}
    hub = Hub.create(Settings.from_env(env))
    before = rss_mb("VmRSS")
    reset_peak_rss()
    started = time.perf_counter()
    result = await hub.sync.sync_partner("CRECC")
    elapsed = time.perf_counter() - started
    peak_growth = rss_mb("VmHWM") - before
    await hub.close()
    written = len(result.changes.added) + len(result.changes.removed) + result.changes.unchanged
    outcome = f"failed: {result.error}" if not result.ok else f"{written} records"
    return {"seconds": elapsed, "peak_growth_mb": peak_growth, "outcome": outcome, "stored": await stored(database_url)}


async def stored(database_url: str) -> str:
    """What the harvest left in the database: the longest checkpoint and last error, in characters."""
    from sqlalchemy import select

    from hub.db import create_engine, session_factory
    from hub.harvest.models import SyncState

    engine = create_engine(database_url)
    async with session_factory(engine)() as session:
        states = list(await session.scalars(select(SyncState)))
    await engine.dispose()
    checkpoint = max((len(json.dumps(s.checkpoint)) for s in states if s.checkpoint), default=0)
    error = max((len(s.last_error) for s in states if s.last_error), default=0)
    return f"checkpoint {checkpoint:,} chars, last error {error:,} chars"


async def hostile_via_connector(url: str) -> dict[str, object]:
    import aiohttp

    from connectors.errors import SourceError
    from connectors.http import PartnerHttp
    from connectors.relics_api import RelicsApiSource

    count = 0
    async with aiohttp.ClientSession() as session:
        source = RelicsApiSource("CRECC", url, PartnerHttp("CRECC", session))
        before = rss_mb("VmRSS")
        reset_peak_rss()
        started = time.perf_counter()
        try:
            async for page in source.read(None):
                count += len(page.records)
            outcome = f"{count} records"
        except SourceError as error:
            outcome = f"failed: {error.problem}"
        elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "peak_growth_mb": rss_mb("VmHWM") - before, "outcome": outcome}


def hostile_child(kind: str, size: int, path: str) -> None:
    partner, url = start_hostile(kind, size)
    try:
        with tempfile.TemporaryDirectory() as folder:
            if path == "hub":
                database_url = os.environ.get("HUB_BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
                row = asyncio.run(hostile_via_hub(url, database_url))
            else:
                row = asyncio.run(hostile_via_connector(url))
            print(json.dumps(row))
    finally:
        partner.terminate()
        partner.wait()


def hostile(answer_mb: int, repeat: int) -> None:
    cases = [
        (f"{answer_mb} MB page token", "huge-token", answer_mb * 1_000_000),
        ("endless answer", "endless-body", 0),
        ("2,000 honest records", "normal", 2000),
    ]
    print("CRECC partner answers; answer limit HUB_PARTNER_MAX_RESPONSE_BYTES (default 32 MiB)")
    print(f"{'partner':<22} {'path':<10} {'seconds':>8} {'peak RSS growth MB':>19}  outcome")
    for path in ("hub", "connector"):
        for label, kind, size in cases:
            runs = []
            for _ in range(repeat):
                out = subprocess.run(
                    [sys.executable, __file__, "--hostile-child", kind, str(size), path],
                    cwd=ROOT,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                runs.append(json.loads(out.strip().splitlines()[-1]))
            row = sorted(runs, key=lambda run: run["peak_growth_mb"])[len(runs) // 2]
            print(
                f"{label:<22} {path:<10} {row['seconds']:>8.2f} {row['peak_growth_mb']:>19.1f}  {row['outcome'][:90]}"
            )
            if "stored" in row:
                print(f"{'':<22} {'':<10} {'':>8} {'':>19}  stored: {row['stored']}")


def child(partner: str, records: int) -> None:
    sandbox, url = start_sandbox(partner, records)
    try:
        with tempfile.TemporaryDirectory() as folder:
            database_url = os.environ.get("HUB_BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
            print(json.dumps(asyncio.run(harvest(partner, url, database_url))))
    finally:
        sandbox.terminate()
        sandbox.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partner", default="CRECC")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the median run is shown")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--hostile", action="store_true", help="peak RSS while a partner sends a huge answer")
    parser.add_argument("--answer-mb", type=int, default=200, help="size of the hostile answer (--hostile)")
    parser.add_argument("--hostile-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.hostile_child:
        kind, size, path = args.hostile_child
        hostile_child(kind, int(size), path)
        return
    if args.hostile:
        hostile(args.answer_mb, args.repeat)
        return
    if args.child:
        child(args.partner, args.child)
        return
    rows = []
    for size in args.sizes:
        runs = []
        for _ in range(args.repeat):
            out = subprocess.run(
                [sys.executable, __file__, "--partner", args.partner, "--child", str(size)],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))
        rows.append(sorted(runs, key=lambda run: run["records_per_s"])[len(runs) // 2])
    print(f"harvest of {args.partner} sandbox")
    print(
        f"{'records':>8} {'seconds':>8} {'records/s':>10} {'read-only/s':>12} {'ratio':>6} {'peak RSS growth MB':>19}"
    )
    for row in rows:
        print(
            f"{row['records']:>8.0f} {row['seconds']:>8.2f} {row['records_per_s']:>10.0f} "
            f"{row['read_only_per_s']:>12.0f} {row['records_per_s'] / row['read_only_per_s']:>6.0%} "
            f"{row['peak_growth_mb']:>19.1f}"
        )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        print(
            f"ratio largest/smallest: {last['records'] / first['records']:.0f}x records, "
            f"throughput {last['records_per_s'] / first['records_per_s']:.2f}x, "
            f"peak growth +{last['peak_growth_mb'] - first['peak_growth_mb']:.1f} MB"
        )


if __name__ == "__main__":
    main()
