"""What the trading services return: plain frozen records, read in the transaction that made or read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from hub.money.fx import Conversion
from hub.money.money import Money
from hub.trading.states import ListingKind, ListingStatus, OfferStatus, TransferLeg, TransferStatus


@dataclass(frozen=True)
class LoanDetails:
    exhibition: str
    venue_country: str
    return_date: date
    loan_fee: Money


@dataclass(frozen=True)
class ListingRecord:
    id: int
    item_id: int
    seller: str
    """The seller institution's code."""
    seller_country: str
    kind: ListingKind
    asking_price: Money
    loan: LoanDetails | None
    status: ListingStatus
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class StoredConversion:
    """A conversion recorded when something relied on it, with the rates it used (their dates in `legs`)."""

    id: int
    at: datetime
    source: Money
    result: Money
    effective_rate: Decimal
    legs: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class OfferRecord:
    id: int
    listing_id: int
    buyer: str
    amount: Money
    destination_country: str
    expires_at: datetime
    status: OfferStatus
    """EXPIRED for an offer left open past its expiry, whether or not the hub has stored that yet."""
    created_at: datetime
    decided_at: datetime | None
    at_placement: StoredConversion | None
    """The offer in the listing's currency when it was placed; None when the currencies are the same."""


@dataclass(frozen=True)
class OfferForSeller:
    """An offer as its listing's seller sees it: converted into the listing's currency at the rate valid now."""

    offer: OfferRecord
    converted: Conversion
    """`converted.result` in the listing's currency; `converted.legs` the rates used, each with its date."""


@dataclass(frozen=True)
class TransferRecord:
    id: int
    item_id: int
    listing_id: int
    offer_id: int | None
    seller: str
    buyer: str
    price: Money
    kind: ListingKind
    leg: TransferLeg
    parent_transfer_id: int | None
    origin_country: str
    destination_country: str
    status: TransferStatus
    clearance_decision: dict[str, Any]
    escrow_reference: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def jurisdictions(self) -> tuple[str, ...]:
        """The countries the transfer concerns: its audit entries' jurisdictions."""
        return tuple(sorted({self.origin_country, self.destination_country}))


@dataclass(frozen=True)
class ListingOutcome:
    listing: ListingRecord
    replayed: bool = False
    """An earlier request with the same idempotency key made this: nothing was applied now."""


@dataclass(frozen=True)
class OfferOutcome:
    offer: OfferRecord
    replayed: bool = False


@dataclass(frozen=True)
class AcceptanceOutcome:
    transfer: TransferRecord
    offer: OfferRecord
    listing: ListingRecord
    declined_offer_ids: tuple[int, ...] = ()
    replayed: bool = False


@dataclass(frozen=True)
class TransferOutcome:
    transfer: TransferRecord
    replayed: bool = False


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a keyset-paged read; `cursors` are the opaque cursors of `rows`, in order."""

    rows: list[T]
    cursors: list[str]
    has_next_page: bool
    total_count: int
