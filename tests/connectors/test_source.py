"""A harvest run is bounded: pages forever or a partner too slow end it with HarvestLimitReached, keeping the
checkpoint reached; a huge page token or next-page link is refused without being kept; memory stays flat."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime

import aiohttp
import pytest

from connectors.errors import HarvestLimitReached, LimitExceeded, ResponseTooLarge, SourceError
from connectors.http import PartnerHttp, RetryPolicy
from connectors.iiif_discovery import IiifDiscoverySource
from connectors.limits import MIB, ConnectorLimits
from connectors.oai_pmh import OaiPmhSource
from connectors.records import Page, RejectedRecord, Tombstone
from connectors.relics_api import RelicsApiSource
from connectors.source import PageContent, Source
from tests.connectors.hostile.discovery import ChangeDiscoveryPartner, linked_art
from tests.connectors.hostile.oai import OaiRepository, dc_record
from tests.connectors.hostile.relics import RelicsPartner, relic
from tests.connectors.hostile.server import EndlessBody, serving
from tests.connectors.support import FAST_RETRIES
from tests.connectors.tracing import traced

Harvest = Callable[[ConnectorLimits], AbstractAsyncContextManager[Source]]


def the_clock() -> datetime:
    return datetime(2025, 5, 1, 12, tzinfo=UTC)


@asynccontextmanager
async def relics_source(partner: RelicsPartner, limits: ConnectorLimits) -> AsyncIterator[Source]:
    async with aiohttp.ClientSession() as session, serving(partner.make_app()) as url:
        yield RelicsApiSource("CRECC", url, PartnerHttp("CRECC", session, FAST_RETRIES, limits), the_clock)


@asynccontextmanager
async def oai_source(repository: OaiRepository, limits: ConnectorLimits) -> AsyncIterator[Source]:
    async with aiohttp.ClientSession() as session, serving(repository.make_app()) as url:
        yield OaiPmhSource("NLC", url, PartnerHttp("NLC", session, FAST_RETRIES, limits))


@asynccontextmanager
async def discovery_source(partner: ChangeDiscoveryPartner, limits: ConnectorLimits) -> AsyncIterator[Source]:
    async with aiohttp.ClientSession() as session, serving(partner.make_app()) as url:
        yield IiifDiscoverySource("TWMM", url, PartnerHttp("TWMM", session, FAST_RETRIES, limits))


async def read_until_error(source: Source, checkpoint: dict[str, object] | None = None) -> tuple[list[Page], Exception]:
    """The pages a run yields before it fails, and its error; within 60 s, whatever the partner does."""
    pages: list[Page] = []
    try:
        async with asyncio.timeout(60):
            async for page in source.read(checkpoint):
                pages.append(page)
    except SourceError as error:
        return pages, error
    raise AssertionError(f"the run ended without an error after {len(pages)} pages")


# --- pages forever ---------------------------------------------------------------------------------------------


async def test_endless_relics_feed_stops_at_the_maximum_of_pages_with_memory_flat() -> None:
    partner = RelicsPartner(page_size=20, endless=True, filler=3000)
    async with relics_source(partner, ConnectorLimits(max_pages=150)) as source:
        pages: list[int] = []
        reading = source.read(None)
        for _ in range(20):  # warm up: connections, caches, first allocations
            pages.append(len((await anext(reading)).records))
        with traced() as memory, pytest.raises(HarvestLimitReached) as caught:
            async with asyncio.timeout(60):
                async for page in reading:
                    pages.append(len(page.records))
                    last = page.checkpoint
    assert len(pages) == 150 and set(pages) == {20}
    assert "stopped after 150 pages, its maximum" in str(caught.value)
    assert (
        caught.value.checkpoint
        == last
        == {"cursor": None, "page_token": "3000", "harvest_started": "2025-05-01T12:00:00Z"}
    )
    streamed = 130 * 20 * len(json.dumps(relic("GEN-000000000", description={"en": "x" * 3000})))
    assert memory.peak_growth < min(2 * MIB, streamed / 4), (memory.peak_growth, streamed)


async def test_endless_oai_feed_stops_at_the_maximum_and_the_next_run_resumes_there() -> None:
    repository = OaiRepository(page_size=5, endless=True)
    async with oai_source(repository, ConnectorLimits(max_pages=4)) as source:
        pages, error = await read_until_error(source)
        assert isinstance(error, HarvestLimitReached) and len(pages) == 4 and error.bound == "max_pages"
        assert error.checkpoint == pages[-1].checkpoint and error.checkpoint["page_token"] == "20:"
        more, again = await read_until_error(source, error.checkpoint)
    assert isinstance(again, HarvestLimitReached) and len(more) == 4
    assert repository.list_requests[4] == {"verb": "ListRecords", "resumptionToken": "20:"}
    assert more[0].records[0].source_id == "oai:gen:20"


async def test_endless_change_log_stops_at_the_maximum_keeping_the_checkpoint_it_started_from() -> None:
    partner = ChangeDiscoveryPartner(page_size=5, endless=True)
    partner.publish("Create", "A1", "2025-04-01T00:00:00Z", linked_art("Mirror"))
    async with discovery_source(partner, ConnectorLimits(max_pages=6)) as source:
        pages, error = await read_until_error(source, {"last_crawl": "2019-01-01T00:00:00Z"})
    assert isinstance(error, HarvestLimitReached) and len(pages) == 6 and partner.pages_served == 6
    assert error.checkpoint == {"last_crawl": "2019-01-01T00:00:00Z"}
    assert [len(page.records) for page in pages] == [1, 5, 5, 5, 5, 5]


# --- too slow --------------------------------------------------------------------------------------------------


async def test_partner_dripping_an_answer_ends_the_run_at_its_maximum_of_seconds() -> None:
    drip = EndlessBody(b'{"items": [', b" ", interval=0.02)
    limits = ConnectorLimits(max_seconds=0.5)
    async with aiohttp.ClientSession() as session, serving(drip.make_app()) as url:
        http = PartnerHttp("CRECC", session, RetryPolicy(timeout=30), limits)
        pages, error = await read_until_error(RelicsApiSource("CRECC", url, http), {"cursor": "2025-01-01T00:00:00Z"})
    assert isinstance(error, HarvestLimitReached) and pages == [] and error.bound == "max_seconds"
    assert "stopped after 0.5 seconds, its maximum (1 pages requested)" in str(error)
    assert error.checkpoint == {"cursor": "2025-01-01T00:00:00Z"}


async def test_endless_feed_ends_at_the_maximum_of_seconds_after_the_pages_it_read() -> None:
    partner = RelicsPartner(page_size=10, endless=True)
    async with relics_source(partner, ConnectorLimits(max_seconds=0.5)) as source:
        pages, error = await read_until_error(source)
    assert isinstance(error, HarvestLimitReached) and "0.5 seconds" in str(error) and len(pages) > 2
    assert error.checkpoint == pages[-1].checkpoint


# --- huge tokens and links -------------------------------------------------------------------------------------


def relics_with_token(chars: int) -> RelicsPartner:
    return RelicsPartner([relic("R-1")], token_chars=chars)


def oai_with_token(chars: int) -> OaiRepository:
    return OaiRepository([dc_record("oai:x:1", "2025-01-01T00:00:00Z")], token_chars=chars)


def discovery_with_link(chars: int) -> ChangeDiscoveryPartner:
    partner = ChangeDiscoveryPartner(link_chars=chars)
    partner.publish("Delete", "A1", "2025-01-01T00:00:00Z")
    return partner


PROTOCOLS = {
    "relics page_token": (relics_with_token, relics_source, "next page token"),
    "OAI resumptionToken": (oai_with_token, oai_source, "resumptionToken"),
    "IIIF prev link": (discovery_with_link, discovery_source, "link 'prev'"),
}


@pytest.mark.parametrize("protocol", PROTOCOLS.values(), ids=PROTOCOLS.keys())
async def test_token_longer_than_the_limit_is_refused_without_quoting_or_keeping_it(
    protocol: tuple[Callable[[int], object], Callable[..., AbstractAsyncContextManager[Source]], str],
) -> None:
    make_partner, source_of, what = protocol
    async with source_of(make_partner(100_000), ConnectorLimits()) as source:
        pages, error = await read_until_error(source)
    assert isinstance(error, LimitExceeded) and pages == []
    assert f"{what} of 100,0" in str(error) and "longer than the limit of 4,096" in str(error)
    assert "T" * 20 not in str(error) and "9" * 20 not in str(error)


@pytest.mark.parametrize("protocol", PROTOCOLS.values(), ids=PROTOCOLS.keys())
async def test_token_of_200_mb_is_refused_at_the_answer_limit_with_memory_bounded(
    protocol: tuple[Callable[[int], object], Callable[..., AbstractAsyncContextManager[Source]], str],
) -> None:
    make_partner, source_of, _ = protocol
    limits = ConnectorLimits()
    async with source_of(make_partner(200_000_000), limits) as source:
        with traced() as memory:
            pages, error = await read_until_error(source)
    assert isinstance(error, ResponseTooLarge) and pages == []
    assert "larger than the limit of 33,554,432 bytes" in str(error) and len(str(error)) < 300
    assert memory.peak_growth < 2.5 * limits.max_response_bytes, memory.peak_growth


# --- a fault while normalising -----------------------------------------------------------------------------------


def test_record_whose_normalisation_fails_unexpectedly_is_rejected_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    def broken(raw: dict[str, str]) -> Tombstone:
        raise TypeError("'NoneType' object is not subscriptable")

    content = PageContent(ConnectorLimits())
    content.add("R-1", broken, {"id": "R-1"}, json.dumps)
    reason = "unexpected TypeError while normalising: 'NoneType' object is not subscriptable"
    assert content.records == [] and content.rejected == [RejectedRecord("R-1", reason, '{"id": "R-1"}')]
    assert "record 'R-1' could not be normalised" in caplog.text and "Traceback" in caplog.text
