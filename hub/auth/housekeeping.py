"""Forgetting what no longer matters: revoked tokens and used client assertions past their expiry
(an expired token or assertion is refused for its `exp` alone)."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth.models import RevokedToken, UsedClientAssertion
from hub.core.clock import utc_now
from hub.db import SessionFactory

log = logging.getLogger(__name__)


async def purge_expired(session: AsyncSession, now: datetime | None = None) -> int:
    """Deletes the rows that expired before `now`; returns how many."""
    moment = now or utc_now()
    removed = 0
    for model in (RevokedToken, UsedClientAssertion):
        result = await session.execute(delete(model).where(model.expires_at < moment))
        removed += int(getattr(result, "rowcount", 0) or 0)
    return removed


async def purge_forever(sessions: SessionFactory, interval: float = 3600.0) -> None:
    """The housekeeping of `hub serve`: every `interval` seconds."""
    while True:
        try:
            async with sessions.begin() as session:
                await purge_expired(session)
        except Exception:  # a database hiccup: try again next time, keep serving
            log.exception("housekeeping failed")
        await asyncio.sleep(interval)
