"""Regulators' views: the transfers of a jurisdiction awaiting its decision, held by its customs, or cleared by it,
as WHERE clauses on `transfers` for the token's scopes (licence:issue, customs:clear, audit:read)."""

from __future__ import annotations

import enum

from sqlalchemy import ColumnElement, and_, exists, false, not_, or_, select

from hub.auth.principal import Principal
from hub.auth.scopes import AUDIT_READ, CUSTOMS_CLEAR, LICENCE_ISSUE
from hub.clearance.models import CustomsCheck, CustomsDeclaration, LicenceDecision
from hub.trading.models import Transfer
from hub.trading.states import TransferStatus


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
