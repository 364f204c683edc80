"""Regulators' views: the transfers of a jurisdiction awaiting its decision, held by its customs, or cleared by it,
as WHERE clauses on `transfers` for the token's scopes (licence:issue, customs:clear, audit:read)."""

from __future__ import annotations

import enum

from sqlalchemy import ColumnElement, and_, exists, false, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth.principal import Principal
from hub.auth.scopes import AUDIT_READ, CUSTOMS_CLEAR, LICENCE_ISSUE
from hub.clearance import refusals
from hub.clearance.errors import ClearanceErrorCode
from hub.clearance.models import CustomsCheck, CustomsDeclaration, LicenceDecision
from hub.core.paging import page_size
from hub.trading.models import Transfer
from hub.trading.records import Page, TransferRecord
from hub.trading.states import TransferStatus
from hub.trading.transfers import CURSORS
from hub.trading.views import transfer_records
from hub.trading.visibility import may_read_transfers, visible_transfers

QUEUE_SCOPES = f"{LICENCE_ISSUE}, {CUSTOMS_CLEAR} or {AUDIT_READ}"


class ClearanceQueue(enum.Enum):
    AWAITING_DECISION = "AWAITING_DECISION"
    """A licence of its country not yet decided, or goods declared at its border and not yet cleared or held."""
    HELD = "HELD"
    """Held by its customs (and not cleared since)."""
    CLEARED = "CLEARED"
    """A licence granted by its regulator, or goods cleared by its customs."""


def _check(place: str, status: str) -> ColumnElement[bool]:
    return exists(
        select(CustomsCheck.id).where(
            CustomsCheck.transfer_id == Transfer.id, CustomsCheck.jurisdiction == place, CustomsCheck.status == status
        )
    )


def _licence_queue(place: str, queue: ClearanceQueue) -> ColumnElement[bool]:
    if queue is ClearanceQueue.HELD:
        return _check(place, "HELD")
    decided = select(LicenceDecision.id).where(
        LicenceDecision.transfer_id == Transfer.id, LicenceDecision.jurisdiction == place
    )
    if queue is ClearanceQueue.CLEARED:
        return exists(decided.where(LicenceDecision.verdict == "GRANTED"))
    return and_(
        Transfer.status == TransferStatus.AWAITING_EXPORT_LICENCE.value,
        Transfer.origin_country == place,
        not_(exists(decided)),
    )


def _customs_queue(place: str, queue: ClearanceQueue) -> ColumnElement[bool]:
    if queue is ClearanceQueue.HELD:
        return _check(place, "HELD")
    if queue is ClearanceQueue.CLEARED:
        return _check(place, "CLEARED")
    declared = exists(select(CustomsDeclaration.id).where(CustomsDeclaration.transfer_id == Transfer.id))
    return and_(
        not_(_check(place, "HELD")),
        or_(
            and_(Transfer.status == TransferStatus.AWAITING_CUSTOMS.value, Transfer.origin_country == place, declared),
            and_(Transfer.status == TransferStatus.IN_TRANSIT.value, Transfer.destination_country == place),
        ),
    )


def queue_condition(principal: Principal, queue: ClearanceQueue | str) -> ColumnElement[bool]:
    """The transfers in `queue` for the token's jurisdiction: licences for `licence:issue`, borders for
    `customs:clear`, both for `audit:read`; nothing for other tokens. Combine with trading's visibility."""
    wanted = ClearanceQueue(queue)
    place = principal.jurisdiction
    if not place:
        return false()
    clauses: list[ColumnElement[bool]] = []
    if principal.has_scope(LICENCE_ISSUE) or principal.has_scope(AUDIT_READ):
        clauses.append(_licence_queue(place, wanted))
    if principal.has_scope(CUSTOMS_CLEAR) or principal.has_scope(AUDIT_READ):
        clauses.append(_customs_queue(place, wanted))
    return or_(*clauses) if clauses else false()


async def queue_page(
    session: AsyncSession, principal: Principal, queue: ClearanceQueue, first: int | None, after: str | None
) -> Page[TransferRecord]:
    """The transfers of the token's jurisdiction in `queue` (and visible to it), newest first."""
    if not may_read_transfers(principal) or not principal.jurisdiction:
        raise refusals.refused(ClearanceErrorCode.FORBIDDEN, None, refusals.NEEDS_JURISDICTION, scope=QUEUE_SCOPES)
    size = page_size(first)
    conditions = [visible_transfers(principal), queue_condition(principal, queue)]
    total = await session.scalar(select(func.count(Transfer.id)).where(*conditions))
    stmt = select(Transfer).where(*conditions)
    if after is not None:
        stmt = stmt.where(Transfer.id < CURSORS.decode(after))
    rows = list(await session.scalars(stmt.order_by(Transfer.id.desc()).limit(size + 1)))
    records = await transfer_records(session, rows[:size])
    return Page(records, [CURSORS.encode(r.id) for r in records], len(rows) > size, int(total or 0))
