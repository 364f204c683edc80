"""The anchor queue's pending writes and the anchors made, kept in the hub's database.

Rows are queued in the transaction that makes their subject (`queue_checkpoint`, `queue_registration`); the
worker claims due rows by pushing their `retry_at` a lease ahead (one UPDATE that re-checks `retry_at`, so two
hubs never take the same row at once), writes them, and then stores the anchor and drops the row in one
transaction, or stores the failure and the next retry. A hub that dies holding a lease leaves its rows due again
when the lease ends. `sweep` queues any checkpoint still missing on a configured chain (a chain added later).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import and_, delete, exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from hub.audit.checkpoints import log_id
from hub.audit.models import AuditCheckpoint
from hub.chain.anchors import ChainWrite, Checkpoint, Deployment, ProvenanceRecord, Subject
from hub.chain.models import ChainAnchorRow, ChainDeploymentRow, PendingAnchorRow, ProvenanceRegistration
from hub.db import SessionFactory

if TYPE_CHECKING:
    from hub.chain.anchor_queue import PendingAnchor

DEFAULT_LEASE = 300.0
MAX_ERROR = 2000
DEFAULT_SWEEP_EVERY = 60.0


@dataclass(frozen=True)
class SubjectRef:
    """Which row a subject is: a checkpoint's tree size or a registration's id."""

    checkpoint_size: int | None = None
    registration_id: int | None = None


async def queue_checkpoint(session: AsyncSession, tree_size: int, chains: Sequence[str]) -> None:
    """One pending row per chain for the checkpoint `tree_size`, in the caller's transaction."""
    if chains:
        await session.execute(insert(PendingAnchorRow), [{"checkpoint_size": tree_size, "chain": c} for c in chains])


async def queue_registration(session: AsyncSession, registration_id: int, chains: Sequence[str]) -> None:
    if chains:
        rows = [{"registration_id": registration_id, "chain": chain} for chain in chains]
        await session.execute(insert(PendingAnchorRow), rows)


def checkpoint_subject(checkpoint: AuditCheckpoint) -> Checkpoint:
    return Checkpoint(bytes.fromhex(checkpoint.root_hash), checkpoint.tree_size, log_id(checkpoint.origin))


def registration_subject(registration: ProvenanceRegistration) -> ProvenanceRecord:
    return ProvenanceRecord(bytes.fromhex(registration.item_hash), bytes.fromhex(registration.record_hash))


