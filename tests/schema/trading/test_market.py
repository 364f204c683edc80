"""An end-to-end sale through GraphQL, a token per party: TWMM lists a sancai horse in CNY, a French museum
offers in EUR and a Dubai gallery in AED; TWMM sees both in CNY with the rates and their dates, accepts the
French offer; the other is declined, the listing closes, the payment is held in escrow, a transfer exists; the
parties hear every step over `transferUpdates`, and nobody else does."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import httpx

from hub.app import Hub
from tests import records
from tests.auth_support import bearer, mint_token
from tests.schema.trading.support import (
    done,
    in_hours,
    item_global_id,
    listening,
    money,
    mutate,
    offer_on,
    open_market,
    receive,
    trader_tokens,
)
from tests.support import LiveServer, graphql

SET_RATE = "mutation($input: SetFxRateInput!) { setFxRate(input: $input) { errors { code } } }"
UPDATES = """subscription { transferUpdates { transferId state
  transfer { id state buyer { code } seller { code } price { amount currency } } } }"""
ITEM = """query($id: ID!) { item(id: $id) { sourceId
  listing { id status askingPrice { amount currency formatted(locale: "zh-CN") } institution { code } } } }"""
OFFERS = """query($id: ID!) { listing(id: $id) { status offers {
  buyer { code } status amount { amount currency }
  inSellerCurrency { amount { amount currency } rate rateDate path rates { base quote rate source } } } } }"""
TRANSFER = """query($id: ID!) { transfer(id: $id) {
  state kind originCountry destinationCountry price { amount currency } seller { code } buyer { code }
  item { sourceId } listing { status } escrow { state amount { amount currency } } } }"""
BALANCES = "{ escrowBalances { currency held { amount } returned { amount } } }"


async def heard(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    message = await receive(ws)
    assert message["type"] == "next", message
    assert "errors" not in message["payload"], message
    update: dict[str, Any] = message["payload"]["data"]["transferUpdates"]
    return update


async def heard_nothing(ws: aiohttp.ClientWebSocketResponse) -> None:
    """Nothing came before the answer to a ping sent now (after the parties heard everything)."""
    await asyncio.sleep(0.2)
    await ws.send_json({"type": "ping"})
    assert await receive(ws) == {"type": "pong"}


async def set_rates_as_operator(hub: Hub, client: httpx.AsyncClient) -> None:
    admin = await mint_token(hub, "hub:admin", client_id="ops-console")
    for base, quote, rate in (("EUR", "CNY", "7.8123"), ("EUR", "USD", "1.0850"), ("USD", "AED", "3.6725")):
        input = {"base": base, "quote": quote, "rate": rate, "source": "ECB", "validFrom": "2026-01-02T15:00:00Z"}
        body = await graphql(client, SET_RATE, {"input": input}, **bearer(admin))
        assert body["data"]["setFxRate"]["errors"] == []


async def test_market_sale_from_listing_to_held_escrow_heard_only_by_the_parties(
    hub: Hub, client: httpx.AsyncClient, live_hub: LiveServer
) -> None:
    await open_market(hub, rates=False)
    await set_rates_as_operator(hub, client)
    tokens = await trader_tokens(hub)
    twmm, mnaa, dxbg = tokens["TWMM"], tokens["MNAA"], tokens["DXBG"]
    horse = await item_global_id(hub, records.SANCAI_HORSE.source_id)

    async with listening(hub, live_hub, tokens, UPDATES) as sockets:
        listed = await done(client, "createListing", {"itemId": horse, "askingPrice": money("880000", "CNY")}, twmm)
        listing = listed["listing"]["id"]
        assert listed["listing"]["status"] == "OPEN"
        item = (await graphql(client, ITEM, {"id": horse}))["data"]["item"]
        assert item["listing"] == {
            "id": listing,
            "status": "OPEN",
            "askingPrice": {"amount": "880000.00", "currency": "CNY", "formatted": "¥880,000.00"},
            "institution": {"code": "TWMM"},
        }

        french = await offer_on(client, listing, mnaa, "105000", "EUR")
        dubai = await offer_on(client, listing, dxbg, "450000", "AED")

        seen = (await graphql(client, OFFERS, {"id": listing}, **bearer(twmm)))["data"]["listing"]["offers"]
        assert [(o["buyer"]["code"], o["amount"], o["status"]) for o in seen] == [
            ("MNAA", money("105000.00", "EUR"), "OPEN"),
            ("DXBG", money("450000.00", "AED"), "OPEN"),
        ]
        in_cny = [o["inSellerCurrency"] for o in seen]
        assert in_cny[0]["amount"] == money("820291.50", "CNY")
        assert (in_cny[0]["rate"], in_cny[0]["path"]) == ("7.8123", ["EUR", "CNY"])
        assert in_cny[0]["rateDate"] == "2026-01-02T15:00:00+00:00"
        assert in_cny[1]["amount"] == money("882266.69", "CNY")
        assert in_cny[1]["path"] == ["AED", "USD", "EUR", "CNY"]
        assert [(r["base"], r["quote"], r["rate"]) for r in in_cny[1]["rates"]] == [
            ("USD", "AED", "3.6725"),
            ("EUR", "USD", "1.0850"),
            ("EUR", "CNY", "7.8123"),
        ]
        own = (await graphql(client, OFFERS, {"id": listing}, **bearer(mnaa)))["data"]["listing"]["offers"]
        assert [(o["buyer"]["code"], o["inSellerCurrency"]) for o in own] == [("MNAA", None)]

        accepted = await done(client, "acceptOffer", {"offerId": french}, twmm)
        assert accepted["offer"] == {"id": french, "status": "ACCEPTED"}
        assert accepted["listing"] == {"id": listing, "status": "CLOSED"}
        assert accepted["declinedOfferIds"] == [dubai]
        transfer = accepted["transfer"]
        assert transfer["state"] == "AWAITING_EXPORT_LICENCE"
        assert transfer["price"] == money("105000.00", "EUR")
        assert (transfer["seller"], transfer["buyer"]) == ({"code": "TWMM"}, {"code": "MNAA"})
        assert transfer["escrow"] == {"state": "HELD"}

        for party in ("TWMM", "MNAA"):
            update = await heard(sockets[party])
            assert (update["transferId"], update["state"]) == (transfer["id"], "AWAITING_EXPORT_LICENCE")
            assert update["transfer"]["buyer"] == {"code": "MNAA"}

        declined = (await graphql(client, OFFERS, {"id": listing}, **bearer(dxbg)))["data"]["listing"]["offers"]
        assert [o["status"] for o in declined] == ["DECLINED"]
        late = await mutate(
            client, "placeOffer", {"listingId": listing, "amount": money("1", "AED"), "expiresAt": in_hours(1)}, dxbg
        )
        assert [e["code"] for e in late["errors"]] == ["LISTING_NOT_OPEN"]
        assert (await graphql(client, BALANCES, **bearer(mnaa)))["data"]["escrowBalances"] == [
            {"currency": "EUR", "held": {"amount": "105000.00"}, "returned": {"amount": "0.00"}}
        ]
        as_party = await graphql(client, TRANSFER, {"id": transfer["id"]}, **bearer(mnaa))
        assert as_party["data"]["transfer"] == {
            "state": "AWAITING_EXPORT_LICENCE",
            "kind": "SALE",
            "originCountry": "CN",
            "destinationCountry": "FR",
            "price": money("105000.00", "EUR"),
            "seller": {"code": "TWMM"},
            "buyer": {"code": "MNAA"},
            "item": {"sourceId": records.SANCAI_HORSE.source_id},
            "listing": {"status": "CLOSED"},
            "escrow": {"state": "HELD", "amount": money("105000.00", "EUR")},
        }
        for outsider in (dxbg, tokens["NLC"]):
            assert (await graphql(client, TRANSFER, {"id": transfer["id"]}, **bearer(outsider)))["data"] == {
                "transfer": None
            }

        cancelled = await done(client, "cancelTransfer", {"transferId": transfer["id"]}, mnaa)
        assert cancelled["transfer"] == {"id": transfer["id"], "state": "CANCELLED", "escrow": {"state": "RETURNED"}}
        for party in ("TWMM", "MNAA"):
            assert (await heard(sockets[party]))["state"] == "CANCELLED"
        for outsider in ("DXBG", "NLC"):
            await heard_nothing(sockets[outsider])
    assert (await graphql(client, BALANCES, **bearer(mnaa)))["data"]["escrowBalances"] == [
        {"currency": "EUR", "held": {"amount": "0.00"}, "returned": {"amount": "105000.00"}}
    ]
