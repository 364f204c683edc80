"""Catalogue records of the clearance stories, stored as a sync would store them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, select

from connectors.records import CatalogueRecord, ItemKind, LocalizedText, RelicGrade
from hub.app import Hub
from hub.audit.models import AuditEntry
from hub.catalogue.models import CatalogueItem, Institution
from hub.money import fx_rates
from tests import records

STAMP = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)

INK_PAINTING = CatalogueRecord(
    source_id="TW-1985",
    kind=ItemKind.PAINTING,
    titles=(LocalizedText("zh", "水墨山水"), LocalizedText("en", "Ink landscape")),
    updated_at=STAMP,
    creators=("佚名",),
    period="1985",
    earliest_year=1985,
    latest_year=1985,
    material="ink and colour on paper",
    relic_grade=RelicGrade.UNGRADED,
)
EDO_SCREEN = CatalogueRecord(
    source_id="TW-1800",
    kind=ItemKind.PAINTING,
    titles=(LocalizedText("en", "Folding screen with cranes"),),
    updated_at=STAMP,
    earliest_year=1800,
    latest_year=1800,
    origin_country="JP",
    material="ink and gold on paper",
    relic_grade=RelicGrade.GENERAL,
    extra={"compliance_flags": {"historical_value": False, "archaeological": False}},
)
SANCAI_HORSE = records.SANCAI_HORSE
CAMEL_GROOM = records.CAMEL_GROOM
RATE_DAY = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


async def store_holdings(hub: Hub) -> dict[str, int]:
    """The stories' items; their ids by source id."""
    await records.store(hub, "TWMM", [INK_PAINTING, SANCAI_HORSE, EDO_SCREEN])
    await records.store(hub, "CRECC", [CAMEL_GROOM])
    async with hub.sessions() as session:
        rows = await session.execute(select(CatalogueItem.source_id, CatalogueItem.id))
        return {source_id: id_ for source_id, id_ in rows}


async def store_paintings(hub: Hub, count: int) -> list[int]:
    """`count` more ink paintings of 1985 at TWMM, like INK_PAINTING: their ids."""
    copies = [replace(INK_PAINTING, source_id=f"TW-1985-{n}") for n in range(count)]
    await records.store(hub, "TWMM", copies)
    async with hub.sessions() as session:
        rows = await session.execute(
            select(CatalogueItem.source_id, CatalogueItem.id).where(CatalogueItem.source_id.like("TW-1985-%"))
        )
        ids = dict(rows.all())
    return [ids[copy.source_id] for copy in copies]


async def set_rate(hub: Hub, base: str, quote: str, rate: str, valid_from: datetime = RATE_DAY) -> None:
    async with hub.sessions.begin() as session:
        await fx_rates.set_rate(session, "test", base, quote, Decimal(rate), valid_from, "ECB")


async def audit_count(hub: Hub) -> int:
    async with hub.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


async def institution_country(hub: Hub, code: str) -> str:
    async with hub.sessions() as session:
        return str(await session.scalar(select(Institution.country).where(Institution.code == code)))
