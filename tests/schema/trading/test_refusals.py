"""Each trading mutation's bad inputs through GraphQL: a payload error with a stable code naming the field, and
every table exactly as it was (compared row by row before and after)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from hub.app import Hub
from tests.auth_support import bearer, mint_token
from tests.schema.trading.market_state import MarketState, market_state
from tests.schema.trading.support import in_hours, money, mutate, mutation
from tests.support import graphql
from tests.table_snapshot import changed_tables, table_snapshot

Case = tuple[str, str, Callable[[MarketState], dict[str, Any]], str, str | None]
"""(what, who, input from the market's state, expected code, expected field)"""


def offer_input(state: MarketState, **change: Any) -> dict[str, Any]:
    return {"listingId": state.listing, "amount": money("99000", "EUR"), "expiresAt": in_hours(24)} | change


CASES: dict[str, list[Case]] = {
    "createListing": [
        (
            "another's item",
            "TWMM",
            lambda s: {"itemId": s.book, "askingPrice": money("10", "CNY")},
            "NOT_OWN_ITEM",
            "itemId",
        ),
        (
            "listed already",
            "TWMM",
            lambda s: {"itemId": s.horse, "askingPrice": money("10", "CNY")},
            "ITEM_ALREADY_LISTED",
            "itemId",
        ),
        (
            "not an item id",
            "TWMM",
            lambda s: {"itemId": s.listing, "askingPrice": money("10", "CNY")},
            "NOT_FOUND",
            "itemId",
        ),
        (
            "unknown currency",
            "TWMM",
            lambda s: {"itemId": s.mirror, "askingPrice": money("10", "XAU")},
            "UNSUPPORTED_CURRENCY",
            "askingPrice.currency",
        ),
        (
            "negative",
            "TWMM",
            lambda s: {"itemId": s.mirror, "askingPrice": money("-10", "CNY")},
            "NEGATIVE_AMOUNT",
            "askingPrice.amount",
        ),
        (
            "over-precise",
            "TWMM",
            lambda s: {"itemId": s.mirror, "askingPrice": money("10.001", "CNY")},
            "TOO_PRECISE",
            "askingPrice.amount",
        ),
        (
            "yen cents",
            "TWMM",
            lambda s: {"itemId": s.mirror, "askingPrice": money("10.5", "JPY")},
            "TOO_PRECISE",
            "askingPrice.amount",
        ),
        (
            "loan without terms",
            "TWMM",
            lambda s: {"itemId": s.mirror, "askingPrice": money("10", "CNY"), "kind": "LOAN"},
            "INVALID_LOAN_TERMS",
            "loan",
        ),
        (
            "no institution",
            "NOBODY",
            lambda s: {"itemId": s.mirror, "askingPrice": money("10", "CNY")},
            "FORBIDDEN",
            "institution",
        ),
    ],
    "withdrawListing": [
        ("another's listing", "MNAA", lambda s: {"listingId": s.listing}, "NOT_OWN_LISTING", "listingId"),
        ("withdrawn already", "TWMM", lambda s: {"listingId": s.withdrawn_listing}, "LISTING_NOT_OPEN", "listingId"),
        ("not a listing id", "TWMM", lambda s: {"listingId": s.open_offer}, "NOT_FOUND", "listingId"),
        ("no institution", "NOBODY", lambda s: {"listingId": s.listing}, "FORBIDDEN", "institution"),
    ],
    "placeOffer": [
        ("own listing", "TWMM", offer_input, "OWN_LISTING", "listingId"),
        (
            "withdrawn listing",
            "DXBG",
            lambda s: offer_input(s, listingId=s.withdrawn_listing),
            "LISTING_NOT_OPEN",
            "listingId",
        ),
        (
            "unknown currency",
            "DXBG",
            lambda s: offer_input(s, amount=money("10", "BTC")),
            "UNSUPPORTED_CURRENCY",
            "amount.currency",
        ),
        ("negative", "DXBG", lambda s: offer_input(s, amount=money("-10", "AED")), "NEGATIVE_AMOUNT", "amount.amount"),
        (
            "over-precise",
            "DXBG",
            lambda s: offer_input(s, amount=money("10.0001", "KWD")),
            "TOO_PRECISE",
            "amount.amount",
        ),
        ("expiry past", "DXBG", lambda s: offer_input(s, expiresAt=in_hours(-1)), "INVALID_EXPIRY", "expiresAt"),
        (
            "no country",
            "DXBG",
            lambda s: offer_input(s, destinationCountry="Emirates"),
            "INVALID_COUNTRY",
            "destinationCountry",
        ),
        ("no institution", "NOBODY", offer_input, "FORBIDDEN", "institution"),
    ],
    "withdrawOffer": [
        ("another's offer", "DXBG", lambda s: {"offerId": s.open_offer}, "NOT_OWN_OFFER", "offerId"),
        ("withdrawn already", "DXBG", lambda s: {"offerId": s.withdrawn_offer}, "OFFER_NOT_OPEN", "offerId"),
        ("not an offer id", "DXBG", lambda s: {"offerId": s.listing}, "NOT_FOUND", "offerId"),
    ],
    "acceptOffer": [
        ("on another's listing", "MNAA", lambda s: {"offerId": s.open_offer}, "NOT_OWN_LISTING", "offerId"),
        ("expired", "TWMM", lambda s: {"offerId": s.expired_offer}, "OFFER_EXPIRED", "offerId"),
        ("withdrawn", "TWMM", lambda s: {"offerId": s.withdrawn_offer}, "OFFER_NOT_OPEN", "offerId"),
        ("no institution", "NOBODY", lambda s: {"offerId": s.open_offer}, "FORBIDDEN", "institution"),
    ],
    "cancelTransfer": [
        ("not a party", "DXBG", lambda s: {"transferId": s.cancelled_transfer}, "NOT_A_PARTY", "transferId"),
        (
            "cancelled already",
            "MNAA",
            lambda s: {"transferId": s.cancelled_transfer},
            "TRANSFER_NOT_CANCELLABLE",
            "transferId",
        ),
        ("not a transfer id", "MNAA", lambda s: {"transferId": s.listing}, "NOT_FOUND", "transferId"),
    ],
}


async def token_of(hub: Hub, state: MarketState, who: str) -> str:
    if who == "NOBODY":
        return await mint_token(hub, "trade:read trade:write", client_id="no-institution-app")
    return state.tokens[who]


@pytest.mark.parametrize("operation", list(CASES))
async def test_refusals_of_each_mutation_change_no_table(hub: Hub, client: httpx.AsyncClient, operation: str) -> None:
    state = await market_state(hub, client)
    tokens = {who: await token_of(hub, state, who) for _, who, _, _, _ in CASES[operation]}
    before = await table_snapshot(hub)
    for what, who, make_input, code, field in CASES[operation]:
        payload = await mutate(client, operation, make_input(state), tokens[who])
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)], (what, payload)
        assert payload["errors"][0]["message"], what
        assert all(value is None for key, value in payload.items() if key not in ("errors", "declinedOfferIds"))
        assert changed_tables(before, await table_snapshot(hub)) == [], what


