"""`withdrawListing`: the seller takes its open listing back; the open offers on it are declined."""

from __future__ import annotations

import strawberry

from hub.trading.records import ListingOutcome
from schema.core.context import Info
from schema.core.mutation import MutationPayload, run_mutation
from schema.trading.ids import LISTING, input_key
from schema.trading.types import Listing


@strawberry.input
class WithdrawListingInput:
    listing_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.type
class WithdrawListingPayload(MutationPayload):
    listing: Listing | None = None


async def withdraw_listing(info: Info, input: WithdrawListingInput) -> WithdrawListingPayload:
    async def present(outcome: ListingOutcome) -> WithdrawListingPayload:
        return WithdrawListingPayload(listing=Listing.of(outcome.listing))

    async def call() -> ListingOutcome:
        listing_id = input_key(str(input.listing_id), LISTING, "listing_id")
        return await info.context.hub.trading.withdraw_listing(
            info.context.principal, listing_id, input.idempotency_key
        )

    return await run_mutation(WithdrawListingPayload, call(), present)
