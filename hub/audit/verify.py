"""Verifying the audit log: every entry's hash recomputed from the one before, every checkpoint's Merkle root
recomputed from the entries and its signed note checked, the chain head compared.

One pass over the entries in `seq` order, in pages: the Merkle tree is grown leaf by leaf as a compact range
(O(log n) hashes in memory), and each checkpoint's root is read off it when the pass reaches the checkpoint's size.
Verification reads what each entry holds; it never depends on what an action is called. The first thing that
does not hold, in log order, is named: an entry by its `seq`, a checkpoint by its tree size.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from hub.audit.documents import FORMAT_2, entry_bytes, places_json, spell_v2
from hub.audit.log import GENESIS_HASH
from hub.audit.merkle import CompactRange, leaf_hash
from hub.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry
from hub.audit.signed_note import NoteError, NoteVerifier, open_checkpoint

PAGE = 20_000


@dataclass(frozen=True)
class ChainReport:
    """What `hub audit verify` found: counts, and the first entry or checkpoint that does not hold."""

    entries: int
    checkpoints: int = 0
    first_bad_seq: int | None = None
    bad_checkpoint: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None and self.bad_checkpoint is None and self.problem is None


AuditReport = ChainReport


def checkpoint_problem(checkpoint: AuditCheckpoint, root: bytes, verifiers: Sequence[NoteVerifier]) -> str | None:
    """Why `checkpoint` does not hold, given the root recomputed from the entries; None when it holds."""
    name = f"checkpoint {checkpoint.tree_size}"
    if checkpoint.root_hash != root.hex():
        return f"{name} records root {checkpoint.root_hash}, its entries give {root.hex()}"
    errors: list[str] = []
    for verifier in verifiers:
        try:
            opened = open_checkpoint(checkpoint.note, verifier)
        except NoteError as error:
            errors.append(str(error))
            continue
        if (opened.origin, opened.tree_size, opened.root) != (checkpoint.origin, checkpoint.tree_size, root):
            return (
                f"{name}: its signed note says {opened.tree_size} entries of {opened.origin} with root "
                f"{opened.root.hex()}, not {checkpoint.tree_size} of {checkpoint.origin} with root {root.hex()}"
            )
        return None
    if not verifiers:
        return f"{name}: no key to check its signature with"
    return f"{name}: its signed note does not hold: {'; '.join(errors)}"


class _Pass:
    """The state of one verification pass."""

    def __init__(self, checkpoints: list[AuditCheckpoint], verifiers: Sequence[NoteVerifier]) -> None:
        self.checkpoints = checkpoints
        self.next_checkpoint = 0
        self.verifiers = verifiers
        self.tree = CompactRange()
        self.prev = bytes.fromhex(GENESIS_HASH)
        self.prev_hex = GENESIS_HASH
        self._known_places: dict[str, tuple[list[str], str]] = {}

    def entry(self, row: tuple[Any, ...]) -> ChainReport | None:
        fmt, seq, raw_at, actor, action, subject, raw_places, payload, prev_hash, digest = row
        count = self.tree.size
        if seq != count + 1:
            return ChainReport(count, self.next_checkpoint, count + 1, problem=f"entry {count + 1} is missing")
        if prev_hash != self.prev_hex:
            return ChainReport(
                count, self.next_checkpoint, seq, problem=f"entry {seq} does not link to entry {seq - 1}"
            )
        places = self._places(raw_places)
        expected = bytes.fromhex(digest)
        document = spell_v2(seq, _iso(raw_at), actor, action, subject, places[1], payload) if fmt == FORMAT_2 else b""
        if not document or hashlib.sha256(self.prev + document).digest() != expected:
            at = _utc(raw_at)
            document = entry_bytes(fmt, seq, at, actor, action, subject, places[0], payload, prev_hash, digest)
            if hashlib.sha256(self.prev + document).digest() != expected:
                return ChainReport(count, self.next_checkpoint, seq, problem=f"entry {seq} does not match its hash")
        self.tree.push(leaf_hash(document))
        self.prev, self.prev_hex = expected, digest
        if self.next_checkpoint < len(self.checkpoints) and self.checkpoints[self.next_checkpoint].tree_size <= seq:
            return self.checkpoints_reached()
        return None

    def _places(self, raw: str | list[str]) -> tuple[list[str], str]:
        """The jurisdictions of a stored JSON list (SQLite gives its text, asyncpg the list), and their spelling in a
        document (a few lists recur)."""
        key = raw if isinstance(raw, str) else "\x00".join(raw)
        known = self._known_places.get(key)
        if known is None:
            places = json.loads(raw) if isinstance(raw, str) else list(raw)
            known = self._known_places[key] = (places, places_json(places))
        return known

    def checkpoints_reached(self) -> ChainReport | None:
        while self.next_checkpoint < len(self.checkpoints):
            checkpoint = self.checkpoints[self.next_checkpoint]
            if checkpoint.tree_size > self.tree.size:
                return None
            if checkpoint.tree_size < self.tree.size:  # only a checkpoint of 0 entries or out of order
                return self.bad(checkpoint, f"checkpoint {checkpoint.tree_size} does not follow the log")
            problem = checkpoint_problem(checkpoint, self.tree.root(), self.verifiers)
            if problem is not None:
                return self.bad(checkpoint, problem)
            self.next_checkpoint += 1
        return None

    def bad(self, checkpoint: AuditCheckpoint, problem: str) -> ChainReport:
        return ChainReport(self.tree.size, self.next_checkpoint, bad_checkpoint=checkpoint.tree_size, problem=problem)


RAW_COLUMNS = (
    AuditEntry.format,
    AuditEntry.seq,
    type_coerce(AuditEntry.at, String),
    AuditEntry.actor,
    AuditEntry.action,
    AuditEntry.subject,
    type_coerce(AuditEntry.jurisdictions, String),
    AuditEntry.payload,
    AuditEntry.prev_hash,
    AuditEntry.hash,
)
"""What verification reads of an entry, as the driver gives it: time and jurisdictions unparsed where the driver
leaves them so (SQLite: text; asyncpg: a datetime and a list)."""


def _iso(raw: str | datetime) -> str:
    """`_utc(raw).isoformat()`, straight from SQLite's stored text (YYYY-MM-DD HH:MM:SS.ffffff, UTC) when it is that."""
    if isinstance(raw, str) and len(raw) == 26 and raw[10] == " " and raw[19] == ".":
        if raw.endswith(".000000"):  # isoformat() leaves out zero microseconds
            return f"{raw[:10]}T{raw[11:19]}+00:00"
        return f"{raw[:10]}T{raw[11:]}+00:00"
    return _utc(raw).isoformat()