class SqlPendingAnchors:
    """`PendingAnchors` (hub.chain.anchor_queue) in the database."""

    def __init__(
        self,
        sessions: SessionFactory,
        chains: Sequence[str] = (),
        lease: float = DEFAULT_LEASE,
        sweep_every: float = DEFAULT_SWEEP_EVERY,
    ) -> None:
        self.sessions = sessions
        self.chains = list(chains)
        self.lease = lease
        self.sweep_every = sweep_every
        self._swept_at: float | None = None
        self._refs: dict[tuple[Subject, str], int] = {}

    async def add(self, subject: Subject, chains: Sequence[str]) -> None:
        async with self.sessions.begin() as session:
            ref = await _ref_of(session, subject)
            known = set(
                await session.scalars(
                    select(PendingAnchorRow.chain)
                    .where(_subject_is(PendingAnchorRow, ref))
                    .union(select(ChainAnchorRow.chain).where(_subject_is(ChainAnchorRow, ref)))
                )
            )
            missing = [chain for chain in chains if chain not in known]
            if ref.checkpoint_size is not None:
                await queue_checkpoint(session, ref.checkpoint_size, missing)
            elif ref.registration_id is not None:
                await queue_registration(session, ref.registration_id, missing)

    async def due(self, now: float, limit: int) -> list[PendingAnchor]:
        """Claims up to `limit` due rows (their retry_at moves a lease ahead) and returns them in queue order;
        sweeps first when the last sweep is `sweep_every` seconds old."""
        from hub.chain.anchor_queue import PendingAnchor

        if self.chains and (self._swept_at is None or now - self._swept_at >= self.sweep_every):
            self._swept_at = now
            await self.sweep(self.chains)
        async with self.sessions.begin() as session:
            ids = list(
                await session.scalars(
                    select(PendingAnchorRow.id)
                    .where(PendingAnchorRow.retry_at <= now)
                    .order_by(PendingAnchorRow.id)
                    .limit(limit)
                )
            )
            if not ids:
                return []
            claimed = set(
                await session.scalars(
                    update(PendingAnchorRow)
                    .where(PendingAnchorRow.id.in_(ids), PendingAnchorRow.retry_at <= now)
                    .values(retry_at=now + self.lease)
                    .returning(PendingAnchorRow.id)
                )
            )
            rows = await session.execute(
                select(PendingAnchorRow, AuditCheckpoint, ProvenanceRegistration)
                .outerjoin(AuditCheckpoint, AuditCheckpoint.tree_size == PendingAnchorRow.checkpoint_size)
                .outerjoin(ProvenanceRegistration, ProvenanceRegistration.id == PendingAnchorRow.registration_id)
                .where(PendingAnchorRow.id.in_(claimed))
                .order_by(PendingAnchorRow.id)
            )
            pending = []
            for row, checkpoint, registration in rows:
                subject: Subject = (
                    checkpoint_subject(checkpoint) if checkpoint is not None else registration_subject(registration)
                )
                self._refs[(subject, row.chain)] = row.id
                pending.append(PendingAnchor(subject, row.chain, row.attempts, row.retry_at, row.last_error))
            return pending

    async def anchored(self, pending: PendingAnchor, anchor: ChainWrite) -> None:
        row_id = self._refs.pop((pending.subject, pending.chain), None)
        async with self.sessions.begin() as session:
            ref = await _ref_of(session, pending.subject)
            done = await session.scalar(
                select(exists().where(_subject_is(ChainAnchorRow, ref), ChainAnchorRow.chain == pending.chain))
            )
            if not done:  # another hub may have stored it first (both found it on the chain)
                await session.execute(
                    insert(ChainAnchorRow).values(
                        checkpoint_size=ref.checkpoint_size,
                        registration_id=ref.registration_id,
                        chain=pending.chain,
                        chain_id=anchor.chain_id,
                        contract=anchor.contract,
                        tx_hash=anchor.tx_hash,
                        block_number=anchor.block_number,
                    )
                )
            where = PendingAnchorRow.id == row_id if row_id is not None else _subject_is(PendingAnchorRow, ref)
            await session.execute(delete(PendingAnchorRow).where(where, PendingAnchorRow.chain == pending.chain))

    async def postpone(self, pending: PendingAnchor) -> None:
        row_id = self._refs.pop((pending.subject, pending.chain), None)
        async with self.sessions.begin() as session:
            if row_id is None:
                ref = await _ref_of(session, pending.subject)
                where = and_(_subject_is(PendingAnchorRow, ref), PendingAnchorRow.chain == pending.chain)
            else:
                where = PendingAnchorRow.id == row_id
            error = pending.last_error[:MAX_ERROR] if pending.last_error else None
            await session.execute(
                update(PendingAnchorRow)
                .where(where)
                .values(attempts=pending.attempts, retry_at=pending.retry_at, last_error=error)
            )

    async def has_work(self) -> bool:
        """Whether anything is, or was ever, to be anchored: a pending row or a checkpoint."""
        async with self.sessions() as session:
            pending = await session.scalar(select(exists().where(PendingAnchorRow.id.is_not(None))))
            return bool(pending or await session.scalar(select(exists().where(AuditCheckpoint.tree_size > 0))))

    async def next_retry_at(self) -> float | None:
        async with self.sessions() as session:
            value = await session.scalar(select(func.min(PendingAnchorRow.retry_at)))
        return None if value is None else float(value)

    async def sweep(self, chains: Sequence[str]) -> int:
        """Queues every checkpoint that has neither a pending row nor an anchor on one of `chains`; how many rows."""
        added = 0
        async with self.sessions.begin() as session:
            for chain in chains:
                known = (
                    select(PendingAnchorRow.checkpoint_size)
                    .where(PendingAnchorRow.chain == chain, PendingAnchorRow.checkpoint_size.is_not(None))
                    .union(
                        select(ChainAnchorRow.checkpoint_size).where(
                            ChainAnchorRow.chain == chain, ChainAnchorRow.checkpoint_size.is_not(None)
                        )
                    )
                )
                missing = list(
                    await session.scalars(
                        select(AuditCheckpoint.tree_size)
                        .where(AuditCheckpoint.tree_size.not_in(known))
                        .order_by(AuditCheckpoint.tree_size)
                    )
                )
                for size in missing:
                    await queue_checkpoint(session, size, [chain])
                added += len(missing)
        return added


async def _ref_of(session: AsyncSession, subject: Subject) -> SubjectRef:
    if isinstance(subject, Checkpoint):
        size = await session.scalar(
            select(AuditCheckpoint.tree_size).where(AuditCheckpoint.root_hash == subject.root.hex())
        )
        if size is None:
            raise LookupError(f"no checkpoint has root 0x{subject.root.hex()}")
        return SubjectRef(checkpoint_size=size)
    registration = await session.scalar(
        select(ProvenanceRegistration.id).where(
            ProvenanceRegistration.item_hash == subject.item_hash.hex(),
            ProvenanceRegistration.record_hash == subject.record_hash.hex(),
        )
    )
    if registration is None:
        raise LookupError(f"no provenance registration has record 0x{subject.record_hash.hex()}")
    return SubjectRef(registration_id=registration)


def _subject_is(table: type[PendingAnchorRow] | type[ChainAnchorRow], ref: SubjectRef) -> ColumnElement[bool]:
    if ref.checkpoint_size is not None:
        return table.checkpoint_size == ref.checkpoint_size
    return table.registration_id == ref.registration_id


class SqlChainDeployments:
    """`ChainDeployments` (hub.chain.deployments) in the database."""

    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions

    async def get(self, chain_id: int) -> Deployment | None:
        async with self.sessions() as session:
            row = await session.get(ChainDeploymentRow, chain_id)
            if row is None:
                return None
            return Deployment(row.chain_id, row.contract, row.tx_hash, row.block_number)

    async def put(self, deployment: Deployment) -> None:
        async with self.sessions.begin() as session:
            row = await session.get(ChainDeploymentRow, deployment.chain_id)
            if row is None:
                session.add(
                    ChainDeploymentRow(
                        chain_id=deployment.chain_id,
                        contract=deployment.contract,
                        tx_hash=deployment.tx_hash,
                        block_number=deployment.block_number,
                    )
                )
            else:
                row.contract, row.tx_hash, row.block_number = (
                    deployment.contract,
                    deployment.tx_hash,
                    deployment.block_number,
                )
