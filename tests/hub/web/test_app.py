from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from sqlalchemy import text

from hub.app import Hub
from hub.cli.migrate import upgrade_database
from hub.settings import Settings
from hub.web.app import create_app
from tests import records
from tests.records import store
from tests.support import graphql


async def test_healthz_reports_ok_with_a_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.json() == {"status": "ok"}


async def test_metrics_count_graphql_requests(hub: Hub, client: httpx.AsyncClient) -> None:
    await graphql(client, "{ institutions { code } }")
    text = (await client.get("/metrics")).text
    assert 'hub_http_requests_total{method="POST",path="/graphql",status="200"} 1.0' in text
    assert "hub_http_request_duration_seconds_bucket" in text


async def test_query_with_too_many_tokens_is_refused(client: httpx.AsyncClient) -> None:
    query = "{ institutions { " + "code " * 5000 + "} }"
    body = await graphql(client, query)
    assert "more than 4000 tokens" in body["errors"][0]["message"]


async def test_too_many_aliases_are_refused(client: httpx.AsyncClient) -> None:
    query = "{ " + " ".join(f"a{n}: institutions {{ code }}" for n in range(40)) + " }"
    body = await graphql(client, query)
    assert "aliases" in body["errors"][0]["message"].lower()


async def test_unexpected_faults_are_masked_without_leaking_internals(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'broken.sqlite3'}"
    await asyncio.to_thread(upgrade_database, url)
    broken = Hub.create(Settings(database_url=url))
    try:
        await store(broken, "TWMM", [records.SANCAI_HORSE])
        async with broken.engine.begin() as connection:
            await connection.execute(text("DROP TABLE item_images"))
        transport = httpx.ASGITransport(app=create_app(broken))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
            body = await graphql(http, "{ catalogue { edges { node { sourceId images { manifestUrl } } } } }")
    finally:
        await broken.close()
    assert body["data"] is None
    assert [error["message"] for error in body["errors"]] == ["Unexpected error."]
    assert "item_images" not in str(body)


async def test_cors_lets_a_configured_browser_origin_call_the_graph(database_url: str) -> None:
    hub = Hub.create(Settings(database_url=database_url, cors_origins=("https://app.silkroad.example",)))
    transport = httpx.ASGITransport(app=create_app(hub))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
            preflight = await http.options(
                "/graphql",
                headers={
                    "Origin": "https://app.silkroad.example",
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "authorization, content-type",
                },
            )
            other = await http.post(
                "/graphql", json={"query": "{ institutions { code } }"}, headers={"Origin": "https://evil.example"}
            )
    finally:
        await hub.close()
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://app.silkroad.example"
    assert "access-control-allow-origin" not in other.headers


async def test_cors_is_off_unless_configured(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ institutions { code } }"}, headers={"Origin": "https://app.silkroad.example"}
    )
    assert "access-control-allow-origin" not in response.headers
