"""The anchors of the latest checkpoints on each chain, as the operator and regulators see them: anchored (chain
id, contract, transaction, block) or pending (attempts, next retry, last error)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.models import AuditCheckpoint
from hub.auth.principal import Principal
from hub.auth.scopes import AUDIT_READ
from hub.chain.models import ChainAnchorRow, PendingAnchorRow
from hub.core.paging import page_size
from hub.core.user_errors import CommonErrorCode, Refused, UserError


class AnchorState(enum.Enum):
    PENDING = "PENDING"
    ANCHORED = "ANCHORED"


@dataclass(frozen=True)
class LedgerAnchor:
    checkpoint_size: int
    root_hash: str
    chain: str
    state: AnchorState
    chain_id: int | None = None
    contract: str | None = None
    tx_hash: str | None = None
    block_number: int | None = None
    anchored_at: datetime | None = None
    attempts: int = 0
    next_retry_at: datetime | None = None
    last_error: str | None = None


async def ledger_anchors(
    session: AsyncSession, principal: Principal, first: int | None = None, checkpoint: int | None = None
) -> list[LedgerAnchor]:
    """The anchors of the `first` latest checkpoints (or of the one of size `checkpoint`), newest first, one per
    chain each; a checkpoint with neither row on a chain yet has none (the queue adds it within a minute)."""
    if not principal.has_scope(AUDIT_READ):
        raise Refused(UserError(CommonErrorCode.FORBIDDEN, None, f"the ledger anchors need the {AUDIT_READ} scope"))
    wanted = select(AuditCheckpoint.tree_size, AuditCheckpoint.root_hash).order_by(AuditCheckpoint.tree_size.desc())
    if checkpoint is not None:
        wanted = wanted.where(AuditCheckpoint.tree_size == checkpoint)
    roots = dict((await session.execute(wanted.limit(page_size(first)))).all())
    if not roots:
        return []
    anchored = await session.scalars(select(ChainAnchorRow).where(ChainAnchorRow.checkpoint_size.in_(roots)))
    pending = await session.scalars(select(PendingAnchorRow).where(PendingAnchorRow.checkpoint_size.in_(roots)))
    views = [
        LedgerAnchor(
            a.checkpoint_size or 0,
            roots[a.checkpoint_size or 0],
            a.chain,
            AnchorState.ANCHORED,
            chain_id=a.chain_id,
            contract=a.contract,
            tx_hash=a.tx_hash,
            block_number=a.block_number,
            anchored_at=a.anchored_at,
        )
        for a in anchored
    ] + [
        LedgerAnchor(
            p.checkpoint_size or 0,
            roots[p.checkpoint_size or 0],
            p.chain,
            AnchorState.PENDING,
            attempts=p.attempts,
            next_retry_at=datetime.fromtimestamp(p.retry_at, UTC),
            last_error=p.last_error,
        )
        for p in pending
    ]
    return sorted(views, key=lambda view: (-view.checkpoint_size, view.chain))
