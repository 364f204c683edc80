"""`acceptOffer`: the seller accepts one open offer: the listing closes, the other offers are declined, the
transfer begins and the buyer's payment is held in escrow, all at once. Exactly one offer per listing is
ever accepted."""

from __future__ import annotations

import strawberry

from hub.trading.records import AcceptanceOutcome
from schema.core.context import Info
from schema.core.mutation import MutationPayload, run_mutation
from schema.trading.ids import OFFER, global_id, input_key
from schema.trading.transfer_types import Transfer
from schema.trading.types import Listing, Offer


@strawberry.input
class AcceptOfferInput:
    offer_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.type
class AcceptOfferPayload(MutationPayload):
    offer: Offer | None = None
    listing: Listing | None = strawberry.field(default=None, description="Now CLOSED.")
    transfer: Transfer | None = None
    declined_offer_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The listing's other open offers, declined by this acceptance."
    )


async def accept_offer(info: Info, input: AcceptOfferInput) -> AcceptOfferPayload:
    async def present(outcome: AcceptanceOutcome) -> AcceptOfferPayload:
        return AcceptOfferPayload(
            offer=Offer.of(outcome.offer),
            listing=Listing.of(outcome.listing),
            transfer=Transfer.of(outcome.transfer),
            declined_offer_ids=[global_id(OFFER, key) for key in outcome.declined_offer_ids],
        )

    async def call() -> AcceptanceOutcome:
        offer_id = input_key(str(input.offer_id), OFFER, "offer_id")
        return await info.context.hub.trading.accept_offer(info.context.principal, offer_id, input.idempotency_key)

    return await run_mutation(AcceptOfferPayload, call(), present)
