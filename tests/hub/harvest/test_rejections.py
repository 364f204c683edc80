"""Records set aside by a harvest: one row per record at its partner, counted, cleared when the partner sends it
again good or deleted, swept by a full harvest when the partner no longer sends it, bounded per institution, and
stored in the page's one transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select, text

from hub.app import Hub
from hub.catalogue.models import Institution
from hub.harvest.models import Rejection
from tests.connectors.hostile.relics import RelicsPartner, relic
from tests.hub.harvest.partners import live_source_ids, partner_of, soon, sync_state


@pytest.fixture
async def relics(hub: Hub) -> AsyncIterator[RelicsPartner]:
    partner = RelicsPartner([relic("R-1"), relic("R-2", year_from="abc"), relic("R-3")])
    async with partner_of(hub, "CRECC", partner.make_app()):
        yield partner


async def rejections(hub: Hub, code: str = "CRECC") -> list[Rejection]:
    async with hub.sessions() as session:
        rows = await session.scalars(
            select(Rejection).join(Institution).where(Institution.code == code).order_by(Rejection.id)
        )
        return list(rows)


async def test_rejection_seen_again_stays_one_row_counting_its_sightings(hub: Hub, relics: RelicsPartner) -> None:
    await hub.sync.sync_partner("CRECC")
    [first] = await rejections(hub)
    again = await hub.sync.sync_partner("CRECC", full=True)
    assert again.ok and again.rejected == 1
    [row] = await rejections(hub)
    assert (row.id, row.key, row.source_id, row.times_seen) == (first.id, "R-2", "R-2", 2)
    assert row.first_seen_at == first.first_seen_at and row.last_seen_at > first.last_seen_at
    rejected = hub.metrics.registry.get_sample_value(
        "hub_sync_records_total", {"partner": "CRECC", "change": "rejected"}
    )
    assert rejected == 2


async def test_rejection_is_cleared_when_the_partner_deletes_the_record(hub: Hub, relics: RelicsPartner) -> None:
    await hub.sync.sync_partner("CRECC")
    relics.items[1] = relic("R-2", updated_at=soon(), deleted=True)
    result = await hub.sync.sync_partner("CRECC")
    assert result.ok and result.rejected == 0
    assert await rejections(hub) == []
    assert await live_source_ids(hub, "CRECC") == {"R-1", "R-3"}


async def test_rejection_stays_while_the_partner_does_not_send_the_record_again(
    hub: Hub, relics: RelicsPartner
) -> None:
    await hub.sync.sync_partner("CRECC")
    relics.items[0] = relic("R-1", updated_at=soon(), material="gilt bronze")
    result = await hub.sync.sync_partner("CRECC")
    assert result.ok and result.changes.changed and result.rejected == 0
    assert [row.key for row in await rejections(hub)] == ["R-2"]


async def test_full_harvest_sweeps_rejections_the_partner_no_longer_sends(hub: Hub, relics: RelicsPartner) -> None:
    nameless = relic("R-9")
    del nameless["id"]
    relics.items.append(nameless)
    await hub.sync.sync_partner("CRECC")
    rows = await rejections(hub)
    assert sorted(row.source_id or "none" for row in rows) == ["R-2", "none"]
    [unnamed] = [row for row in rows if row.source_id is None]
    assert unnamed.key.startswith("sha256:") and '"title"' in unnamed.excerpt

    relics.items.pop()  # the partner dropped it without a tombstone: nothing names it, an incremental run keeps it
    await hub.sync.sync_partner("CRECC")
    assert len(await rejections(hub)) == 2
    swept = await hub.sync.sync_partner("CRECC", full=True)
    assert swept.ok
    assert [row.key for row in await rejections(hub)] == ["R-2"]  # still sent, still set aside


async def test_rejections_kept_per_institution_are_the_latest_up_to_the_bound(hub: Hub) -> None:
    partner = RelicsPartner([relic(f"R-{n}", year_from="abc") for n in range(8)], page_size=3)
    hub.sync.max_rejections = 5
    async with partner_of(hub, "CRECC", partner.make_app()):
        result = await hub.sync.sync_partner("CRECC")
    assert result.ok and result.rejected == 8 and len(result.first_rejections) == 5
    kept = await rejections(hub)
    assert len(kept) == 5
    assert {row.key for row in kept} >= {"R-6", "R-7"}  # the last page's are kept
    assert all(row.key not in {"R-0", "R-1", "R-2"} for row in kept)  # the first page's went first


REFUSE_AUDIT = {
    "sqlite": [
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, '{message}'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION '{message}'; END $$",
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION refuse_audit()",
    ],
}
ALLOW_AUDIT = {
    "sqlite": ["DROP TRIGGER refuse_audit"],
    "postgresql": ["DROP TRIGGER refuse_audit ON audit_entries", "DROP FUNCTION refuse_audit()"],
}


async def run_ddl(hub: Hub, statements: list[str]) -> None:
    async with hub.engine.begin() as connection:
        for statement in statements:
            await connection.execute(text(statement))


async def test_page_whose_audit_entry_fails_stores_nothing_of_it_and_the_error_stays_short(
    hub: Hub, relics: RelicsPartner
) -> None:
    dialect = hub.engine.dialect.name
    message = "audit refused " + "x" * 10_000
    await run_ddl(hub, [s.format(message=message) for s in REFUSE_AUDIT[dialect]])
    try:
        result = await hub.sync.sync_partner("CRECC")
    finally:
        await run_ddl(hub, ALLOW_AUDIT[dialect])
    assert not result.ok and result.error is not None and "audit refused xxx" in result.error
    assert await live_source_ids(hub, "CRECC") == set()
    assert await rejections(hub) == []
    state = await sync_state(hub, "CRECC")
    assert state.checkpoint is None and state.status == "FAILED"
    assert state.last_error == result.error and len(result.error) == 2_000 and result.error.endswith("…")
    async with hub.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Rejection)) == 0
