"""The states of listings, offers and transfers (DESIGN.md, "Transfer life cycle"), as stored and shown."""

from __future__ import annotations

import enum


class ListingKind(enum.Enum):
    SALE = "SALE"
    LOAN = "LOAN"
    """A temporary loan to an exhibition: the goods go to the venue and come back (a RETURN leg)."""


class ListingStatus(enum.Enum):
    OPEN = "OPEN"
    WITHDRAWN = "WITHDRAWN"
    CLOSED = "CLOSED"
    """An offer was accepted."""


class OfferStatus(enum.Enum):
    OPEN = "OPEN"
    WITHDRAWN = "WITHDRAWN"
    DECLINED = "DECLINED"
    ACCEPTED = "ACCEPTED"
    EXPIRED = "EXPIRED"
    """Stored once the hub notices (an acceptance of it, say); an OPEN offer past its expiry is expired too."""


class TransferStatus(enum.Enum):
    """offer accepted -> compliance decision -> BLOCKED | AWAITING_EXPORT_LICENCE -> AWAITING_CUSTOMS ->
    IN_TRANSIT -> ARRIVED -> COMPLETED; REJECTED and CANCELLED end it early."""

    BLOCKED = "BLOCKED"
    AWAITING_EXPORT_LICENCE = "AWAITING_EXPORT_LICENCE"
    AWAITING_CUSTOMS = "AWAITING_CUSTOMS"
    IN_TRANSIT = "IN_TRANSIT"
    ARRIVED = "ARRIVED"
    COMPLETED = "COMPLETED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"

    @property
    def active(self) -> bool:
        """The goods are on their way (or about to be): an item has at most one active transfer."""
        return self in ACTIVE_TRANSFER_STATES

    @property
    def final(self) -> bool:
        return self in FINAL_TRANSFER_STATES

    @property
    def cancellable(self) -> bool:
        """Either party may still cancel: the goods have not shipped."""
        return self in CANCELLABLE_TRANSFER_STATES


class TransferLeg(enum.Enum):
    OUTBOUND = "OUTBOUND"
    """From the seller (lender) to the buyer (borrower, at the venue)."""
    RETURN = "RETURN"
    """A loan's way back from the venue to the lender; its `parent_transfer_id` is the outbound transfer."""


ACTIVE_TRANSFER_STATES = frozenset(
    {
        TransferStatus.AWAITING_EXPORT_LICENCE,
        TransferStatus.AWAITING_CUSTOMS,
        TransferStatus.IN_TRANSIT,
        TransferStatus.ARRIVED,
    }
)
FINAL_TRANSFER_STATES = frozenset(
    {TransferStatus.BLOCKED, TransferStatus.COMPLETED, TransferStatus.REJECTED, TransferStatus.CANCELLED}
)
CANCELLABLE_TRANSFER_STATES = frozenset({TransferStatus.AWAITING_EXPORT_LICENCE, TransferStatus.AWAITING_CUSTOMS})
EARLY_ENDS = frozenset({TransferStatus.REJECTED, TransferStatus.CANCELLED, TransferStatus.BLOCKED})
"""The states `end_transfer_early` may set: each returns the escrow to the buyer."""


def sql_values(states: frozenset[TransferStatus] | type[enum.Enum]) -> str:
    """The states as an SQL list for CHECK constraints and partial indexes: 'A', 'B'."""
    return ", ".join(f"'{state.value}'" for state in sorted(states, key=lambda s: s.value))
