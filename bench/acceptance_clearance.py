"""The cost a compliance decision adds to `acceptOffer`: acceptances with trading's placeholder hook (every
transfer awaits a licence, nothing decided) against acceptances with the compliance engine, in one run.

    python bench/acceptance_clearance.py [--offers 200] [--rounds 3]
    HUB_BENCH_DATABASE_URL=postgresql+asyncpg://.../empty_db python bench/acceptance_clearance.py

Each round lists `--offers` 1985 ink paintings of the Tang West Market Museum (each decision reads the item,
converts the price to EUR at the dated rate, runs the rule table and stores its record; every transfer then
awaits the Chinese exit permit under either hook, so both do the same writes), a Paris gallery offers on each
in CNY, and the museum accepts them, alternating the two hooks so that both see the same
database growth. Only the acceptances are timed (one transaction each: listing closed, transfer, escrow hold,
audit entry). The median per acceptance of each hook is shown, and the engine's time as a multiple of the
placeholder's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from connectors.records import CatalogueRecord, ItemKind, LocalizedText, RelicGrade  # noqa: E402

STAMP = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
PAINTING = CatalogueRecord(
    source_id="TW-1985",
    kind=ItemKind.PAINTING,
    titles=(LocalizedText("zh", "水墨山水"), LocalizedText("en", "Ink landscape")),
    updated_at=STAMP,
    earliest_year=1985,
    latest_year=1985,
    material="ink and colour on paper",
    relic_grade=RelicGrade.UNGRADED,
)


async def prepare(hub: object, offers: int, round_number: int) -> list[int]:
    """Lists `offers` new items and places an offer on each: the offer ids."""
    from sqlalchemy import select

    from hub.app import Hub
    from hub.auth.principal import Principal
    from hub.catalogue.models import CatalogueItem, Institution
    from hub.catalogue.store import store_records
    from hub.trading.inputs import ListingInput, MoneyInput, OfferInput
    from hub.trading.states import ListingKind

    assert isinstance(hub, Hub)
    records = [replace(PAINTING, source_id=f"B{round_number}-{n}") for n in range(offers)]
    async with hub.sessions.begin() as session:
        twmm = await session.scalar(select(Institution.id).where(Institution.code == "TWMM"))
        assert twmm is not None
        await store_records(session, twmm, records)
    async with hub.sessions() as session:
        ids = dict((await session.execute(select(CatalogueItem.source_id, CatalogueItem.id))).all())
    seller = Principal("twmm-app", frozenset({"trade:read", "trade:write"}), institution="TWMM")
    buyer = Principal("pgal-app", frozenset({"trade:read", "trade:write"}), institution="PGAL")
    expires = datetime.now(UTC) + timedelta(days=2)
    offer_ids = []
    for record in records:
        price = MoneyInput("150000", "CNY")
        listing = await hub.trading.create_listing(seller, ListingInput(ids[record.source_id], ListingKind.SALE, price))
        offer = await hub.trading.place_offer(buyer, OfferInput(listing.listing.id, price, expires))
        offer_ids.append(offer.offer.id)
    return offer_ids


async def measure(database_url: str, offers: int, rounds: int) -> None:
    from hub.app import Hub
    from hub.auth.principal import Principal
    from hub.catalogue.institutions import add_institution
    from hub.clearance.acceptance import EngineClearance
    from hub.cli.migrate import upgrade_database
    from hub.money import fx_rates
    from hub.settings import Settings
    from hub.trading.clearance_hook import LicenceAlwaysNeeded

    await asyncio.to_thread(upgrade_database, database_url)
    hub = Hub.create(Settings(database_url=database_url, var_dir=Path(tempfile.gettempdir()) / "hub-bench-var"))
    async with hub.sessions.begin() as session:
        await add_institution(session, "PGAL", "Galerie Dragon d'Or", "FR", "fr")
        rate_day = datetime(2026, 1, 2, 15, 0, tzinfo=UTC)
        await fx_rates.set_rate(session, "bench", "EUR", "CNY", Decimal("7.8123"), rate_day, "ECB")
    hooks = {"placeholder hook": LicenceAlwaysNeeded(), "compliance engine": EngineClearance(hub.clearance.table)}
    seller = Principal("twmm-app", frozenset({"trade:read", "trade:write"}), institution="TWMM")
    times: dict[str, list[float]] = {name: [] for name in hooks}
    for round_number in range(rounds):
        offer_ids = await prepare(hub, offers, round_number)
        for n, offer_id in enumerate(offer_ids):
            name = list(hooks)[(n + round_number) % 2]
            hub.trading.clearance = hooks[name]
            start = time.perf_counter()
            await hub.trading.accept_offer(seller, offer_id)
            times[name].append(time.perf_counter() - start)
    await hub.close()
    base = statistics.median(times["placeholder hook"])
    print(
        f"acceptOffer, {offers} acceptances a round, {rounds} rounds, {hub.engine.dialect.name}; median per acceptance"
    )
    for name, measured in times.items():
        median = statistics.median(measured)
        print(f"{name:<20} {median * 1000:8.2f} ms   {median / base:5.2f}x the placeholder's time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=200, help="acceptances a round (half with each hook)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    database_url = os.environ.get("HUB_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
        asyncio.run(measure(url, args.offers, args.rounds))


if __name__ == "__main__":
    main()
