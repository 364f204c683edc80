"""Listings and offers in the graph. An offer shows its amount converted into the seller's currency (with the
rates and their dates) to the seller only; anybody else sees only its own offers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from hub.auth.scopes import TRADE_READ
from hub.money.fx import Conversion
from hub.trading.records import ListingRecord, LoanDetails, OfferForSeller, OfferRecord
from hub.trading.states import ListingKind as DomainListingKind
from hub.trading.states import ListingStatus as DomainListingStatus
from hub.trading.states import OfferStatus as DomainOfferStatus
from schema.catalogue.types import CatalogueItem, Institution, item_from_row
from schema.core.context import Info
from schema.core.errors import domain_errors
from schema.core.relay import Node
from schema.money.types import FxRate, Money
from schema.trading.ids import LISTING, OFFER, global_id

ListingKind = strawberry.enum(DomainListingKind, name="ListingKind", description="For sale, or lent to an exhibition.")
ListingStatus = strawberry.enum(DomainListingStatus, name="ListingStatus")
OfferStatus = strawberry.enum(DomainOfferStatus, name="OfferStatus")


async def institution(info: Info, code: str) -> Institution:
    row = await info.context.loaders.catalogue.institutions_by_code.load(code)
    assert row is not None  # the trading tables refer to institutions by foreign key
    return Institution.from_row(row)


@strawberry.type(description="A temporary loan to an exhibition: where, until when, for what fee.")
class LoanTerms:
    exhibition: str
    venue_country: str
    return_date: date
    loan_fee: Money

    @classmethod
    def of(cls, loan: LoanDetails) -> LoanTerms:
        return cls(
            exhibition=loan.exhibition,
            venue_country=loan.venue_country,
            return_date=loan.return_date,
            loan_fee=Money.of(loan.loan_fee),
        )


@strawberry.type(description="An amount converted into another currency, with the rates used and their dates.")
class FxConversion:
    amount: Money = strawberry.field(description="The converted amount.")
    rate: Decimal = strawberry.field(description="Converted units per source unit (the legs multiplied).")
    rate_date: datetime | None = strawberry.field(
        description="When the rate used became valid (the oldest leg's); null when nothing was converted."
    )
    at: datetime = strawberry.field(description="The instant the conversion is for.")
    path: list[str] = strawberry.field(description="The currencies it went through: AED, USD, EUR, CNY.")
    rates: list[FxRate]

    @classmethod
    def of(cls, conversion: Conversion) -> FxConversion:
        dates = [leg.rate.valid_from for leg in conversion.legs]
        return cls(
            amount=Money.of(conversion.result),
            rate=conversion.effective_rate,
            rate_date=min(dates) if dates else None,
            at=conversion.at,
            path=list(conversion.path),
            rates=[FxRate.of(leg.rate) for leg in conversion.legs],
        )


@strawberry.type(description="An institution's offer on a listing, in the buyer's currency.")
class Offer(Node):
    record: strawberry.Private[OfferRecord]
    amount: Money
    status: OfferStatus = strawberry.field(description="EXPIRED once past its expiry while still open.")  # type: ignore[valid-type]
    destination_country: str = strawberry.field(description="Where the goods would go (ISO 3166).")
    expires_at: datetime
    created_at: datetime
    decided_at: datetime | None = strawberry.field(description="When it was accepted, declined or withdrawn.")
    in_seller_currency: FxConversion | None = strawberry.field(
        description="For the seller only: the amount in the listing's currency at the rates valid now."
    )

    @classmethod
    def of(cls, record: OfferRecord, converted: Conversion | None = None) -> Offer:
        return cls(
            id=global_id(OFFER, record.id),
            record=record,
            amount=Money.of(record.amount),
            status=record.status,
            destination_country=record.destination_country,
            expires_at=record.expires_at,
            created_at=record.created_at,
            decided_at=record.decided_at,
            in_seller_currency=FxConversion.of(converted) if converted is not None else None,
        )

    @classmethod
    def for_seller(cls, seen: OfferForSeller) -> Offer:
        return cls.of(seen.offer, seen.converted)

    @strawberry.field
    async def buyer(self, info: Info) -> Institution:
        return await institution(info, self.record.buyer)

    @strawberry.field
    async def listing(self, info: Info) -> Listing | None:
        record = await info.context.loaders.trading.listings.load(self.record.listing_id)
        return Listing.of(record) if record is not None else None


@strawberry.type(description="A catalogue item offered for sale or for a loan, with its asking price.")
class Listing(Node):
    record: strawberry.Private[ListingRecord]
    kind: ListingKind  # type: ignore[valid-type]
    status: ListingStatus  # type: ignore[valid-type]
    asking_price: Money
    loan: LoanTerms | None = strawberry.field(description="The loan's terms, for a LOAN listing.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, record: ListingRecord) -> Listing:
        return cls(
            id=global_id(LISTING, record.id),
            record=record,
            kind=record.kind,
            status=record.status,
            asking_price=Money.of(record.asking_price),
            loan=LoanTerms.of(record.loan) if record.loan is not None else None,
            created_at=record.created_at,
            updated_at=record.updated_at,
        )

    @strawberry.field(description="The listed item; null once the partner deleted it.")
    async def item(self, info: Info) -> CatalogueItem | None:
        row = await info.context.loaders.catalogue.items.load(self.record.item_id)
        return item_from_row(row) if row is not None else None

    @strawberry.field(description="The institution that lists it (the seller or lender).")
    async def institution(self, info: Info) -> Institution:
        return await institution(info, self.record.seller)

    @strawberry.field(
        description="The seller (trade:read) sees every offer, converted into its currency with the rates used; "
        "another institution sees its own offers; anybody else none."
    )
    async def offers(self, info: Info) -> list[Offer]:
        principal = info.context.principal
        trading = info.context.hub.trading
        if principal.may(TRADE_READ, institution=self.record.seller):
            with domain_errors(info.context.accept_languages):
                seen = await trading.offers_for_seller(principal, self.record.id)
            return [Offer.for_seller(one) for one in seen]
        if principal.has_scope(TRADE_READ) and principal.institution is not None:
            return [Offer.of(record) for record in await trading.own_offers(principal, self.record.id)]
        return []
