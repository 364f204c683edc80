"""`decideExportLicence`: the regulator of the document's issuing country grants it (reference number, validity)
or denies it (reason); the last grant moves the transfer to AWAITING_CUSTOMS, a denial ends it REJECTED."""

from __future__ import annotations

from datetime import date

import strawberry

from hub.clearance.licences import LicenceVerdict
from hub.clearance.service import ClearanceOutcome
from schema.clearance.payloads import ClearancePayload, clearance_payload
from schema.core.context import Info
from schema.core.mutation import run_mutation
from schema.trading.ids import TRANSFER, input_key


@strawberry.input
class DecideExportLicenceInput:
    transfer_id: strawberry.ID
    document: str = strawberry.field(description="The document's code, such as PRC_EXIT_PERMIT.")
    grant: bool
    reference_number: str | None = strawberry.field(default=None, description="Required for a grant.")
    valid_from: date | None = strawberry.field(default=None, description="Default: today.")
    valid_until: date | None = strawberry.field(default=None, description="Required for a grant.")
    reason: str | None = strawberry.field(default=None, description="Required for a denial.")
    idempotency_key: str | None = None


@strawberry.type
class DecideExportLicencePayload(ClearancePayload):
    pass


async def decide_export_licence(info: Info, input: DecideExportLicenceInput) -> DecideExportLicencePayload:
    async def present(outcome: ClearanceOutcome) -> DecideExportLicencePayload:
        return DecideExportLicencePayload(**clearance_payload(info, outcome))  # type: ignore[arg-type]

    async def call() -> ClearanceOutcome:
        transfer_id = input_key(str(input.transfer_id), TRANSFER, "transfer_id")
        verdict = LicenceVerdict(
            document=input.document,
            grant=input.grant,
            reference_number=input.reference_number,
            valid_from=input.valid_from,
            valid_until=input.valid_until,
            reason=input.reason,
        )
        return await info.context.hub.clearance.decide_export_licence(
            info.context.principal, transfer_id, verdict, input.idempotency_key
        )

    return await run_mutation(DecideExportLicencePayload, call(), present)
