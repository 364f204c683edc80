"""Test support: a bounded fuzzing run of /graphql (schemathesis' GraphQL mode) against a hub process of its own,
checking that no answer is an HTTP 500 or a masked fault and that every error carries a code. The valid and the
invalid documents run in two test modules, so two test workers share the work."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from hub.app import Hub
from hub.settings import Settings
from tests import records
from tests.auth_support import bearer, mint_token
from tests.hub.cli.support import ROOT

EXAMPLES = 250
"""Per generation mode (valid documents, invalid ones): about 8 s each on the development machine."""


async def _seed(database_url: str) -> str:
    hub = Hub.create(Settings(database_url=database_url))
    try:
        await records.store(hub, "TWMM", [records.SANCAI_HORSE, records.KAIYUAN_COIN])
        await records.store(hub, "NLC", [records.SOGDIAN_BOOK])
        return await mint_token(hub, "catalogue:write audit:read hub:admin", "NLC", jurisdiction="CN")
    finally:
        await hub.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def hub_process(database_url: str) -> Iterator[str]:
    port = _free_port()
    env = os.environ | {
        "HUB_DATABASE_URL": database_url,
        "HUB_RATE_LIMIT_ANONYMOUS": "1000000/60",
        "HUB_RATE_LIMIT_GRAPHQL": "1000000/60",
    }
    process = subprocess.Popen([sys.executable, "-m", "tests.serve_hub", str(port)], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            time.sleep(0.1)
        else:
            raise AssertionError(f"the hub at {url} did not come up")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def check_answer(response: Any) -> None:
    assert response.status_code < 500, response.text
    if "json" not in response.headers.get("content-type", ""):
        return
    for error in response.json().get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code is not None, error
        assert code != "INTERNAL_SERVER_ERROR", error


def fuzz_graphql(database_url: str, mode: GenerationMode) -> None:
    """`EXAMPLES` documents of `mode` against a hub of its own, half with a token: every answer passes the check."""
    token = asyncio.run(_seed(database_url))
    with hub_process(database_url) as url:
        schema = schemathesis.graphql.from_url(f"{url}/graphql")
        headers = bearer(token)

        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=schema.as_strategy(mode), authenticated=st.booleans())
        def fuzz(case: Any, authenticated: bool) -> None:
            response = case.call(headers=headers if authenticated else None, timeout=30)
            seen.append(response.status_code)
            check_answer(response)

        seen: list[int] = []

        fuzz()
        assert len(seen) > EXAMPLES // 2
