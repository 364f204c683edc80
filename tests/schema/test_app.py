"""Websockets of the graph: one outliving its token is closed (4401) at the token's expiry or soon after its
revocation, by whichever hub process."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from hub.app import Hub
from hub.auth.tokens import revoke
from hub.settings import Settings
from hub.web.app import create_app
from tests.auth_support import bearer, mint_token
from tests.support import LiveServer, start_live_server

SUBSCRIPTION = {"query": "subscription { catalogueChanges { kind } }"}


@pytest.fixture
async def quick_watch_hub(database_url: str) -> AsyncIterator[tuple[Hub, LiveServer]]:
    """A hub that checks websocket tokens for revocation every 0.2 s (the default is 5 s)."""
    hub = Hub.create(Settings(database_url=database_url, ws_token_check_interval=0.2))
    server = await start_live_server(create_app(hub))
    yield hub, server
    await server.stop()
    await hub.close()


async def _subscribe(server: LiveServer, token: str) -> websockets.ClientConnection:
    url = server.url.replace("http", "ws") + "/graphql"
    ws = await websockets.connect(url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")])
    await ws.send(json.dumps({"type": "connection_init", "payload": bearer(token)}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": SUBSCRIPTION}))
    return ws


async def _closed(ws: websockets.ClientConnection, within: float) -> tuple[int | None, str | None]:
    with pytest.raises(ConnectionClosed) as closed:
        await asyncio.wait_for(ws.recv(), timeout=within)
    return (
        closed.value.rcvd.code if closed.value.rcvd else None,
        closed.value.rcvd.reason if closed.value.rcvd else None,
    )


async def test_a_websocket_is_closed_when_its_token_expires(quick_watch_hub: tuple[Hub, LiveServer]) -> None:
    hub, server = quick_watch_hub
    lifetime = hub.settings.token_lifetime
    token = await mint_token(hub, "trade:read", "NLC", now=time.time() - lifetime + 1.5)  # expires in 1.5 s
    ws = await _subscribe(server, token)
    assert await _closed(ws, within=10) == (4401, "token expired")


async def test_a_websocket_is_closed_soon_after_its_token_is_revoked(quick_watch_hub: tuple[Hub, LiveServer]) -> None:
    hub, server = quick_watch_hub
    token = await mint_token(hub, "trade:read", "NLC")
    kept = await _subscribe(server, await mint_token(hub, "trade:read", "NLC"))
    ws = await _subscribe(server, token)
    await revoke(hub.sessions, await hub.auth.verifier.verify(token))
    assert await _closed(ws, within=5) == (4401, "token revoked")
    with pytest.raises(TimeoutError):  # another token's websocket stays open
        await asyncio.wait_for(kept.recv(), timeout=0.5)
    await kept.close()


async def test_a_websocket_message_nested_too_deep_closes_the_socket_with_4400(live_hub: LiveServer) -> None:
    url = live_hub.url.replace("http", "ws") + "/graphql"
    async with websockets.connect(url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        deep = '{"x": ' + "[" * 50_000 + "]" * 50_000 + "}"
        await ws.send(
            '{"id": "1", "type": "subscribe", "payload": {"query": "{ __typename }", "variables": ' + deep + "}}"
        )
        assert await _closed(ws, within=5) == (4400, "WebSocket message must be valid JSON")
