from __future__ import annotations

import httpx

from hub.runtime import Hub
from tests.support import graphql


async def test_graphiql_opens_on_get_in_a_browser(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


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