def _utc(raw: str | datetime) -> datetime:
    at = datetime.fromisoformat(raw) if isinstance(raw, str) else raw
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


async def _fetch(connection: AsyncConnection, after: int, size: int) -> list[tuple[Any, ...]]:
    stmt = select(*RAW_COLUMNS).where(AuditEntry.seq > after).order_by(AuditEntry.seq).limit(size)
    return [tuple(row) for row in await connection.execute(stmt)]


async def verify_log(
    session: AsyncSession, verifiers: Sequence[NoteVerifier] | None = None, page: int = PAGE
) -> ChainReport:
    """Checks every entry and every checkpoint (signatures against `verifiers`, default: the keys the database
    holds); names the first entry or checkpoint that does not hold. The next page is read while one is checked."""
    if verifiers is None:
        from hub.audit.note_keys import stored_verifiers

        verifiers = await stored_verifiers(session)
    checkpoints = list(await session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.tree_size)))
    state = _Pass(checkpoints, verifiers)
    connection = await session.connection()
    rows = await _fetch(connection, 0, page)
    while rows:
        upcoming = asyncio.ensure_future(_fetch(connection, rows[-1][1], page))
        try:
            for row in rows:
                failure = state.entry(row)
                if failure is not None:
                    return failure
        finally:
            if not upcoming.done():
                await asyncio.wait([upcoming])
        rows = upcoming.result()
    count = state.tree.size
    if state.next_checkpoint < len(checkpoints):
        beyond = checkpoints[state.next_checkpoint]
        return state.bad(
            beyond, f"checkpoint {beyond.tree_size} covers {beyond.tree_size} entries, the log holds {count}"
        )
    head = await session.get_one(AuditChainHead, 1)
    if head.last_seq != count or head.last_hash != state.prev_hex:
        return ChainReport(
            count,
            len(checkpoints),
            count + 1,
            problem=f"the chain head says {head.last_seq} entries, the log holds {count}",
        )
    return ChainReport(count, len(checkpoints))


async def verify_chain(session: AsyncSession, batch: int = PAGE) -> ChainReport:
    """`verify_log` with the keys the database holds."""
    return await verify_log(session, page=batch)
