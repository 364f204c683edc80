"""Mutations: partner push of catalogue items and sync on demand. Each takes one `input`, returns a payload."""

from __future__ import annotations

from datetime import datetime

import strawberry

from connectors.records import CatalogueRecord, ImageRef, LocalizedText
from connectors.records import ItemKind as DomainItemKind
from connectors.records import RelicGrade as DomainRelicGrade
from hub.auth.scopes import CATALOGUE_WRITE
from hub.models import utc_now
from hub.user_errors import UserError as DomainUserError
from hub.user_errors import UserErrorCode as DomainUserErrorCode
from schema.context import Info
from schema.ids import to_global_id
from schema.permissions import requires
from schema.types import CatalogueItem, ItemKind, RelicGrade, item_from_row

UserErrorCode = strawberry.enum(DomainUserErrorCode, name="UserErrorCode", description="Stable error codes.")


@strawberry.type(description="An expected refusal: a rule, a conflict or a bad value. `field` is the input path.")
class UserError:
    code: UserErrorCode  # type: ignore[valid-type]
    field: str | None
    message: str

    @classmethod
    def from_domain(cls, error: DomainUserError) -> UserError:
        return cls(code=error.code, field=error.field, message=error.message)


def _errors(errors: list[DomainUserError]) -> list[UserError]:
    return [UserError.from_domain(error) for error in errors]


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
class UpsertCatalogueItemsPayload:
    items: list[CatalogueItem] = strawberry.field(description="The pushed items as the hub now holds them.")
    errors: list[UserError]


@strawberry.input
class DeleteCatalogueItemsInput:
    source_ids: list[str]
    institution: str | None = strawberry.field(default=None, description="Default: the token's institution.")
    idempotency_key: str | None = None


@strawberry.type
class DeleteCatalogueItemsPayload:
    deleted_ids: list[strawberry.ID] = strawberry.field(description="Global ids of the items now deleted.")
    errors: list[UserError]


@strawberry.input
class TriggerSyncInput:
    institution: str | None = strawberry.field(default=None, description="Default: the token's institution.")
    full: bool = strawberry.field(default=False, description="Ignore the checkpoint and harvest everything.")
    idempotency_key: str | None = strawberry.field(
        default=None, description="Accepted like everywhere; a repeated sync is harmless (it resumes)."
    )


@strawberry.type(description="What one harvest did.")
class SyncRun:
    institution: str
    ok: bool
    pages: int
    added: int
    changed: int
    removed: int
    unchanged: int


@strawberry.type
class TriggerSyncPayload:
    sync: SyncRun | None
    errors: list[UserError]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        permission_classes=[requires(CATALOGUE_WRITE)],
        description="Adds or replaces items of the token's institution, all or none.",
    )
    async def upsert_catalogue_items(self, info: Info, input: UpsertCatalogueItemsInput) -> UpsertCatalogueItemsPayload:
        now = utc_now()
        records = [item.to_record(now) for item in input.items]
        outcome = await info.context.hub.push.upsert(
            info.context.principal, input.institution, records, input.idempotency_key
        )
        rows = await info.context.loaders.items.load_many(outcome.item_ids)
        return UpsertCatalogueItemsPayload(
            items=[item_from_row(row) for row in rows if row is not None], errors=_errors(outcome.errors)
        )

    @strawberry.mutation(
        permission_classes=[requires(CATALOGUE_WRITE)],
        description="Deletes items of the token's institution by their sourceId, all or none.",
    )
    async def delete_catalogue_items(self, info: Info, input: DeleteCatalogueItemsInput) -> DeleteCatalogueItemsPayload:
        outcome = await info.context.hub.push.delete(
            info.context.principal, input.institution, input.source_ids, input.idempotency_key
        )
        return DeleteCatalogueItemsPayload(
            deleted_ids=[strawberry.ID(to_global_id("CatalogueItem", i)) for i in outcome.item_ids],
            errors=_errors(outcome.errors),
        )

    @strawberry.mutation(
        permission_classes=[requires(CATALOGUE_WRITE)],
        description="Harvests the token's institution now and tells what changed.",
    )
    async def trigger_sync(self, info: Info, input: TriggerSyncInput) -> TriggerSyncPayload:
        outcome = await info.context.hub.push.trigger_sync(info.context.principal, input.institution, input.full)
        sync = None
        if outcome.institution is not None and not any(
            e.code is not DomainUserErrorCode.SYNC_FAILED for e in outcome.errors
        ):
            sync = SyncRun(
                institution=outcome.institution,
                ok=outcome.ok,
                pages=outcome.pages,
                added=outcome.added,
                changed=outcome.changed,
                removed=outcome.removed,
                unchanged=outcome.unchanged,
            )
        return TriggerSyncPayload(sync=sync, errors=_errors(outcome.errors))
