"""`listings` with its filters and Relay paging, the item's `listing`, and `transfers` for whoever may see them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from hub.app import Hub
from tests import records
from tests.auth_support import bearer, mint_token
from tests.schema.trading.support import (
    done,
    item_global_id,
    list_horse,
    money,
    offer_on,
    open_market,
    trader_tokens,
)
from tests.support import graphql

LISTINGS = """query($filter: ListingFilter, $first: Int, $after: String) {
  listings(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { kind status askingPrice { amount currency } item { sourceId } institution { code }
      loan { exhibition venueCountry returnDate loanFee { amount currency } } } } } }"""
ITEM_LISTING = "query($id: ID!) { item(id: $id) { listing { status } } }"
TRANSFERS = """query($first: Int, $after: String) { transfers(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage } edges { node { buyer { code } state } } } }"""


async def sources(client: httpx.AsyncClient, **variables: Any) -> list[str]:
    body = await graphql(client, LISTINGS, variables)
    assert "errors" not in body, body
    return [edge["node"]["item"]["sourceId"] for edge in body["data"]["listings"]["edges"]]


async def test_listings_filter_page_and_show_on_the_item(hub: Hub, client: httpx.AsyncClient) -> None:
    await open_market(hub)
    tokens = await trader_tokens(hub)
    twmm = tokens["TWMM"]
    coin, mirror, book = [
        await item_global_id(hub, record.source_id)
        for record in (records.KAIYUAN_COIN, records.HAN_MIRROR, records.SOGDIAN_BOOK)
    ]
    await list_horse(client, hub, twmm)
    await done(client, "createListing", {"itemId": coin, "askingPrice": money("1200", "USD")}, twmm)
    loan = {
        "exhibition": "Splendours of the Tang",
        "venueCountry": "fr",
        "loanFee": money("5000", "EUR"),
        "returnDate": (date.today() + timedelta(days=400)).isoformat(),
    }
    lent = {"itemId": mirror, "askingPrice": money("36000", "CNY"), "kind": "LOAN", "loan": loan}
    await done(client, "createListing", lent, twmm)
    sold_book = await done(
        client, "createListing", {"itemId": book, "askingPrice": money("9000", "EUR")}, tokens["NLC"]
    )
    newest_first = [
        record.source_id
        for record in (records.SOGDIAN_BOOK, records.HAN_MIRROR, records.KAIYUAN_COIN, records.SANCAI_HORSE)
    ]

    first = (await graphql(client, LISTINGS, {"first": 3}))["data"]["listings"]
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"]
    rest = await graphql(client, LISTINGS, {"first": 3, "after": first["pageInfo"]["endCursor"]})
    assert [e["node"]["item"]["sourceId"] for e in first["edges"] + rest["data"]["listings"]["edges"]] == newest_first
    assert not rest["data"]["listings"]["pageInfo"]["hasNextPage"]

    assert await sources(client, filter={"institution": "nlc"}) == newest_first[:1]
    assert await sources(client, filter={"currency": "USD"}) == ["TW-0002"]
    [loaned] = (await graphql(client, LISTINGS, {"filter": {"kind": "LOAN"}}))["data"]["listings"]["edges"]
    assert loaned["node"]["loan"] == {
        "exhibition": "Splendours of the Tang",
        "venueCountry": "FR",
        "returnDate": loan["returnDate"],
        "loanFee": money("5000.00", "EUR"),
    }
    # 880000 CNY is about 112,600 EUR, over the range; 36000 CNY about 4,600 EUR and 1200 USD about 1,100 EUR in it
    in_range = {"price": {"currency": "EUR", "minimum": "1000", "maximum": "100000"}}
    assert await sources(client, filter=in_range) == ["NLC-0001", "TW-0003", "TW-0002"]

    assert (await graphql(client, ITEM_LISTING, {"id": book}))["data"]["item"]["listing"] == {"status": "OPEN"}
    await done(client, "withdrawListing", {"listingId": sold_book["listing"]["id"]}, tokens["NLC"])
    assert (await graphql(client, ITEM_LISTING, {"id": book}))["data"]["item"]["listing"] is None
    assert "NLC-0001" not in await sources(client)
    assert await sources(client, filter={"status": "WITHDRAWN"}) == ["NLC-0001"]

    bad = await graphql(client, LISTINGS, {"filter": {"currency": "XAU"}})
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert bad["errors"][0]["extensions"]["field"] == "filter.currency"


async def test_transfers_are_seen_by_the_parties_and_the_regulators_of_their_countries(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    await open_market(hub)
    tokens = await trader_tokens(hub)
    listing = await list_horse(client, hub, tokens["TWMM"])
    offer = await offer_on(client, listing, tokens["MNAA"], "105000", "EUR")
    transfer = (await done(client, "acceptOffer", {"offerId": offer}, tokens["TWMM"]))["transfer"]["id"]

    async def seen(token: str | None) -> Any:
        body = await graphql(client, TRANSFERS, {"first": 1}, **(bearer(token) if token else {}))
        return body["data"]["transfers"]["totalCount"] if body["data"] else body["errors"][0]["extensions"]

    regulators = {
        country: await mint_token(hub, "audit:read customs:clear licence:issue", jurisdiction=country)
        for country in ("CN", "FR", "AE")
    }
    assert [await seen(tokens[code]) for code in ("TWMM", "MNAA", "DXBG")] == [1, 1, 0]
    assert [await seen(regulators[country]) for country in ("CN", "FR", "AE")] == [1, 1, 0]
    assert await seen(None) == {"code": "FORBIDDEN", "scope": "trade:read licence:issue customs:clear audit:read"}
    body = await graphql(client, TRANSFERS, {"first": 1}, **bearer(tokens["MNAA"]))
    assert body["data"]["transfers"]["edges"] == [
        {"node": {"buyer": {"code": "MNAA"}, "state": "AWAITING_EXPORT_LICENCE"}}
    ]

    node = """query($id: ID!) { node(id: $id) { id
      ... on Transfer { state } ... on Listing { status } ... on Offer { offerStatus: status buyer { code } } } }"""
    as_party = await graphql(client, node, {"id": transfer}, **bearer(tokens["MNAA"]))
    assert as_party["data"]["node"] == {"id": transfer, "state": "AWAITING_EXPORT_LICENCE"}
    assert (await graphql(client, node, {"id": transfer}, **bearer(tokens["DXBG"])))["data"]["node"] is None
    assert (await graphql(client, node, {"id": listing}))["data"]["node"] == {"id": listing, "status": "CLOSED"}
    for reader in ("MNAA", "TWMM"):
        seen = (await graphql(client, node, {"id": offer}, **bearer(tokens[reader])))["data"]["node"]
        assert seen == {"id": offer, "offerStatus": "ACCEPTED", "buyer": {"code": "MNAA"}}
    assert (await graphql(client, node, {"id": offer}, **bearer(tokens["DXBG"])))["data"]["node"] is None
