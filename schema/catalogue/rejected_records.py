"""Records a partner sent that the hub set aside, for that partner's own `catalogue:write` token."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.harvest.models import Rejection
from hub.harvest.rejections import CURSORS, RejectionPage
from schema.core.relay import PageInfo, page_info


@strawberry.type(description="A partner record the hub could not read as a catalogue item: kept aside, not served.")
class RejectedRecord:
    source_id: str | None = strawberry.field(description="The partner's identifier, when the record names one.")
    reason: str
    excerpt: str = strawberry.field(description="The start of the record as the partner sent it (2,048 bytes).")
    first_seen_at: datetime
    last_seen_at: datetime
    times_seen: int = strawberry.field(description="How often harvests received it in this form.")

    @classmethod
    def from_row(cls, row: Rejection) -> RejectedRecord:
        return cls(
            source_id=row.source_id,
            reason=row.reason,
            excerpt=row.excerpt,
            first_seen_at=row.first_seen_at,
            last_seen_at=row.last_seen_at,
            times_seen=row.times_seen,
        )


@strawberry.type
class RejectedRecordEdge:
    cursor: str
    node: RejectedRecord


@strawberry.type
class RejectedRecordConnection:
    edges: list[RejectedRecordEdge]
    page_info: PageInfo
    institution: str
    total_count: int = strawberry.field(description="Records set aside for the institution, over all pages.")

    @classmethod
    def from_page(cls, page: RejectionPage, after: str | None) -> RejectedRecordConnection:
        edges = [
            RejectedRecordEdge(cursor=CURSORS.encode(r.id), node=RejectedRecord.from_row(r)) for r in page.rejections
        ]
        return cls(
            edges=edges,
            page_info=page_info([e.cursor for e in edges], page.has_next_page, after),
            institution=page.institution,
            total_count=page.total_count,
        )
