"""`clearCustoms`: the origin's customs clear the export (IN_TRANSIT), the destination's the import (ARRIVED); or
they hold the goods with a reason, then clear them or uphold the hold (REJECTED, the escrow returned)."""

from __future__ import annotations

import strawberry

from hub.clearance.customs import CustomsVerdict as DomainVerdict
from hub.clearance.service import ClearanceOutcome
from schema.clearance.payloads import ClearancePayload, clearance_payload
from schema.core.context import Info
from schema.core.mutation import run_mutation
from schema.trading.ids import TRANSFER, input_key

CustomsVerdict = strawberry.enum(
    DomainVerdict, name="CustomsVerdict", description="CLEAR, HOLD (with a reason) or UPHOLD_HOLD (ends it)."
)


@strawberry.input
class ClearCustomsInput:
    transfer_id: strawberry.ID
    verdict: CustomsVerdict  # type: ignore[valid-type]
    reason: str | None = strawberry.field(default=None, description="Required for a hold.")
    idempotency_key: str | None = None


@strawberry.type
class ClearCustomsPayload(ClearancePayload):
    pass


async def clear_customs(info: Info, input: ClearCustomsInput) -> ClearCustomsPayload:
    async def present(outcome: ClearanceOutcome) -> ClearCustomsPayload:
        return ClearCustomsPayload(**clearance_payload(info, outcome))  # type: ignore[arg-type]

    async def call() -> ClearanceOutcome:
        transfer_id = input_key(str(input.transfer_id), TRANSFER, "transfer_id")
        return await info.context.hub.clearance.clear_customs(
            info.context.principal, transfer_id, DomainVerdict(input.verdict), input.reason, input.idempotency_key
        )

    return await run_mutation(ClearCustomsPayload, call(), present)
