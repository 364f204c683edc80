"""`hub sync`: a line per partner in words, an exit status that says whether every partner was harvested, and
unknown codes refused before anything starts."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from hub.app import Hub
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import RunningServer, serve_app
from tests.hub.cli.support import run_hub


@pytest.fixture
async def crecc_server() -> AsyncIterator[RunningServer]:
    server = await serve_app(CreccSandbox().make_app())
    yield server
    await server.close()


async def test_cli_sync_harvests_and_exits_zero(hub: Hub, database_url: str, crecc_server: RunningServer) -> None:
    env = {"HUB_DATABASE_URL": database_url, "HUB_PARTNER_CRECC_URL": crecc_server.url}
    code, _out, err = await run_hub("sync", "CRECC", env=env)
    assert code == 0, err
    # A new database: every live record is added, none is "unchanged" (the partner's deletions of items the
    # hub never had count as nothing).
    assert "hub sync: CRECC done: 1 page, 27 records: 27 added, 0 changed, 0 removed, 0 unchanged, 0 set aside" in err
    code, _out, err = await run_hub("sync", "crecc", env=env)
    assert code == 0, err
    assert "CRECC done: 1 page, " in err and ": 0 added, 0 changed, 0 removed, " in err


async def test_cli_sync_exits_non_zero_naming_partner_url_and_problem_once(hub: Hub, database_url: str) -> None:
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
    assert "hub sync: CRECC failed: malformed JSON" in err
    assert f"{server.url}/relics" in err
    assert err.count("malformed JSON") == 1


async def test_cli_sync_failed_connection_is_said_in_words(hub: Hub, database_url: str) -> None:
    env = {"HUB_DATABASE_URL": database_url, "HUB_PARTNER_CRECC_URL": "http://harvester:s3cret@127.0.0.1:9/api"}
    code, _out, err = await run_hub("sync", "CRECC", env=env)
    assert code == 1
    assert "CRECC failed: gave up after 5 attempts: connection refused by 127.0.0.1:9" in err
    assert "(at http://127.0.0.1:9/api/relics?" in err
    assert "s3cret" not in err and "ClientConnectorError" not in err and err.count("connection refused") == 1


async def test_cli_sync_refuses_unknown_codes_before_starting_anything(hub: Hub, database_url: str) -> None:
    env = {"HUB_DATABASE_URL": database_url}
    await run_hub("institutions", "add", "MNAA", "--name", "Guimet", "--country", "FR", env=env)
    code, out, err = await run_hub("sync", "NLC", "xyz", "mnaa", env=env)
    assert code == 2
    assert err.strip().splitlines() == [
        "hub: unknown partner XYZ; MNAA is not harvested (it pushes its items); harvested partners: NLC, CRECC, TWMM"
    ]
    assert out == ""  # no sandbox started, no partner harvested


async def test_cli_sync_lists_partners_in_the_order_they_were_registered(
    hub: Hub, database_url: str, crecc_server: RunningServer
) -> None:
    env = {"HUB_DATABASE_URL": database_url}
    code, _out, err = await run_hub("sync", "TWMM", "CRECC", "NLC", env=env)
    assert code == 0, err
    done = [line.split()[2] for line in err.splitlines() if line.startswith("hub sync:") and " done: " in line]
    assert sorted(done) == ["CRECC", "NLC", "TWMM"]
    started = [line.split()[4] for line in err.splitlines() if "sandbox partner" in line]
    assert started == ["NLC", "CRECC", "TWMM"]
