"""`hub serve`: migrates, starts the sandbox partners, harvests them and serves the graph."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from pathlib import Path

import httpx
import pytest

from hub.app import Hub
from tests.conftest import TEST_DATABASE_URL
from tests.hub.cli.support import ROOT, run_hub


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def serve_until_partners_synced(database_url: str, *options: str) -> tuple[dict[str, tuple[int, str]], str]:
    """Runs `hub serve` until the three partners show a successful harvest (30 s at most): what the graph said
    about them and what GET /graphql shows a browser."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "hub.cli",
        "serve",
        "--port",
        str(port),
        *options,
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
    return seen, graphiql.text


async def test_cli_serve_shows_three_harvested_partners_within_30_seconds(hub: Hub, database_url: str) -> None:
    seen, graphiql = await serve_until_partners_synced(database_url)
    assert {c: s for c, (_, s) in seen.items() if c in ("NLC", "CRECC", "TWMM")} == {
        "NLC": "OK",
        "CRECC": "OK",
        "TWMM": "OK",
    }
    assert all(seen[c][0] >= 20 for c in ("NLC", "CRECC", "TWMM"))
    assert "graphiql" in graphiql.lower()


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="several workers need PostgreSQL; SQLite refuses them (below)")
async def test_cli_serve_with_workers_serves_the_harvested_partners(hub: Hub, database_url: str) -> None:
    seen, _ = await serve_until_partners_synced(database_url, "--workers", "2")
    assert {c: s for c, (_, s) in seen.items() if c in ("NLC", "CRECC", "TWMM")} == {
        "NLC": "OK",
        "CRECC": "OK",
        "TWMM": "OK",
    }


async def test_cli_serve_refuses_workers_on_sqlite_naming_why(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.sqlite3'}"
    status, _, stderr = await run_hub("serve", "--workers", "2", env={"HUB_DATABASE_URL": url})
    assert status == 2
    assert "--workers needs PostgreSQL" in stderr
