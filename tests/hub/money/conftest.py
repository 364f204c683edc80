"""Money tests on the migrated test database (SQLite, or PostgreSQL when HUB_TEST_DATABASE_URL says so)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from hub.app import Hub
from hub.audit.models import AuditEntry
from hub.catalogue.institutions import add_institution

BUYERS = (("MNAA", "Musée national des arts asiatiques – Guimet", "FR", "fr"), ("LAD", "Louvre Abu Dhabi", "AE", "en"))


@pytest.fixture
async def traders(hub: Hub) -> Hub:
    """The three seeded partners (sellers) and two foreign museums that buy."""
    async with hub.sessions.begin() as session:
        for code, name, country, lang in BUYERS:
            await add_institution(session, code, name, country, lang)
    return hub


async def audit_log(hub: Hub) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(actor, action, subject, payload) of every audit entry, oldest first."""
    async with hub.sessions() as session:
        entries = await session.scalars(select(AuditEntry).order_by(AuditEntry.seq))
        return [(e.actor, e.action, e.subject, json.loads(e.payload)) for e in entries]
