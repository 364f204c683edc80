"""`upsertCatalogueItems`: a partner adds or replaces items of its institution, all or none."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.catalogue.push import PushOutcome
from hub.catalogue.records import CatalogueRecord, ImageRef, LocalizedText
from hub.catalogue.vocabulary import ItemKind as DomainItemKind
from hub.catalogue.vocabulary import RelicGrade as DomainRelicGrade
from hub.core.clock import utc_now
from schema.catalogue.types import CatalogueItem, ItemKind, RelicGrade, item_from_row
from schema.core.context import Info
from schema.core.mutation import MutationPayload, run_mutation


@strawberry.input
class LocalizedTextInput:
    lang: str = strawberry.field(description="BCP 47 tag; `und` when unknown.")
    value: str


@strawberry.input
class ImageInput:
    manifest_url: str | None = None
    image_url: str | None = None
    label: str | None = None


@strawberry.input(description="One item as the partner holds it; it replaces what the hub has for `sourceId`.")
class CatalogueItemInput:
    source_id: str
    kind: ItemKind  # type: ignore[valid-type]
    titles: list[LocalizedTextInput]
    descriptions: list[LocalizedTextInput] = strawberry.field(default_factory=list)
    creators: list[str] = strawberry.field(default_factory=list)
    period: str | None = None
    earliest_year: int | None = None
    latest_year: int | None = None
    origin_country: str = "CN"
    material: str | None = None
    dimensions: str | None = None
    relic_grade: RelicGrade | None = None  # type: ignore[valid-type]
    export_restricted: bool = False
    images: list[ImageInput] = strawberry.field(default_factory=list)
    updated_at: datetime | None = strawberry.field(default=None, description="The partner's datestamp; now if unset.")

    def to_record(self, now: datetime) -> CatalogueRecord:
        return CatalogueRecord(
            source_id=self.source_id,
            kind=DomainItemKind(self.kind),
            titles=tuple(LocalizedText(t.lang, t.value) for t in self.titles),
            descriptions=tuple(LocalizedText(d.lang, d.value) for d in self.descriptions),
            creators=tuple(self.creators),
            period=self.period,
            earliest_year=self.earliest_year,
            latest_year=self.latest_year,
            origin_country=self.origin_country,
            material=self.material,
            dimensions=self.dimensions,
            relic_grade=DomainRelicGrade(self.relic_grade) if self.relic_grade is not None else None,
            export_restricted=self.export_restricted,
            images=tuple(ImageRef(i.manifest_url, i.image_url, i.label) for i in self.images),
            updated_at=self.updated_at or now,
        )


@strawberry.input
class UpsertCatalogueItemsInput:
    items: list[CatalogueItemInput]
    institution: str | None = strawberry.field(default=None, description="Default: the token's institution.")
    idempotency_key: str | None = None


@strawberry.type
class UpsertCatalogueItemsPayload(MutationPayload):
    items: list[CatalogueItem] = strawberry.field(
        default_factory=list, description="The pushed items as the hub now holds them."
    )


async def upsert_catalogue_items(info: Info, input: UpsertCatalogueItemsInput) -> UpsertCatalogueItemsPayload:
    now = utc_now()
    records = [item.to_record(now) for item in input.items]

    async def present(outcome: PushOutcome) -> UpsertCatalogueItemsPayload:
        rows = await info.context.loaders.catalogue.items.load_many(outcome.item_ids)
        return UpsertCatalogueItemsPayload(items=[item_from_row(row) for row in rows if row is not None])

    push = info.context.hub.push.upsert(info.context.principal, input.institution, records, input.idempotency_key)
    return await run_mutation(UpsertCatalogueItemsPayload, push, present)
