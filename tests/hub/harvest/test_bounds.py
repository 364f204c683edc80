"""What a partner sends is bounded before the hub stores it: tokens, checkpoints, errors, answers, runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
from aiohttp import web
from sqlalchemy.engine import make_url

from connectors.limits import MIB, ConnectorLimits
from hub.app import Hub
from hub.harvest.bounds import MAX_CHECKPOINT_BYTES, MAX_LAST_ERROR
from hub.harvest.models import SyncState
from tests.connectors.hostile.relics import RelicsPartner, relic
from tests.connectors.hostile.server import EndlessBody
from tests.hub.harvest.partners import live_source_ids, partner_of, sync_state
from tests.support import graphql


def database_bytes(hub: Hub) -> int | None:
    """Bytes of the SQLite database and its write-ahead log; None on PostgreSQL."""
    database = make_url(hub.settings.database_url).database
    if hub.engine.dialect.name != "sqlite" or not database:
        return None
    return sum(os.path.getsize(path) for path in (database, f"{database}-wal") if Path(path).exists())


def checkpoint_bytes(state: SyncState) -> int:
    return len(json.dumps(state.checkpoint, ensure_ascii=False).encode())


async def test_huge_page_token_is_neither_stored_nor_quoted(hub: Hub) -> None:
    partner = RelicsPartner([relic("R-1")], token_chars=20_000_000)
    before = database_bytes(hub)
    async with partner_of(hub, "CRECC", partner.make_app()):
        result = await hub.sync.sync_partner("CRECC")
    assert not result.ok and result.error is not None
    assert "next page token of 20,000,000 characters is longer than the limit of 4,096" in result.error
    assert "TTTT" not in result.error
    state = await sync_state(hub, "CRECC")
    assert state.checkpoint is None and state.last_error == result.error and len(state.last_error) < 600
    assert await live_source_ids(hub, "CRECC") == set()  # the page was not read: its one record waits
    if before is not None:
        assert (database_bytes(hub) or 0) - before < 1 * MIB


async def test_answer_over_the_limit_is_refused_naming_the_setting(hub: Hub) -> None:
    hub.sync.limits = ConnectorLimits(max_response_bytes=1 * MIB)
    partner = RelicsPartner([relic("R-1")], token_chars=5_000_000)
    async with partner_of(hub, "CRECC", partner.make_app()):
        result = await hub.sync.sync_partner("CRECC")
    assert not result.ok and result.error is not None
    assert "answer is larger than the limit of 1,048,576 bytes" in result.error
    assert result.error.endswith("; the limit is HUB_PARTNER_MAX_RESPONSE_BYTES")


async def page_with_token(token: str) -> web.Application:
    async def relics(_request: web.Request) -> web.Response:
        return web.json_response({"items": [relic("R-1")], "next_page_token": token})

    app = web.Application()
    app.router.add_get("/relics", relics)
    return app


async def test_checkpoint_over_its_bound_is_refused_with_its_page(hub: Hub) -> None:
    # 4,096 characters pass the connector's token bound; at 4 bytes each they pass the hub's checkpoint bound.
    async with partner_of(hub, "CRECC", await page_with_token("\U0001d518" * 4096)):
        result = await hub.sync.sync_partner("CRECC")
    assert not result.ok and result.error is not None
    assert result.error.startswith("CRECC: checkpoint of 16,")
    assert f"larger than the limit of {MAX_CHECKPOINT_BYTES:,}; that page was not stored" in result.error
    assert (await sync_state(hub, "CRECC")).checkpoint is None
    assert await live_source_ids(hub, "CRECC") == set()

    async with partner_of(hub, "CRECC", await page_with_token("\U0001d518" * 4000)):  # the control: it fits
        result = await hub.sync.sync_partner("CRECC")
    state = await sync_state(hub, "CRECC")
    assert result.error is not None and "HTTP 4" in result.error  # the partner has no page for that token
    assert state.checkpoint is not None and 16_000 < checkpoint_bytes(state) <= MAX_CHECKPOINT_BYTES
    assert await live_source_ids(hub, "CRECC") == {"R-1"}


async def test_last_sync_error_stays_small_whatever_the_partner_said(hub: Hub, client: httpx.AsyncClient) -> None:
    babble = "<error code='badArgument'>" + "a very long complaint " * 100_000 + "</error>"

    async def answer(_request: web.Request) -> web.Response:  # every verb gets the 2 MB error
        body = f'<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">{babble}</OAI-PMH>'
        return web.Response(body=body.encode(), content_type="text/xml")

    app = web.Application()
    app.router.add_get("/", answer)
    async with partner_of(hub, "NLC", app):
        result = await hub.sync.sync_partner("NLC")
    assert not result.ok
    body = await graphql(client, "{ institutions { code syncStatus lastSyncError } }")
    [nlc] = [i for i in body["data"]["institutions"] if i["code"] == "NLC"]
    assert nlc["syncStatus"] == "FAILED" and "badArgument" in nlc["lastSyncError"]
    assert len(nlc["lastSyncError"]) <= MAX_LAST_ERROR


async def test_endless_feed_stops_at_the_run_bound_keeping_its_pages_and_resuming_there(hub: Hub) -> None:
    hub.sync.limits = ConnectorLimits(max_pages=5)
    partner = RelicsPartner(page_size=10, endless=True)
    async with partner_of(hub, "CRECC", partner.make_app()):
        first = await hub.sync.sync_partner("CRECC")
        assert not first.ok and first.error is not None and first.pages == 5
        assert "stopped after 5 pages, its maximum" in first.error
        assert first.error.endswith("; to read more per run, raise HUB_HARVEST_MAX_PAGES")
        assert len(await live_source_ids(hub, "CRECC")) == 50
        assert (await sync_state(hub, "CRECC")).checkpoint["page_token"] == "50"
        second = await hub.sync.sync_partner("CRECC")
    assert second.pages == 5 and len(await live_source_ids(hub, "CRECC")) == 100
    assert partner.queries[5]["page_token"] == "50"


async def test_partner_dripping_forever_stops_at_the_run_seconds(hub: Hub) -> None:
    hub.sync.limits = ConnectorLimits(max_seconds=0.5)
    drip = EndlessBody(b'{"items": [', b" ", interval=0.02)
    async with partner_of(hub, "CRECC", drip.make_app()):
        result = await hub.sync.sync_partner("CRECC")
    assert not result.ok and result.error is not None
    assert "stopped after 0.5 seconds, its maximum" in result.error
    assert result.error.endswith("raise HUB_HARVEST_MAX_SECONDS")
    assert (await sync_state(hub, "CRECC")).status == "FAILED"
