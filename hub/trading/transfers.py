"""Transfers after acceptance: reading them (for those who may see them), cancelling before the goods ship, and
the functions clearance calls to move one on (each in the caller's transaction, with audit entry and event).

Every change on a transfer starts by locking its row (an UPDATE of its version), like changes on a listing.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.log import append_entry
from hub.auth.principal import Principal
from hub.catalogue.models import Institution
from hub.core.clock import utc_now
from hub.core.cursors import CursorKind
from hub.core.paging import page_size
from hub.core.translations import N_
from hub.core.user_errors import CommonErrorCode, InvalidArgumentError
from hub.money import escrow
from hub.money.escrow import Escrow, EscrowState
from hub.trading.errors import TradingErrorCode, refusal
from hub.trading.events import note_transfer_change
from hub.trading.inputs import TransferFilter
from hub.trading.models import Transfer
from hub.trading.records import Page, TransferRecord
from hub.trading.states import (
    CANCELLABLE_TRANSFER_STATES,
    EARLY_ENDS,
    FINAL_TRANSFER_STATES,
    ListingKind,
    TransferLeg,
    TransferStatus,
)
from hub.trading.views import transfer_record, transfer_records
from hub.trading.visibility import may_read_transfers, visible_transfers

CURSORS = CursorKind("transfer", "pass an endCursor from a page of transfers")

TRANSFER_UNKNOWN = N_("There is no transfer {transfer}.")
NOT_A_PARTY = N_("{institution} is not a party to transfer {transfer}.")
NOT_CANCELLABLE = N_(
    "Transfer {transfer} is {status}: only a transfer awaiting its licence or customs can be cancelled."
)
BAD_TRANSITION = N_("Transfer {transfer} is {status}; it cannot become {wanted}.")
NOT_A_LOAN = N_("Transfer {transfer} is not a completed outbound loan: it has no way back.")
ALREADY_BACK = N_("Transfer {transfer} already has its way back: transfer {back}.")
MAY_NOT_READ = N_(
    "This token may not read transfers: it needs trade:read with an institution, or licence:issue, "
    "customs:clear or audit:read with a jurisdiction."
)


async def lock_transfer(session: AsyncSession, transfer_id: int, field: str = "transfer_id") -> Transfer:
    locked = await session.scalar(
        update(Transfer).where(Transfer.id == transfer_id).values(version=Transfer.version + 1).returning(Transfer.id)
    )
    if locked is None:
        raise refusal(CommonErrorCode.NOT_FOUND, field, TRANSFER_UNKNOWN, transfer=transfer_id)
    row = await session.get(Transfer, transfer_id, populate_existing=True)
    assert row is not None
    return row


async def _audit(
    session: AsyncSession, actor: str, action: str, record: TransferRecord, details: dict[str, Any]
) -> None:
    payload = {
        "transfer": record.id,
        "status": record.status.value,
        "seller": record.seller,
        "buyer": record.buyer,
    } | details
    await append_entry(session, actor, action, f"transfer:{record.id}", record.jurisdictions, payload)


async def _set_status(
    session: AsyncSession, row: Transfer, allowed_from: Collection[TransferStatus], wanted: TransferStatus
) -> TransferRecord:
    if TransferStatus(row.status) not in allowed_from:
        raise refusal(
            TradingErrorCode.INVALID_TRANSITION,
            "transfer_id",
            BAD_TRANSITION,
            transfer=row.id,
            status=row.status,
            wanted=wanted.value,
        )
    row.status = wanted.value
    row.updated_at = utc_now()
    await session.flush()
    return await transfer_record(session, row)


async def _return_escrow(session: AsyncSession, actor: str, record: TransferRecord) -> Escrow | None:
    if record.escrow_reference is None:
        return None
    held = await escrow.escrow_for(session, record.escrow_reference)
    if held is None or held.state is not EscrowState.HELD:
        return held
    return await escrow.return_to_buyer(session, actor, record.escrow_reference, record.jurisdictions)


async def cancel_transfer(session: AsyncSession, actor: str, party: str, transfer_id: int) -> TransferRecord:
    row = await lock_transfer(session, transfer_id)
    current = await transfer_record(session, row)
    if party not in (current.seller, current.buyer):
        raise refusal(TradingErrorCode.NOT_A_PARTY, "transfer_id", NOT_A_PARTY, institution=party, transfer=transfer_id)
    if not current.status.cancellable:
        raise refusal(
            TradingErrorCode.TRANSFER_NOT_CANCELLABLE,
            "transfer_id",
            NOT_CANCELLABLE,
            transfer=transfer_id,
            status=current.status.value,
        )
    record = await _set_status(session, row, CANCELLABLE_TRANSFER_STATES, TransferStatus.CANCELLED)
    returned = await _return_escrow(session, actor, record)
    details = {"cancelled_by": party, "escrow": returned.state.value if returned else None}
    await _audit(session, actor, "trading.transfer_cancelled", record, details)
    note_transfer_change(session, record)
    return record


async def advance_transfer(
    session: AsyncSession,
    transfer_id: int,
    allowed_from: Collection[TransferStatus],
    wanted: TransferStatus,
    actor: str,
    action: str,
    details: dict[str, Any] | None = None,
) -> TransferRecord:
    """Moves a transfer from one of `allowed_from` to `wanted` (INVALID_TRANSITION otherwise), with its audit
    entry `action` (like 'clearance.licence_granted') and its event: for clearance, in the caller's transaction.
    Settling the escrow is the caller's: `release_escrow_to_seller`, or `end_transfer_early`."""
    row = await lock_transfer(session, transfer_id)
    record = await _set_status(session, row, allowed_from, wanted)
    await _audit(session, actor, action, record, details or {})
    note_transfer_change(session, record)
    return record


