"""The audit log: every catalogue (and later trading) state change writes one hash-chained entry in the
same transaction; regulators read the entries of their own jurisdiction.

Entry hash = SHA-256(prev_hash as bytes || the entry's document), the document being the canonical JSON of
{seq, at, actor, action, subject, jurisdictions, payload} in the entry's format (hub.audit.documents: RFC 8785
since format 2); the first entry's prev_hash is 64 zeros. The Merkle leaf of an entry is its document too.
Actions are named after domain events
(`catalogue.items_upserted`); the hash covers the action like any other field, whatever its name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.documents import CURRENT_FORMAT, canonical_payload, chain_hash, entry_document
from hub.audit.models import AuditChainHead, AuditEntry, AuditEntryJurisdiction
from hub.auth.principal import Principal
from hub.auth.scopes import AUDIT_READ
from hub.core.clock import utc_now
from hub.core.cursors import CursorKind
from hub.core.paging import fetch_page, page_size

GENESIS_HASH = "0" * 64
CURSORS = CursorKind("audit", "pass an endCursor from a page of the audit log")


async def append_entry(
    session: AsyncSession,
    actor: str,
    action: str,
    subject: str,
    jurisdictions: Sequence[str],
    payload: dict[str, Any],
) -> AuditEntry:
    """Appends one entry inside the caller's transaction. Call it last: it locks the chain head until commit."""
    head = (
        await session.execute(
            update(AuditChainHead)
            .where(AuditChainHead.id == 1)
            .values(last_seq=AuditChainHead.last_seq + 1)
            .returning(AuditChainHead.last_seq, AuditChainHead.last_hash)
        )
    ).one()
    seq, prev_hash = head
    at = utc_now()
    places = sorted({j.upper() for j in jurisdictions})
    body = canonical_payload(payload)
    digest = chain_hash(prev_hash, entry_document(CURRENT_FORMAT, seq, at, actor, action, subject, places, body))
    values: dict[str, Any] = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "jurisdictions": places,
        "payload": body,
        "prev_hash": prev_hash,
        "hash": digest,
        "format": CURRENT_FORMAT,
    }
    await session.execute(insert(AuditEntry).values(values))
    if places:
        await session.execute(insert(AuditEntryJurisdiction), [{"seq": seq, "jurisdiction": j} for j in places])
    await session.execute(update(AuditChainHead).where(AuditChainHead.id == 1).values(last_hash=digest))
    return AuditEntry(**values)


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    has_next_page: bool
    jurisdiction: str


async def read_entries(
    session: AsyncSession,
    principal: Principal,
    jurisdiction: str | None,
    first: int | None = None,
    after: str | None = None,
) -> AuditPage:
    """Entries touching `jurisdiction` (default: the token's), oldest first; only for that jurisdiction's regulator."""
    wanted = principal.bound_to(AUDIT_READ, jurisdiction, "read the audit log of")
    size = page_size(first)
    stmt = (
        select(AuditEntry)
        .join(AuditEntryJurisdiction, AuditEntryJurisdiction.seq == AuditEntry.seq)
        .where(AuditEntryJurisdiction.jurisdiction == wanted)
    )
    if after is not None:
        stmt = stmt.where(AuditEntry.seq > CURSORS.decode(after))
    page: tuple[list[AuditEntry], bool] = await fetch_page(session, stmt.order_by(AuditEntry.seq), size)
    return AuditPage(*page, jurisdiction=wanted)
