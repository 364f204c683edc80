from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from sqlalchemy import select

from connectors.http import RetryPolicy
from hub.app import Hub
from hub.catalogue.models import CatalogueItem, Institution
from hub.db import create_engine
from hub.harvest.lock import harvest_lock
from hub.harvest.models import SyncState
from hub.harvest.service import SyncResult
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import RunningSandboxes, RunningServer, serve_app
from tests.support import count_statements

FAST_RETRIES = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02, timeout=2)


@pytest.fixture
async def crecc(hub: Hub) -> AsyncIterator[CreccSandbox]:
    sandbox = CreccSandbox()
    server = await serve_app(sandbox.make_app())
    hub.sync.partner_urls["CRECC"] = server.url
    yield sandbox
    await server.close()


async def live_items(hub: Hub, code: str) -> dict[str, CatalogueItem]:
    async with hub.sessions() as session:
        rows = await session.scalars(
            select(CatalogueItem).join(Institution).where(Institution.code == code, CatalogueItem.deleted_at.is_(None))
        )
        return {row.source_id: row for row in rows}


async def sync_state(hub: Hub, code: str) -> SyncState:
    async with hub.sessions() as session:
        state = await session.scalar(select(SyncState).join(Institution).where(Institution.code == code))
        assert state is not None
        return state


def live_sample_ids(sandbox: CreccSandbox) -> set[str]:
    return {obj.id for obj in sandbox.store.ordered() if not obj.deleted}


async def test_sync_harvests_every_live_record_and_records_success(hub: Hub, crecc: CreccSandbox) -> None:
    [result] = await hub.sync.sync_all(["CRECC"])
    assert result.ok, result.error
    assert set(await live_items(hub, "CRECC")) == live_sample_ids(crecc)
    state = await sync_state(hub, "CRECC")
    assert state.status == "OK"
    assert state.last_success_at is not None
    assert state.checkpoint is not None and "page_token" not in state.checkpoint


async def test_sync_first_run_counts_every_live_record_added_and_nothing_unchanged(
    hub: Hub, crecc: CreccSandbox
) -> None:
    result = await hub.sync.sync_partner("CRECC")
    assert any(obj.deleted for obj in crecc.store.ordered())  # the partner sends deletions of items never seen
    assert len(result.changes.added) == len(live_sample_ids(crecc))
    assert (result.changes.unchanged, result.changes.removed, result.changes.changed) == (0, [], [])


def catalogue_writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(("INSERT", "DELETE", "UPDATE CATALOGUE"))]


async def test_sync_second_run_with_nothing_changed_writes_nothing(hub: Hub, crecc: CreccSandbox) -> None:
    with count_statements(hub.engine) as first_run:
        await hub.sync.sync_partner("CRECC")
    assert catalogue_writes(first_run)  # the control: writes are seen where there are some
    with count_statements(hub.engine) as statements:
        result = await hub.sync.sync_partner("CRECC")
    assert result.ok
    assert result.changes.written == 0
    assert catalogue_writes(statements) == []


async def test_sync_sees_a_change_and_a_delete_at_the_partner(hub: Hub, crecc: CreccSandbox) -> None:
    await hub.sync.sync_partner("CRECC")
    changed, deleted = [obj.id for obj in crecc.store.ordered() if not obj.deleted][:2]
    crecc.store.update(changed, titles={"zh": "新标题", "en": "A retitled relic"})
    crecc.store.delete(deleted)
    result = await hub.sync.sync_partner("CRECC")
    assert result.ok
    items = await live_items(hub, "CRECC")
    assert deleted not in items
    assert {"lang": "en", "value": "A retitled relic"} in items[changed].titles
    assert (len(result.changes.changed), len(result.changes.removed)) == (1, 1)


async def test_sync_full_rereads_everything_but_rewrites_nothing_unchanged(hub: Hub, crecc: CreccSandbox) -> None:
    await hub.sync.sync_partner("CRECC")
    result = await hub.sync.sync_partner("CRECC", full=True)
    assert result.ok
    assert result.changes.written == 0
    # Every live item is unchanged; the deletions of items the hub never had count as nothing.
    assert result.changes.unchanged == len([obj for obj in crecc.store.ordered() if not obj.deleted])


async def test_sync_progress_reports_each_page(hub: Hub, crecc: CreccSandbox) -> None:
    calls: list[tuple[str, int]] = []

    def progress(result: SyncResult) -> None:
        calls.append((result.partner, result.pages))

    result = await hub.sync.sync_partner("CRECC", progress=progress)
    assert calls == [("CRECC", n) for n in range(1, result.pages + 1)]


