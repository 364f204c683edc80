"""A bounded fuzzing run of /graphql (schemathesis' GraphQL mode, valid and invalid documents) against a hub
process of its own: no HTTP 500, no masked fault, and every error carries a code."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from hub.app import Hub
from hub.settings import Settings
from tests import records
from tests.auth_support import bearer, mint_token
from tests.hub.cli.support import ROOT

EXAMPLES = 500
"""About 15 s on the development machine."""

schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
        st.sampled_from(["NaN", "-Infinity", "1e999999", "0.0000000001", "abc", ""]),
    ).map(schemathesis.graphql.nodes.String),
)
"""Money amounts and FX rates: decimal strings, and what a client should not send."""


async def _seed(database_url: str) -> str:
    hub = Hub.create(Settings(database_url=database_url))
    try:
        await records.store(hub, "TWMM", [records.SANCAI_HORSE, records.KAIYUAN_COIN])
        await records.store(hub, "NLC", [records.SOGDIAN_BOOK])
        return await mint_token(
            hub, "catalogue:write audit:read hub:admin trade:read trade:write", "NLC", jurisdiction="CN"
        )
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


def _check(response: Any) -> None:
    assert response.status_code < 500, response.text
    if "json" not in response.headers.get("content-type", ""):
        return
    for error in response.json().get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code is not None, error
        assert code != "INTERNAL_SERVER_ERROR", error


def test_fuzzing_graphql_finds_no_server_error_and_no_masked_fault(database_url: str) -> None:
    token = asyncio.run(_seed(database_url))
    with hub_process(database_url) as url:
        schema = schemathesis.graphql.from_url(f"{url}/graphql")
        cases = st.one_of(schema.as_strategy(GenerationMode.POSITIVE), schema.as_strategy(GenerationMode.NEGATIVE))
        headers = bearer(token)

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=cases, authenticated=st.booleans())
        def fuzz(case: Any, authenticated: bool) -> None:
            response = case.call(headers=headers if authenticated else None, timeout=30)
            seen.append(response.status_code)
            _check(response)

        seen: list[int] = []

        fuzz()
        assert len(seen) > EXAMPLES // 2


@dataclass
class Answer:
    status_code: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})

    @property
    def text(self) -> str:
        return str(self.body)

    def json(self) -> dict[str, Any]:
        return self.body


@pytest.mark.parametrize(
    "answer",
    [
        Answer(500, {}),
        Answer(200, {"errors": [{"message": "Unexpected error.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}),
        Answer(200, {"errors": [{"message": "no code"}]}),
    ],
)
def test_fuzzing_check_flags_what_it_must_find(answer: Answer) -> None:
    """The check fails on a server error, a masked fault and an error without a code: a green run means something."""
    with pytest.raises(AssertionError):
        _check(answer)
