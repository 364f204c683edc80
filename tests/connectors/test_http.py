"""PartnerHttp against hostile partners on loopback: answers that never end, gzip bombs, lying headers."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiohttp import web

from connectors.errors import FatalSourceError, ResponseTooLarge, RetriableSourceError
from connectors.http import PartnerHttp, RetryPolicy
from connectors.limits import MIB, ConnectorLimits
from tests.connectors.hostile.server import EndlessBody, serving
from tests.connectors.support import FAST_RETRIES
from tests.connectors.tracing import traced

LIMIT = 4 * MIB
LIMITS = ConnectorLimits(max_response_bytes=LIMIT)


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip bomb"])
async def test_endless_answer_is_refused_at_the_limit_with_memory_bounded(
    session: aiohttp.ClientSession, gzip: bool
) -> None:
    partner = EndlessBody(b'{"items": [', b'{"id": "R-1"}, ' if not gzip else b"\0", gzip=gzip)
    async with serving(partner.make_app()) as url:
        http = PartnerHttp("CRECC", session, FAST_RETRIES, LIMITS)
        with traced() as memory, pytest.raises(ResponseTooLarge) as caught:
            async with asyncio.timeout(60):
                await http.get(f"{url}/relics")
    assert str(caught.value) == f"CRECC: answer is larger than the limit of 4,194,304 bytes (at {url}/relics)"
    assert partner.requests == 1  # refused, not retried
    assert partner.sent > LIMIT
    assert memory.peak_growth < 2.5 * LIMIT, memory.peak_growth
    if gzip:
        assert partner.wire < LIMIT / 100  # what counts is what it inflates to


async def test_answer_announcing_more_than_the_limit_is_refused_before_reading(
    session: aiohttp.ClientSession,
) -> None:
    partner = EndlessBody(b"{", b" ", announce=10**12)
    async with serving(partner.make_app()) as url:
        http = PartnerHttp("NLC", session, FAST_RETRIES, LIMITS)
        with pytest.raises(ResponseTooLarge, match="announces 1,000,000,000,000 bytes"):
            await http.get(url)
    assert partner.requests == 1


async def test_answer_just_within_the_limit_is_read_whole(session: aiohttp.ClientSession) -> None:
    body = b"x" * LIMIT

    async def handle(request: web.Request) -> web.Response:
        return web.Response(body=body)

    app = web.Application()
    app.router.add_get("/", handle)
    async with serving(app) as url:
        response = await PartnerHttp("NLC", session, FAST_RETRIES, LIMITS).get(url)
    assert response.body == body


async def test_error_answer_is_quoted_only_at_its_start(session: aiohttp.ClientSession) -> None:
    async def handle(request: web.Request) -> web.Response:
        return web.Response(status=404, text="no such page " + "x" * 10_000_000)

    app = web.Application()
    app.router.add_get("/", handle)
    async with serving(app) as url:
        with pytest.raises(FatalSourceError) as caught:
            await PartnerHttp("NLC", session, FAST_RETRIES, LIMITS).get(url)
    assert caught.value.problem.startswith("HTTP 404: no such page xxx") and len(str(caught.value)) < 300


async def test_slow_drip_times_out_and_is_retried_then_given_up(session: aiohttp.ClientSession) -> None:
    partner = EndlessBody(b'{"items": [', b" ", interval=0.02)
    async with serving(partner.make_app()) as url:
        http = PartnerHttp("CRECC", session, RetryPolicy(attempts=2, base_delay=0.01, timeout=0.3), LIMITS)
        with pytest.raises(RetriableSourceError, match=r"gave up after 2 attempts: timed out after 0.3s"):
            await http.get(f"{url}/relics")
    assert partner.requests == 2