async def broken_partner(body: bytes, status: int = 200) -> RunningServer:
    async def relics(_request: web.Request) -> web.Response:
        return web.Response(body=body, status=status, content_type="application/json")

    app = web.Application()
    app.router.add_get("/relics", relics)
    return await serve_app(app)


async def test_sync_failure_names_partner_url_and_problem_and_keeps_checkpoint(hub: Hub, crecc: CreccSandbox) -> None:
    await hub.sync.sync_partner("CRECC")
    before = await sync_state(hub, "CRECC")
    count_before = len(await live_items(hub, "CRECC"))
    server = await broken_partner(b'{"items": [')
    hub.sync.partner_urls["CRECC"] = server.url
    try:
        result = await hub.sync.sync_partner("CRECC")
    finally:
        await server.close()
    assert not result.ok
    assert result.error is not None
    assert result.error.startswith("CRECC: malformed JSON")
    assert f"{server.url}/relics" in result.error
    after = await sync_state(hub, "CRECC")
    assert after.status == "FAILED"
    assert after.last_error == result.error
    assert after.checkpoint == before.checkpoint
    assert len(await live_items(hub, "CRECC")) == count_before


async def test_sync_one_failing_partner_does_not_stop_the_others(hub: Hub, crecc: CreccSandbox) -> None:
    storm = await broken_partner(b"overloaded", status=503)
    hub.sync.retry_policy = FAST_RETRIES
    hub.sync.partner_urls["NLC"] = storm.url
    try:
        results = {r.partner: r for r in await hub.sync.sync_all(["NLC", "CRECC"])}
    finally:
        await storm.close()
    assert results["CRECC"].ok
    assert not results["NLC"].ok
    assert "NLC" in (results["NLC"].error or "")
    assert (await sync_state(hub, "NLC")).status == "FAILED"


async def test_sync_partner_without_url_fails_with_a_hint(hub: Hub) -> None:
    result = await hub.sync.sync_partner("TWMM")
    assert not result.ok
    assert result.error == "TWMM: no URL configured (set HUB_PARTNER_TWMM_URL)"


async def test_sync_unknown_partner_is_refused(hub: Hub) -> None:
    result = await hub.sync.sync_partner("XYZ")
    assert result.error == "unknown partner 'XYZ'"


async def test_sync_counters_reach_the_metrics(hub: Hub, crecc: CreccSandbox) -> None:
    await hub.sync.sync_partner("CRECC")
    await hub.sync.sync_partner("CRECC", full=True)
    text = hub.metrics.render().decode()
    assert 'hub_sync_runs_total{outcome="ok",partner="CRECC"} 2.0' in text
    assert 'hub_sync_records_total{change="added",partner="CRECC"} 27.0' in text
    assert 'hub_sync_records_total{change="unchanged",partner="CRECC"}' in text


async def test_sync_skips_a_partner_another_process_is_harvesting(hub: Hub, crecc: CreccSandbox) -> None:
    other_process = create_engine(hub.settings.database_url)
    try:
        async with harvest_lock(other_process, "CRECC") as acquired:
            assert acquired
            result = await hub.sync.sync_partner("CRECC")
            assert (result.ok, result.skipped, result.pages) == (True, True, 0)
            assert await live_items(hub, "CRECC") == {}
        result = await hub.sync.sync_partner("CRECC")
        assert (result.ok, result.skipped) == (True, False)
        assert len(await live_items(hub, "CRECC")) == 27
    finally:
        await other_process.dispose()


@pytest.mark.parametrize("code", ["NLC", "CRECC", "TWMM"])
async def test_sync_incremental_for_every_partner_protocol(hub: Hub, sandboxes: RunningSandboxes, code: str) -> None:
    first = await hub.sync.sync_partner(code)
    assert first.ok, first.error
    harvested = len(await live_items(hub, code))
    assert harvested >= 20

    with count_statements(hub.engine) as statements:
        again = await hub.sync.sync_partner(code)
    assert again.ok and again.changes.written == 0
    assert [s for s in statements if s.lstrip().upper().startswith(("INSERT", "DELETE", "UPDATE CATALOGUE"))] == []

    store = sandboxes.partners[code].store
    live = [obj for obj in store.ordered() if not obj.deleted]
    store.update(live[0].id, titles={"zh": "新的题名", "en": "A retitled holding"})
    store.delete(live[1].id)
    third = await hub.sync.sync_partner(code)
    assert third.ok, third.error
    assert (len(third.changes.changed), len(third.changes.removed)) == (1, 1)
    items = await live_items(hub, code)
    assert len(items) == harvested - 1
    assert any({"lang": "en", "value": "A retitled holding"} in item.titles for item in items.values())
