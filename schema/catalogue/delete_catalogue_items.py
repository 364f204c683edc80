"""`deleteCatalogueItems`: a partner deletes items of its institution by their sourceId, all or none."""

from __future__ import annotations

import strawberry

from hub.catalogue.push import PushOutcome
from schema.core.context import Info
from schema.core.ids import to_global_id
from schema.core.mutation import MutationPayload, run_mutation


@strawberry.input
class DeleteCatalogueItemsInput:
    source_ids: list[str]
    institution: str | None = strawberry.field(default=None, description="Default: the token's institution.")
    idempotency_key: str | None = None


@strawberry.type
class DeleteCatalogueItemsPayload(MutationPayload):
    deleted_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Global ids of the items now deleted."
    )


async def delete_catalogue_items(info: Info, input: DeleteCatalogueItemsInput) -> DeleteCatalogueItemsPayload:
    async def present(outcome: PushOutcome) -> DeleteCatalogueItemsPayload:
        ids = [strawberry.ID(to_global_id("CatalogueItem", i)) for i in outcome.item_ids]
        return DeleteCatalogueItemsPayload(deleted_ids=ids)

    push = info.context.hub.push
    delete = push.delete(info.context.principal, input.institution, input.source_ids, input.idempotency_key)
    return await run_mutation(DeleteCatalogueItemsPayload, delete, present)
