"""Exactly one acceptance per listing while accepts, offers and withdrawals race through two hub processes on one
PostgreSQL database: one transfer, one held escrow, balanced books, an intact audit chain."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import aiohttp
import httpx
import pytest
from sqlalchemy import func, select

from hub.app import Hub
from hub.audit.verify import verify_chain
from hub.catalogue.institutions import add_institution
from hub.money.models import EscrowHold
from hub.trading.models import Listing, Offer, Transfer
from tests.auth_support import bearer, mint_token
from tests.conftest import TEST_DATABASE_URL
from tests.hub.money.ledger_checks import unbalanced_transactions
from tests.hub_processes import hub_processes
from tests.schema.trading.support import (
    in_hours,
    list_horse,
    money,
    mutation,
    offer_on,
    open_market,
    receive,
    trader_tokens,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not TEST_DATABASE_URL, reason="two hub processes on one database need PostgreSQL"),
]

MORE_BUYERS = (
    ("KZNM", "National Museum of the Republic of Kazakhstan", "KZ", "kk"),
    ("HERM", "State Hermitage Museum", "RU", "ru"),
)
EXPECTED_REFUSALS = {"LISTING_NOT_OPEN", "OFFER_NOT_OPEN", "ITEM_IN_TRANSFER"}


async def call(http: httpx.AsyncClient, url: str, name: str, input: dict[str, Any], token: str) -> dict[str, Any]:
    response = await http.post(
        f"{url}/graphql", json={"query": mutation(name), "variables": {"input": input}}, headers=bearer(token)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"][name]
    return payload


async def subscribed(sockets: aiohttp.ClientSession, url: str, token: str) -> aiohttp.ClientWebSocketResponse:
    ws = await sockets.ws_connect(f"{url}/graphql", protocols=["graphql-transport-ws"])
    await ws.send_json({"type": "connection_init", "payload": bearer(token)})
    assert (await receive(ws))["type"] == "connection_ack"
    query = "subscription { transferUpdates { state } }"
    await ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": query}})
    await ws.send_json({"type": "ping"})  # answered after the subscription's task was started
    assert await receive(ws) == {"type": "pong"}
    await asyncio.sleep(0.2)  # ... and had the loop turns it needs to register (no I/O before it does)
    return ws


async def test_concurrency_one_acceptance_per_listing_across_two_hub_processes(
    hub: Hub, client: httpx.AsyncClient, database_url: str
) -> None:
    await open_market(hub)
    async with hub.sessions.begin() as session:
        for code, name, country, lang in MORE_BUYERS:
            await add_institution(session, code, name, country, lang)
    tokens = await trader_tokens(hub)
    for code, *_ in MORE_BUYERS:
        tokens[code] = await mint_token(hub, "trade:read trade:write", code, client_id=f"{code.lower()}-app")
    buyers = ["MNAA", "DXBG", "KZNM", "HERM"]
    listing = await list_horse(client, hub, tokens["TWMM"])
    offers = {
        buyer: [await offer_on(client, listing, tokens[buyer], str(100000 + n), "EUR") for n in range(2)]
        for buyer in buyers
    }
    first_offers = [offer for buyer in buyers for offer in offers[buyer]]
    withdrawable = {buyer: offers[buyer][1] for buyer in buyers}  # each buyer's first offer is never withdrawn

    calls: list[tuple[str, dict[str, Any], str]] = []
    for n, offer in zip(range(24), itertools.cycle(first_offers), strict=False):
        calls.append(("acceptOffer", {"offerId": offer}, "TWMM"))
        buyer = buyers[n % len(buyers)]
        bid = {"listingId": listing, "amount": money(str(200000 + n), "AED"), "expiresAt": in_hours(24)}
        calls.append(("placeOffer", bid, buyer))
        if n < 12:
            calls.append(("withdrawOffer", {"offerId": withdrawable[buyer]}, buyer))
    env = {
        "HUB_DATABASE_URL": database_url,
        "HUB_RATE_LIMIT_GRAPHQL": "1000000/60",
        "HUB_RATE_LIMIT_ANONYMOUS": "1000000/60",
        "HUB_REQUEST_TIMEOUT": "120",  # correctness under load, not speed: a loaded machine may queue a call long
        "HUB_STATEMENT_TIMEOUT": "120",
    }
    async with (
        hub_processes(2, env) as urls,
        httpx.AsyncClient(timeout=60) as http,
        aiohttp.ClientSession() as sockets,
    ):
        seller_sockets = [await subscribed(sockets, url, tokens["TWMM"]) for url in urls]
        answers = await asyncio.gather(
            *(call(http, urls[n % 2], name, input, tokens[who]) for n, (name, input, who) in enumerate(calls))
        )
        # the seller hears the one acceptance on both processes, whichever of them accepted; the hub processes
        # decide with the compliance engine, which blocks the Tang horse from leaving China at acceptance
        for ws in seller_sockets:
            message = await receive(ws)
            assert message["payload"]["data"]["transferUpdates"]["state"] == "BLOCKED"
            await ws.send_json({"type": "ping"})
            assert await receive(ws) == {"type": "pong"}  # and nothing more
    assert len(calls) >= 50
    outcomes = list(zip(calls, answers, strict=True))
    accepted = [a for (name, _, _), a in outcomes if name == "acceptOffer" and not a["errors"]]
    assert len(accepted) == 1, [a["errors"] for (name, _, _), a in outcomes if name == "acceptOffer"]
    refused = {e["code"] for _, a in outcomes for e in a["errors"]}
    assert refused <= EXPECTED_REFUSALS, refused

    transfer = accepted[0]["transfer"]
    assert transfer["state"] == "BLOCKED" and transfer["escrow"] == {"state": "RETURNED"}
    async with hub.sessions() as session:
        assert await session.scalar(select(func.count(Transfer.id))) == 1
        assert list(await session.scalars(select(EscrowHold.state))) == ["RETURNED"]  # one hold, returned once
        statuses = list(await session.scalars(select(Offer.status)))  # of the one listing
        assert statuses.count("ACCEPTED") == 1 and "OPEN" not in statuses
        assert list(await session.scalars(select(Listing.status))) == ["CLOSED"]
        assert (await verify_chain(session)).ok
    assert await unbalanced_transactions(hub) == []
