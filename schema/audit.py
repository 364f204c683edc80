"""The audit log in the graph: `auditLog`, for regulators of the jurisdiction it touches."""

from __future__ import annotations

from datetime import datetime

import strawberry
from graphql import GraphQLError

from hub import audit
from hub.audit import AuditAccessDenied, AuditQueryError
from hub.auth.scopes import AUDIT_READ
from hub.models import AuditEntry as AuditEntryRow
from schema.context import Info
from schema.errors import bad_argument
from schema.permissions import requires
from schema.relay import PageInfo, page_info


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


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description="Entries touching a jurisdiction (default: the token's own), oldest first.",
        permission_classes=[requires(AUDIT_READ)],
    )
    async def audit_log(
        self, info: Info, jurisdiction: str | None = None, first: int | None = None, after: str | None = None
    ) -> AuditEntryConnection:
        try:
            async with info.context.hub.sessions() as session:
                page = await audit.read_entries(session, info.context.principal, jurisdiction, first, after)
        except AuditAccessDenied as exc:
            raise GraphQLError(str(exc), extensions={"code": "FORBIDDEN", "field": "jurisdiction"}) from None
        except AuditQueryError as exc:
            raise bad_argument(exc.field, str(exc)) from None
        edges = [AuditEntryEdge(cursor=audit.encode_cursor(r.seq), node=AuditEntry.from_row(r)) for r in page.entries]
        return AuditEntryConnection(
            edges=edges,
            page_info=page_info([e.cursor for e in edges], page.has_next_page, after),
            jurisdiction=page.jurisdiction,
        )
