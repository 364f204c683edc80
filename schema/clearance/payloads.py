"""What every clearance mutation answers: the transfer as it now stands in clearance."""

from __future__ import annotations

import strawberry

from hub.clearance.service import ClearanceOutcome
from schema.clearance.types import TransferClearance
from schema.core.context import Info
from schema.core.mutation import MutationPayload
from schema.trading.transfer_types import Transfer


@strawberry.type
class ClearancePayload(MutationPayload):
    transfer: Transfer | None = None
    clearance: TransferClearance | None = None


def clearance_payload(info: Info, outcome: ClearanceOutcome) -> dict[str, object]:
    view = TransferClearance.of(outcome.clearance, info.context.accept_languages)
    return {"transfer": view.transfer, "clearance": view}
