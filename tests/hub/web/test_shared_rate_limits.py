"""Two hub processes on one Redis share their rate limits: a client cannot double its share by switching."""

from __future__ import annotations

import uuid

import httpx

from tests.hub_processes import hub_processes
from tests.redis_support import redis_url


async def test_rate_limits_per_address_hold_across_two_hub_processes(database_url: str) -> None:
    env = {
        "HUB_DATABASE_URL": database_url,
        "HUB_REDIS_URL": redis_url(),
        "HUB_RATE_LIMIT_PREFIX": f"test-{uuid.uuid4().hex}",
        "HUB_RATE_LIMIT_ANONYMOUS": "4/3600",
        "HUB_RATE_LIMIT_AUTH_FAILURES": "2/3600",
    }
    query = {"query": "{ institutions { code } }"}
    async with hub_processes(2, env) as (first, second), httpx.AsyncClient() as http:
        answers = [await http.post(f"{url}/graphql", json=query) for url in (first, second) * 3]
        failed = []
        for url in (first, second, first, second):
            form = {"grant_type": "client_credentials", "client_id": uuid.uuid4().hex, "client_secret": "guess"}
            failed.append(await http.post(f"{url}/oauth/token", data=form))
    assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 429, 429]
    assert int(answers[-1].headers["retry-after"]) >= 1
    assert [answer.status_code for answer in failed] == [401, 401, 429, 429]
