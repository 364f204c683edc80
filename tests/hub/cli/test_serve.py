"""`hub serve`: migrates, starts the sandbox partners, harvests them and serves the graph; the sandboxes keep their
addresses across restarts, so the links stored in the catalogue stay valid."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from hub.app import Hub
from tests.conftest import TEST_DATABASE_URL
from tests.hub.cli.support import ROOT, run_hub
from tests.support import free_ports


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def serving(env: dict[str, str], *options: str) -> AsyncIterator[httpx.AsyncClient]:
    """`hub serve` as a subprocess on a free port, stopped (SIGTERM) at the end; a client of it."""
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
        env=os.environ | env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            yield http
    finally:
        process.terminate()
        await process.wait()


async def synced_institutions(http: httpx.AsyncClient, seconds: float = 30) -> dict[str, tuple[int, str]]:
    """Polls the graph until the three partners are harvested (or `seconds` pass): code -> (items, status)."""
    query = {"query": "{ institutions { code itemCount syncStatus } }"}
    deadline = time.monotonic() + seconds
    seen: dict[str, tuple[int, str]] = {}
    while time.monotonic() < deadline:
        try:
            body = (await http.post("/graphql", json=query)).json()
            seen = {i["code"]: (i["itemCount"], i["syncStatus"]) for i in body["data"]["institutions"]}
            if all(seen.get(c, (0, ""))[1] == "OK" for c in ("NLC", "CRECC", "TWMM")):
                break
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.3)
    return seen


async def test_cli_serve_shows_three_harvested_partners_within_30_seconds(hub: Hub, database_url: str) -> None:
    async with serving({"HUB_DATABASE_URL": database_url}) as http:
        seen = await synced_institutions(http)
        graphiql = await http.get("/graphql", headers={"Accept": "text/html"})
    assert {c: s for c, (_, s) in seen.items() if c in ("NLC", "CRECC", "TWMM")} == {
        "NLC": "OK",
        "CRECC": "OK",
        "TWMM": "OK",
    }
    assert all(seen[c][0] >= 20 for c in ("NLC", "CRECC", "TWMM"))
    assert "graphiql" in graphiql.text.lower()


MANIFESTS = '{ catalogue(institutions: ["TWMM"], first: 3) { edges { node { images { manifestUrl } } } } }'


async def test_cli_sandbox_links_stored_by_one_run_answer_in_the_next(hub: Hub, database_url: str) -> None:
    first = free_ports(3)
    env = {"HUB_DATABASE_URL": database_url, "HUB_SANDBOX_PORT": str(first)}
    code, _out, err = await run_hub("sync", "TWMM", env=env)  # starts TWMM's sandbox, harvests, stops it
    assert code == 0, err
    async with serving(env) as http:  # a new process: the sandbox starts again
        await synced_institutions(http)
        body = (await http.post("/graphql", json={"query": MANIFESTS})).json()
        urls = [image["manifestUrl"] for edge in body["data"]["catalogue"]["edges"] for image in edge["node"]["images"]]
        assert urls and all(url.startswith(f"http://127.0.0.1:{first + 2}/iiif/") for url in urls)
        async with httpx.AsyncClient() as browser:
            manifest = await browser.get(urls[0])
        assert manifest.status_code == 200 and manifest.json()["id"] == urls[0]
        # `hub sync` beside the serving hub uses its sandboxes as they are.
        code, _out, err = await run_hub("sync", "TWMM", env=env)
        assert code == 0, err
        assert f"sandbox partner TWMM already running at http://127.0.0.1:{first + 2}" in err


async def test_cli_serve_refuses_a_sandbox_port_taken_by_another_program(hub: Hub, database_url: str) -> None:
    first = free_ports(3)
    with socket.socket() as other:
        other.bind(("127.0.0.1", first))
        other.listen()
        env = {"HUB_DATABASE_URL": database_url, "HUB_SANDBOX_PORT": str(first)}
        code, _out, err = await run_hub("serve", "--port", str(free_port()), env=env)
    assert code == 1
    assert f"hub: cannot start the NLC sandbox at http://127.0.0.1:{first}" in err
    assert "set HUB_SANDBOX_PORT to another first port" in err


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="several workers need PostgreSQL; SQLite refuses them (below)")
async def test_cli_serve_with_workers_serves_the_harvested_partners(hub: Hub, database_url: str) -> None:
    env = {"HUB_DATABASE_URL": database_url, "HUB_SANDBOX_PORT": str(free_ports(3))}
    async with serving(env, "--workers", "2") as http:
        seen = await synced_institutions(http)
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
