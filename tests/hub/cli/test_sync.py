from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from hub.app import Hub
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import RunningServer, serve_app

ROOT = Path(__file__).resolve().parents[3]


async def run_hub(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "hub.cli",
        *args,
        cwd=ROOT,
        env=os.environ | env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


@pytest.fixture
async def crecc_server() -> AsyncIterator[RunningServer]:
    server = await serve_app(CreccSandbox().make_app())
    yield server
    await server.close()


async def test_cli_sync_harvests_and_exits_zero(hub: Hub, database_url: str, crecc_server: RunningServer) -> None:
    env = {"HUB_DATABASE_URL": database_url, "HUB_PARTNER_CRECC_URL": crecc_server.url}
    code, _out, err = await run_hub("sync", "CRECC", env=env)
    assert code == 0, err
    assert "ok     CRECC" in err
    assert "+27" in err
    code, _out, err = await run_hub("sync", "crecc", env=env)
    assert code == 0, err
    assert "+0 ~0 -0" in err


async def test_cli_sync_exits_non_zero_naming_the_failed_partner(hub: Hub, database_url: str) -> None:
    async def broken(_request: web.Request) -> web.Response:
        return web.Response(text="not json", content_type="application/json")

    app = web.Application()
    app.router.add_get("/relics", broken)
    server = await serve_app(app)
    try:
        env = {"HUB_DATABASE_URL": database_url, "HUB_PARTNER_CRECC_URL": server.url}
        code, _out, err = await run_hub("sync", "CRECC", env=env)
    finally:
        await server.close()
    assert code == 1
    assert "FAILED CRECC: malformed JSON" in err
    assert f"{server.url}/relics" in err


async def test_cli_refuses_a_bad_setting_naming_it(tmp_path: Path) -> None:
    code, _out, err = await run_hub("migrate", env={"HUB_SYNC_INTERVAL": "often"})
    assert code == 2
    assert "HUB_SYNC_INTERVAL must be a number of seconds, not 'often'" in err


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_cli_serve_shows_three_harvested_partners_within_30_seconds(hub: Hub, database_url: str) -> None:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "hub.cli",
        "serve",
        "--port",
        str(port),
        cwd=ROOT,
        env=os.environ | {"HUB_DATABASE_URL": database_url},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    query = {"query": "{ institutions { code itemCount syncStatus } }"}
    deadline = time.monotonic() + 30
    seen: dict[str, tuple[int, str]] = {}
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            while time.monotonic() < deadline:
                try:
                    body = (await http.post("/graphql", json=query)).json()
                    seen = {i["code"]: (i["itemCount"], i["syncStatus"]) for i in body["data"]["institutions"]}
                    if all(seen.get(c, (0, ""))[1] == "OK" for c in ("NLC", "CRECC", "TWMM")):
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.3)
            graphiql = await http.get("/graphql", headers={"Accept": "text/html"})
    finally:
        process.terminate()
        await process.wait()
    assert {c: s for c, (_, s) in seen.items() if c in ("NLC", "CRECC", "TWMM")} == {
        "NLC": "OK",
        "CRECC": "OK",
        "TWMM": "OK",
    }
    assert all(seen[c][0] >= 20 for c in ("NLC", "CRECC", "TWMM"))
    assert "graphiql" in graphiql.text.lower()
