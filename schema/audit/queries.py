"""The audit log in the graph: `auditLog`, for regulators of the jurisdiction it touches."""

from __future__ import annotations

import strawberry

from hub.audit.log import CURSORS, read_entries
from hub.auth.scopes import AUDIT_READ
from schema.audit.types import AuditEntry, AuditEntryConnection, AuditEntryEdge
from schema.core.context import Info
from schema.core.errors import domain_errors
from schema.core.permissions import requires
from schema.core.relay import page_info


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description="Entries touching a jurisdiction (default: the token's own), oldest first.",
        permission_classes=[requires(AUDIT_READ)],
    )
    async def audit_log(
        self, info: Info, jurisdiction: str | None = None, first: int | None = None, after: str | None = None
    ) -> AuditEntryConnection:
        with domain_errors(info.context.accept_languages):
            async with info.context.hub.sessions() as session:
                page = await read_entries(session, info.context.principal, jurisdiction, first, after)
        edges = [AuditEntryEdge(cursor=CURSORS.encode(r.seq), node=AuditEntry.from_row(r)) for r in page.entries]
        return AuditEntryConnection(
            edges=edges,
            page_info=page_info([e.cursor for e in edges], page.has_next_page, after),
            jurisdiction=page.jurisdiction,
        )
