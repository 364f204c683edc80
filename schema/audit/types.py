"""Audit types of the graph: entries and their connection."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.audit.models import AuditCheckpoint as AuditCheckpointRow
from hub.audit.models import AuditEntry as AuditEntryRow
from hub.audit.proofs import InclusionProof
from schema.core.relay import PageInfo


@strawberry.type(description="One hash-chained audit entry: hash = SHA-256(prevHash bytes || canonical JSON).")
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    jurisdictions: list[str]
    payload: str = strawberry.field(description="The canonical JSON of the change's details, as hashed.")
    prev_hash: str
    hash: str
    format: int = strawberry.field(
        description="How the hashed document is spelt: 1, the first canonical JSON; 2, RFC 8785."
    )

    @classmethod
    def from_row(cls, row: AuditEntryRow) -> AuditEntry:
        return cls(
            seq=row.seq,
            at=row.at,
            actor=row.actor,
            action=row.action,
            subject=row.subject,
            jurisdictions=list(row.jurisdictions),
            payload=row.payload,
            prev_hash=row.prev_hash,
            hash=row.hash,
            format=row.format,
        )


@strawberry.type
class AuditEntryEdge:
    cursor: str
    node: AuditEntry


@strawberry.type
class AuditEntryConnection:
    edges: list[AuditEntryEdge]
    page_info: PageInfo
    jurisdiction: str


@strawberry.type(description="A signed Merkle root (RFC 6962) over audit entries 1..treeSize.")
class AuditCheckpoint:
    tree_size: int
    first_seq: int = strawberry.field(description="The first entry this checkpoint adds to the one before.")
    root_hash: str = strawberry.field(description="The Merkle tree hash, hex.")
    origin: str
    note: str = strawberry.field(
        description="The checkpoint as a signed note (origin, size, base64 root, blank line, Ed25519 signature)."
    )
    created_at: datetime

    @classmethod
    def from_row(cls, row: AuditCheckpointRow) -> AuditCheckpoint:
        return cls(
            tree_size=row.tree_size,
            first_seq=row.first_seq,
            root_hash=row.root_hash,
            origin=row.origin,
            note=row.note,
            created_at=row.created_at,
        )


@strawberry.type
class AuditCheckpointEdge:
    cursor: str
    node: AuditCheckpoint


@strawberry.type
class AuditCheckpointConnection:
    edges: list[AuditCheckpointEdge]
    page_info: PageInfo


@strawberry.type(description="Entry `seq` is leaf `leafIndex` of the checkpoint's tree (RFC 9162 2.1.3).")
class AuditProof:
    seq: int
    leaf_index: int
    tree_size: int
    entry: str = strawberry.field(description="The entry's document: the UTF-8 bytes its leaf hash covers.")
    leaf_hash: str = strawberry.field(description="SHA-256(0x00 || entry), hex.")
    audit_path: list[str] = strawberry.field(description="From the leaf's sibling up to the root, hex.")
    checkpoint: AuditCheckpoint

    @classmethod
    def from_proof(cls, proof: InclusionProof) -> AuditProof:
        return cls(
            seq=proof.seq,
            leaf_index=proof.leaf_index,
            tree_size=proof.checkpoint.tree_size,
            entry=proof.entry.decode(),
            leaf_hash=proof.leaf_hash.hex(),
            audit_path=[node.hex() for node in proof.audit_path],
            checkpoint=AuditCheckpoint.from_row(proof.checkpoint),
        )


@strawberry.type(description="The tree of `fromCheckpoint` is a prefix of that of `toCheckpoint` (RFC 9162 2.1.4).")
class AuditConsistencyProof:
    from_checkpoint: AuditCheckpoint
    to_checkpoint: AuditCheckpoint
    path: list[str] = strawberry.field(description="The proof's hashes in the RFC's order, hex.")
