"""Transfers in the graph: what was sold or lent, to whom, for what, where to, in which state; their escrow."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from hub.money.escrow import EscrowState as DomainEscrowState
from hub.trading.events import TransferEvent
from hub.trading.records import TransferRecord
from hub.trading.states import TransferLeg as DomainTransferLeg
from hub.trading.states import TransferStatus
from schema.catalogue.types import CatalogueItem, Institution, item_from_row
from schema.core.context import Info
from schema.core.relay import Node
from schema.money.types import Money
from schema.trading.ids import TRANSFER, global_id
from schema.trading.types import Listing, ListingKind, institution

if TYPE_CHECKING:
    from schema.clearance.types import TransferClearance

TransferState = strawberry.enum(
    TransferStatus,
    name="TransferState",
    description="From acceptance: AWAITING_EXPORT_LICENCE (or BLOCKED) -> AWAITING_CUSTOMS -> IN_TRANSIT -> ARRIVED "
    "-> COMPLETED; REJECTED and CANCELLED end it early.",
)
TransferLeg = strawberry.enum(DomainTransferLeg, name="TransferLeg")
EscrowState = strawberry.enum(DomainEscrowState, name="EscrowState")


@strawberry.type(description="The buyer's payment for a transfer: held, then released to the seller or returned.")
class EscrowHold:
    amount: Money
    state: EscrowState  # type: ignore[valid-type]
    held_at: datetime
    settled_at: datetime | None


@strawberry.type(description="Goods moving from a seller (or lender) to a buyer (or borrower), from acceptance on.")
class Transfer(Node):
    record: strawberry.Private[TransferRecord]
    price: Money
    kind: ListingKind  # type: ignore[valid-type]
    leg: TransferLeg  # type: ignore[valid-type]
    origin_country: str
    destination_country: str
    state: TransferState  # type: ignore[valid-type]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, record: TransferRecord) -> Transfer:
        return cls(
            id=global_id(TRANSFER, record.id),
            record=record,
            price=Money.of(record.price),
            kind=record.kind,
            leg=record.leg,
            origin_country=record.origin_country,
            destination_country=record.destination_country,
            state=record.status,
            created_at=record.created_at,
            updated_at=record.updated_at,
        )

    @strawberry.field(
        description="Where the transfer stands in clearance: the compliance decision explained in the caller's "
        "language, the documents required and their decisions, the customs declaration and each border."
    )
    async def clearance(
        self, info: Info
    ) -> Annotated[TransferClearance, strawberry.lazy("schema.clearance.types")] | None:
        from schema.clearance.queries import transfer_clearance  # clearance's types refer to transfers

        return await transfer_clearance(info, self.record.id)

    @strawberry.field
    async def item(self, info: Info) -> CatalogueItem | None:
        row = await info.context.loaders.catalogue.items.load(self.record.item_id)
        return item_from_row(row) if row is not None else None

    @strawberry.field
    async def seller(self, info: Info) -> Institution:
        return await institution(info, self.record.seller)

    @strawberry.field
    async def buyer(self, info: Info) -> Institution:
        return await institution(info, self.record.buyer)

    @strawberry.field
    async def listing(self, info: Info) -> Listing | None:
        record = await info.context.loaders.trading.listings.load(self.record.listing_id)
        return Listing.of(record) if record is not None else None

    @strawberry.field(description="The buyer's payment held for this transfer.")
    async def escrow(self, info: Info) -> EscrowHold | None:
        if self.record.escrow_reference is None:
            return None
        held = await info.context.loaders.trading.escrows.load(self.record.escrow_reference)
        if held is None:
            return None
        return EscrowHold(
            amount=Money.of(held.amount), state=held.state, held_at=held.held_at, settled_at=held.settled_at
        )


@strawberry.type(description="A transfer changed state (or began, at acceptance).")
class TransferUpdate:
    event: strawberry.Private[TransferEvent]
    transfer_id: strawberry.ID
    state: TransferState  # type: ignore[valid-type]
    at: datetime

    @classmethod
    def of(cls, event: TransferEvent) -> TransferUpdate:
        return cls(event=event, transfer_id=global_id(TRANSFER, event.transfer_id), state=event.status, at=event.at)

    @strawberry.field(description="The transfer as it is now.")
    async def transfer(self, info: Info) -> Transfer | None:
        record = await info.context.hub.trading.transfer(info.context.principal, self.event.transfer_id)
        return Transfer.of(record) if record is not None else None
