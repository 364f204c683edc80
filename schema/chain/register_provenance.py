"""`registerProvenance`: the item's keeper registers the canonical hash of its record and transfer history on
every chain (in the background; the payload shows the anchors pending)."""

from __future__ import annotations

import strawberry

from hub.provenance.service import RegistrationOutcome
from schema.chain.provenance_types import ProvenanceRegistration
from schema.core.context import Info
from schema.core.ids import item_pk
from schema.core.mutation import MutationPayload, run_mutation


@strawberry.input
class RegisterProvenanceInput:
    item_id: strawberry.ID = strawberry.field(description="A catalogue item of the token's institution.")
    idempotency_key: str | None = strawberry.field(
        default=None, description="Accepted like everywhere; registering an unchanged record again is harmless."
    )


@strawberry.type
class RegisterProvenancePayload(MutationPayload):
    registration: ProvenanceRegistration | None = None
    created: bool = strawberry.field(default=False, description="False when the same record was registered before.")


async def register_provenance(info: Info, input: RegisterProvenanceInput) -> RegisterProvenancePayload:
    async def present(outcome: RegistrationOutcome) -> RegisterProvenancePayload:
        registration = ProvenanceRegistration.from_view(outcome.registration)
        return RegisterProvenancePayload(registration=registration, created=outcome.created)

    item_id = item_pk(input.item_id, "itemId")
    registering = info.context.hub.provenance.register(info.context.principal, item_id)
    return await run_mutation(RegisterProvenancePayload, registering, present)
