"""What a checkpoint holds stays bounded, and one stored before the bounds existed does not stall a partner."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import aiohttp

from connectors.http import PartnerHttp
from connectors.iiif_discovery import IiifDiscoverySource
from connectors.records import Page, Tombstone
from connectors.relics_api import RelicsApiSource
from tests.connectors.hostile.discovery import ChangeDiscoveryPartner
from tests.connectors.hostile.relics import RelicsPartner, relic
from tests.connectors.hostile.server import serving
from tests.connectors.support import FAST_RETRIES


def the_clock() -> datetime:
    return datetime(2025, 5, 1, 12, tzinfo=UTC)


async def test_stored_page_token_longer_than_the_limit_restarts_from_the_cursor(
    session: aiohttp.ClientSession,
) -> None:
    partner = RelicsPartner([relic("R-1", "2025-02-01T00:00:00Z"), relic("R-2", "2024-01-01T00:00:00Z")])
    stored = {"cursor": "2025-01-01T00:00:00Z", "page_token": "T" * 200_000, "harvest_started": "2025-04-01T00:00:00Z"}
    async with serving(partner.make_app()) as url:
        source = RelicsApiSource("CRECC", url, PartnerHttp("CRECC", session, FAST_RETRIES), the_clock)
        pages = [page async for page in source.read(stored)]
    assert partner.queries == [{"limit": "100", "updated_since": "2025-01-01T00:00:00Z"}]
    assert [record.source_id for page in pages for record in page.records] == ["R-1"]
    assert pages[-1].checkpoint == {"cursor": "2025-04-01T00:00:00Z"}


async def test_checkpoint_lists_no_more_than_a_thousand_activities_of_its_instant(
    session: aiohttp.ClientSession,
) -> None:
    moment = "2025-03-01T00:00:00Z"
    partner = ChangeDiscoveryPartner(page_size=2000)
    for number in range(1001):
        partner.publish("Delete", f"A{number}", moment)
    async with serving(partner.make_app()) as url:
        source = IiifDiscoverySource("TWMM", url, PartnerHttp("TWMM", session, FAST_RETRIES))
        pages = [page async for page in source.read(None)]
        again: list[Page] = [page async for page in source.read(pages[-1].checkpoint)]
    assert pages[-1].checkpoint == {"last_crawl": moment, "last_crawl_activities": []}
    assert len(json.dumps(pages[-1].checkpoint)) < 100
    tombstones = [record for page in again for record in page.records if isinstance(record, Tombstone)]
    assert len(tombstones) == 1001  # that instant is read again: harmless, the tombstones are already stored


async def test_checkpoint_lists_no_activities_when_their_ids_would_pass_its_size(
    session: aiohttp.ClientSession,
) -> None:
    moment = "2025-03-01T00:00:00Z"
    partner = ChangeDiscoveryPartner(page_size=200)
    for number in range(80):
        partner.publish("Delete", f"A{number}", moment)
        partner.activities[-1]["id"] = f"urn:twmm:activity:{number:04d}:" + "α" * 200  # 400+ bytes each
    async with serving(partner.make_app()) as url:
        source = IiifDiscoverySource("TWMM", url, PartnerHttp("TWMM", session, FAST_RETRIES))
        pages = [page async for page in source.read(None)]
    assert pages[-1].checkpoint == {"last_crawl": moment, "last_crawl_activities": []}
    partner.activities = partner.activities[:30]  # the control: 30 of them (12 KB) fit, and are listed
    async with serving(partner.make_app()) as url:
        source = IiifDiscoverySource("TWMM", url, PartnerHttp("TWMM", session, FAST_RETRIES))
        pages = [page async for page in source.read(None)]
    assert len(pages[-1].checkpoint["last_crawl_activities"]) == 30
