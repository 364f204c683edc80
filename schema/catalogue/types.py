"""Catalogue types of the graph: CatalogueItem (LibraryItem, MuseumObject), Institution, Image, connections."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from hub.catalogue.models import CatalogueItem as ItemRow
from hub.catalogue.models import Institution as InstitutionRow
from hub.catalogue.vocabulary import ItemKind as DomainItemKind
from hub.catalogue.vocabulary import RelicGrade as DomainRelicGrade
from hub.catalogue.vocabulary import is_library_item
from hub.core.i18n import negotiate
from hub.harvest.status import SyncStatus as DomainSyncStatus
from schema.chain.provenance_types import ProvenanceEvent
from schema.core.context import Info
from schema.core.errors import domain_errors
from schema.core.ids import item_pk, to_global_id
from schema.core.relay import Node, PageInfo

if TYPE_CHECKING:
    from schema.trading.types import Listing

ItemKind = strawberry.enum(DomainItemKind, name="ItemKind", description="What an item is.")
RelicGrade = strawberry.enum(
    DomainRelicGrade, name="RelicGrade", description="Relic grade (Ministry of Culture order no. 19, 2001)."
)
SyncStatus = strawberry.enum(DomainSyncStatus, name="SyncStatus", description="How the last harvest of a partner went.")


def _negotiated(info: Info, texts: list[dict[str, str]], lang: str | None, own: str | None) -> str | None:
    with domain_errors(info.context.accept_languages):
        chosen = negotiate(texts, lang, info.context.accept_languages, own)
    return chosen["value"] if chosen else None


@strawberry.type(description="A text in one language; `lang` is a BCP 47 tag, `und` when the partner gave none.")
class LocalizedText:
    lang: str
    value: str


@strawberry.type(description="An image: a IIIF Presentation manifest and/or an image URL.")
class Image:
    manifest_url: str | None
    image_url: str | None
    label: str | None


@strawberry.federation.type(keys=["code"], description="A partner or trading institution.")
class Institution(Node):
    row: strawberry.Private[InstitutionRow]
    code: str
    country: str

    @classmethod
    def from_row(cls, row: InstitutionRow) -> Institution:
        return cls(id=strawberry.ID(to_global_id("Institution", row.code)), row=row, code=row.code, country=row.country)

    @strawberry.field(description="The name in the negotiated language.")
    def name(self, info: Info, lang: str | None = None) -> str:
        return _negotiated(info, self.row.names, lang, None) or self.row.code

    @strawberry.field
    def names(self) -> list[LocalizedText]:
        return [LocalizedText(lang=n["lang"], value=n["value"]) for n in self.row.names]

    @strawberry.field(description="Live (not deleted) catalogue items.")
    async def item_count(self, info: Info) -> int:
        return await info.context.loaders.catalogue.item_counts.load(self.row.id)

    @strawberry.field(description="When the last harvest succeeded.")
    async def last_synced_at(self, info: Info) -> datetime | None:
        return (await info.context.loaders.catalogue.sync_statuses.load(self.row.id)).last_synced_at

    @strawberry.field
    async def sync_status(self, info: Info) -> SyncStatus:  # type: ignore[valid-type]
        return (await info.context.loaders.catalogue.sync_statuses.load(self.row.id)).status

    @strawberry.field(description="Why the last harvest failed, while it is the latest outcome.")
    async def last_sync_error(self, info: Info) -> str | None:
        return (await info.context.loaders.catalogue.sync_statuses.load(self.row.id)).last_error

    @classmethod
    async def resolve_reference(cls, info: Info, code: str) -> Institution | None:
        row = await info.context.loaders.catalogue.institutions_by_code.load(code)
        return cls.from_row(row) if row else None


@strawberry.interface(description="A catalogue record of a partner institution.")
class CatalogueItem(Node):
    row: strawberry.Private[ItemRow]
    source_id: str = strawberry.field(description="The partner's own identifier.")
    kind: ItemKind  # type: ignore[valid-type]
    creators: list[str]
    period: str | None
    earliest_year: int | None
    latest_year: int | None
    origin_country: str
    material: str | None
    dimensions: str | None
    updated_at: datetime = strawberry.field(description="The partner's datestamp of the record.")

    @strawberry.field(description="Negotiated: the lang argument, else Accept-Language, else the item's own, zh, en.")
    def title(self, info: Info, lang: str | None = None) -> str:
        return _negotiated(info, self.row.titles, lang, self.row.language) or self.row.source_id

    @strawberry.field(description="Every language the partner gave.")
    def titles(self) -> list[LocalizedText]:
        return [LocalizedText(lang=t["lang"], value=t["value"]) for t in self.row.titles]

    @strawberry.field
    def description(self, info: Info, lang: str | None = None) -> str | None:
        return _negotiated(info, self.row.descriptions, lang, self.row.language)

    @strawberry.field
    def descriptions(self) -> list[LocalizedText]:
        return [LocalizedText(lang=t["lang"], value=t["value"]) for t in self.row.descriptions]

    @strawberry.field
    async def institution(self, info: Info) -> Institution:
        row = await info.context.loaders.catalogue.institutions.load(self.row.institution_id)
        assert row is not None  # a foreign key guarantees it
        return Institution.from_row(row)

    @strawberry.field
    async def images(self, info: Info) -> list[Image]:
        rows = await info.context.loaders.catalogue.images.load(self.row.id)
        return [Image(manifest_url=r.manifest_url, image_url=r.image_url, label=r.label) for r in rows]

    @strawberry.field(description="The item's open listing, while it is offered for sale or for a loan.")
    async def listing(self, info: Info) -> Annotated[Listing, strawberry.lazy("schema.trading.types")] | None:
        from schema.trading.types import Listing  # the trading types refer to items: imported when first used

        record = await info.context.loaders.trading.open_listings_of_items.load(self.row.id)
        return Listing.of(record) if record is not None else None

    @strawberry.field(
        description="Registrations of the item's provenance and its completed transfers, oldest first, with "
        "their anchors on each chain."
    )
    async def provenance(self, info: Info) -> list[ProvenanceEvent]:
        events = await info.context.loaders.chain.provenance.load(self.row.id)
        return [ProvenanceEvent.from_view(event) for event in events]


def _item_fields(row: ItemRow) -> dict[str, Any]:
    return {
        "id": strawberry.ID(to_global_id("CatalogueItem", row.id)),
        "row": row,
        "source_id": row.source_id,
        "kind": DomainItemKind(row.kind),
        "creators": row.creators,
        "period": row.period,
        "earliest_year": row.earliest_year,
        "latest_year": row.latest_year,
        "origin_country": row.origin_country,
        "material": row.material,
        "dimensions": row.dimensions,
        "updated_at": row.source_updated_at,
    }


async def item_by_global_id(info: Info, id: strawberry.ID) -> CatalogueItem | None:
    """The live item a global id names; None for another type's id or an item that is gone."""
    pk = item_pk(str(id))
    row = await info.context.loaders.catalogue.items.load(pk) if pk is not None else None
    return item_from_row(row) if row else None


@strawberry.federation.type(keys=["id"], description="A book, rare book, manuscript, rubbing or map.")
class LibraryItem(CatalogueItem):
    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> CatalogueItem | None:
        return await item_by_global_id(info, id)


@strawberry.federation.type(keys=["id"], description="A relic or work of art: coins, ceramics, metalwork, ...")
class MuseumObject(CatalogueItem):
    relic_grade: RelicGrade | None  # type: ignore[valid-type]
    export_restricted: bool

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> CatalogueItem | None:
        return await item_by_global_id(info, id)


def item_from_row(row: ItemRow) -> CatalogueItem:
    if is_library_item(row.kind):
        return LibraryItem(**_item_fields(row))
    grade = DomainRelicGrade(row.relic_grade) if row.relic_grade else None
    return MuseumObject(**_item_fields(row), relic_grade=grade, export_restricted=row.export_restricted)


@strawberry.type
class CatalogueItemEdge:
    cursor: str
    node: CatalogueItem


@strawberry.type
class CatalogueItemConnection:
    edges: list[CatalogueItemEdge]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Items matching the filters, over all pages.")
    async def total_count(self) -> int:
        return await self.count()
