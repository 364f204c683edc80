from __future__ import annotations

import asyncio

import httpx

from hub.app import Hub
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import serve_app
from tests.auth_support import bearer, mint_token
from tests.hub.cli.support import run_hub
from tests.support import LiveServer

QUERY = '{ catalogue(query: "三彩") { totalCount edges { node { sourceId title } } } }'


async def post(client: httpx.AsyncClient, query: str = QUERY, **headers: str) -> httpx.Response:
    response = await client.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    return response


def served_from_cache(response: httpx.Response) -> bool:
    return response.headers.get("x-hub-cache") == "hit"


async def cached_answer(client: httpx.AsyncClient, query: str = QUERY, **headers: str) -> httpx.Response:
    """A repeated query's answer from cache. Asked until it is one, up to 50 times: on PostgreSQL the data version
    is the WAL position, which a write to any database of the cluster moves (a miss then is right), and the
    suite's other workers write to other databases of the same cluster all the time."""
    await post(client, query, **headers)
    for _ in range(50):
        answer = await post(client, query, **headers)
        if served_from_cache(answer):
            return answer
    raise AssertionError("never served from cache")


async def assert_cached(client: httpx.AsyncClient, query: str = QUERY, **headers: str) -> None:
    """The control of every test below that shows an answer NOT served from cache: asked again, it is."""
    await cached_answer(client, query, **headers)


async def test_response_cache_serves_a_repeated_anonymous_query(catalogue: Hub, client: httpx.AsyncClient) -> None:
    first = await post(client)
    second = await cached_answer(client)
    assert "x-hub-cache" not in first.headers
    assert second.json() == first.json()
    assert second.json()["data"]["catalogue"]["totalCount"] == 2


async def test_response_cache_is_invalidated_by_a_sync_that_changes_items(
    catalogue: Hub, client: httpx.AsyncClient
) -> None:
    sandbox = CreccSandbox()
    partner = await serve_app(sandbox.make_app())
    catalogue.sync.partner_urls["CRECC"] = partner.url
    try:
        before = (await cached_answer(client)).json()["data"]["catalogue"]["totalCount"]
        result = await catalogue.sync.sync_partner("CRECC")
        assert result.ok and result.changes.added
    finally:
        await partner.close()
    fresh = await post(client)
    assert "x-hub-cache" not in fresh.headers
    assert fresh.json()["data"]["catalogue"]["totalCount"] > before


async def test_response_cache_is_invalidated_by_a_sync_status_change(catalogue: Hub, client: httpx.AsyncClient) -> None:
    query = "{ institutions { code syncStatus } }"
    await assert_cached(client, query)
    await catalogue.sync.sync_partner("TWMM")  # no URL: fails, and the status says so
    fresh = await post(client, query)
    assert not served_from_cache(fresh)
    statuses = {i["code"]: i["syncStatus"] for i in fresh.json()["data"]["institutions"]}
    assert statuses["TWMM"] == "FAILED"


async def test_response_cache_keys_on_accept_language(catalogue: Hub, client: httpx.AsyncClient) -> None:
    chinese = await post(client, **{"Accept-Language": "zh"})
    english = await post(client, **{"Accept-Language": "en"})
    assert "x-hub-cache" not in english.headers
    assert chinese.json() != english.json()
    await assert_cached(client, **{"Accept-Language": "en"})


async def test_response_cache_never_serves_authenticated_requests(catalogue: Hub, client: httpx.AsyncClient) -> None:
    await assert_cached(client)
    token = bearer(await mint_token(catalogue, "catalogue:write", "NLC"))
    answers = [await post(client, **token) for _ in range(2)]
    assert not any(served_from_cache(answer) for answer in answers)
    assert answers[1].json()["data"]["catalogue"]["totalCount"] == 2
    refused = await client.post("/graphql", json={"query": QUERY}, headers={"Authorization": "Bearer not-a-token"})
    assert refused.status_code == 401 and not served_from_cache(refused)


async def test_response_cache_does_not_keep_errors(catalogue: Hub, client: httpx.AsyncClient) -> None:
    await assert_cached(client, "{ catalogue(first: 1) { totalCount } }")
    bad = "{ catalogue(first: -1) { totalCount } }"
    await post(client, bad)
    again = await post(client, bad)
    assert not served_from_cache(again)
    assert again.json()["errors"]


async def test_response_cache_entries_expire_after_the_ttl(catalogue: Hub, client: httpx.AsyncClient) -> None:
    cache = client._transport.app.state.response_cache  # type: ignore[attr-defined]
    cache.ttl = 0.5
    await assert_cached(client)
    await asyncio.sleep(0.6)
    assert not served_from_cache(await post(client))


async def test_response_cache_is_invalidated_by_a_partner_push(catalogue: Hub, client: httpx.AsyncClient) -> None:
    await assert_cached(client)
    token = bearer(await mint_token(catalogue, "catalogue:write", "NLC"))
    upsert = """mutation { upsertCatalogueItems(input: { items: [{ sourceId: "NLC-9", kind: BOOK,
      titles: [{ lang: "zh", value: "三彩图录" }] }] }) { errors { code } } }"""
    assert (await post(client, upsert, **token)).json()["data"]["upsertCatalogueItems"]["errors"] == []
    fresh = await post(client)
    assert not served_from_cache(fresh)
    assert fresh.json()["data"]["catalogue"]["totalCount"] == 3


async def test_response_cache_answers_fresh_data_at_once_after_a_sync_in_another_process(
    catalogue: Hub, database_url: str, live_hub: LiveServer
) -> None:
    """`hub sync` runs in a process of its own; the serving one has the old answer cached (TTL 5 s)."""
    partner = await serve_app(CreccSandbox().make_app())
    try:
        async with httpx.AsyncClient(base_url=live_hub.url) as http:
            await assert_cached(http)
            before = (await post(http)).json()["data"]["catalogue"]["totalCount"]
            env = {"HUB_DATABASE_URL": database_url, "HUB_PARTNER_CRECC_URL": partner.url}
            code, _out, err = await run_hub("sync", "CRECC", env=env)
            assert code == 0, err
            fresh = await post(http)
    finally:
        await partner.close()
    assert not served_from_cache(fresh)
    assert fresh.json()["data"]["catalogue"]["totalCount"] > before


async def test_response_cache_drops_expired_entries_and_keeps_within_its_byte_bound(
    catalogue: Hub, client: httpx.AsyncClient
) -> None:
    cache = client._transport.app.state.response_cache  # type: ignore[attr-defined]

    async def unchanging() -> int:  # this test is about eviction: on PostgreSQL, other databases move the WAL
        return 0

    cache.version = unchanging
    queries = [f'{{ catalogue(query: "q{n:02d}") {{ totalCount }} }}' for n in range(12)]  # answers of one size
    await post(client, queries[0])
    [entry] = cache.entries.values()
    cache.max_bytes = entry.size * 8  # eight answers
    for query in queries[1:]:
        await post(client, query)
    assert len(cache.entries) == 8 and cache.size == 8 * entry.size
    assert not served_from_cache(await post(client, queries[0]))  # the oldest went first
    assert served_from_cache(await post(client, queries[-1]))
    cache.ttl = 0.2
    await asyncio.sleep(0.3)
    await post(client, queries[1])
    assert len(cache.entries) == 1  # the expired ones are gone
