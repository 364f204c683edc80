"""Where an accepted offer's transfer starts: the clearance hook decides its first state.

Trading calls the hook inside the acceptance transaction, with the facts of the new transfer; the compliance
engine (hub.clearance, wired by hub.app) plugs in here. A BLOCKED outcome ends the transfer at once and the
buyer's escrow is returned in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from hub.money.money import Money
from hub.trading.states import ListingKind, TransferLeg, TransferStatus

INITIAL_STATES = frozenset(
    {TransferStatus.BLOCKED, TransferStatus.AWAITING_EXPORT_LICENCE, TransferStatus.AWAITING_CUSTOMS}
)
"""What a hook may answer: blocked, a licence needed, or straight to customs."""


@dataclass(frozen=True)
class TransferFacts:
    """The new transfer as the hook sees it (it has no id yet)."""

    item_id: int
    seller: str
    buyer: str
    origin_country: str
    """Where the goods leave from: the seller institution's country (a return leg: the venue's)."""
    destination_country: str
    price: Money
    kind: ListingKind
    leg: TransferLeg = TransferLeg.OUTBOUND


@dataclass(frozen=True)
class ClearanceOutcome:
    status: TransferStatus
    """One of INITIAL_STATES."""
    decision: dict[str, Any]
    """A JSON-able record of the decision (rules applied, citations), stored on the transfer as it is."""


class AcceptanceClearance(Protocol):
    async def __call__(self, session: AsyncSession, facts: TransferFacts) -> ClearanceOutcome:
        """The first state of the transfer `facts` describes; may read (not write) in `session`."""
        ...


class LicenceAlwaysNeeded:
    """The default hook until the compliance engine is plugged in: every transfer awaits an export licence."""

    async def __call__(self, session: AsyncSession, facts: TransferFacts) -> ClearanceOutcome:
        return ClearanceOutcome(
            TransferStatus.AWAITING_EXPORT_LICENCE,
            {"decided_by": "default", "reason": "every transfer needs an export licence decision"},
        )
