"""The Hub container: settings, database, events and the domain services, wired once per process."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from connectors.limits import ConnectorLimits
from hub.audit.checkpointing import Checkpointer
from hub.audit.models import AuditCheckpoint
from hub.audit.note_keys import NoteKeys
from hub.auth.service import AuthService
from hub.catalogue.change_relay import PostgresChangeRelay
from hub.catalogue.events import CatalogueEvents
from hub.catalogue.page_rows import PageReader
from hub.catalogue.push import CataloguePush
from hub.catalogue.row_sources import row_source
from hub.chain.anchoring import Anchoring
from hub.clearance.acceptance import EngineClearance
from hub.clearance.rule_table import load_rule_table
from hub.clearance.service import ClearanceService
from hub.core.data_version import DataVersion
from hub.core.metrics import HubMetrics
from hub.db import SessionFactory, create_engine, session_factory
from hub.harvest.service import SyncService
from hub.money.service import MoneyService
from hub.provenance.service import ProvenanceService
from hub.settings import Settings
from hub.trading.events import TRANSFER_EVENTS, TransferEvents
from hub.trading.service import TradingService
from hub.trading.update_relay import PostgresTransferRelay


@dataclass
class Hub:
    settings: Settings
    engine: AsyncEngine
    sessions: SessionFactory
    events: CatalogueEvents
    metrics: HubMetrics
    sync: SyncService
    auth: AuthService
    push: CataloguePush
    money: MoneyService
    trading: TradingService
    transfer_events: TransferEvents
    clearance: ClearanceService
    anchoring: Anchoring
    """Queues each audit checkpoint's anchors on every configured chain; the serving hub's background runs it."""
    provenance: ProvenanceService
    partner_urls: dict[str, str] = field(default_factory=dict)
    relay: PostgresChangeRelay | None = None
    transfer_relay: PostgresTransferRelay | None = None
    data_version: DataVersion | None = None
    pages: PageReader | None = None
    """Catalogue pages as rows for the compiled reads (on the driver's own connections); None when they are off."""
    checkpoints: Checkpointer = field(init=False)
    """Makes the audit log's signed checkpoints (the serving hub runs it in the background)."""

    def __post_init__(self) -> None:
        settings = self.settings
        self.checkpoints = Checkpointer(
            self.sessions,
            NoteKeys(self.sessions, settings.audit_origin),
            settings.audit_origin,
            settings.audit_checkpoint_entries,
            settings.audit_checkpoint_seconds,
        )
        self.checkpoints.hooks.append(self.queue_anchors)

    async def queue_anchors(self, session: AsyncSession, checkpoint: AuditCheckpoint) -> None:
        """Each checkpoint's anchors on every configured chain, queued in the checkpoint's transaction."""
        await self.anchoring.checkpoint_made(session, checkpoint)

    @classmethod
    def create(cls, settings: Settings, partner_urls: dict[str, str] | None = None) -> Hub:
        """`partner_urls` adds to (and overrides) the configured ones: sandbox servers started by `hub serve`."""
        engine = create_engine(settings.database_url, settings.statement_timeout)
        sessions = session_factory(engine)
        events = CatalogueEvents()
        metrics = HubMetrics()
        urls = settings.partner_urls | (partner_urls or {})
        limits = ConnectorLimits(
            max_response_bytes=settings.partner_max_response_bytes,
            max_pages=settings.harvest_max_pages,
            max_seconds=settings.harvest_max_seconds,
        )
        sync = SyncService(sessions, urls, events, metrics, limits=limits)
        auth = AuthService.create(settings, sessions)
        push = CataloguePush(sessions, events)
        money = MoneyService(sessions)
        transfer_events = TransferEvents()
        sessions.configure(info={TRANSFER_EVENTS: transfer_events})
        rule_table = load_rule_table()  # a broken rule table stops the hub here
        trading = TradingService(sessions, transfer_events, EngineClearance(rule_table))
        clearance = ClearanceService(sessions, rule_table)
        anchoring = Anchoring(settings, sessions)
        source = row_source(settings.database_url, settings.statement_timeout) if settings.compiled_reads else None
        return cls(
            settings,
            engine,
            sessions,
            events,
            metrics,
            sync,
            auth,
            push,
            money,
            trading,
            transfer_events,
            clearance,
            anchoring,
            ProvenanceService(sessions, anchoring.registration_made),
            urls,
            data_version=DataVersion(settings.database_url),
            pages=PageReader(source) if source is not None else None,
        )

    async def start(self) -> None:
        """Starts what a serving hub runs in the background: on PostgreSQL, the catalogue change and transfer event
        relays between processes."""
        if self.engine.dialect.name == "postgresql" and self.relay is None:
            self.relay = PostgresChangeRelay(self.engine, self.events)
            await self.relay.start()
        if self.engine.dialect.name == "postgresql" and self.transfer_relay is None:
            self.transfer_relay = PostgresTransferRelay(self.engine, self.transfer_events)
            await self.transfer_relay.start()

    async def close(self) -> None:
        if self.transfer_relay is not None:
            await self.transfer_relay.close()
            self.transfer_relay = None
        if self.relay is not None:
            await self.relay.close()
            self.relay = None
        if self.data_version is not None:
            await self.data_version.close()
        if self.pages is not None:
            await self.pages.close()
        await self.engine.dispose()
