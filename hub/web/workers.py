"""The app of one `hub serve --workers N` worker process: its own Hub from the settings, started and closed with
the process (on PostgreSQL its change relay hears the other processes' catalogue changes)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette

from hub.app import Hub
from hub.settings import Settings
from hub.web.app import create_app


def create_worker_app() -> Starlette:
    """uvicorn's app factory in each worker (`hub.web.workers:create_worker_app`)."""
    hub = Hub.create(Settings.from_env())
    app = create_app(hub)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await hub.start()
        try:
            yield
        finally:
            await hub.close()

    app.router.lifespan_context = lifespan
    return app
