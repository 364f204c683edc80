"""One record that cannot be normalised is set aside with its reason: the good records of its page and of
the later pages are harvested, the checkpoint moves on, and once the partner fixes the record the next
incremental harvest takes it. For every protocol, against hostile partners on loopback."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest

from connectors.http import PartnerHttp
from connectors.iiif_discovery import IiifDiscoverySource
from connectors.oai_pmh import OaiPmhSource
from connectors.records import CatalogueRecord, Page, RejectedRecord, Tombstone
from connectors.relics_api import RelicsApiSource
from connectors.source import Source
from tests.connectors.hostile.discovery import ChangeDiscoveryPartner, linked_art
from tests.connectors.hostile.oai import OaiRecord, OaiRepository, dc_record, deleted_record, marc_record
from tests.connectors.hostile.relics import RelicsPartner, relic
from tests.connectors.hostile.server import serving
from tests.connectors.support import FAST_RETRIES

FIRST = "2025-04-01T00:00:00Z"
FIXED = "2025-05-02T00:00:00Z"
GOOD = ["g0", "g1", "g2", "g3", "g4"]


async def harvest(source: Source, checkpoint: dict[str, Any] | None = None) -> list[Page]:
    return [page async for page in source.read(checkpoint)]


def harvested(pages: list[Page]) -> list[CatalogueRecord | Tombstone]:
    return [record for page in pages for record in page.records]


def rejected(pages: list[Page]) -> list[RejectedRecord]:
    return [rejection for page in pages for rejection in page.rejected]


def local_ids(pages: list[Page]) -> list[str]:
    return [record.source_id.rpartition(":")[2] for record in harvested(pages)]


def the_clock() -> datetime:
    return datetime(2025, 5, 1, 12, tzinfo=UTC)


OAI_CASES = {
    "deleted header without identifier": (
        "oai_dc", deleted_record(None, FIRST), deleted_record("oai:x:bad", FIXED), None,
        "without a header identifier (a deleted record)", "<header status=\"deleted\">",
    ),
    "oai_dc without title": (
        "oai_dc", dc_record("oai:x:bad", FIRST, title=None), dc_record("oai:x:bad", FIXED), "oai:x:bad",
        "oai_dc record has no dc:title", "<dc:type>Text</dc:type>",
    ),
    "bad datestamp": (
        "oai_dc", OaiRecord(FIRST, dc_record("oai:x:bad", "last Tuesday").xml), dc_record("oai:x:bad", FIXED),
        "oai:x:bad", "bad datestamp 'last Tuesday'", "<datestamp>last Tuesday</datestamp>",
    ),
    "MARCXML without title field": (
        "marc21", marc_record("oai:x:bad", FIRST, title=None), marc_record("oai:x:bad", FIXED), "oai:x:bad",
        "neither a UNIMARC 200 nor a MARC 21 245", '<marc:datafield tag="210"',
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", OAI_CASES.values(), ids=OAI_CASES.keys())
async def test_oai_record_that_cannot_be_normalised_is_rejected_until_the_partner_fixes_it(
    session: aiohttp.ClientSession, case: tuple[str, OaiRecord, OaiRecord, str | None, str, str]
) -> None:
    prefix, bad, fixed, source_id, reason, excerpt = case
    make = marc_record if prefix == "marc21" else dc_record
    good = [make(f"oai:x:{name}", FIRST) for name in GOOD]
    repository = OaiRepository([good[0], bad, *good[1:]], prefix, page_size=3)
    async with serving(repository.make_app()) as url:
        source = OaiPmhSource("NLC", url, PartnerHttp("NLC", session, FAST_RETRIES))
        pages = await harvest(source)
        assert len(pages) == 2 and local_ids(pages) == GOOD
        [rejection] = rejected(pages)
        assert (rejection.source_id, reason in rejection.reason) == (source_id, True), rejection.reason
        assert rejection.excerpt.startswith("<record") and excerpt in rejection.excerpt
        assert pages[-1].checkpoint == {"cursor": repository.now}

        repository.records[1] = fixed
        repository.now = "2025-05-03T00:00:00Z"
        again = await harvest(source, pages[-1].checkpoint)
    assert [record.source_id for record in harvested(again)] == ["oai:x:bad"] and rejected(again) == []
    assert isinstance(harvested(again)[0], Tombstone if prefix == "oai_dc" and source_id is None else CatalogueRecord)


RELICS_CASES = {
    "year_from abc": (relic("bad", FIRST, year_from="abc"), "bad", '"year_from" must be an integer year'),
    "no id": ({"title": {"en": "Nameless"}, "updated_at": FIRST}, None, 'item has no "id"'),
    "id of 300 characters": (relic("x" * 300, FIRST), None, "longer than the limit of 255"),
}


@pytest.mark.parametrize("case", RELICS_CASES.values(), ids=RELICS_CASES.keys())
async def test_relics_item_that_cannot_be_normalised_is_rejected_until_the_partner_fixes_it(
    session: aiohttp.ClientSession, case: tuple[dict[str, Any], str | None, str]
) -> None:
    bad, source_id, reason = case
    good = [relic(name, FIRST) for name in GOOD]
    partner = RelicsPartner([good[0], bad, *good[1:]], page_size=3)
    async with serving(partner.make_app()) as url:
        source = RelicsApiSource("CRECC", url, PartnerHttp("CRECC", session, FAST_RETRIES), the_clock, limit=3)
        pages = await harvest(source)
        assert len(pages) == 2 and local_ids(pages) == GOOD
        [rejection] = rejected(pages)
        assert (rejection.source_id, reason in rejection.reason) == (source_id, True), rejection.reason
        assert rejection.excerpt.startswith("{") and '"updated_at": "2025-04-01T00:00:00Z"' in rejection.excerpt
        assert pages[-1].checkpoint == {"cursor": "2025-05-01T12:00:00Z"}

        partner.items[1] = relic("bad", FIXED)
        again = await harvest(source, pages[-1].checkpoint)
    assert local_ids(again) == ["bad"] and rejected(again) == []
    assert isinstance(harvested(again)[0], CatalogueRecord)


DISCOVERY_CASES: dict[str, tuple[dict[str, Any] | str | None, str]] = {
    "not a HumanMadeObject": (linked_art("An Lushan", type="Person"), "expected a HumanMadeObject, got type 'Person'"),
    "malformed JSON": ('{"type": "HumanMadeObject", "_label": ', "object is not JSON: Expecting value"),
    "object answers 404": (None, "object answered HTTP 404: no such object"),
    "year beyond any date": (
        linked_art("Cup", produced_by={"timespan": {"begin_of_the_begin": "-999999999-01-01T00:00:00Z"}}),
        "earliest_year -1000000000 is beyond",
    ),
}


@pytest.mark.parametrize("case", DISCOVERY_CASES.values(), ids=DISCOVERY_CASES.keys())
async def test_linked_art_object_that_cannot_be_harvested_is_rejected_until_the_partner_fixes_it(
    session: aiohttp.ClientSession, case: tuple[dict[str, Any] | str | None, str]
) -> None:
    bad, reason = case
    partner = ChangeDiscoveryPartner(page_size=3)
    times = iter(f"2025-04-0{day}T00:00:00Z" for day in range(1, 10))
    partner.publish("Create", "g0", next(times), linked_art("g0"))
    partner.publish("Create", "bad", next(times), bad)
    for name in GOOD[1:]:
        partner.publish("Create", name, next(times), linked_art(name))
    async with serving(partner.make_app()) as url:
        source = IiifDiscoverySource("TWMM", url, PartnerHttp("TWMM", session, FAST_RETRIES))
        pages = await harvest(source)
        assert len(pages) == 2 and sorted(local_ids(pages)) == GOOD
        [rejection] = rejected(pages)
        assert rejection.source_id == "bad" and reason in rejection.reason, rejection.reason
        assert pages[-1].checkpoint["last_crawl"] == "2025-04-06T00:00:00Z"

        partner.publish("Update", "bad", next(times), linked_art("Fixed at last"))
        again = await harvest(source, pages[-1].checkpoint)
    assert local_ids(again) == ["bad"] and rejected(again) == []
