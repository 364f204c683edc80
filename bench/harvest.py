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
    args = parser.parse_args()
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
