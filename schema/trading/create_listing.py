"""`createListing`: an institution lists one of its catalogue items for sale or for a loan."""

from __future__ import annotations

import strawberry

from hub.trading.inputs import ListingInput
from hub.trading.records import ListingOutcome
from hub.trading.states import ListingKind as DomainListingKind
from schema.core.context import Info
from schema.core.mutation import MutationPayload, run_mutation
from schema.money.types import MoneyInput
from schema.trading.ids import CATALOGUE_ITEM, input_key
from schema.trading.inputs import LoanTermsInput, domain_money
from schema.trading.types import Listing, ListingKind


@strawberry.input
class CreateListingInput:
    item_id: strawberry.ID = strawberry.field(description="A catalogue item of the token's institution.")
    asking_price: MoneyInput
    kind: ListingKind = DomainListingKind.SALE  # type: ignore[valid-type]
    loan: LoanTermsInput | None = strawberry.field(default=None, description="Required for a LOAN, else absent.")
    idempotency_key: str | None = None


@strawberry.type
class CreateListingPayload(MutationPayload):
    listing: Listing | None = None


async def create_listing(info: Info, input: CreateListingInput) -> CreateListingPayload:
    async def present(outcome: ListingOutcome) -> CreateListingPayload:
        return CreateListingPayload(listing=Listing.of(outcome.listing))

    async def call() -> ListingOutcome:
        data = ListingInput(
            item_id=input_key(str(input.item_id), CATALOGUE_ITEM, "item_id"),
            kind=DomainListingKind(input.kind),
            asking_price=domain_money(input.asking_price, "asking_price"),
            loan=input.loan.to_domain() if input.loan is not None else None,
        )
        return await info.context.hub.trading.create_listing(info.context.principal, data, input.idempotency_key)

    return await run_mutation(CreateListingPayload, call(), present)