async def release_escrow_to_seller(session: AsyncSession, transfer: TransferRecord | int, actor: str) -> Escrow:
    """Pays the buyer's held payment to the seller (at completion), with its ledger postings and audit entry."""
    record = await _record(session, transfer)
    if record.escrow_reference is None:
        raise ValueError(f"transfer {record.id} holds no escrow")
    return await escrow.release(session, actor, record.escrow_reference, record.jurisdictions)


async def end_transfer_early(
    session: AsyncSession,
    transfer: TransferRecord | int,
    status: TransferStatus,
    actor: str,
    details: dict[str, Any] | None = None,
) -> TransferRecord:
    """Ends a transfer that has not arrived (REJECTED: licence denied or customs hold upheld; CANCELLED; BLOCKED)
    and returns the buyer's escrow, in the caller's transaction."""
    if status not in EARLY_ENDS:
        raise ValueError(f"{status.value} does not end a transfer early")
    transfer_id = transfer if isinstance(transfer, int) else transfer.id
    row = await lock_transfer(session, transfer_id)
    allowed = set(TransferStatus) - FINAL_TRANSFER_STATES - {TransferStatus.ARRIVED}
    record = await _set_status(session, row, allowed, status)
    returned = await _return_escrow(session, actor, record)
    extra = {"escrow": returned.state.value if returned else None} | (details or {})
    await _audit(session, actor, f"trading.transfer_{status.value.lower()}", record, extra)
    note_transfer_change(session, record)
    return record


async def start_return_leg(
    session: AsyncSession,
    outbound: TransferRecord | int,
    actor: str,
    status: TransferStatus = TransferStatus.AWAITING_EXPORT_LICENCE,
    decision: dict[str, Any] | None = None,
) -> TransferRecord:
    """A loan's way back once its outbound transfer is COMPLETED: from the venue's country to the lender's, same
    parties, nothing paid (the loan fee was settled on the outbound leg)."""
    parent = await lock_transfer(session, outbound if isinstance(outbound, int) else outbound.id)
    if (parent.kind, parent.leg, parent.status) != (
        ListingKind.LOAN.value,
        TransferLeg.OUTBOUND.value,
        TransferStatus.COMPLETED.value,
    ):
        raise refusal(TradingErrorCode.INVALID_TRANSITION, "transfer_id", NOT_A_LOAN, transfer=parent.id)
    back = await session.scalar(select(Transfer.id).where(Transfer.parent_transfer_id == parent.id))
    if back is not None:
        raise refusal(TradingErrorCode.INVALID_TRANSITION, "transfer_id", ALREADY_BACK, transfer=parent.id, back=back)
    now = utc_now()
    row = Transfer(
        item_id=parent.item_id,
        listing_id=parent.listing_id,
        offer_id=None,
        seller_id=parent.seller_id,
        buyer_id=parent.buyer_id,
        price_minor=0,
        currency=parent.currency,
        kind=parent.kind,
        leg=TransferLeg.RETURN.value,
        parent_transfer_id=parent.id,
        origin_country=parent.destination_country,
        destination_country=parent.origin_country,
        status=status.value,
        clearance_decision=decision or {},
        escrow_reference=None,
        version=0,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    record = await transfer_record(session, row)
    await _audit(session, actor, "trading.return_leg_started", record, {"outbound": parent.id})
    note_transfer_change(session, record)
    return record


async def _record(session: AsyncSession, transfer: TransferRecord | int) -> TransferRecord:
    if isinstance(transfer, TransferRecord):
        return transfer
    found = await transfer_by_id(session, transfer)
    if found is None:
        raise refusal(CommonErrorCode.NOT_FOUND, "transfer_id", TRANSFER_UNKNOWN, transfer=transfer)
    return found


async def transfer_by_id(session: AsyncSession, transfer_id: int) -> TransferRecord | None:
    row = await session.get(Transfer, transfer_id, populate_existing=True)
    return None if row is None else await transfer_record(session, row)


async def existing_transfer(session: AsyncSession, transfer_id: int) -> TransferRecord:
    return await _record(session, transfer_id)


async def visible_transfers_page(
    session: AsyncSession, principal: Principal, filters: TransferFilter, first: int | None, after: str | None
) -> Page[TransferRecord]:
    """The transfers `principal` may see, newest first."""
    if not may_read_transfers(principal):
        raise refusal(CommonErrorCode.FORBIDDEN, None, MAY_NOT_READ)
    size = page_size(first)
    conditions = [visible_transfers(principal)]
    if filters.status is not None:
        conditions.append(Transfer.status == TransferStatus(filters.status).value)
    if filters.item_id is not None:
        conditions.append(Transfer.item_id == filters.item_id)
    if filters.institution is not None:
        party = filters.institution.strip().upper()
        if not party or len(party) > 32:
            raise InvalidArgumentError("institution", f"unknown institution {filters.institution!r}")
        one = select(Institution.id).where(Institution.code == party).scalar_subquery()
        conditions.append((Transfer.seller_id == one) | (Transfer.buyer_id == one))
    total = await session.scalar(select(func.count(Transfer.id)).where(*conditions))
    stmt = select(Transfer).where(*conditions)
    if after is not None:
        stmt = stmt.where(Transfer.id < CURSORS.decode(after))
    rows = list(await session.scalars(stmt.order_by(Transfer.id.desc()).limit(size + 1)))
    records = await transfer_records(session, rows[:size])
    return Page(records, [CURSORS.encode(r.id) for r in records], len(rows) > size, int(total or 0))
