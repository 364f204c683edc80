"""The Hub container: settings, database, events and the domain services, wired once per process."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.auth.service import AuthService
from hub.catalogue.change_relay import PostgresChangeRelay
from hub.catalogue.events import CatalogueEvents
from hub.catalogue.page_rows import PageReader
from hub.catalogue.push import CataloguePush
from hub.catalogue.row_sources import row_source
from hub.core.metrics import HubMetrics
from hub.db import SessionFactory, create_engine, session_factory
from hub.harvest.service import SyncService
from hub.settings import Settings


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
    partner_urls: dict[str, str] = field(default_factory=dict)
    relay: PostgresChangeRelay | None = None
    pages: PageReader | None = None
    """Catalogue pages as rows for the compiled reads (on the driver's own connections); None when they are off."""

    @classmethod
    def create(cls, settings: Settings, partner_urls: dict[str, str] | None = None) -> Hub:
        """`partner_urls` adds to (and overrides) the configured ones: sandbox servers started by `hub serve`."""
        engine = create_engine(settings.database_url)
        sessions = session_factory(engine)
        events = CatalogueEvents()
        metrics = HubMetrics()
        urls = settings.partner_urls | (partner_urls or {})
        sync = SyncService(sessions, urls, events, metrics)
        auth = AuthService.create(settings, sessions)
        push = CataloguePush(sessions, events)
        source = row_source(settings.database_url) if settings.compiled_reads else None
        pages = PageReader(source) if source is not None else None
        return cls(settings, engine, sessions, events, metrics, sync, auth, push, urls, pages=pages)

    async def start(self) -> None:
        """Starts what a serving hub runs in the background: on PostgreSQL, the change relay between processes."""
        if self.engine.dialect.name == "postgresql" and self.relay is None:
            self.relay = PostgresChangeRelay(self.engine, self.events)
            await self.relay.start()

    async def close(self) -> None:
        if self.relay is not None:
            await self.relay.close()
            self.relay = None
        if self.pages is not None:
            await self.pages.close()
        await self.engine.dispose()
