"""Hand-made catalogue records for tests that need known content without a partner."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select

from connectors.records import CatalogueRecord, ImageRef, ItemKind, LocalizedText, RelicGrade
from hub.app import Hub
from hub.catalogue.models import Institution
from hub.catalogue.store import store_records

STAMP = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def relic(
    source_id: str,
    zh: str,
    en: str,
    kind: ItemKind = ItemKind.CERAMIC,
    years: tuple[int, int] = (618, 907),
    period: str = "Tang",
    grade: RelicGrade | None = RelicGrade.GRADE_2,
    images: int = 1,
    extra_titles: tuple[LocalizedText, ...] = (),
) -> CatalogueRecord:
    return CatalogueRecord(
        source_id=source_id,
        kind=kind,
        titles=(LocalizedText("zh", zh), LocalizedText("en", en), *extra_titles),
        descriptions=(LocalizedText("en", f"{en}, from an exhibition checklist."),),
        updated_at=STAMP,
        period=period,
        earliest_year=years[0],
        latest_year=years[1],
        material="earthenware",
        relic_grade=grade,
        images=tuple(
            ImageRef(manifest_url=f"https://iiif.example.org/{source_id}/{n}/manifest.json") for n in range(images)
        ),
    )


def book(source_id: str, zh: str, en: str, year: int, kind: ItemKind = ItemKind.BOOK) -> CatalogueRecord:
    return CatalogueRecord(
        source_id=source_id,
        kind=kind,
        titles=(LocalizedText("zh", zh), LocalizedText("en", en)),
        updated_at=STAMP,
        creators=("荣新江",),
        earliest_year=year,
        latest_year=year,
    )


SANCAI_HORSE = relic("TW-0001", "三彩马", "Sancai horse", years=(618, 907))
CAMEL_GROOM = relic(
    "CR-0001",
    "三彩胡人牵骆驼俑",
    "Sancai foreign groom leading a camel",
    extra_titles=(LocalizedText("fr", "Palefrenier étranger menant un chameau"),),
)
SILVER_CUP = relic(
    "CR-0002", "鎏金八棱银杯", "Gilt octagonal silver cup", ItemKind.METALWORK, (700, 799), grade=RelicGrade.GRADE_1
)
KAIYUAN_COIN = relic("TW-0002", "开元通宝", "Kaiyuan tongbao coin", ItemKind.COIN, (621, 907), grade=None)
HAN_MIRROR = relic("TW-0003", "汉代铜镜", "Han bronze mirror", ItemKind.METALWORK, (-206, 220), "Han", grade=None)
SOGDIAN_BOOK = book("NLC-0001", "唐代长安的粟特商人", "Sogdian traders in Tang Chang'an", 2018)


async def store(hub: Hub, code: str, items: Sequence[CatalogueRecord]) -> None:
    """Writes records straight to the catalogue of institution `code`, as a sync would (without events)."""
    async with hub.sessions.begin() as session:
        institution_id = await session.scalar(select(Institution.id).where(Institution.code == code))
        assert institution_id is not None
        await store_records(session, institution_id, items)
