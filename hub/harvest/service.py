"""Harvesting partners: records first, then the checkpoint that covers them, page by page."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiohttp
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.errors import SourceError
from connectors.http import PartnerHttp, RetryPolicy
from connectors.limits import ConnectorLimits
from connectors.read_ahead import read_ahead
from connectors.records import Page, RejectedRecord
from connectors.source import Source
from hub.audit.log import append_entry
from hub.auth.principal import Principal
from hub.auth.scopes import CATALOGUE_WRITE
from hub.catalogue.changes import CatalogueAction, ChangeSet, audit_changes
from hub.catalogue.events import CatalogueEvents
from hub.catalogue.institutions import institution_by_code
from hub.catalogue.models import Institution
from hub.catalogue.store import store_records
from hub.core.clock import utc_now
from hub.core.metrics import HubMetrics
from hub.core.user_errors import Refused, UserError
from hub.db import SessionFactory
from hub.harvest.bounds import CheckpointTooLarge, bounded_error, checked_checkpoint, source_error_message
from hub.harvest.errors import HarvestErrorCode, PartnerUrlMissingError, UnknownPartnerError
from hub.harvest.lock import harvest_lock
from hub.harvest.models import SyncState
from hub.harvest.partners import UnknownProtocolError, source_for
from hub.harvest.rejections import MAX_KEPT, clear_rejections, store_rejections, sweep_rejections
from hub.harvest.status import SyncStatus

log = logging.getLogger(__name__)

SYNC_ACTOR = "hub:sync"
SYNC_FINISHED = "harvest.sync_finished"
SYNC_INTERRUPTED = "harvest.sync_interrupted"


def sync_result_payload(result: SyncResult) -> dict[str, object]:
    """What a harvest run did, as its audit entry says (the records themselves have their own entries)."""
    changes = result.changes
    return {
        "ok": result.ok,
        "pages": result.pages,
        "added": len(changes.added),
        "changed": len(changes.changed),
        "removed": len(changes.removed),
        "unchanged": changes.unchanged,
        "rejected": changes.rejected,
        "error": result.error,
    }


FIRST_REJECTIONS_SHOWN = 5
INTERRUPTED = (
    "interrupted: the harvest stopped without finishing (its hub process ended); "
    "the next run resumes from the last page stored"
)


@dataclass
class SyncResult:
    """What one harvest of a partner did: the one shape the CLI, the metrics and `triggerSync` report."""

    partner: str
    ok: bool
    changes: ChangeSet = field(default_factory=ChangeSet)
    pages: int = 0
    error: str | None = None
    skipped: bool = False
    """Another hub process was harvesting this partner: nothing was done, and nothing failed."""
    first_rejections: list[RejectedRecord] = field(default_factory=list)
    """The first few records set aside (of `rejected`), for the operator to see why."""

    @property
    def rejected(self) -> int:
        """Records of the partner set aside by this harvest: stored with their reason, not in the catalogue."""
        return self.changes.rejected

    @property
    def errors(self) -> list[UserError]:
        """A failed harvest as a user error (SYNC_FAILED) beside the result; none when it succeeded."""
        if self.ok:
            return []
        return [UserError(HarvestErrorCode.SYNC_FAILED, None, self.error or f"sync of {self.partner} failed")]


ProgressCallback = Callable[["SyncResult"], None]
"""Called after each stored page with the harvest's result so far (pages, changes, records set aside)."""


@dataclass(frozen=True)
class _Harvest:
    """A partner as one harvest of it starts."""

    institution_id: int
    code: str
    country: str
    protocol: str
    checkpoint: dict[str, Any] | None
    started_at: datetime


