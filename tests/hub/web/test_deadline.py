"""A request that would hold the hub for seconds (a pathological search) is stopped within its time budget."""

from __future__ import annotations

import httpx

from hub.app import Hub
from hub.settings import Settings
from hub.web.app import create_app
from tests.slow_search import SLOW_QUERY, store_slow_items
from tests.support import start_live_server


async def _ask_slow_then_quick(database_url: str, **settings: float) -> tuple[httpx.Response, httpx.Response]:
    hub = Hub.create(Settings(database_url=database_url, response_cache_ttl=0, **settings))  # type: ignore[arg-type]
    server = await start_live_server(create_app(hub))
    try:
        await store_slow_items(hub)
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            slow = await http.post("/graphql", json={"query": SLOW_QUERY})
            quick = await http.post("/graphql", json={"query": "{ institutions { code } }"})
    finally:
        await server.stop()
        await hub.close()
    return slow, quick


async def test_a_request_over_its_time_budget_is_cancelled_with_request_timeout(database_url: str) -> None:
    slow, quick = await _ask_slow_then_quick(database_url, request_timeout=0.3, statement_timeout=3)
    assert slow.status_code == 504
    [error] = slow.json()["errors"]
    assert error["extensions"] == {"code": "REQUEST_TIMEOUT", "timeoutSeconds": 0.3}
    assert error["message"] == "the request took longer than the time budget of 0.3 s and was cancelled"
    assert quick.status_code == 200 and "errors" not in quick.json()


async def test_a_statement_over_the_statement_timeout_is_stopped_with_request_timeout(database_url: str) -> None:
    slow, quick = await _ask_slow_then_quick(database_url, request_timeout=30, statement_timeout=0.3)
    assert slow.status_code == 200
    body = slow.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "REQUEST_TIMEOUT"
    assert error["extensions"]["requestId"] == slow.headers["x-request-id"]
    assert "statement" in error["message"] and "SELECT" not in error["message"]
    assert quick.status_code == 200 and "errors" not in quick.json()
