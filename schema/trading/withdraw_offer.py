"""`withdrawOffer`: the buyer takes back its open offer."""

from __future__ import annotations

import strawberry

from hub.trading.records import OfferOutcome
from schema.core.context import Info
from schema.core.mutation import MutationPayload, run_mutation
from schema.trading.ids import OFFER, input_key
from schema.trading.types import Offer


@strawberry.input
class WithdrawOfferInput:
    offer_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.type
class WithdrawOfferPayload(MutationPayload):
    offer: Offer | None = None


async def withdraw_offer(info: Info, input: WithdrawOfferInput) -> WithdrawOfferPayload:
    async def present(outcome: OfferOutcome) -> WithdrawOfferPayload:
        return WithdrawOfferPayload(offer=Offer.of(outcome.offer))

    async def call() -> OfferOutcome:
        offer_id = input_key(str(input.offer_id), OFFER, "offer_id")
        return await info.context.hub.trading.withdraw_offer(info.context.principal, offer_id, input.idempotency_key)

    return await run_mutation(WithdrawOfferPayload, call(), present)
