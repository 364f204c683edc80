"""Catalogue subscriptions over graphql-transport-ws."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from hub.catalogue.events import ChangeKind as DomainChangeKind
from hub.catalogue.query import items_by_ids
from schema.catalogue.types import CatalogueItem, item_from_row
from schema.core.context import Info
from schema.core.ids import to_global_id
from schema.loaders import Loaders

ChangeKind = strawberry.enum(DomainChangeKind, name="CatalogueChangeKind")


@strawberry.type(description="An item added, changed or removed by a sync or a partner push.")
class CatalogueChange:
    kind: ChangeKind  # type: ignore[valid-type]
    item_id: strawberry.ID
    institution: str
    item: CatalogueItem | None = strawberry.field(description="The item now; null once removed.")


@strawberry.type
class CatalogueSubscription:
    @strawberry.subscription
    async def catalogue_changes(
        self, info: Info, institutions: list[str] | None = None
    ) -> AsyncGenerator[CatalogueChange, None]:
        wanted = {code.upper() for code in institutions} if institutions else None
        async for change in info.context.hub.events.subscribe(wanted):
            # A websocket keeps one context for its whole life: each event reads through fresh
            # DataLoaders, or it would show what an earlier event cached (old images, say).
            info.context.loaders = Loaders.create(info.context.hub.sessions)
            item = None
            if change.kind is not DomainChangeKind.REMOVED:
                async with info.context.hub.sessions() as session:
                    row = (await items_by_ids(session, [change.item_id])).get(change.item_id)
                item = item_from_row(row) if row else None
            yield CatalogueChange(
                kind=change.kind,
                item_id=strawberry.ID(to_global_id("CatalogueItem", change.item_id)),
                institution=change.institution,
                item=item,
            )
