"""The catalogue's mutations, one module each; every one takes one `input` and returns a payload."""

from __future__ import annotations

import strawberry

from hub.auth.scopes import CATALOGUE_WRITE
from schema.catalogue.delete_catalogue_items import delete_catalogue_items
from schema.catalogue.trigger_sync import trigger_sync
from schema.catalogue.upsert_catalogue_items import upsert_catalogue_items
from schema.core.permissions import requires


@strawberry.type
class CatalogueMutation:
    upsert_catalogue_items = strawberry.mutation(
        resolver=upsert_catalogue_items,
        permission_classes=[requires(CATALOGUE_WRITE)],
        description="Adds or replaces items of the token's institution, all or none.",
    )
    delete_catalogue_items = strawberry.mutation(
        resolver=delete_catalogue_items,
        permission_classes=[requires(CATALOGUE_WRITE)],
        description="Deletes items of the token's institution by their sourceId, all or none.",
    )
    trigger_sync = strawberry.mutation(
        resolver=trigger_sync,
        permission_classes=[requires(CATALOGUE_WRITE)],
        description="Harvests the token's institution now and tells what changed.",
    )
