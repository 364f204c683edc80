"""The clearance mutations, one module each; the scope is checked before any work, the binding by the service."""

from __future__ import annotations

import strawberry

from hub.auth.scopes import CUSTOMS_CLEAR, LICENCE_ISSUE, TRADE_WRITE
from schema.clearance.clear_customs import clear_customs
from schema.clearance.confirm_delivery import confirm_delivery
from schema.clearance.decide_export_licence import decide_export_licence
from schema.clearance.file_customs_declaration import file_customs_declaration
from schema.core.permissions import requires


@strawberry.type
class ClearanceMutation:
    decide_export_licence = strawberry.mutation(
        resolver=decide_export_licence,
        permission_classes=[requires(LICENCE_ISSUE)],
        description="The regulator of the issuing country grants or denies a document the transfer requires.",
    )
    file_customs_declaration = strawberry.mutation(
        resolver=file_customs_declaration,
        permission_classes=[requires(TRADE_WRITE)],
        description="The shipper files the customs declaration once every required licence is granted.",
    )
    clear_customs = strawberry.mutation(
        resolver=clear_customs,
        permission_classes=[requires(CUSTOMS_CLEAR)],
        description="Customs of the origin (export) or the destination (import) clear, hold or uphold a hold.",
    )
    confirm_delivery = strawberry.mutation(
        resolver=confirm_delivery,
        permission_classes=[requires(TRADE_WRITE)],
        description="The receiver confirms delivery: the transfer completes and the escrow goes to the seller.",
    )
