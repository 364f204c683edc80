"""A large page is parsed in a worker thread: the event loop (serving GraphQL in the hub) keeps running.

Measured as a ratio: the longest the loop waits while a large page is harvested, against the time
parsing that page takes when done on the loop. The partner runs on a loop of its own, as it would
elsewhere.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Awaitable
from typing import TypeVar

import aiohttp
import pytest

from connectors.http import PartnerHttp
from connectors.limits import MIB, ConnectorLimits
from connectors.oai_pmh import OaiPmhSource
from connectors.records import Page
from connectors.relics_api import RelicsApiSource
from connectors.source import PagedSource
from tests.connectors.hostile.oai import OaiRepository, dc_record
from tests.connectors.hostile.relics import RelicsPartner, relic
from tests.connectors.hostile.server import serving_apart
from tests.connectors.support import FAST_RETRIES

T = TypeVar("T")
RECORDS = 8_000
LIMITS = ConnectorLimits(max_response_bytes=64 * MIB, max_records_per_page=RECORDS)
XML_RECORDS = 4_000
"""Fewer: an OAI record takes longer to map."""


async def longest_stall(work: Awaitable[T]) -> tuple[T, float]:
    """`work`'s result, and the longest a 1 ms ticker on the same loop was late meanwhile (seconds)."""
    lags: list[float] = []
    done = asyncio.Event()

    async def tick() -> None:
        loop = asyncio.get_running_loop()
        while not done.is_set():
            before = loop.time()
            await asyncio.sleep(0.001)
            lags.append(loop.time() - before - 0.001)

    ticker = asyncio.create_task(tick())
    try:
        result = await work
    finally:
        done.set()
        await ticker  # its last tick may be the latest
    return result, max(lags)


async def harvest(source: PagedSource) -> list[Page]:
    return [page async for page in source.read(None)]


def relics(session: aiohttp.ClientSession, url: str) -> PagedSource:
    return RelicsApiSource("CRECC", url, PartnerHttp("CRECC", session, FAST_RETRIES, LIMITS))


def oai(session: aiohttp.ClientSession, url: str) -> PagedSource:
    return OaiPmhSource("NLC", url, PartnerHttp("NLC", session, FAST_RETRIES, LIMITS))


PARTNERS = {
    "relics JSON": (RelicsPartner([relic(f"R-{n:05d}") for n in range(RECORDS)], page_size=RECORDS), relics),
    "OAI-PMH XML": (
        OaiRepository([dc_record(f"oai:x:{n}", "2025-01-01T00:00:00Z") for n in range(XML_RECORDS)], page_size=RECORDS),
        oai,
    ),
}


@pytest.mark.parametrize("partner", PARTNERS.values(), ids=PARTNERS.keys())
async def test_large_page_is_parsed_without_stalling_the_event_loop(
    session: aiohttp.ClientSession, partner: tuple[RelicsPartner | OaiRepository, type[PagedSource]]
) -> None:
    server, make_source = partner
    async with serving_apart(server.make_app()) as url:
        source = make_source(session, url)
        await source.prepare()
        response = await source.fetch(source.first_params(None))
        assert len(response.body) > 4 * LIMITS.parse_off_loop_bytes
        gc.collect()  # what earlier tests left is not this test's to collect
        started = time.perf_counter()
        on_loop = source.parse_page(response)
        parse_time = time.perf_counter() - started

        gc.collect()
        gc.freeze()  # a full collection over what the suite holds would stall the loop whoever triggers it
        try:
            pages, stall = await longest_stall(harvest(source))
        finally:
            gc.unfreeze()
    assert len(pages[0].records) == len(on_loop.records) >= XML_RECORDS
    assert stall < parse_time / 4, f"the loop stalled {stall * 1000:.0f} ms; parsing takes {parse_time * 1000:.0f} ms"
