"""Two hub processes on one Redis share their rate limits: a client cannot double its share by switching."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import uuid
from collections.abc import AsyncIterator

import httpx

from tests.hub.cli.support import ROOT
from tests.redis_support import redis_url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def hub_processes(count: int, env: dict[str, str]) -> AsyncIterator[list[str]]:
    ports = [_free_port() for _ in range(count)]
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.serve_hub", str(port), cwd=ROOT, env=os.environ | env
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        async with httpx.AsyncClient() as http:
            for url in urls:
                for _ in range(300):
                    with contextlib.suppress(httpx.TransportError):
                        if (await http.get(f"{url}/healthz")).status_code == 200:
                            break
                    await asyncio.sleep(0.1)
                else:
                    raise AssertionError(f"the hub at {url} did not come up")
        yield urls
    finally:
        for process in processes:
            process.terminate()
        await asyncio.gather(*(process.wait() for process in processes))


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
