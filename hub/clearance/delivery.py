"""Delivery: the receiver confirms it; the transfer completes and the escrow goes to the seller in the same
transaction. When a loan's outbound leg completes, its return leg starts, due by the loan's return date, with a
compliance decision of its own for the way back."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hub.clearance.acceptance import assess_leg, first_state
from hub.clearance.parties import locked_transfer, receiver, require_party, require_state
from hub.clearance.rule_table import RuleTable
from hub.trading.records import TransferRecord
from hub.trading.states import ListingKind, TransferLeg, TransferStatus
from hub.trading.transfers import advance_transfer, release_escrow_to_seller, start_return_leg
from hub.trading.views import listing_by_id


async def confirm_delivery(
    session: AsyncSession, actor: str, institution: str, transfer_id: int, table: RuleTable
) -> tuple[TransferRecord, TransferRecord | None]:
    """The completed transfer, and the return leg it started (a loan's outbound leg) or None."""
    transfer = await locked_transfer(session, transfer_id)
    require_party(transfer, receiver(transfer), institution)
    require_state(transfer, {TransferStatus.ARRIVED})
    completed = await advance_transfer(
        session,
        transfer.id,
        {TransferStatus.ARRIVED},
        TransferStatus.COMPLETED,
        actor,
        "clearance.delivery_confirmed",
        {"confirmed_by": institution},
    )
    if completed.escrow_reference is not None:
        await release_escrow_to_seller(session, completed, actor)
    if completed.kind is not ListingKind.LOAN or completed.leg is not TransferLeg.OUTBOUND:
        return completed, None
    return completed, await _start_return(session, actor, completed, table)


async def _start_return(
    session: AsyncSession, actor: str, outbound: TransferRecord, table: RuleTable
) -> TransferRecord:
    listing = await listing_by_id(session, outbound.listing_id)
    due_by = listing.loan.return_date.isoformat() if listing is not None and listing.loan is not None else None
    assessment = await assess_leg(
        session,
        table,
        outbound.item_id,
        outbound.destination_country,
        outbound.origin_country,
        outbound.price,
        ListingKind.LOAN.value,
    )
    record = assessment.as_record() | {"due_by": due_by, "outbound_transfer": outbound.id}
    return await start_return_leg(session, outbound, actor, first_state(assessment), record)
