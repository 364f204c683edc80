from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp

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


async def test_catalogue_changes_announce_what_a_sync_added_changed_and_removed(hub: Hub, live_hub: LiveServer) -> None:
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
            await ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION, "variables": {}}})
            while hub.events.subscriber_count == 0:
                await asyncio.sleep(0.01)

            first = await hub.sync.sync_partner("CRECC")
            added = [await receive(ws) for _ in first.changes.added]
            assert {m["payload"]["data"]["catalogueChanges"]["kind"] for m in added} == {"ADDED"}
            assert all(m["payload"]["data"]["catalogueChanges"]["institution"] == "CRECC" for m in added)

            live = [obj for obj in sandbox.store.ordered() if not obj.deleted]
            sandbox.store.update(live[0].id, titles={"en": "Retitled cup"})
            sandbox.store.delete(live[1].id)
            await hub.sync.sync_partner("CRECC")
            events = [(await receive(ws))["payload"]["data"]["catalogueChanges"] for _ in range(2)]
            assert {
                "kind": "CHANGED",
                "institution": "CRECC",
                "item": {"sourceId": live[0].id, "title": "Retitled cup"},
            } in events
            assert {"kind": "REMOVED", "institution": "CRECC", "item": None} in events
    finally:
        await partner.close()


async def test_catalogue_changes_filter_by_institution(hub: Hub, live_hub: LiveServer) -> None:
    sandbox = CreccSandbox()
    partner = await serve_app(sandbox.make_app())
    hub.sync.partner_urls["CRECC"] = partner.url
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(f"{live_hub.url}/graphql", protocols=["graphql-transport-ws"]) as ws,
        ):
            await ws.send_json({"type": "connection_init"})
            assert (await receive(ws))["type"] == "connection_ack"
            await ws.send_json(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": SUBSCRIPTION, "variables": {"institutions": ["NLC"]}},
                }
            )
            while hub.events.subscriber_count == 0:
                await asyncio.sleep(0.01)
            await hub.sync.sync_partner("CRECC")
            await ws.send_json({"type": "ping"})
            assert (await receive(ws))["type"] == "pong"  # no CRECC event came before the pong
    finally:
        await partner.close()
