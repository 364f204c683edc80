"""The audit log: every catalogue (and later trading) state change writes one hash-chained entry in the
same transaction; regulators read the entries of their own jurisdiction; `hub audit verify` recomputes
the chain.

Entry hash = SHA-256(prev_hash as bytes || canonical JSON of {seq, at, actor, action, subject,
jurisdictions, payload}); the first entry's prev_hash is 64 zeros. Canonical JSON: keys sorted, no
spaces, UTF-8 (not ASCII-escaped).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub import cursors
from hub.auth.principal import Principal
from hub.auth.scopes import AUDIT_READ
from hub.models import AuditChainHead, AuditEntry, AuditEntryJurisdiction, utc_now

GENESIS_HASH = "0" * 64
MAX_PAGE_SIZE = 100
CURSOR_KIND = "audit"


class AuditAccessDenied(PermissionError):
    """The caller's jurisdiction binding does not cover what it asked for."""


class AuditQueryError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_document(
    seq: int, at: datetime, actor: str, action: str, subject: str, jurisdictions: Sequence[str], payload: str
) -> bytes:
    """The canonical bytes an entry's hash covers (and, later, its Merkle leaf)."""
    document = {
        "seq": seq,
        "at": at.isoformat(),
        "actor": actor,
        "action": action,
        "subject": subject,
        "jurisdictions": sorted(jurisdictions),
        "payload": json.loads(payload),
    }
    return canonical_json(document).encode()


def chain_hash(prev_hash: str, document: bytes) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash) + document).hexdigest()


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
    body = canonical_json(payload)
    digest = chain_hash(prev_hash, entry_document(seq, at, actor, action, subject, places, body))
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
    }
    await session.execute(insert(AuditEntry).values(values))
    if places:
        await session.execute(insert(AuditEntryJurisdiction), [{"seq": seq, "jurisdiction": j} for j in places])
    await session.execute(update(AuditChainHead).where(AuditChainHead.id == 1).values(last_hash=digest))
    return AuditEntry(**values)


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_bad_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None and self.problem is None


async def verify_chain(session: AsyncSession, batch: int = 1000) -> ChainReport:
    """Recomputes every entry's hash from the one before; names the first entry that does not hold."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    after = 0
    while True:
        rows = list(
            await session.scalars(
                select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq).limit(batch)
            )
        )
        if not rows:
            break
        for entry in rows:
            if entry.seq != expected_seq:
                return ChainReport(count, expected_seq, f"entry {expected_seq} is missing")
            document = entry_document(
                entry.seq, entry.at, entry.actor, entry.action, entry.subject, entry.jurisdictions, entry.payload
            )
            if entry.prev_hash != prev_hash:
                return ChainReport(count, entry.seq, f"entry {entry.seq} does not link to entry {entry.seq - 1}")
            if chain_hash(prev_hash, document) != entry.hash:
                return ChainReport(count, entry.seq, f"entry {entry.seq} does not match its hash")
            prev_hash = entry.hash
            expected_seq += 1
            count += 1
        after = rows[-1].seq
    head = await session.get_one(AuditChainHead, 1)
    if head.last_seq != count or head.last_hash != prev_hash:
        return ChainReport(count, count + 1, f"the chain head says {head.last_seq} entries, the log holds {count}")
    return ChainReport(count)


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    has_next_page: bool
    jurisdiction: str


def encode_cursor(seq: int) -> str:
    return cursors.encode_cursor(CURSOR_KIND, seq)


def decode_cursor(cursor: str) -> int:
    try:
        return cursors.decode_cursor(CURSOR_KIND, cursor)
    except cursors.UnknownCursorError as exc:
        raise AuditQueryError("after", f"{exc}: pass an endCursor from a page of the audit log") from None


async def read_entries(
    session: AsyncSession,
    principal: Principal,
    jurisdiction: str | None,
    first: int | None = None,
    after: str | None = None,
) -> AuditPage:
    """Entries touching `jurisdiction` (default: the token's), oldest first; only for that jurisdiction's regulator."""
    wanted = (jurisdiction or principal.jurisdiction or "").upper()
    if not principal.may(AUDIT_READ, jurisdiction=wanted):
        own = principal.jurisdiction or "no jurisdiction"
        raise AuditAccessDenied(
            f"an {AUDIT_READ} token of {own} may not read the audit log of {wanted or 'no jurisdiction'}"
        )
    size = 20 if first is None else first
    if not 0 <= size <= MAX_PAGE_SIZE:
        raise AuditQueryError("first", f"first must be between 0 and {MAX_PAGE_SIZE}, not {size}")
    stmt = (
        select(AuditEntry)
        .join(AuditEntryJurisdiction, AuditEntryJurisdiction.seq == AuditEntry.seq)
        .where(AuditEntryJurisdiction.jurisdiction == wanted)
    )
    if after is not None:
        stmt = stmt.where(AuditEntry.seq > decode_cursor(after))
    rows = list(await session.scalars(stmt.order_by(AuditEntry.seq).limit(size + 1)))
    return AuditPage(rows[:size], len(rows) > size, wanted)
