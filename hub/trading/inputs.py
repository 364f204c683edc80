"""What callers give the trading services: validated by the services, which name each bad field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hub.trading.states import ListingKind, ListingStatus, TransferStatus


@dataclass(frozen=True)
class MoneyInput:
    """An amount as the client sent it (a decimal string, never a float) and an ISO 4217 code."""

    amount: str | Decimal | int
    currency: str

    def to_json(self) -> dict[str, str]:
        return {"amount": str(self.amount), "currency": self.currency}


@dataclass(frozen=True)
class LoanTerms:
    """A temporary loan to an exhibition: the goods go to `venue_country` and come back by `return_date`."""

    exhibition: str
    venue_country: str
    return_date: date
    loan_fee: MoneyInput

    def to_json(self) -> dict[str, Any]:
        return {
            "exhibition": self.exhibition,
            "venue_country": self.venue_country,
            "return_date": self.return_date.isoformat(),
            "loan_fee": self.loan_fee.to_json(),
        }


@dataclass(frozen=True)
class ListingInput:
    """`createListing`: an item of the caller's institution, for sale or (with `loan`) for a loan."""

    item_id: int
    kind: ListingKind
    asking_price: MoneyInput
    loan: LoanTerms | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "kind": self.kind.value,
            "asking_price": self.asking_price.to_json(),
            "loan": self.loan.to_json() if self.loan else None,
        }


@dataclass(frozen=True)
class OfferInput:
    """`placeOffer`: `destination_country` defaults to the buyer's country (a loan's: the venue's)."""

    listing_id: int
    amount: MoneyInput
    expires_at: datetime
    destination_country: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "listing_id": self.listing_id,
            "amount": self.amount.to_json(),
            "expires_at": self.expires_at.isoformat() if isinstance(self.expires_at, datetime) else self.expires_at,
            "destination_country": self.destination_country,
        }


@dataclass(frozen=True)
class PriceRange:
    """Asking prices between `minimum` and `maximum` (either may be None) once converted into `currency` at the
    rates valid now; listings whose currency no rate links to `currency` are left out."""

    currency: str
    minimum: str | Decimal | int | None = None
    maximum: str | Decimal | int | None = None


@dataclass(frozen=True)
class ListingFilter:
    institution: str | None = None
    kind: ListingKind | None = None
    status: ListingStatus | None = ListingStatus.OPEN
    currency: str | None = None
    """Only listings asking in this currency."""
    price: PriceRange | None = None
    item_id: int | None = None


@dataclass(frozen=True)
class TransferFilter:
    status: TransferStatus | None = None
    institution: str | None = None
    """Only transfers where this institution is a party (a party's token: its own institution, the default)."""
    item_id: int | None = None
