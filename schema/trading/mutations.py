"""The trading mutations, one module each; `trade:write` is checked before any work, the token's institution
by the service."""

from __future__ import annotations

import strawberry

from hub.auth.scopes import TRADE_WRITE
from schema.core.permissions import requires
from schema.trading.accept_offer import accept_offer
from schema.trading.cancel_transfer import cancel_transfer
from schema.trading.create_listing import create_listing
from schema.trading.place_offer import place_offer
from schema.trading.withdraw_listing import withdraw_listing
from schema.trading.withdraw_offer import withdraw_offer

TRADER = [requires(TRADE_WRITE)]


@strawberry.type
class TradingMutation:
    create_listing = strawberry.mutation(
        resolver=create_listing,
        permission_classes=TRADER,
        description="Lists an item of the token's institution for sale or for a loan; one open listing per item.",
    )
    withdraw_listing = strawberry.mutation(
        resolver=withdraw_listing, permission_classes=TRADER, description="Withdraws an open listing of one's own."
    )
    place_offer = strawberry.mutation(
        resolver=place_offer, permission_classes=TRADER, description="Offers on another institution's open listing."
    )
    withdraw_offer = strawberry.mutation(
        resolver=withdraw_offer, permission_classes=TRADER, description="Withdraws an open offer of one's own."
    )
    accept_offer = strawberry.mutation(
        resolver=accept_offer,
        permission_classes=TRADER,
        description="Accepts an offer on one's own listing: closes it, declines the others, begins the transfer "
        "and holds the buyer's payment in escrow.",
    )
    cancel_transfer = strawberry.mutation(
        resolver=cancel_transfer,
        permission_classes=TRADER,
        description="Either party cancels a transfer before the goods ship; the escrow returns to the buyer.",
    )