SCOPE_CASES = {
    "createListing": lambda s: {"itemId": s.mirror, "askingPrice": money("10", "CNY")},
    "withdrawListing": lambda s: {"listingId": s.listing},
    "placeOffer": offer_input,
    "withdrawOffer": lambda s: {"offerId": s.open_offer},
    "acceptOffer": lambda s: {"offerId": s.open_offer},
    "cancelTransfer": lambda s: {"transferId": s.cancelled_transfer},
}


async def test_refusals_without_the_trade_write_scope_come_before_any_work(hub: Hub, client: httpx.AsyncClient) -> None:
    state = await market_state(hub, client)
    reader = await mint_token(hub, "trade:read catalogue:write", "TWMM", client_id="twmm-reader")
    before = await table_snapshot(hub)
    for operation, make_input in SCOPE_CASES.items():
        body = await graphql(client, mutation(operation), {"input": make_input(state)}, **bearer(reader))
        assert body["data"] is None, operation
        assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN", "scope": "trade:write"}, operation
    assert changed_tables(before, await table_snapshot(hub)) == []


async def test_refusals_of_a_reused_idempotency_key_with_another_input(hub: Hub, client: httpx.AsyncClient) -> None:
    state = await market_state(hub, client)
    mnaa = state.tokens["MNAA"]
    bid = offer_input(state, idempotencyKey="mnaa-bid-7")
    first = await mutate(client, "placeOffer", bid, mnaa)
    again = await mutate(client, "placeOffer", bid, mnaa)
    assert first["errors"] == [] and again == first
    before = await table_snapshot(hub)
    other = bid | {"amount": money("99500", "EUR")}
    refused = await mutate(client, "placeOffer", other, mnaa)
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("IDEMPOTENCY_KEY_REUSED", "idempotencyKey")]
    assert "mnaa-bid-7" in refused["errors"][0]["message"]
    assert changed_tables(before, await table_snapshot(hub)) == []

    twmm = state.tokens["TWMM"]
    accepted = await mutate(client, "acceptOffer", {"offerId": first["offer"]["id"], "idempotencyKey": "a-1"}, twmm)
    replayed = await mutate(client, "acceptOffer", {"offerId": first["offer"]["id"], "idempotencyKey": "a-1"}, twmm)
    assert accepted["errors"] == [] and replayed == accepted
