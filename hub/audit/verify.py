"""Verifying the audit log: every entry's hash recomputed from the one before, the chain head compared.

Verification reads what each entry holds; it never depends on what an action is called.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.documents import chain_hash, entry_bytes
from hub.audit.log import GENESIS_HASH
from hub.audit.models import AuditChainHead, AuditEntry


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_bad_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None and self.problem is None


async def verify_chain(session: AsyncSession, batch: int = 1000) -> ChainReport:
    """Recomputes every entry's hash from the one before; names the first entry that does not hold."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    after = 0
    while True:
        rows = list(
            await session.scalars(
                select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq).limit(batch)
            )
        )
        if not rows:
            break
        for entry in rows:
            if entry.seq != expected_seq:
                return ChainReport(count, expected_seq, f"entry {expected_seq} is missing")
            document = entry_bytes(
                entry.format,
                entry.seq,
                entry.at,
                entry.actor,
                entry.action,
                entry.subject,
                entry.jurisdictions,
                entry.payload,
                entry.prev_hash,
                entry.hash,
            )
            if entry.prev_hash != prev_hash:
                return ChainReport(count, entry.seq, f"entry {entry.seq} does not link to entry {entry.seq - 1}")
            if chain_hash(prev_hash, document) != entry.hash:
                return ChainReport(count, entry.seq, f"entry {entry.seq} does not match its hash")
            prev_hash = entry.hash
            expected_seq += 1
            count += 1
        after = rows[-1].seq
    head = await session.get_one(AuditChainHead, 1)
    if head.last_seq != count or head.last_hash != prev_hash:
        return ChainReport(count, count + 1, f"the chain head says {head.last_seq} entries, the log holds {count}")
    return ChainReport(count)
