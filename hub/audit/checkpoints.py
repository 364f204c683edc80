"""Checkpoints: a signed RFC 6962 Merkle root over the first `tree_size` entries of the log.

Making one reads only the entries added since the last checkpoint (in pages) and the O(log n) perfect subtree
hashes the last checkpoint left (`AuditTreeNode`); it stores every perfect subtree the new entries complete, then
the checkpoint with its signed note, in one transaction. On PostgreSQL an advisory lock lets one process at a time
make checkpoints; elsewhere a race loses on the primary key and makes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy import func, insert, select, text, tuple_
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.documents import entry_bytes
from hub.audit.merkle import CompactRange, NodeKey, leaf_hash
from hub.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry, AuditTreeNode
from hub.audit.signed_note import NoteSigner, checkpoint_text
from hub.core.clock import utc_now
from hub.db import SessionFactory

PAGE = 5000
CHECKPOINT_LOCK = 0x617564697463  # "auditc": the PostgreSQL advisory lock of checkpoint makers

ENTRY_COLUMNS = (
    AuditEntry.format,
    AuditEntry.seq,
    AuditEntry.at,
    AuditEntry.actor,
    AuditEntry.action,
    AuditEntry.subject,
    AuditEntry.jurisdictions,
    AuditEntry.payload,
    AuditEntry.prev_hash,
    AuditEntry.hash,
)

InTransaction = Callable[[AsyncSession, AuditCheckpoint], Awaitable[None]]
"""Called with each new checkpoint inside its transaction (e.g. to queue its anchors with it)."""


class CheckpointError(RuntimeError):
    """The log cannot be checkpointed as it is (an entry is missing)."""


def log_id(origin: str) -> bytes:
    """What identifies this log on a chain (the registry's `logId`): SHA-256 of its origin line."""
    return hashlib.sha256(origin.encode()).digest()


async def latest_checkpoint(session: AsyncSession) -> AuditCheckpoint | None:
    return await session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.tree_size.desc()).limit(1))


async def logged_entries(session: AsyncSession) -> int:
    """How many entries the log holds (committed ones, as this transaction sees them)."""
    return int(await session.scalar(select(AuditChainHead.last_seq).where(AuditChainHead.id == 1)) or 0)


async def stored_nodes(session: AsyncSession, keys: Sequence[NodeKey]) -> dict[NodeKey, bytes]:
    """The stored perfect subtree hashes among `keys` (one query)."""
    if not keys:
        return {}
    rows = await session.execute(
        select(AuditTreeNode.level, AuditTreeNode.idx, AuditTreeNode.hash).where(
            tuple_(AuditTreeNode.level, AuditTreeNode.idx).in_(list(keys))
        )
    )
    return {(level, idx): bytes(digest) for level, idx, digest in rows}


async def _compact_range(session: AsyncSession, size: int) -> CompactRange:
    keys = CompactRange.keys(size)
    nodes = await stored_nodes(session, keys)
    missing = [key for key in keys if key not in nodes]
    if missing:
        raise CheckpointError(f"the subtree hashes {missing} of checkpoint {size} are missing")
    return CompactRange(size, [nodes[key] for key in keys])


async def make_checkpoint(
    session: AsyncSession, signer: NoteSigner, origin: str, page: int = PAGE
) -> AuditCheckpoint | None:
    """A checkpoint over every entry logged so far, in the caller's transaction; None when nothing is new."""
    if (await session.connection()).dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHECKPOINT_LOCK})
    latest = await latest_checkpoint(session)
    old_size = latest.tree_size if latest else 0
    new_size = await logged_entries(session)
    if new_size <= old_size:
        return None
    compact = await _compact_range(session, old_size)
    while compact.size < new_size:
        rows = (
            await session.execute(
                select(*ENTRY_COLUMNS)
                .where(AuditEntry.seq > compact.size, AuditEntry.seq <= new_size)
                .order_by(AuditEntry.seq)
                .limit(page)
            )
        ).all()
        born: list[dict[str, object]] = []
        for row in rows:
            if row.seq != compact.size + 1:
                raise CheckpointError(f"entry {compact.size + 1} is missing: the log cannot be checkpointed")
            for level, idx, digest in compact.append(leaf_hash(entry_bytes(*row))):
                born.append({"level": level, "idx": idx, "hash": digest})
        if not rows:
            raise CheckpointError(f"entry {compact.size + 1} is missing: the log cannot be checkpointed")
        await session.execute(insert(AuditTreeNode), born)
    root = compact.root()
    checkpoint = AuditCheckpoint(
        tree_size=new_size,
        first_seq=old_size + 1,
        root_hash=root.hex(),
        origin=origin,
        note=signer.sign(checkpoint_text(origin, new_size, root)),
        created_at=utc_now(),
    )
    session.add(checkpoint)
    await session.flush()
    return checkpoint


async def checkpoint_now(
    sessions: SessionFactory,
    signer: NoteSigner,
    origin: str,
    in_transaction: Sequence[InTransaction] = (),
) -> AuditCheckpoint | None:
    """Makes and commits a checkpoint when entries were added since the last; None when none was made (nothing
    new, or another process made it at the same moment)."""
    try:
        async with sessions.begin() as session:
            checkpoint = await make_checkpoint(session, signer, origin)
            if checkpoint is not None:
                for hook in in_transaction:
                    await hook(session, checkpoint)
    except IntegrityError:
        return None
    except OperationalError as error:
        if "locked" in str(error):  # SQLite: another writer made one meanwhile
            return None
        raise
    return checkpoint


async def entries_since_checkpoint(session: AsyncSession) -> tuple[int, AuditCheckpoint | None]:
    """How many entries no checkpoint covers yet, and the latest checkpoint."""
    latest = await latest_checkpoint(session)
    return await logged_entries(session) - (latest.tree_size if latest else 0), latest


async def checkpoint_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(AuditCheckpoint)) or 0)
