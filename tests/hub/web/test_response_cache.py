from __future__ import annotations

import asyncio

import httpx

from hub.app import Hub
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import serve_app

QUERY = '{ catalogue(query: "三彩") { totalCount edges { node { sourceId title } } } }'


async def post(client: httpx.AsyncClient, query: str = QUERY, **headers: str) -> httpx.Response:
    response = await client.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    return response


async def test_response_cache_serves_a_repeated_anonymous_query(catalogue: Hub, client: httpx.AsyncClient) -> None:
    first = await post(client)
    second = await post(client)
    assert "x-hub-cache" not in first.headers
    assert second.headers["x-hub-cache"] == "hit"
    assert second.json() == first.json()
    assert second.json()["data"]["catalogue"]["totalCount"] == 2


async def test_response_cache_is_invalidated_by_a_sync_that_changes_items(
    catalogue: Hub, client: httpx.AsyncClient
) -> None:
    sandbox = CreccSandbox()
    partner = await serve_app(sandbox.make_app())
    catalogue.sync.partner_urls["CRECC"] = partner.url
    try:
        before = (await post(client)).json()["data"]["catalogue"]["totalCount"]
        assert (await post(client)).headers["x-hub-cache"] == "hit"
        result = await catalogue.sync.sync_partner("CRECC")
        assert result.ok and result.changes.added
    finally:
        await partner.close()
    fresh = await post(client)
    assert "x-hub-cache" not in fresh.headers
    assert fresh.json()["data"]["catalogue"]["totalCount"] > before


async def test_response_cache_is_invalidated_by_a_sync_status_change(catalogue: Hub, client: httpx.AsyncClient) -> None:
    query = "{ institutions { code syncStatus } }"
    await post(client, query)
    await catalogue.sync.sync_partner("TWMM")  # no URL: fails, and the status says so
    statuses = {i["code"]: i["syncStatus"] for i in (await post(client, query)).json()["data"]["institutions"]}
    assert statuses["TWMM"] == "FAILED"


async def test_response_cache_keys_on_accept_language(catalogue: Hub, client: httpx.AsyncClient) -> None:
    chinese = await post(client, **{"Accept-Language": "zh"})
    english = await post(client, **{"Accept-Language": "en"})
    assert "x-hub-cache" not in english.headers
    assert chinese.json() != english.json()
    assert (await post(client, **{"Accept-Language": "en"})).headers["x-hub-cache"] == "hit"


async def test_response_cache_never_serves_authenticated_requests(catalogue: Hub, client: httpx.AsyncClient) -> None:
    await post(client)
    response = await client.post("/graphql", json={"query": QUERY}, headers={"Authorization": "Bearer not-a-token"})
    assert "x-hub-cache" not in response.headers


async def test_response_cache_does_not_keep_errors(catalogue: Hub, client: httpx.AsyncClient) -> None:
    bad = "{ catalogue(first: -1) { totalCount } }"
    await post(client, bad)
    again = await post(client, bad)
    assert "x-hub-cache" not in again.headers
    assert again.json()["errors"]


async def test_response_cache_entries_expire_after_the_ttl(catalogue: Hub, client: httpx.AsyncClient) -> None:
    cache = client._transport.app.state.response_cache  # type: ignore[attr-defined]
    cache.ttl = 0.05
    await post(client)
    await asyncio.sleep(0.1)
    assert "x-hub-cache" not in (await post(client)).headers
