"""Audit types of the graph: entries and their connection."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.audit.models import AuditEntry as AuditEntryRow
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
