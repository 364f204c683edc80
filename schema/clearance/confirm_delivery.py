"""`confirmDelivery`: the receiver confirms; the transfer completes and the escrow goes to the seller. A loan's
outbound leg starts its return leg."""

from __future__ import annotations

import strawberry

from hub.clearance.service import ClearanceOutcome
from schema.clearance.payloads import ClearancePayload, clearance_payload
from schema.core.context import Info
from schema.core.mutation import run_mutation
from schema.trading.ids import TRANSFER, input_key
from schema.trading.transfer_types import Transfer


@strawberry.input
class ConfirmDeliveryInput:
    transfer_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.type
class ConfirmDeliveryPayload(ClearancePayload):
    return_leg: Transfer | None = strawberry.field(default=None, description="A loan's way back, just started.")


async def confirm_delivery(info: Info, input: ConfirmDeliveryInput) -> ConfirmDeliveryPayload:
    async def present(outcome: ClearanceOutcome) -> ConfirmDeliveryPayload:
        leg = None if outcome.return_leg is None else Transfer.of(outcome.return_leg)
        return ConfirmDeliveryPayload(**clearance_payload(info, outcome), return_leg=leg)  # type: ignore[arg-type]

    async def call() -> ClearanceOutcome:
        transfer_id = input_key(str(input.transfer_id), TRANSFER, "transfer_id")
        return await info.context.hub.clearance.confirm_delivery(
            info.context.principal, transfer_id, input.idempotency_key
        )

    return await run_mutation(ConfirmDeliveryPayload, call(), present)
