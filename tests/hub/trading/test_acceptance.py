from __future__ import annotations

from hub.app import Hub
from hub.money.escrow import EscrowState, escrow_for
from hub.trading.states import ListingStatus, OfferStatus, TransferStatus
from tests.hub.trading.conftest import LAD_TRADER, MNAA_TRADER, TWMM_TRADER, item_id, offer, sale


async def test_accept_offer_closes_the_listing_declines_the_rest_and_holds_the_escrow(market: Hub) -> None:
    trading = market.trading
    horse = await item_id(market, "TW-0001")
    listed = await trading.create_listing(TWMM_TRADER, sale(horse))
    euros = await trading.place_offer(MNAA_TRADER, offer(listed.listing.id, "110000", "EUR"))
    dirhams = await trading.place_offer(LAD_TRADER, offer(listed.listing.id, "450000", "AED"))
    accepted = await trading.accept_offer(TWMM_TRADER, euros.offer.id)
    assert accepted.listing.status is ListingStatus.CLOSED
    assert accepted.offer.status is OfferStatus.ACCEPTED
    assert accepted.declined_offer_ids == (dirhams.offer.id,)
    transfer = accepted.transfer
    assert (transfer.seller, transfer.buyer, str(transfer.price)) == ("TWMM", "MNAA", "110000.00 EUR")
    assert (transfer.origin_country, transfer.destination_country) == ("CN", "FR")
    assert transfer.status is TransferStatus.AWAITING_EXPORT_LICENCE
    async with market.sessions() as session:
        held = await escrow_for(session, f"transfer:{transfer.id}")
    assert held is not None and held.state is EscrowState.HELD and str(held.amount) == "110000.00 EUR"
