"""Checkpoints and proofs in the graph: `auditCheckpoints`, `auditProof(seq)`, `auditConsistency(fromSize, toSize)`,
`auditKey`. Hashes are lowercase hex; the signed notes carry the root in base64, as the note format has it."""

from __future__ import annotations

import strawberry

from hub.audit.proofs import CHECKPOINT_CURSORS, consistency_proof, inclusion_proof, read_checkpoints
from hub.auth.scopes import AUDIT_READ
from schema.audit.types import (
    AuditCheckpoint,
    AuditCheckpointConnection,
    AuditCheckpointEdge,
    AuditConsistencyProof,
    AuditProof,
)
from schema.core.context import Info
from schema.core.errors import domain_errors
from schema.core.permissions import requires
from schema.core.relay import page_info


@strawberry.type
class AuditProofQuery:
    @strawberry.field(
        description="The signed Merkle checkpoints of the audit log, oldest first.",
        permission_classes=[requires(AUDIT_READ)],
    )
    async def audit_checkpoints(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> AuditCheckpointConnection:
        with domain_errors(info.context.accept_languages):
            async with info.context.hub.sessions() as session:
                rows, more = await read_checkpoints(session, info.context.principal, first, after)
        edges = [
            AuditCheckpointEdge(cursor=CHECKPOINT_CURSORS.encode(r.tree_size), node=AuditCheckpoint.from_row(r))
            for r in rows
        ]
        return AuditCheckpointConnection(edges=edges, page_info=page_info([e.cursor for e in edges], more, after))

    @strawberry.field(
        description="An RFC 9162 inclusion proof of entry `seq` (touching the token's jurisdiction) up to the "
        "checkpoint of `treeSize` entries (default: the latest).",
        permission_classes=[requires(AUDIT_READ)],
    )
    async def audit_proof(self, info: Info, seq: int, tree_size: int | None = None) -> AuditProof:
        with domain_errors(info.context.accept_languages):
            async with info.context.hub.sessions() as session:
                proof = await inclusion_proof(session, info.context.principal, seq, tree_size)
        return AuditProof.from_proof(proof)

    @strawberry.field(
        description="An RFC 9162 consistency proof: the checkpoint of `fromSize` entries is a prefix of that of "
        "`toSize` (default: the latest).",
        permission_classes=[requires(AUDIT_READ)],
    )
    async def audit_consistency(self, info: Info, from_size: int, to_size: int | None = None) -> AuditConsistencyProof:
        with domain_errors(info.context.accept_languages):
            async with info.context.hub.sessions() as session:
                proof = await consistency_proof(session, info.context.principal, from_size, to_size)
        return AuditConsistencyProof(
            from_checkpoint=AuditCheckpoint.from_row(proof.old),
            to_checkpoint=AuditCheckpoint.from_row(proof.new),
            path=[node.hex() for node in proof.path],
        )

    @strawberry.field(
        description="The verifier key of the checkpoints' signed notes: <name>+<key hash>+<base64(0x01 || key)>."
    )
    async def audit_key(self, info: Info) -> str:
        return str(await info.context.hub.checkpoints.keys.verifier())