class SyncService:
    def __init__(
        self,
        sessions: SessionFactory,
        partner_urls: dict[str, str],
        events: CatalogueEvents | None = None,
        metrics: HubMetrics | None = None,
        retry_policy: RetryPolicy | None = None,
        limits: ConnectorLimits | None = None,
        max_rejections: int = MAX_KEPT,
    ) -> None:
        self.sessions = sessions
        self.partner_urls = partner_urls
        self.events = events or CatalogueEvents()
        self.metrics = metrics
        self.retry_policy = retry_policy or RetryPolicy()
        self.limits = limits or ConnectorLimits()
        self.max_rejections = max_rejections
        """Rejections kept per institution (the latest seen)."""
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

    async def trigger_sync(self, principal: Principal, institution: str | None, full: bool = False) -> SyncResult:
        """Harvests the caller's institution now, on its request; it must be a harvested partner."""
        code = principal.bound_to(CATALOGUE_WRITE, institution, "write the catalogue of")
        async with self.sessions() as session:
            row = await institution_by_code(session, code)
        if row.protocol is None:
            raise Refused(
                UserError(HarvestErrorCode.NOT_HARVESTED, "institution", f"{code} is not harvested: push its items")
            )
        return await self.sync_partner(code, full)

    async def sync_partner(self, code: str, full: bool = False, progress: ProgressCallback | None = None) -> SyncResult:
        lock = self._locks.setdefault(code, asyncio.Lock())
        async with lock, harvest_lock(self.engine, code) as acquired:
            if not acquired:
                return SyncResult(partner=code, ok=True, skipped=True)
            return await self._harvest(code, full, progress)

    async def recover_interrupted(self) -> list[str]:
        """Partners left RUNNING by a harvest that died (no process holds their lock now) become FAILED,
        "interrupted"; returns their codes. `hub sync` calls it as it starts, `hub serve` at every scan."""
        async with self.sessions() as session:
            running = await session.execute(
                select(SyncState.institution_id, Institution.code)
                .join(Institution, Institution.id == SyncState.institution_id)
                .where(SyncState.status == SyncStatus.RUNNING.value)
            )
            rows = running.all()
        recovered = []
        for institution_id, code in rows:
            lock = self._locks.setdefault(code, asyncio.Lock())
            if lock.locked():
                continue  # this service is harvesting it
            async with lock, harvest_lock(self.engine, code) as acquired:
                if acquired and await self._mark_interrupted(institution_id, code):
                    recovered.append(code)
        return recovered

    async def _mark_interrupted(self, institution_id: int, code: str) -> bool:
        async with self.sessions.begin() as session:
            state = await session.get_one(SyncState, institution_id)
            if state.status != SyncStatus.RUNNING.value:
                return False
            state.status = SyncStatus.FAILED.value
            state.last_error = f"{code}: {INTERRUPTED}"
            state.last_error_at = utc_now()
            country = await session.scalar(select(Institution.country).where(Institution.id == institution_id))
            payload = {"ok": False, "error": state.last_error}
            await append_entry(
                session, SYNC_ACTOR, SYNC_INTERRUPTED, f"institution:{code}", [country] if country else [], payload
            )
        log.warning("the last harvest of %s was %s", code, INTERRUPTED)
        self.events.touch()
        return True

    async def _harvest(self, code: str, full: bool, progress: ProgressCallback | None) -> SyncResult:
        result = SyncResult(partner=code, ok=False)
        try:
            harvest = await self._start(code)
        except (UnknownPartnerError, UnknownProtocolError) as exc:
            result.error = str(exc)
            return result
        try:
            await self._read(harvest, full, result, progress)
            if full:
                await self._sweep(harvest)
            result.ok = True
        except SourceError as exc:
            result.error = source_error_message(exc)
        except (CheckpointTooLarge, UnknownProtocolError, PartnerUrlMissingError) as exc:
            result.error = str(exc)
        except asyncio.CancelledError:  # the hub is stopping: say so on the partner rather than leave it RUNNING
            result.error = f"{code}: {INTERRUPTED}"
            await asyncio.shield(self._finish(harvest, result))
            raise
        except Exception as exc:  # a bug or a database fault: recorded on the partner, not raised at the loop
            log.exception("sync of %s failed unexpectedly", code)
            result.error = f"{code}: unexpected {type(exc).__name__}: {exc}"
        await self._finish(harvest, result)
        return result

    async def _read(self, harvest: _Harvest, full: bool, result: SyncResult, progress: ProgressCallback | None) -> None:
        async with self._open_source(harvest, full) as source:
            async for page in source:
                changes = await self._store_page(harvest, page)
                result.pages += 1
                result.changes.extend(changes)
                room = FIRST_REJECTIONS_SHOWN - len(result.first_rejections)
                result.first_rejections += page.rejected[: max(room, 0)]
                self._announce(harvest.code, changes)
                if progress is not None:
                    progress(result)

    async def _start(self, code: str) -> _Harvest:
        """Marks the partner's harvest as running and reads where the last one stopped."""
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
            elif state.status == SyncStatus.RUNNING.value:  # this process holds the partner's lock: that run died
                log.warning("the last harvest of %s was %s", code, INTERRUPTED)
            started = utc_now()
            state.status = SyncStatus.RUNNING.value
            state.last_started_at = started
            checkpoint = state.checkpoint
        self.events.touch()
        return _Harvest(institution.id, code, institution.country, institution.protocol, checkpoint, started)

    @contextlib.asynccontextmanager
    async def _open_source(self, harvest: _Harvest, full: bool = False) -> AsyncIterator[AsyncIterator[Page]]:
        """The partner's pages from its checkpoint, read ahead while the current one is stored."""
        url = self.partner_urls.get(harvest.code)
        if url is None:
            raise PartnerUrlMissingError(f"{harvest.code}: no URL configured (set HUB_PARTNER_{harvest.code}_URL)")
        async with aiohttp.ClientSession() as http_session:
            http = PartnerHttp(harvest.code, http_session, self.retry_policy, self.limits)
            source: Source = source_for(harvest.protocol, harvest.code, url, http)
            yield read_ahead(source.read(None if full else harvest.checkpoint))

    async def _store_page(self, harvest: _Harvest, page: Page) -> ChangeSet:
        """One page in one transaction: its records, the rejections it clears and sets aside, its checkpoint,
        and the audit entry of them all."""
        checkpoint = checked_checkpoint(harvest.code, page.checkpoint)
        institution_id = harvest.institution_id
        async with self.sessions.begin() as session:
            changes = await store_records(session, institution_id, page.records)
            cleared = await clear_rejections(session, institution_id, [record.source_id for record in page.records])
            rejected = await store_rejections(session, institution_id, page.rejected, utc_now(), self.max_rejections)
            state = await session.get_one(SyncState, institution_id)
            state.checkpoint = checkpoint
            more = {"rejected": rejected, "cleared": cleared}
            await audit_changes(
                session, changes, SYNC_ACTOR, CatalogueAction.HARVESTED, harvest.code, harvest.country, more
            )
        changes.rejected = len(page.rejected)
        return changes

    async def _sweep(self, harvest: _Harvest) -> None:
        """After a full harvest: the rejections it did not see again are gone from the partner."""
        async with self.sessions.begin() as session:
            swept = await sweep_rejections(session, harvest.institution_id, harvest.started_at)
            await audit_changes(
                session,
                ChangeSet(),
                SYNC_ACTOR,
                CatalogueAction.HARVESTED,
                harvest.code,
                harvest.country,
                {"cleared": swept},
            )

    async def _finish(self, harvest: _Harvest, result: SyncResult) -> None:
        """Records how the harvest went on the partner, for readers and for metrics; a run that failed, changed
        records or set some aside also gets an audit entry of its result, in the same transaction (a run that found
        nothing new, none). When that entry cannot be written (the audit log refuses it), the partner's status is
        recorded alone, so the operator sees the failure, and the miss is logged as an error."""
        if not result.ok:
            result.error = bounded_error(result.error or f"{result.partner}: failed")
        audited = not result.ok or bool(result.changes.written or result.changes.rejected)
        try:
            await self._record_result(harvest, result, audited)
        except SQLAlchemyError as exc:
            if not audited:
                raise
            log.error("the result of the %s harvest could not be audited: %s", harvest.code, exc)
            await self._record_result(harvest, result, audited=False)
        self.events.touch()
        if self.metrics is not None:
            self.metrics.sync_runs.labels(result.partner, "ok" if result.ok else "failed").inc()
        if not result.ok:
            log.warning("sync failed: %s", result.error)

    async def _record_result(self, harvest: _Harvest, result: SyncResult, audited: bool) -> None:
        now = utc_now()
        async with self.sessions.begin() as session:
            state = await session.get_one(SyncState, harvest.institution_id)
            if result.ok:
                state.status = SyncStatus.OK.value
                state.last_success_at = now
            else:
                state.status = SyncStatus.FAILED.value
                state.last_error = result.error
                state.last_error_at = now
            if audited:
                await append_entry(
                    session,
                    SYNC_ACTOR,
                    SYNC_FINISHED,
                    f"institution:{harvest.code}",
                    [harvest.country],
                    sync_result_payload(result),
                )

    def _announce(self, code: str, changes: ChangeSet) -> None:
        self.events.announce(code, changes)
        if self.metrics is not None:
            for label, count in (
                ("added", len(changes.added)),
                ("changed", len(changes.changed)),
                ("removed", len(changes.removed)),
                ("unchanged", changes.unchanged),
                ("rejected", changes.rejected),
            ):
                if count:
                    self.metrics.sync_records.labels(code, label).inc(count)
