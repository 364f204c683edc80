"""`hub audit verify` over a large audit log, against reading the same rows alone.

    python bench/audit_verify.py [--entries 1000000] [--checkpoint-every 1000] [--database-url URL]

Builds a log of N format-2 entries (bulk inserts: the hash chain, and a signed checkpoint every
`--checkpoint-every` entries with its RFC 6962 root, computed while building), migrated with alembic, in a fresh
SQLite file (or in the PostgreSQL database given, which must be empty). Then times, in this order:
(1) the baseline: reading every entry row in the pages verification reads them (no hashing, no checking);
(2) `hub audit verify --json` as the operator runs it (a subprocess: start-up, the chain, every checkpoint's root
and signature). Prints both, the ratio, the entries verified per second and the CPU seconds the verification
used (on a busy machine the wall clock also counts waiting for a core).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text, update  # noqa: E402

from hub.audit.documents import fast_document_v2  # noqa: E402
from hub.audit.log import GENESIS_HASH  # noqa: E402
from hub.audit.merkle import CompactRange, leaf_hash  # noqa: E402
from hub.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry  # noqa: E402
from hub.audit.note_keys import NoteKeys  # noqa: E402
from hub.audit.signed_note import checkpoint_text  # noqa: E402
from hub.audit.verify import PAGE  # noqa: E402
from hub.audit.verify import _fetch as read_page  # noqa: E402
from hub.cli.migrate import upgrade_database  # noqa: E402
from hub.db import create_engine, session_factory  # noqa: E402

BATCH = 20_000
ORIGIN = "bench.example/audit"
ACTIONS = ["catalogue.harvested", "catalogue.items_upserted", "trading.offer_placed", "escrow.posted"]


def entry_rows(count: int) -> Any:
    """The entries, their documents' leaf hashes, in order: as append_entry would have written them."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    prev = GENESIS_HASH
    for seq in range(1, count + 1):
        at = start + timedelta(microseconds=seq * 1_000_003)
        action = ACTIONS[seq % len(ACTIONS)]
        subject = f"institution:{('NLC', 'CRECC', 'TWMM')[seq % 3]}"
        payload = f'{{"added":[{seq}],"changed":[],"removed":[],"title":"唐三彩马 {seq}"}}'
        document = fast_document_v2(seq, at, "hub:sync", action, subject, ["CN"], payload)
        digest = hashlib.sha256(bytes.fromhex(prev) + document).hexdigest()
        row = {
            "seq": seq,
            "at": at,
            "actor": "hub:sync",
            "action": action,
            "subject": subject,
            "jurisdictions": ["CN"],
            "payload": payload,
            "prev_hash": prev,
            "hash": digest,
            "format": 2,
        }
        yield row, leaf_hash(document)
        prev = digest


async def build(database_url: str, count: int, every: int) -> float:
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    signer = await NoteKeys(sessions, ORIGIN).signer()
    started = time.perf_counter()
    tree = CompactRange()
    batch: list[dict[str, Any]] = []
    checkpoints: list[dict[str, Any]] = []
    last_hash = GENESIS_HASH
    async with sessions.begin() as session:
        for row, leaf in entry_rows(count):
            batch.append(row)
            tree.append(leaf)
            last_hash = row["hash"]
            if tree.size % every == 0 or tree.size == count:
                root = tree.root()
                note = signer.sign(checkpoint_text(ORIGIN, tree.size, root))
                first = checkpoints[-1]["tree_size"] + 1 if checkpoints else 1
                checkpoints.append(
                    {
                        "tree_size": tree.size,
                        "first_seq": first,
                        "root_hash": root.hex(),
                        "origin": ORIGIN,
                        "note": note,
                        "created_at": row["at"],
                    }
                )
            if len(batch) == BATCH:
                await session.execute(insert(AuditEntry), batch)
                batch = []
        if batch:
            await session.execute(insert(AuditEntry), batch)
        await session.execute(insert(AuditCheckpoint), checkpoints)
        await session.execute(update(AuditChainHead).values(last_seq=count, last_hash=last_hash))
    await engine.dispose()
    return time.perf_counter() - started


async def read_rows(database_url: str) -> tuple[float, int]:
    """The baseline: every entry row, raw, in verification's pages and through its own reader, and nothing else."""
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    started = time.perf_counter()
    seen, after = 0, 0
    async with sessions() as session:
        connection = await session.connection()
        while rows := await read_page(connection, after, PAGE):
            seen += len(rows)
            after = rows[-1][1]
    await engine.dispose()
    return time.perf_counter() - started, seen


def hub_audit_verify(database_url: str) -> tuple[float, float, dict[str, Any]]:
    """Wall-clock and CPU seconds of `hub audit verify --json`, and its report."""
    env = os.environ | {"HUB_DATABASE_URL": database_url}
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "hub.cli", "audit", "verify", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"hub audit verify failed ({done.returncode}): {done.stdout}{done.stderr}")
    return elapsed, cpu, json.loads(done.stdout)


async def empty(database_url: str) -> bool:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return not (await connection.execute(text("SELECT count(*) FROM audit_entries"))).scalar()
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--checkpoint-every", type=int, default=1000)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade_database(url)
        if not asyncio.run(empty(url)):
            raise SystemExit("the database holds audit entries already: give an empty one")
        built = asyncio.run(build(url, args.entries, args.checkpoint_every))
        print(f"built {args.entries:,} entries and their checkpoints in {built:.1f} s ({url.split(':')[0]})")
        baseline, seen = asyncio.run(read_rows(url))
        verified, cpu, report = hub_audit_verify(url)
    assert seen == args.entries and report["ok"] and report["entries"] == args.entries, report
    print(f"reading the {seen:,} entry rows alone (baseline): {baseline:.1f} s")
    print(
        f"hub audit verify: {verified:.1f} s for {report['entries']:,} entries and {report['checkpoints']:,} "
        f"checkpoints ({report['entries'] / verified:,.0f} entries/s), {verified / baseline:.2f}x the baseline; "
        f"{cpu:.1f} s of CPU (the rest is waiting: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
