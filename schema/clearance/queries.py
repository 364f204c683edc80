"""Clearance queries: `complianceCheck` (anyone, before any listing), a transfer's clearance (who may see the
transfer), and the regulators' queues."""

from __future__ import annotations

import strawberry

from hub.auth.scopes import AUDIT_READ, CUSTOMS_CLEAR, LICENCE_ISSUE, TRADE_READ
from hub.clearance.queues import ClearanceQueue as DomainQueue
from schema.clearance.types import ClearanceQueue, ComplianceDecision, TransferClearance, TransferPurpose
from schema.core.context import Info
from schema.core.errors import domain_errors
from schema.core.ids import item_pk
from schema.core.permissions import requires_any
from schema.money.types import MoneyInput
from schema.trading.connections import TransferConnection
from schema.trading.ids import TRANSFER, decoded_key

REGULATORS = (LICENCE_ISSUE, CUSTOMS_CLEAR, AUDIT_READ)


async def transfer_clearance(info: Info, transfer_id: int) -> TransferClearance | None:
    """A transfer's clearance, if the token may see the transfer."""
    view = await info.context.hub.clearance.transfer_clearance(info.context.principal, transfer_id)
    return None if view is None else TransferClearance.of(view, info.context.accept_languages)


async def clearance_queue_page(
    info: Info,
    queue: ClearanceQueue,  # type: ignore[valid-type]
    first: int | None,
    after: str | None,
) -> TransferConnection:
    """A page of the regulator's queue: `clearanceQueue`, and `transfers(clearance:)`."""
    with domain_errors(info.context.accept_languages):
        page = await info.context.hub.clearance.queue(info.context.principal, DomainQueue(queue), first, after)
    return TransferConnection.of(page, after)


@strawberry.type
class ClearanceQuery:
    @strawberry.field(
        description="What the hub would decide if the item were traded to `destination` now: nothing is created. "
        "The value is converted to EUR at the FX rate valid now; without a value the stricter case is assumed."
    )
    async def compliance_check(
        self,
        info: Info,
        item_id: strawberry.ID,
        destination: str,
        value: MoneyInput | None = None,
        purpose: TransferPurpose | None = TransferPurpose.SALE,
    ) -> ComplianceDecision:
        with domain_errors(info.context.accept_languages):
            key = item_pk(str(item_id), "itemId")
            money = None if value is None else value.parsed("value")
            assessment = await info.context.hub.clearance.check(
                key if key is not None else -1,
                destination.strip().upper(),
                money,
                (purpose or TransferPurpose.SALE).value,
            )
        return ComplianceDecision.of(assessment.decision, info.context.accept_languages)

    @strawberry.field(
        description="Where a transfer stands in clearance: documents, declaration, customs, the decision explained.",
        permission_classes=[requires_any(TRADE_READ, *REGULATORS)],
    )
    async def transfer_clearance(self, info: Info, transfer_id: strawberry.ID) -> TransferClearance | None:
        key = decoded_key(str(transfer_id), TRANSFER)
        return None if key is None else await transfer_clearance(info, key)

    @strawberry.field(
        description="The transfers of the token's jurisdiction awaiting its decision, held, or cleared by it "
        "(licences for licence:issue, borders for customs:clear, both for audit:read), newest first.",
        permission_classes=[requires_any(*REGULATORS)],
    )
    async def clearance_queue(
        self,
        info: Info,
        queue: ClearanceQueue,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> TransferConnection:
        return await clearance_queue_page(info, queue, first, after)
