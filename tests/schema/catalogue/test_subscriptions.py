from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aiohttp

from hub.app import Hub
from hub.catalogue.events import CatalogueChange, ChangeKind
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import serve_app
from tests import records
from tests.records import store
from tests.support import LiveServer

SUBSCRIPTION = """subscription($institutions: [String!]) {
  catalogueChanges(institutions: $institutions) { kind institution item { sourceId title(lang: "en") } }
}"""


async def receive(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.receive_str(), timeout=5))
    return message


@contextlib.asynccontextmanager
async def subscribed(
    hub: Hub, live_hub: LiveServer, variables: dict[str, Any], query: str = SUBSCRIPTION
) -> AsyncIterator[tuple[CreccSandbox, aiohttp.ClientWebSocketResponse]]:
    """A CRECC sandbox the hub syncs from, and a websocket subscribed to `catalogueChanges`."""
    sandbox = CreccSandbox()
    partner = await serve_app(sandbox.make_app())
    hub.sync.partner_urls["CRECC"] = partner.url
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(f"{live_hub.url}/graphql", protocols=["graphql-transport-ws"]) as ws,
        ):
            await ws.send_json({"type": "connection_init", "payload": {}})
            assert (await receive(ws))["type"] == "connection_ack"
            await ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}})
            while hub.events.subscriber_count == 0:
                await asyncio.sleep(0.01)
            yield sandbox, ws
    finally:
        await partner.close()


async def test_catalogue_changes_announce_what_a_sync_added_changed_and_removed(hub: Hub, live_hub: LiveServer) -> None:
    async with subscribed(hub, live_hub, {}) as (sandbox, ws):
        first = await hub.sync.sync_partner("CRECC")
        added = [(await receive(ws))["payload"]["data"]["catalogueChanges"] for _ in first.changes.added]
        assert {event["kind"] for event in added} == {"ADDED"}
        assert {event["institution"] for event in added} == {"CRECC"}

        live = [obj for obj in sandbox.store.ordered() if not obj.deleted]
        sandbox.store.update(live[0].id, titles={"en": "Retitled cup"})
        sandbox.store.delete(live[1].id)
        await hub.sync.sync_partner("CRECC")
        events = [(await receive(ws))["payload"]["data"]["catalogueChanges"] for _ in range(2)]
        changed = {"kind": "CHANGED", "institution": "CRECC", "item": {"sourceId": live[0].id, "title": "Retitled cup"}}
        assert changed in events
        assert {"kind": "REMOVED", "institution": "CRECC", "item": None} in events


async def test_catalogue_changes_filter_by_institution(hub: Hub, live_hub: LiveServer) -> None:
    async with subscribed(hub, live_hub, {"institutions": ["NLC"]}) as (_sandbox, ws):
        await hub.sync.sync_partner("CRECC")
        hub.events.publish([CatalogueChange(ChangeKind.REMOVED, 1, "NLC", datetime.now(UTC))])
        event = (await receive(ws))["payload"]["data"]["catalogueChanges"]
        assert event == {"kind": "REMOVED", "institution": "NLC", "item": None}  # not one of CRECC's first


IMAGES_SUBSCRIPTION = """subscription {
  catalogueChanges { kind item { sourceId images { label } } }
}"""


async def test_catalogue_changes_show_each_change_fresh_not_from_an_earlier_event(
    hub: Hub, live_hub: LiveServer
) -> None:
    async with subscribed(hub, live_hub, {}, IMAGES_SUBSCRIPTION) as (sandbox, ws):
        first = await hub.sync.sync_partner("CRECC")
        for _ in first.changes.added:
            await receive(ws)
        target = next(obj for obj in sandbox.store.ordered() if not obj.deleted and obj.images)
        for round_ in (1, 2):
            sandbox.store.update(target.id, images=[f"crecc/{target.id}-photo-{round_}.tif"])
            await hub.sync.sync_partner("CRECC")
            event = (await receive(ws))["payload"]["data"]["catalogueChanges"]
            assert event["item"]["images"] == [{"label": f"{target.id}-photo-{round_}.tif"}]


async def test_websocket_queries_each_read_fresh_data(hub: Hub, live_hub: LiveServer) -> None:
    query = "{ catalogue { edges { node { sourceId images { manifestUrl } } } } }"
    await store(hub, "TWMM", [records.relic("TW-9", "三彩马", "Sancai horse", images=1)])
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(f"{live_hub.url}/graphql", protocols=["graphql-transport-ws"]) as ws,
    ):
        await ws.send_json({"type": "connection_init", "payload": {}})
        assert (await receive(ws))["type"] == "connection_ack"
        image_counts = []
        for operation in ("1", "2"):
            await ws.send_json({"id": operation, "type": "subscribe", "payload": {"query": query}})
            result = await receive(ws)
            assert (await receive(ws))["type"] == "complete"
            [edge] = result["payload"]["data"]["catalogue"]["edges"]
            image_counts.append(len(edge["node"]["images"]))
            await store(hub, "TWMM", [records.relic("TW-9", "三彩马", "Sancai horse", images=3)])
    assert image_counts == [1, 3]
