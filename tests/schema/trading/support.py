"""The market of the GraphQL trading tests: the Tang West Market Museum (CN) sells; the Musée national des arts
asiatiques (FR) and a Dubai gallery (AE) buy; the National Library of China trades too, but is no party."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import httpx
from sqlalchemy import select

from hub.app import Hub
from hub.catalogue.institutions import add_institution
from hub.catalogue.models import CatalogueItem
from hub.money import fx_rates
from hub.trading.clearance_hook import LicenceAlwaysNeeded
from schema.trading.ids import global_id
from tests import records
from tests.auth_support import bearer, mint_token
from tests.support import LiveServer, graphql

BUYERS = (
    ("MNAA", "Musée national des arts asiatiques – Guimet", "FR", "fr"),
    ("DXBG", "Dubai Silk Road Gallery", "AE", "ar"),
)
RATES_FROM = datetime(2026, 1, 2, 15, 0, tzinfo=UTC)
RATES = (("EUR", "CNY", "7.8123"), ("EUR", "USD", "1.0850"), ("USD", "AED", "3.6725"))
TRADERS = ("TWMM", "MNAA", "DXBG", "NLC")

PAYLOADS = {
    "createListing": "listing { id status kind askingPrice { amount currency } }",
    "withdrawListing": "listing { id status }",
    "placeOffer": "offer { id status amount { amount currency } destinationCountry }",
    "withdrawOffer": "offer { id status }",
    "acceptOffer": "offer { id status } listing { id status } declinedOfferIds "
    "transfer { id state price { amount currency } seller { code } buyer { code } escrow { state } }",
    "cancelTransfer": "transfer { id state escrow { state } }",
}


def mutation(name: str) -> str:
    kind = name[0].upper() + name[1:] + "Input"
    return f"""mutation($input: {kind}!) {{ {name}(input: $input) {{
      {PAYLOADS[name]} errors {{ code field message }} }} }}"""


async def open_market(hub: Hub, rates: bool = True) -> None:
    """TWMM's items, the two foreign buyers and (unless `rates` is False) FX rates valid since January."""
    hub.trading.clearance = LicenceAlwaysNeeded()  # trading tests: the placeholder hook, not the engine
    await records.store(hub, "TWMM", [records.SANCAI_HORSE, records.KAIYUAN_COIN, records.HAN_MIRROR])
    await records.store(hub, "NLC", [records.SOGDIAN_BOOK])
    async with hub.sessions.begin() as session:
        for code, name, country, lang in BUYERS:
            await add_institution(session, code, name, country, lang)
        if rates:
            for base, quote, rate in RATES:
                await fx_rates.set_rate(session, "ops-console", base, quote, rate, RATES_FROM, "ECB")


async def trader_tokens(hub: Hub, scopes: str = "trade:read trade:write") -> dict[str, str]:
    return {code: await mint_token(hub, scopes, code, client_id=f"{code.lower()}-app") for code in TRADERS}


async def item_global_id(hub: Hub, source_id: str) -> str:
    async with hub.sessions() as session:
        found = await session.scalar(select(CatalogueItem.id).where(CatalogueItem.source_id == source_id))
    assert found is not None
    return str(global_id("CatalogueItem", found))


def in_hours(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


def money(amount: str, currency: str) -> dict[str, str]:
    return {"amount": amount, "currency": currency}


async def mutate(
    client: httpx.AsyncClient, name: str, input: dict[str, Any], token: str, language: str | None = None
) -> dict[str, Any]:
    headers = bearer(token) | ({"Accept-Language": language} if language else {})
    body = await graphql(client, mutation(name), {"input": input}, **headers)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"][name]
    return payload


async def done(client: httpx.AsyncClient, name: str, input: dict[str, Any], token: str) -> dict[str, Any]:
    """A mutation that must succeed: its payload."""
    payload = await mutate(client, name, input, token)
    assert payload["errors"] == [], payload
    return payload


async def list_horse(client: httpx.AsyncClient, hub: Hub, token: str, price: str = "880000") -> str:
    item = await item_global_id(hub, records.SANCAI_HORSE.source_id)
    payload = await done(client, "createListing", {"itemId": item, "askingPrice": money(price, "CNY")}, token)
    listing_id: str = payload["listing"]["id"]
    return listing_id


async def offer_on(client: httpx.AsyncClient, listing: str, token: str, amount: str, currency: str) -> str:
    input = {"listingId": listing, "amount": money(amount, currency), "expiresAt": in_hours(48)}
    offer_id: str = (await done(client, "placeOffer", input, token))["offer"]["id"]
    return offer_id


async def receive(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.receive_str(), timeout=5))
    return message


@contextlib.asynccontextmanager
async def listening(
    hub: Hub, live_hub: LiveServer, tokens: dict[str, str], subscription: str
) -> AsyncIterator[dict[str, Any]]:
    """A websocket per token, each running `subscription` (over graphql-transport-ws) with its own token; yields
    once the hub has every subscriber."""
    async with aiohttp.ClientSession() as http:
        sockets: dict[str, Any] = {}
        for name, token in tokens.items():
            ws = await http.ws_connect(f"{live_hub.url}/graphql", protocols=["graphql-transport-ws"])
            await ws.send_json({"type": "connection_init", "payload": bearer(token)})
            assert (await receive(ws))["type"] == "connection_ack"
            await ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": subscription}})
            sockets[name] = ws
        while hub.transfer_events.subscriber_count < len(sockets):
            await asyncio.sleep(0.01)
        try:
            yield sockets
        finally:
            for ws in sockets.values():
                await ws.close()
