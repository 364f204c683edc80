"""Inclusion and consistency proofs (RFC 9162 2.1.3, 2.1.4) up to the hub's signed checkpoints.

A proof costs three small queries whatever the size of the log: the checkpoint(s), the entry, and at most
~2·log2(n) stored perfect subtree hashes by primary key (`AuditTreeNode`); nothing is recomputed from entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.checkpoints import ENTRY_COLUMNS, latest_checkpoint, stored_nodes
from hub.audit.documents import entry_bytes
from hub.audit.merkle import consistency_ranges, inclusion_ranges, leaf_hash, needed_nodes, range_hashes
from hub.audit.models import AuditCheckpoint, AuditEntry, AuditEntryJurisdiction
from hub.auth.principal import Principal
from hub.auth.scopes import AUDIT_READ
from hub.core.cursors import CursorKind
from hub.core.paging import fetch_page, page_size
from hub.core.translations import N_, Message
from hub.core.user_errors import CommonErrorCode, InvalidArgumentError, Refused, UserError

ENTRY_NOT_FOUND = N_("No audit entry {seq} touches {jurisdiction}.")


@dataclass(frozen=True)
class InclusionProof:
    """Entry `seq` is leaf `leaf_index` of the tree of the checkpoint; `audit_path` from the leaf's sibling up."""

    seq: int
    leaf_index: int
    entry: bytes
    """The entry's document, the bytes its leaf hash covers: H(0x00 || entry)."""
    leaf_hash: bytes
    audit_path: list[bytes]
    checkpoint: AuditCheckpoint


@dataclass(frozen=True)
class ConsistencyProof:
    """The tree of checkpoint `old` is a prefix of the tree of checkpoint `new` (RFC 9162 2.1.4)."""

    old: AuditCheckpoint
    new: AuditCheckpoint
    path: list[bytes]


async def _nodes_for(session: AsyncSession, ranges: list[tuple[int, int]]) -> list[bytes]:
    nodes = await stored_nodes(session, needed_nodes(ranges))
    return range_hashes(ranges, nodes)


async def checkpoint_of_size(session: AsyncSession, tree_size: int | None, field: str) -> AuditCheckpoint:
    """The checkpoint over `tree_size` entries (the latest when None); InvalidArgumentError naming it when none."""
    if tree_size is None:
        latest = await latest_checkpoint(session)
        if latest is None:
            raise InvalidArgumentError(field, "the audit log has no checkpoint yet")
        return latest
    checkpoint = await session.get(AuditCheckpoint, tree_size)
    if checkpoint is None:
        raise InvalidArgumentError(field, f"there is no checkpoint of {tree_size} entries")
    return checkpoint


async def inclusion_proof(
    session: AsyncSession, principal: Principal, seq: int, tree_size: int | None = None
) -> InclusionProof:
    """The proof that entry `seq` is in the checkpoint of `tree_size` entries (default: the latest); only for a
    regulator of a jurisdiction the entry touches."""
    own = principal.bound_to(AUDIT_READ, None, "read the audit log of")
    touches = await session.scalar(
        select(AuditEntryJurisdiction.seq).where(
            AuditEntryJurisdiction.seq == seq, AuditEntryJurisdiction.jurisdiction == own
        )
    )
    if touches is None:
        # The same answer for an entry that does not exist and for one of another jurisdiction.
        message = Message("audit", ENTRY_NOT_FOUND, seq=seq, jurisdiction=own)
        raise Refused(UserError(CommonErrorCode.NOT_FOUND, "seq", message))
    checkpoint = await checkpoint_of_size(session, tree_size, "tree_size")
    if seq > checkpoint.tree_size:
        raise InvalidArgumentError(
            "seq", f"entry {seq} is not in the checkpoint of {checkpoint.tree_size} entries yet; ask again later"
        )
    row = (await session.execute(select(*ENTRY_COLUMNS).where(AuditEntry.seq == seq))).one()
    document = entry_bytes(*row)
    path = await _nodes_for(session, inclusion_ranges(seq - 1, checkpoint.tree_size))
    return InclusionProof(seq, seq - 1, document, leaf_hash(document), path, checkpoint)


async def consistency_proof(
    session: AsyncSession, principal: Principal, old_size: int, new_size: int | None = None
) -> ConsistencyProof:
    """The proof that the checkpoint of `old_size` entries is a prefix of that of `new_size` (default: latest)."""
    principal.bound_to(AUDIT_READ, None, "read the audit checkpoints of")
    old = await checkpoint_of_size(session, old_size, "from_size")
    new = await checkpoint_of_size(session, new_size, "to_size")
    if new.tree_size < old.tree_size:
        raise InvalidArgumentError("to_size", f"checkpoint {new.tree_size} is older than checkpoint {old.tree_size}")
    path = await _nodes_for(session, consistency_ranges(old.tree_size, new.tree_size))
    return ConsistencyProof(old, new, path)


CHECKPOINT_CURSORS = CursorKind("checkpoint", "pass an endCursor from a page of audit checkpoints")


async def read_checkpoints(
    session: AsyncSession, principal: Principal, first: int | None = None, after: str | None = None
) -> tuple[list[AuditCheckpoint], bool]:
    """Checkpoints, oldest first, for any regulator (they show roots, no entry)."""
    principal.bound_to(AUDIT_READ, None, "read the audit checkpoints of")
    stmt = select(AuditCheckpoint)
    if after is not None:
        stmt = stmt.where(AuditCheckpoint.tree_size > CHECKPOINT_CURSORS.decode(after))
    return await fetch_page(session, stmt.order_by(AuditCheckpoint.tree_size), page_size(first))
