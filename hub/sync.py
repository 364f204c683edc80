"""Harvesting partners: records first, then the checkpoint that covers them, page by page."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import aiohttp
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.errors import SourceError
from connectors.http import PartnerHttp, RetryPolicy
from connectors.read_ahead import read_ahead
from hub.audit import append_entry
from hub.catalogue_store import ChangeSet, store_records
from hub.db import SessionFactory
from hub.events import CatalogueEvents
from hub.harvest_lock import harvest_lock
from hub.metrics import HubMetrics
from hub.models import Institution, SyncState, utc_now
from hub.partners import UnknownProtocolError, source_for

log = logging.getLogger(__name__)

SYNC_ACTOR = "hub:sync"


class SyncStatus:
    NEVER = "NEVER"
    RUNNING = "RUNNING"
    OK = "OK"
    FAILED = "FAILED"


@dataclass
class SyncResult:
    partner: str
    ok: bool
    changes: ChangeSet = field(default_factory=ChangeSet)
    pages: int = 0
    error: str | None = None
    skipped: bool = False
    """Another hub process was harvesting this partner: nothing was done, and nothing failed."""


ProgressCallback = Callable[[str, int, ChangeSet], None]
"""Called after each stored page with (partner, pages so far, changes so far)."""


class UnknownPartnerError(LookupError):
    pass


class SyncService:
    def __init__(
        self,
        sessions: SessionFactory,
        partner_urls: dict[str, str],
        events: CatalogueEvents | None = None,
        metrics: HubMetrics | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        self.sessions = sessions
        self.partner_urls = partner_urls
        self.events = events or CatalogueEvents()
        self.metrics = metrics
        self.retry_policy = retry_policy or RetryPolicy()
        self._locks: dict[str, asyncio.Lock] = {}

    @property
    def engine(self) -> AsyncEngine:
        bind = self.sessions.kw["bind"]
        assert isinstance(bind, AsyncEngine), f"sessions are bound to {bind!r}, not an async engine"
        return bind

    async def harvestable_partners(self) -> list[str]:
        async with self.sessions() as session:
            rows = await session.scalars(
                select(Institution.code).where(Institution.protocol.is_not(None)).order_by(Institution.id)
            )
            return list(rows)

    async def harvestable_protocol(self, code: str) -> str:
        """The connector protocol of partner `code`."""
        async with self.sessions() as session:
            protocol = await session.scalar(select(Institution.protocol).where(Institution.code == code))
        if protocol is None:
            raise UnknownPartnerError(f"unknown partner {code!r} or one that is not harvested")
        return protocol

    async def sync_all(
        self, codes: list[str] | None = None, full: bool = False, progress: ProgressCallback | None = None
    ) -> list[SyncResult]:
        """Harvests the partners concurrently; one failing does not stop the others."""
        targets = codes or await self.harvestable_partners()
        return list(await asyncio.gather(*(self.sync_partner(code, full, progress) for code in targets)))

    async def sync_partner(self, code: str, full: bool = False, progress: ProgressCallback | None = None) -> SyncResult:
        lock = self._locks.setdefault(code, asyncio.Lock())
        async with lock, harvest_lock(self.engine, code) as acquired:
            if not acquired:
                return SyncResult(partner=code, ok=True, skipped=True)
            return await self._sync_locked(code, full, progress)

    async def _sync_locked(self, code: str, full: bool, progress: ProgressCallback | None) -> SyncResult:
        result = SyncResult(partner=code, ok=False)
        try:
            institution_id, country, protocol, checkpoint = await self._start(code)
        except (UnknownPartnerError, UnknownProtocolError) as exc:
            result.error = str(exc)
            return result
        url = self.partner_urls.get(code)
        if url is None:
            result.error = f"{code}: no URL configured (set HUB_PARTNER_{code}_URL)"
            await self._finish(institution_id, result)
            return result
        try:
            async with aiohttp.ClientSession() as http_session:
                http = PartnerHttp(code, http_session, self.retry_policy)
                source = source_for(protocol, code, url, http)
                async for page in read_ahead(source.read(None if full else checkpoint)):
                    async with self.sessions.begin() as session:
                        changes = await store_records(session, institution_id, page.records)
                        state = await session.get_one(SyncState, institution_id)
                        state.checkpoint = page.checkpoint
                        if changes.written:
                            await append_entry(
                                session,
                                actor=SYNC_ACTOR,
                                action="catalogue.harvest",
                                subject=f"institution:{code}",
                                jurisdictions=[country],
                                payload=changes.as_payload(),
                            )
                    result.pages += 1
                    result.changes.extend(changes)
                    self._announce(code, changes)
                    if progress is not None:
                        progress(code, result.pages, result.changes)
            result.ok = True
        except SourceError as exc:
            result.error = str(exc)
        except UnknownProtocolError as exc:
            result.error = str(exc)
        except Exception as exc:  # a bug or a database fault: recorded on the partner, not raised at the loop
            log.exception("sync of %s failed unexpectedly", code)
            result.error = f"{code}: unexpected {type(exc).__name__}: {exc}"
        await self._finish(institution_id, result)
        return result

    async def _start(self, code: str) -> tuple[int, str, str, dict[str, object] | None]:
        async with self.sessions.begin() as session:
            institution = await session.scalar(select(Institution).where(Institution.code == code))
            if institution is None:
                raise UnknownPartnerError(f"unknown partner {code!r}")
            if institution.protocol is None:
                raise UnknownProtocolError(f"{code} has no connector protocol: it is not harvested")
            state = await session.get(SyncState, institution.id)
            if state is None:
                state = SyncState(institution_id=institution.id)
                session.add(state)
            state.status = SyncStatus.RUNNING
            state.last_started_at = utc_now()
            checkpoint = state.checkpoint
        self.events.touch()
        return institution.id, institution.country, institution.protocol, checkpoint

    async def _finish(self, institution_id: int, result: SyncResult) -> None:
        now = utc_now()
        async with self.sessions.begin() as session:
            state = await session.get_one(SyncState, institution_id)
            if result.ok:
                state.status = SyncStatus.OK
                state.last_success_at = now
            else:
                state.status = SyncStatus.FAILED
                state.last_error = result.error
                state.last_error_at = now
        self.events.touch()
        if self.metrics is not None:
            self.metrics.sync_runs.labels(result.partner, "ok" if result.ok else "failed").inc()
        if not result.ok:
            log.warning("sync failed: %s", result.error)

    def _announce(self, code: str, changes: ChangeSet) -> None:
        self.events.announce(code, changes)
        if self.metrics is not None:
            for label, count in (
                ("added", len(changes.added)),
                ("changed", len(changes.changed)),
                ("removed", len(changes.removed)),
                ("unchanged", changes.unchanged),
            ):
                if count:
                    self.metrics.sync_records.labels(code, label).inc(count)


async def sync_forever(service: SyncService, interval: float, first_delay: float = 0.0) -> None:
    """The background sync of `hub serve`: every `interval` seconds, all partners."""
    await asyncio.sleep(first_delay)
    while True:
        started: datetime = utc_now()
        await service.sync_all()
        elapsed = (utc_now() - started).total_seconds()
        await asyncio.sleep(max(0.0, interval - elapsed))
