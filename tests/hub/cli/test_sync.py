"""`hub sync`: a line per partner in words, an exit status that says whether every partner was harvested, and
unknown codes refused before anything starts."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from connectors.limits import MIB
from hub.app import Hub
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import RunningServer, serve_app
from tests.connectors.hostile.oai import OaiRepository, dc_record
from tests.connectors.hostile.relics import RelicsPartner, relic
from tests.connectors.hostile.server import EndlessBody, serving
from tests.hub.cli.support import ROOT, Finished, run_hub, run_hub_measured
from tests.hub.harvest.partners import live_source_ids, sync_state


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


async def test_cli_sync_counts_and_shows_records_set_aside(hub: Hub, database_url: str) -> None:
    partner = RelicsPartner([relic("R-1"), relic("R-2", year_from="abc"), relic("R-3")])
    async with serving(partner.make_app()) as url:
        code, _out, err = await run_hub("sync", "CRECC", env={"HUB_DATABASE_URL": database_url, **crecc_at(url)})
    assert code == 0, err
    assert "hub sync: CRECC done: 1 page, 3 records: 2 added, 0 changed, 0 removed, 0 unchanged, 1 set aside" in err
    assert 'hub sync: CRECC set aside R-2: field "year_from" must be an integer year' in err


def crecc_at(url: str) -> dict[str, str]:
    return {"HUB_PARTNER_CRECC_URL": url}


def one_good_page_then_endless(interval: float = 0.0) -> web.Application:
    """A relics partner whose first page is fine and whose second answer never ends (dripping every `interval`)."""

    async def relics(request: web.Request) -> web.StreamResponse:
        if "page_token" not in request.query:
            items = [relic(f"R-{n}") for n in range(10)]
            return web.json_response({"items": items, "next_page_token": "10"})
        return await EndlessBody(b'{"items": [', b" ", interval=interval).handle(request)

    app = web.Application()
    app.router.add_get("/relics", relics)
    return app


async def honest_baseline(database_url: str) -> Finished:
    """The same command harvesting an honest partner of 10 records: what memory a sync needs anyway."""
    async with serving(RelicsPartner([relic(f"B-{n}") for n in range(10)]).make_app()) as url:
        finished = await run_hub_measured("sync", "CRECC", env={"HUB_DATABASE_URL": database_url, **crecc_at(url)})
    assert finished.status == 0, finished.stderr
    return finished


async def test_cli_sync_endless_answer_ends_at_the_answer_limit_keeping_the_pages_before(
    hub: Hub, database_url: str
) -> None:
    baseline = await honest_baseline(database_url)
    env = {"HUB_DATABASE_URL": database_url, "HUB_PARTNER_MAX_RESPONSE_BYTES": str(4 * MIB)}
    async with serving(one_good_page_then_endless()) as url:
        finished = await run_hub_measured("sync", "CRECC", env=env | crecc_at(url))
        larger = env | {"HUB_PARTNER_MAX_RESPONSE_BYTES": str(48 * MIB)}
        control = await run_hub_measured("sync", "CRECC", env=larger | crecc_at(url))
    assert finished.status == 1
    assert "CRECC failed: answer is larger than the limit of 4,194,304 bytes" in finished.stderr
    assert "the limit is HUB_PARTNER_MAX_RESPONSE_BYTES" in finished.stderr
    assert await live_source_ids(hub, "CRECC") == {f"R-{n}" for n in range(10)} | {f"B-{n}" for n in range(10)}
    assert (await sync_state(hub, "CRECC")).checkpoint["page_token"] == "10"
    # Reading stops at the limit: the endless answer costs about twice the limit, and the measure sees that
    # cost (the control, with a 48 MiB limit, ends the same way after 44 MiB more).
    peaks = (baseline.peak_rss_mb, finished.peak_rss_mb, control.peak_rss_mb)
    assert "larger than the limit of 50,331,648 bytes" in control.stderr
    assert finished.peak_rss_mb - baseline.peak_rss_mb < 2 * 4 + 4, peaks
    assert control.peak_rss_mb - finished.peak_rss_mb > 40, peaks


async def test_cli_sync_endless_feed_ends_at_the_page_bound_keeping_its_pages(hub: Hub, database_url: str) -> None:
    baseline = await honest_baseline(database_url)
    env = {"HUB_DATABASE_URL": database_url, "HUB_HARVEST_MAX_PAGES": "60"}
    partner = RelicsPartner(page_size=10, endless=True, filler=200_000)  # pages of 2 MB, 120 MB in all
    async with serving(partner.make_app()) as url:
        finished = await run_hub_measured("sync", "CRECC", env=env | crecc_at(url))
    assert finished.status == 1
    assert "harvest run stopped after 60 pages, its maximum" in finished.stderr
    assert "to read more per run, raise HUB_HARVEST_MAX_PAGES" in finished.stderr
    assert len(await live_source_ids(hub, "CRECC")) == 10 + 600
    assert (await sync_state(hub, "CRECC")).checkpoint["page_token"] == "600"
    # A few pages in flight at a time (read ahead, parsed, stored), never the 120 MB the partner sent.
    assert finished.peak_rss_mb - baseline.peak_rss_mb < 120 / 3, (baseline.peak_rss_mb, finished.peak_rss_mb)


async def test_cli_sync_killed_mid_harvest_is_recovered_by_the_next_sync(hub: Hub, database_url: str) -> None:
    env = {"HUB_DATABASE_URL": database_url}
    repository = OaiRepository([dc_record("oai:nlc:1", "2025-04-01T00:00:00Z")])
    async with serving(one_good_page_then_endless(interval=0.05)) as slow, serving(repository.make_app()) as nlc:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "hub.cli", "sync", "CRECC", cwd=ROOT, env=os.environ | env | crecc_at(slow),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            async with asyncio.timeout(60):
                while len(await live_source_ids(hub, "CRECC")) < 10:
                    await asyncio.sleep(0.1)
            assert (await sync_state(hub, "CRECC")).status == "RUNNING"
            assert await hub.sync.recover_interrupted() == []  # alive: another process holds its harvest lock
        finally:
            process.kill()
            await process.wait()
        assert process.returncode == -signal.SIGKILL
        assert (await sync_state(hub, "CRECC")).status == "RUNNING"  # what the killed process left

        code, _out, err = await run_hub("sync", "NLC", env=env | {"HUB_PARTNER_NLC_URL": nlc})
    assert code == 0, err
    crecc = await sync_state(hub, "CRECC")
    assert crecc.status == "FAILED" and crecc.last_error is not None and "CRECC: interrupted" in crecc.last_error
    assert crecc.checkpoint is not None and crecc.checkpoint["page_token"] == "10"  # the stored page stays
    assert await live_source_ids(hub, "NLC") == {"oai:nlc:1"}
