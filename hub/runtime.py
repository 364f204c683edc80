"""The running hub's shared objects: database, events, sync service, metrics, auth."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.auth.runtime import HubAuth
from hub.catalogue_push import CataloguePush
from hub.db import SessionFactory, create_engine, session_factory
from hub.events import CatalogueEvents
from hub.metrics import HubMetrics
from hub.settings import Settings
from hub.sync import SyncService


@dataclass
class Hub:
    settings: Settings
    engine: AsyncEngine
    sessions: SessionFactory
    events: CatalogueEvents
    metrics: HubMetrics
    sync: SyncService
    auth: HubAuth
    push: CataloguePush
    partner_urls: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(cls, settings: Settings, partner_urls: dict[str, str] | None = None) -> Hub:
        """`partner_urls` adds to (and overrides) the configured ones: sandbox servers started by `hub serve`."""
        engine = create_engine(settings.database_url)
        sessions = session_factory(engine)
        events = CatalogueEvents()
        metrics = HubMetrics()
        urls = settings.partner_urls | (partner_urls or {})
        sync = SyncService(sessions, urls, events, metrics)
        auth = HubAuth.create(settings, sessions)
        push = CataloguePush(sessions, events, sync)
        return cls(settings, engine, sessions, events, metrics, sync, auth, push, urls)

    async def close(self) -> None:
        await self.engine.dispose()
