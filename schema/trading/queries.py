"""Trading queries: listings (public, like the catalogue), transfers (their parties and regulators)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from hub.auth.scopes import AUDIT_READ, CUSTOMS_CLEAR, LICENCE_ISSUE, TRADE_READ
from hub.trading.inputs import ListingFilter as DomainListingFilter
from hub.trading.inputs import PriceRange, TransferFilter
from hub.trading.states import ListingStatus as DomainListingStatus
from schema.core.context import Info
from schema.core.errors import bad_argument, domain_errors
from schema.core.ids import item_pk
from schema.core.permissions import requires_any
from schema.trading.connections import ListingConnection, TransferConnection
from schema.trading.ids import LISTING, TRANSFER, decoded_key
from schema.trading.transfer_types import Transfer, TransferState
from schema.trading.types import Listing, ListingKind, ListingStatus

if TYPE_CHECKING:
    from schema.clearance.types import ClearanceQueue

TRANSFER_READERS = (TRADE_READ, LICENCE_ISSUE, CUSTOMS_CLEAR, AUDIT_READ)


@strawberry.input(
    description="Asking prices between `minimum` and `maximum`, converted into `currency` at the "
    "rates valid now; a listing whose currency no rate links to `currency` is left out."
)
class PriceRangeInput:
    currency: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None


@strawberry.input(description="Filters of `listings`; they combine with AND.")
class ListingFilter:
    institution: str | None = strawberry.field(default=None, description="The listing institution's code.")
    kind: ListingKind | None = None  # type: ignore[valid-type]
    status: ListingStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=DomainListingStatus.OPEN, description="Default OPEN; null for every status."
    )
    currency: str | None = strawberry.field(default=None, description="Only listings asking in this currency.")
    price: PriceRangeInput | None = None
    item_id: strawberry.ID | None = None

    def to_domain(self) -> DomainListingFilter:
        price = None
        if self.price is not None:
            price = PriceRange(self.price.currency, self.price.minimum, self.price.maximum)
        item = None
        if self.item_id is not None:
            item = item_pk(str(self.item_id), "filter.item_id")
            if item is None:
                raise bad_argument("filter.item_id", f"{self.item_id!r} is not the id of a catalogue item")
        return DomainListingFilter(self.institution, self.kind, self.status, self.currency, price, item)


@strawberry.type
class TradingQuery:
    @strawberry.field(description="Listings, newest first (open ones unless `filter.status` says otherwise).")
    async def listings(
        self, info: Info, filter: ListingFilter | None = None, first: int | None = None, after: str | None = None
    ) -> ListingConnection:
        with domain_errors(info.context.accept_languages):
            filters = (filter or ListingFilter()).to_domain()
            page = await info.context.hub.trading.listings(filters, first, after)
        return ListingConnection.of(page, after)

    @strawberry.field(description="One listing by its id, in any state.")
    async def listing(self, info: Info, id: strawberry.ID) -> Listing | None:
        key = decoded_key(str(id), LISTING)
        record = await info.context.loaders.trading.listings.load(key) if key is not None else None
        return Listing.of(record) if record is not None else None

    @strawberry.field(
        description="One transfer, if the token may see it (a party, or a regulator of its origin or destination).",
        permission_classes=[requires_any(*TRANSFER_READERS)],
    )
    async def transfer(self, info: Info, id: strawberry.ID) -> Transfer | None:
        key = decoded_key(str(id), TRANSFER)
        record = await info.context.hub.trading.transfer(info.context.principal, key) if key is not None else None
        return Transfer.of(record) if record is not None else None

    @strawberry.field(
        description="The transfers the token may see, newest first; `institution` keeps those it is a party to. "
        "`clearance` (regulators and customs: licence:issue, customs:clear, audit:read) keeps those of the token's "
        "jurisdiction awaiting its decision, held, or cleared by it, as `clearanceQueue` does.",
        permission_classes=[requires_any(*TRANSFER_READERS)],
    )
    async def transfers(
        self,
        info: Info,
        state: TransferState | None = None,  # type: ignore[valid-type]
        institution: str | None = None,
        clearance: Annotated[ClearanceQueue, strawberry.lazy("schema.clearance.types")] | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> TransferConnection:
        if clearance is not None:
            if state is not None or institution is not None:
                raise bad_argument("clearance", "clearance cannot be combined with state or institution")
            from schema.clearance.queries import clearance_queue_page  # clearance's types refer to transfers

            return await clearance_queue_page(info, clearance, first, after)
        filters = TransferFilter(status=state, institution=institution)
        with domain_errors(info.context.accept_languages):
            page = await info.context.hub.trading.transfers(info.context.principal, filters, first, after)
        return TransferConnection.of(page, after)
