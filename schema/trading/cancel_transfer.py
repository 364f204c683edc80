"""`cancelTransfer`: either party ends a transfer before the goods ship; the escrow goes back to the buyer."""

from __future__ import annotations

import strawberry

from hub.trading.records import TransferOutcome
from schema.core.context import Info
from schema.core.mutation import MutationPayload, run_mutation
from schema.trading.ids import TRANSFER, input_key
from schema.trading.transfer_types import Transfer


@strawberry.input
class CancelTransferInput:
    transfer_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.type
class CancelTransferPayload(MutationPayload):
    transfer: Transfer | None = None


async def cancel_transfer(info: Info, input: CancelTransferInput) -> CancelTransferPayload:
    async def present(outcome: TransferOutcome) -> CancelTransferPayload:
        return CancelTransferPayload(transfer=Transfer.of(outcome.transfer))

    async def call() -> TransferOutcome:
        transfer_id = input_key(str(input.transfer_id), TRANSFER, "transfer_id")
        return await info.context.hub.trading.cancel_transfer(
            info.context.principal, transfer_id, input.idempotency_key
        )

    return await run_mutation(CancelTransferPayload, call(), present)
