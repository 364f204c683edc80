"""`hub sync`: progress per partner and an exit status that says whether every partner was harvested."""

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
