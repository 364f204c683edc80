"""The parties of the clearance stories, a token each: the Tang West Market Museum and CRECC (CN) sell or lend,
a Paris gallery buys, the Musée Guimet borrows; the Chinese and French regulators and customs decide; a US
customs officer and the National Library of China watch and must see nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import aiohttp
import httpx
from sqlalchemy import select

from hub.app import Hub
from hub.catalogue.institutions import add_institution
from hub.catalogue.models import CatalogueItem
from hub.money import fx_rates
from schema.trading.ids import global_id
from tests.auth_support import bearer, mint_token
from tests.hub.clearance.holdings import store_holdings, store_paintings
from tests.schema.trading.support import receive
from tests.support import graphql

BUYERS = (
    ("PGAL", "Galerie Dragon d'Or, Paris", "FR", "fr"),
    ("MNAA", "Musée national des arts asiatiques – Guimet", "FR", "fr"),
)
RATES_FROM = datetime(2026, 1, 2, 15, 0, tzinfo=UTC)
TRADERS = ("TWMM", "CRECC", "PGAL", "MNAA", "NLC")
REGULATORS = {
    "cn_licences": ("licence:issue", "CN"),
    "cn_customs": ("customs:clear", "CN"),
    "fr_licences": ("licence:issue", "FR"),
    "fr_customs": ("customs:clear", "FR"),
    "cn_audit": ("audit:read", "CN"),
    "us_customs": ("customs:clear", "US"),
}
CLEARANCE = """transfer { id state } clearance {
  transfer { id state leg originCountry destinationCountry escrow { state } }
  documents { document decidedBy verdict referenceNumber validUntil reason }
  declaration { hsCode declaredValue { amount currency } licenceReferences consignor consignee }
  customs { direction jurisdiction status reason }
  dueBy
  decision { outcome summary firedRules { ruleId instrument article text } requiredDocuments { document name }
             hsCode { code reason } } }"""
PAYLOADS = {
    "createListing": "listing { id status }",
    "placeOffer": "offer { id status }",
    "acceptOffer": "transfer { id state escrow { state } }",
    "cancelTransfer": "transfer { id state escrow { state } }",
    "decideExportLicence": CLEARANCE,
    "fileCustomsDeclaration": CLEARANCE,
    "clearCustoms": CLEARANCE,
    "confirmDelivery": CLEARANCE + " returnLeg { id state leg originCountry destinationCountry }",
}


def mutation(name: str) -> str:
    kind = name[0].upper() + name[1:] + "Input"
    return f"""mutation($input: {kind}!) {{ {name}(input: $input) {{
      {PAYLOADS[name]} errors {{ code field message }} }} }}"""


async def open_market(hub: Hub) -> dict[str, int]:
    ids = await store_holdings(hub)
    async with hub.sessions.begin() as session:
        for code, name, country, lang in BUYERS:
            await add_institution(session, code, name, country, lang)
        await fx_rates.set_rate(session, "ops-console", "EUR", "CNY", "7.8123", RATES_FROM, "ECB")
    return ids


async def tokens(hub: Hub) -> dict[str, str]:
    minted = {
        code: await mint_token(hub, "trade:read trade:write", code, client_id=f"{code.lower()}-app") for code in TRADERS
    }
    for name, (scope, place) in REGULATORS.items():
        minted[name] = await mint_token(hub, scope, jurisdiction=place, client_id=f"{name}-desk")
    return minted


def item_id(key: int) -> str:
    return str(global_id("CatalogueItem", key))


def money(amount: str, currency: str) -> dict[str, str]:
    return {"amount": amount, "currency": currency}


def in_days(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def later(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


async def mutate(
    client: httpx.AsyncClient, name: str, input: dict[str, Any], token: str, language: str | None = None
) -> dict[str, Any]:
    headers = bearer(token) | ({"Accept-Language": language} if language else {})
    body = await graphql(client, mutation(name), {"input": input}, **headers)
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"][name]
    return payload


async def done(
    client: httpx.AsyncClient, name: str, input: dict[str, Any], token: str, language: str | None = None
) -> dict[str, Any]:
    payload = await mutate(client, name, input, token, language)
    assert payload["errors"] == [], payload
    return payload


async def sell(
    client: httpx.AsyncClient, tokens: dict[str, str], item: int, seller: str, buyer: str, amount: str, **terms: Any
) -> dict[str, Any]:
    """Lists `item`, `buyer` offers `amount` EUR, `seller` accepts: the acceptOffer payload."""
    listing_input: dict[str, Any] = {"itemId": item_id(item), "askingPrice": money(amount, "EUR")} | terms
    listing = (await done(client, "createListing", listing_input, tokens[seller]))["listing"]["id"]
    offer_input = {"listingId": listing, "amount": money(amount, "EUR"), "expiresAt": in_days(2)}
    offer = (await done(client, "placeOffer", offer_input, tokens[buyer]))["offer"]["id"]
    return await done(client, "acceptOffer", {"offerId": offer}, tokens[seller])


async def source_ids(hub: Hub) -> dict[str, int]:
    async with hub.sessions() as session:
        return {s: i for s, i in await session.execute(select(CatalogueItem.source_id, CatalogueItem.id))}


UPDATES = "subscription { transferUpdates { transferId state } }"


async def heard_states(ws: aiohttp.ClientWebSocketResponse) -> list[str]:
    """The states heard until a ping sent now is answered."""
    await asyncio.sleep(0.2)
    await ws.send_json({"type": "ping"})
    states = []
    while (message := await receive(ws))["type"] != "pong":
        assert message["type"] == "next", message
        states.append(message["payload"]["data"]["transferUpdates"]["state"])
    return states


STATES = (
    "AWAITING_EXPORT_LICENCE",
    "AWAITING_CUSTOMS",
    "DECLARED",
    "HELD_AT_EXPORT",
    "IN_TRANSIT",
    "ARRIVED",
    "COMPLETED",
    "REJECTED",
)
PERMIT = "PRC_EXIT_PERMIT"


def declaration(transfer: str, references: list[str], **change: Any) -> dict[str, Any]:
    return {
        "transferId": transfer,
        "hsCode": "9701.91",
        "declaredValue": money("20000", "EUR"),
        "originCountry": "CN",
        "destinationCountry": "FR",
        "consignor": "Tang West Market Museum, Xi'an",
        "consignee": "Galerie Dragon d'Or, Paris",
        "licenceReferences": references,
    } | change


async def world(client: httpx.AsyncClient, hub: Hub, minted: dict[str, str]) -> dict[str, str]:
    """A painting sale TWMM -> PGAL in each state of the way (and the sancai horse BLOCKED): transfer ids by state."""
    paintings = await store_paintings(hub, len(STATES))
    transfers: dict[str, str] = {}
    for number, (state, painting) in enumerate(zip(STATES, paintings, strict=True)):
        transfer = (await sell(client, minted, painting, "TWMM", "PGAL", "20000"))["transfer"]["id"]
        transfers[state] = transfer
        if state == "AWAITING_EXPORT_LICENCE":
            continue
        verdict: dict[str, Any] = {"transferId": transfer, "document": PERMIT}
        if state == "REJECTED":
            verdict |= {"grant": False, "reason": "Listed in the provincial inventory"}
            await done(client, "decideExportLicence", verdict, minted["cn_licences"])
            continue
        reference = f"SX-{number}"
        verdict |= {"grant": True, "referenceNumber": reference, "validUntil": later(30)}
        await done(client, "decideExportLicence", verdict, minted["cn_licences"])
        if state == "AWAITING_CUSTOMS":
            continue
        await done(client, "fileCustomsDeclaration", declaration(transfer, [reference]), minted["TWMM"])
        if state == "DECLARED":
            continue
        if state == "HELD_AT_EXPORT":
            hold = {"transferId": transfer, "verdict": "HOLD", "reason": "Seal number does not match the permit"}
            await done(client, "clearCustoms", hold, minted["cn_customs"])
            continue
        await done(client, "clearCustoms", {"transferId": transfer, "verdict": "CLEAR"}, minted["cn_customs"])
        if state == "IN_TRANSIT":
            continue
        await done(client, "clearCustoms", {"transferId": transfer, "verdict": "CLEAR"}, minted["fr_customs"])
        if state == "ARRIVED":
            continue
        await done(client, "confirmDelivery", {"transferId": transfer}, minted["PGAL"])
    horse = (await source_ids(hub))["TW-0001"]
    transfers["BLOCKED"] = (await sell(client, minted, horse, "TWMM", "PGAL", "250000"))["transfer"]["id"]
    return transfers
