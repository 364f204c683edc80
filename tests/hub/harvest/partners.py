"""Hostile partners (tests/connectors/hostile) wired to the hub's seeded partners, one per protocol: each sends a
bad record in the middle of a page, and can then send it again, fixed."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aiohttp import web
from sqlalchemy import select

from hub.app import Hub
from hub.catalogue.models import CatalogueItem, Institution
from hub.harvest.models import SyncState
from tests.connectors.hostile.discovery import ChangeDiscoveryPartner, linked_art
from tests.connectors.hostile.oai import OaiRepository, dc_record
from tests.connectors.hostile.relics import RelicsPartner, relic
from tests.connectors.hostile.server import serving


def soon() -> str:
    """A partner datestamp just after now: a record changed after the harvest's cursor."""
    return (datetime.now(UTC) + timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class BadRecordPartner:
    """A partner of `code` whose first page holds `good` records around the bad record `bad`."""

    code: str
    app: Callable[[], web.Application]
    fix: Callable[[], None]
    good: set[str]
    bad: str
    reason: str
    excerpt: str
    """What the excerpt of the bad record shows."""


def relics_partner() -> BadRecordPartner:
    partner = RelicsPartner([relic("R-1"), relic("R-2", year_from="abc"), relic("R-3")])

    def fix() -> None:
        partner.items[1] = relic("R-2", updated_at=soon())

    return BadRecordPartner(
        "CRECC", partner.make_app, fix, {"R-1", "R-3"}, "R-2", 'field "year_from" must be', '"year_from": "abc"'
    )


def oai_partner() -> BadRecordPartner:
    stamp = "2025-04-01T00:00:00Z"
    repository = OaiRepository([dc_record(f"oai:nlc:{n}", stamp, title=None if n == 2 else "Atlas") for n in (1, 2, 3)])

    def fix() -> None:
        repository.records[1] = dc_record("oai:nlc:2", repository.now, title="Dunhuang atlas")

    return BadRecordPartner(
        "NLC",
        repository.make_app,
        fix,
        {"oai:nlc:1", "oai:nlc:3"},
        "oai:nlc:2",
        "oai_dc record has no dc:title",
        "<identifier>oai:nlc:2</identifier>",
    )


def discovery_partner() -> BadRecordPartner:
    partner = ChangeDiscoveryPartner()
    partner.publish("Create", "A1", "2025-04-01T00:00:00Z", linked_art("Bronze mirror"))
    partner.publish("Create", "A2", "2025-04-01T00:00:01Z", linked_art("Donor", type="Person"))
    partner.publish("Create", "A3", "2025-04-01T00:00:02Z", linked_art("Silver cup"))

    def fix() -> None:
        partner.publish("Update", "A2", "2025-04-02T00:00:00Z", linked_art("Sogdian silver ewer"))

    return BadRecordPartner(
        "TWMM", partner.make_app, fix, {"A1", "A3"}, "A2", "expected a HumanMadeObject", '"type": "Person"'
    )


BAD_RECORD_PARTNERS: dict[str, Callable[[], BadRecordPartner]] = {
    "oai-pmh": oai_partner,
    "relics-json": relics_partner,
    "iiif-discovery": discovery_partner,
}


@contextlib.asynccontextmanager
async def partner_of(hub: Hub, code: str, app: web.Application) -> AsyncIterator[str]:
    """`app` served on loopback as the hub's partner `code`; yields its URL."""
    async with serving(app) as url:
        hub.sync.partner_urls[code] = url
        yield url


async def live_source_ids(hub: Hub, code: str) -> set[str]:
    async with hub.sessions() as session:
        rows = await session.scalars(
            select(CatalogueItem.source_id)
            .join(Institution)
            .where(Institution.code == code, CatalogueItem.deleted_at.is_(None))
        )
        return set(rows)


async def sync_state(hub: Hub, code: str) -> SyncState:
    async with hub.sessions() as session:
        state = await session.scalar(select(SyncState).join(Institution).where(Institution.code == code))
        assert state is not None, f"{code} was never harvested"
        return state
