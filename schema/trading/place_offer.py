"""`placeOffer`: an institution offers on another's open listing, in any supported currency."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.trading.inputs import OfferInput
from hub.trading.records import OfferOutcome
from schema.core.context import Info
from schema.core.mutation import MutationPayload, run_mutation
from schema.money.types import MoneyInput
from schema.trading.ids import LISTING, input_key
from schema.trading.inputs import domain_money
from schema.trading.types import Offer


@strawberry.input
class PlaceOfferInput:
    listing_id: strawberry.ID
    amount: MoneyInput
    expires_at: datetime = strawberry.field(description="With a time zone; within a year.")
    destination_country: str | None = strawberry.field(
        default=None, description="ISO 3166; default: the buyer's country (a loan's: the venue's)."
    )
    idempotency_key: str | None = None


@strawberry.type
class PlaceOfferPayload(MutationPayload):
    offer: Offer | None = None


async def place_offer(info: Info, input: PlaceOfferInput) -> PlaceOfferPayload:
    async def present(outcome: OfferOutcome) -> PlaceOfferPayload:
        return PlaceOfferPayload(offer=Offer.of(outcome.offer))

    async def call() -> OfferOutcome:
        data = OfferInput(
            listing_id=input_key(str(input.listing_id), LISTING, "listing_id"),
            amount=domain_money(input.amount, "amount"),
            expires_at=input.expires_at,
            destination_country=input.destination_country,
        )
        return await info.context.hub.trading.place_offer(info.context.principal, data, input.idempotency_key)

    return await run_mutation(PlaceOfferPayload, call(), present)
