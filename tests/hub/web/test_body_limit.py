"""Bodies over the limit are refused with 413 before anything reads them, from hostile clients on loopback."""

from __future__ import annotations

import httpx

from hub.app import Hub
from hub.settings import Settings
from hub.web.app import create_app
from tests.support import LiveServer, raw_request, start_live_server

TEN_MB = 10 * 1024 * 1024
CHUNKED_HEAD = "HTTP/1.1\nHost: hub\nTransfer-Encoding: chunked\n"


async def test_a_body_announced_over_the_limit_is_refused_with_413_before_it_is_sent(live_hub: LiveServer) -> None:
    """The 10 MB query of the issue: the answer comes after the headers and the first 64 KB."""
    head = f"POST /graphql HTTP/1.1\nHost: hub\nContent-Type: application/json\nContent-Length: {TEN_MB}\n"
    status, body = await raw_request(live_hub.url, head, [b'{"query": "{ institutions { code } }' + b" " * 65536])
    assert status == 413
    [error] = body["errors"]
    assert error["message"] == "request body over the limit of 262144 bytes"
    assert error["extensions"] == {"code": "PAYLOAD_TOO_LARGE", "maxBytes": 262144}
    async with httpx.AsyncClient(base_url=live_hub.url) as http:
        assert (await http.post("/graphql", json={"query": "{ institutions { code } }"})).status_code == 200


async def test_a_chunked_body_is_refused_once_it_grows_past_the_limit(database_url: str) -> None:
    hub = Hub.create(Settings(database_url=database_url, max_body_bytes=4096))
    server = await start_live_server(create_app(hub))
    chunks = [b"400\r\n" + b" " * 1024 + b"\r\n"] * 8  # 8 KB sent, no end: the server must not wait for more
    try:
        graphql = await raw_request(
            server.url, "POST /graphql HTTP/1.1\nHost: hub\nTransfer-Encoding: chunked\n", chunks
        )
        token = await raw_request(
            server.url, "POST /oauth/token HTTP/1.1\nHost: hub\nTransfer-Encoding: chunked\n", chunks
        )
    finally:
        await server.stop()
        await hub.close()
    assert graphql[0] == 413 and graphql[1]["errors"][0]["extensions"]["maxBytes"] == 4096
    assert token[0] == 413  # every endpoint, not only /graphql


async def test_a_body_within_the_limit_is_served(database_url: str) -> None:
    hub = Hub.create(Settings(database_url=database_url, max_body_bytes=4096))
    try:
        transport = httpx.ASGITransport(app=create_app(hub))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
            padded = "{ institutions { code } }" + " " * 3900
            response = await http.post("/graphql", json={"query": padded})
    finally:
        await hub.close()
    assert response.status_code == 200 and "errors" not in response.json()
