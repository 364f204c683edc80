"""Who may see a transfer (DESIGN.md, "Scopes and claims"), as a check on one transfer and as an SQL filter:
- the parties: a `trade:read` token of the seller or the buyer institution;
- a `licence:issue` token of the origin country (it decides the export licence);
- a `customs:clear` or an `audit:read` token of the origin or the destination country.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import ColumnElement, false, or_, select

from hub.auth.principal import Principal
from hub.auth.scopes import AUDIT_READ, CUSTOMS_CLEAR, LICENCE_ISSUE, TRADE_READ
from hub.catalogue.models import Institution
from hub.trading.models import Transfer


class TransferFacts(Protocol):
    """What visibility depends on: a TransferRecord or a TransferEvent."""

    @property
    def seller(self) -> str: ...
    @property
    def buyer(self) -> str: ...
    @property
    def origin_country(self) -> str: ...
    @property
    def destination_country(self) -> str: ...


def transfer_visible_to(principal: Principal, transfer: TransferFacts) -> bool:
    if principal.may(TRADE_READ, institution=transfer.seller) or principal.may(TRADE_READ, institution=transfer.buyer):
        return True
    if principal.may(LICENCE_ISSUE, jurisdiction=transfer.origin_country):
        return True
    places = (transfer.origin_country, transfer.destination_country)
    return any(principal.may(scope, jurisdiction=place) for scope in (CUSTOMS_CLEAR, AUDIT_READ) for place in places)


def visible_transfers(principal: Principal) -> ColumnElement[bool]:
    """The same rule as `transfer_visible_to`, as a WHERE clause on `transfers`."""
    clauses: list[ColumnElement[bool]] = []
    if principal.has_scope(TRADE_READ) and principal.institution:
        own = select(Institution.id).where(Institution.code == principal.institution).scalar_subquery()
        clauses += [Transfer.seller_id == own, Transfer.buyer_id == own]
    place = principal.jurisdiction
    if place:
        if principal.has_scope(LICENCE_ISSUE):
            clauses.append(Transfer.origin_country == place)
        if principal.has_scope(CUSTOMS_CLEAR) or principal.has_scope(AUDIT_READ):
            clauses += [Transfer.origin_country == place, Transfer.destination_country == place]
    return or_(*clauses) if clauses else false()


def may_read_transfers(principal: Principal) -> bool:
    """Whether the token may see any transfer at all (what `transfers` checks before any work)."""
    return (principal.has_scope(TRADE_READ) and principal.institution is not None) or (
        principal.jurisdiction is not None
        and any(principal.has_scope(scope) for scope in (LICENCE_ISSUE, CUSTOMS_CLEAR, AUDIT_READ))
    )
