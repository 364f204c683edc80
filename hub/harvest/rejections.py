"""Records a partner sent that could not be normalised: kept aside with their reason, in the page's transaction,
until the partner sends them again in a usable form; shown to the partner's own `catalogue:write` token."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from connectors.records import RejectedRecord
from hub.auth.principal import Principal
from hub.auth.scopes import CATALOGUE_WRITE
from hub.catalogue.institutions import institution_by_code
from hub.core.cursors import CursorKind
from hub.core.paging import fetch_page, page_size
from hub.harvest.models import Rejection

MAX_KEPT = 10_000
"""Rejections kept per institution: the ones seen last; older ones are dropped as new ones arrive."""
CURSORS = CursorKind("rejection", "pass an endCursor from a page of rejectedRecords")


def _latest_by_key(rejected: Sequence[RejectedRecord]) -> dict[str, tuple[RejectedRecord, int]]:
    """Within one page the last rejection of a key wins; the count is how often the page holds it."""
    latest: dict[str, tuple[RejectedRecord, int]] = {}
    for record in rejected:
        seen = latest.get(record.key, (record, 0))[1]
        latest[record.key] = (record, seen + 1)
    return latest


def _upsert(session: AsyncSession, rows: list[dict[str, Any]]) -> Any:
    """INSERT ... ON CONFLICT (institution_id, key) DO UPDATE, as both SQLite and PostgreSQL spell it."""
    if session.get_bind().dialect.name == "postgresql":
        statement: Any = postgresql.insert(Rejection).values(rows)
    else:
        statement = sqlite.insert(Rejection).values(rows)
    return statement.on_conflict_do_update(
        index_elements=[Rejection.institution_id, Rejection.key],
        set_={
            "source_id": statement.excluded.source_id,
            "reason": statement.excluded.reason,
            "excerpt": statement.excluded.excerpt,
            "last_seen_at": statement.excluded.last_seen_at,
            "times_seen": Rejection.times_seen + statement.excluded.times_seen,
        },
    )


async def store_rejections(
    session: AsyncSession, institution_id: int, rejected: Sequence[RejectedRecord], now: datetime, keep: int = MAX_KEPT
) -> list[str]:
    """Upserts the page's rejections on (institution, key) in the caller's transaction; returns their keys.

    A record rejected again stays one row (its reason and excerpt the latest, `times_seen` counting); past `keep`
    rows for the institution, those seen longest ago are dropped.
    """
    latest = _latest_by_key(rejected)
    if not latest:
        return []
    rows = [
        {
            "institution_id": institution_id,
            "key": key,
            "source_id": record.source_id,
            "reason": record.reason,
            "excerpt": record.excerpt,
            "first_seen_at": now,
            "last_seen_at": now,
            "times_seen": count,
        }
        for key, (record, count) in latest.items()
    ]
    await session.execute(_upsert(session, rows))
    await _drop_beyond(session, institution_id, keep)
    return list(latest)


async def _drop_beyond(session: AsyncSession, institution_id: int, keep: int) -> None:
    beyond = (
        select(Rejection.id)
        .where(Rejection.institution_id == institution_id)
        .order_by(Rejection.last_seen_at.desc(), Rejection.id.desc())
        .offset(keep)
    )
    oldest_kept = await session.scalar(beyond.limit(1))
    if oldest_kept is not None:
        await session.execute(delete(Rejection).where(Rejection.id.in_(beyond.scalar_subquery())))


async def clear_rejections(session: AsyncSession, institution_id: int, source_ids: Sequence[str]) -> list[str]:
    """Deletes the rejections of records that arrived good or as tombstones; returns the source ids cleared."""
    if not source_ids:
        return []
    cleared = list(
        await session.scalars(
            select(Rejection.key).where(
                Rejection.institution_id == institution_id,
                Rejection.key.in_(set(source_ids)),
                Rejection.source_id.is_not(None),
            )
        )
    )
    if cleared:
        await session.execute(
            delete(Rejection).where(Rejection.institution_id == institution_id, Rejection.key.in_(cleared))
        )
    return sorted(cleared)


async def sweep_rejections(session: AsyncSession, institution_id: int, before: datetime) -> list[str]:
    """Deletes the rejections a full harvest started at `before` did not see again; returns their keys."""
    stale = (Rejection.institution_id == institution_id, Rejection.last_seen_at < before)
    keys = sorted(await session.scalars(select(Rejection.key).where(*stale)))
    if keys:
        await session.execute(delete(Rejection).where(*stale))
    return keys


@dataclass
class RejectionPage:
    rejections: list[Rejection]
    has_next_page: bool
    institution: str
    total_count: int


async def read_rejections(
    session: AsyncSession,
    principal: Principal,
    institution: str | None,
    first: int | None = None,
    after: str | None = None,
) -> RejectionPage:
    """The records an institution's partner sent that were set aside, latest first; for its own token only."""
    code = principal.bound_to(CATALOGUE_WRITE, institution, "read the rejected records of")
    size = page_size(first)
    row = await institution_by_code(session, code)
    stmt = select(Rejection).where(Rejection.institution_id == row.id)
    if after is not None:
        stmt = stmt.where(Rejection.id < CURSORS.decode(after))
    page: tuple[list[Rejection], bool] = await fetch_page(session, stmt.order_by(Rejection.id.desc()), size)
    total = await session.scalar(select(func.count()).select_from(Rejection).where(Rejection.institution_id == row.id))
    return RejectionPage(*page, institution=code, total_count=total or 0)
