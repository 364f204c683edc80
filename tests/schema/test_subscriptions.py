from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aiohttp

from hub.events import CatalogueChange, ChangeKind
from hub.runtime import Hub
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import serve_app
from tests.support import LiveServer

SUBSCRIPTION = """subscription($institutions: [String!]) {
  catalogueChanges(institutions: $institutions) { kind institution item { sourceId title(lang: "en") } }
}"""


async def receive(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.receive_str(), timeout=5))
    return message


@contextlib.asynccontextmanager
async def subscribed(
    hub: Hub, live_hub: LiveServer, variables: dict[str, Any]
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
            await ws.send_json(
                {"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION, "variables": variables}}
            )
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
