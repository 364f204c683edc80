"""An audit log written by a real harvest of the CRECC sandbox."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hub.app import Hub
from hub.audit.models import AuditEntry
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import serve_app


async def entries(hub: Hub) -> list[AuditEntry]:
    async with hub.sessions() as session:
        return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


@pytest.fixture
async def synced(hub: Hub) -> Hub:
    sandbox = CreccSandbox()
    server = await serve_app(sandbox.make_app())
    hub.sync.partner_urls["CRECC"] = server.url
    try:
        assert (await hub.sync.sync_partner("CRECC")).ok
    finally:
        await server.close()
    return hub
