"""How a partner's harvests went, as readers see it."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.harvest.models import SyncState


class SyncStatus(enum.Enum):
    """How the last harvest of a partner went."""

    NEVER = "NEVER"
    RUNNING = "RUNNING"
    OK = "OK"
    FAILED = "FAILED"


@dataclass(frozen=True)
class PartnerSyncStatus:
    status: SyncStatus
    last_synced_at: datetime | None = None
    """When the last harvest succeeded."""
    last_error: str | None = None
    """Why the last harvest failed, while that failure is the latest outcome (a running or successful
    harvest since hides it)."""

    @classmethod
    def of(cls, state: SyncState | None) -> PartnerSyncStatus:
        if state is None:
            return NEVER_SYNCED
        status = SyncStatus(state.status)
        error = state.last_error if status is SyncStatus.FAILED else None
        return cls(status, state.last_success_at, error)


NEVER_SYNCED = PartnerSyncStatus(SyncStatus.NEVER)


async def sync_statuses(session: AsyncSession, institution_ids: Sequence[int]) -> dict[int, PartnerSyncStatus]:
    """The status of each institution that was ever harvested, by institution id."""
    rows = await session.scalars(select(SyncState).where(SyncState.institution_id.in_(institution_ids)))
    return {row.institution_id: PartnerSyncStatus.of(row) for row in rows}
