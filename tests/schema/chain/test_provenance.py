"""`registerProvenance` and the item's `provenance`: the record and completed transfers hashed canonically,
registered with an audit entry and pending anchors in one transaction, anchored in the background, verified."""

from __future__ import annotations

import hashlib
import json

import httpx
from sqlalchemy import func, select

from hub.app import Hub
from hub.audit.models import AuditEntry
from hub.chain.anchor_checks import verify_stored_anchors
from hub.chain.anchoring import open_chain_endpoints
from hub.chain.models import ChainAnchorRow, PendingAnchorRow, ProvenanceRegistration
from hub.trading.states import TransferStatus
from hub.trading.transfers import advance_transfer
from schema.core.ids import to_global_id
from tests.auth_support import bearer, mint_token
from tests.hub.chain.conftest import TEST_TIMEOUTS
from tests.hub.chain.hub_anchoring import anchor_on, anchor_worker, eventually
from tests.hub.trading.conftest import MNAA_TRADER, TWMM_TRADER, item_id, offer, sale
from tests.support import graphql

REGISTER = """mutation($id: ID!) {
  registerProvenance(input: {itemId: $id}) {
    created
    registration { id itemHash recordHash record anchors { chain state txHash } }
    errors { code field message }
  }
}"""
PROVENANCE = """query($id: ID!) {
  item(id: $id) { sourceId provenance {
    kind at
    transfer { transferId seller buyer fromCountry toCountry kind leg }
    registration { id recordHash }
    anchors { chain state chainId contract txHash blockNumber }
  } }
}"""


async def sold_horse(market: Hub) -> tuple[int, int]:
    """The sancai horse sold by TWMM to MNAA (Paris), the transfer completed; its item id and transfer id."""
    horse = await item_id(market, "TW-0001")
    listing = (await market.trading.create_listing(TWMM_TRADER, sale(horse))).listing.id
    bid = (await market.trading.place_offer(MNAA_TRADER, offer(listing, "110000", "EUR"))).offer.id
    transfer = (await market.trading.accept_offer(TWMM_TRADER, bid)).transfer.id
    async with market.sessions.begin() as session:
        await advance_transfer(session, transfer, set(TransferStatus), TransferStatus.COMPLETED, "test", "test.done")
    return horse, transfer


async def rows(hub: Hub, model: type[object]) -> int:
    async with hub.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


async def test_register_provenance_anchors_the_record_and_lists_it_with_the_completed_transfer(
    market: Hub, client: httpx.AsyncClient
) -> None:
    anchor_on(market, ("embedded",))
    horse, transfer = await sold_horse(market)
    gid = to_global_id("CatalogueItem", horse)
    token = await mint_token(market, "catalogue:write", "TWMM")

    registered = (await graphql(client, REGISTER, {"id": gid}, **bearer(token)))["data"]["registerProvenance"]
    assert registered["errors"] == [] and registered["created"] is True
    registration = registered["registration"]
    assert registration["anchors"] == [{"chain": "embedded", "state": "PENDING", "txHash": None}]
    record = json.loads(registration["record"])
    assert hashlib.sha256(registration["record"].encode()).hexdigest() == registration["recordHash"]
    assert registration["itemHash"] == hashlib.sha256(b"TWMM:TW-0001").hexdigest()
    assert record["item"]["sourceId"] == "TW-0001" and record["item"]["institution"] == "TWMM"
    [moved] = record["transfers"]
    assert (moved["transfer"], moved["seller"], moved["buyer"], moved["from"], moved["to"]) == (
        transfer,
        "TWMM",
        "MNAA",
        "CN",
        "FR",
    )
    assert "110000" not in registration["record"] and "price" not in registration["record"]  # no price in public
    async with market.sessions() as session:
        entry = (await session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()))).first()
    assert entry is not None and (entry.action, entry.actor, entry.jurisdictions) == (
        "provenance.registered",
        "minted-client",
        ["CN", "FR"],
    )

    async with anchor_worker(market):

        async def anchored() -> bool:
            return await rows(market, ChainAnchorRow) == 1

        await eventually(anchored)

    events = (await graphql(client, PROVENANCE, {"id": gid}))["data"]["item"]["provenance"]
    assert [e["kind"] for e in events] == ["TRANSFERRED", "REGISTERED"]
    assert events[0]["transfer"] == {
        "transferId": transfer,
        "seller": "TWMM",
        "buyer": "MNAA",
        "fromCountry": "CN",
        "toCountry": "FR",
        "kind": "SALE",
        "leg": "OUTBOUND",
    }
    assert events[0]["registration"]["recordHash"] == registration["recordHash"]
    [anchor] = events[1]["anchors"]
    assert anchor["state"] == "ANCHORED" and anchor["txHash"].startswith("0x") and events[0]["anchors"] == [anchor]

    endpoints = open_chain_endpoints(market.settings, TEST_TIMEOUTS)
    async with market.sessions() as session:
        report = await verify_stored_anchors(session, endpoints)
    for endpoint in endpoints:
        await endpoint.close()
    assert (report.ok, report.checked) == (True, 1)

    again = (await graphql(client, REGISTER, {"id": gid}, **bearer(token)))["data"]["registerProvenance"]
    assert (again["created"], again["registration"]["id"]) == (False, registration["id"])
    assert again["registration"]["anchors"][0]["state"] == "ANCHORED"
    assert await rows(market, ProvenanceRegistration) == 1


async def test_register_provenance_refuses_another_institutions_item_and_writes_nothing(
    market: Hub, client: httpx.AsyncClient
) -> None:
    horse = await item_id(market, "TW-0001")
    paris = await mint_token(market, "catalogue:write", "MNAA")
    twmm = await mint_token(market, "catalogue:write", "TWMM")
    reader = await mint_token(market, "trade:read", "TWMM")
    entries = await rows(market, AuditEntry)  # minting the first token made the hub's signing key (an entry)
    body = await graphql(client, REGISTER, {"id": to_global_id("CatalogueItem", horse)}, **bearer(paris))
    [error] = body["data"]["registerProvenance"]["errors"]
    assert error["code"] == "FORBIDDEN"
    assert error["message"] == "a catalogue:write token of MNAA may not register the provenance of items of TWMM"
    missing = await graphql(client, REGISTER, {"id": to_global_id("CatalogueItem", 999999)}, **bearer(twmm))
    assert missing["data"]["registerProvenance"]["errors"] == [
        {"code": "NOT_FOUND", "field": "itemId", "message": "No catalogue item has the id 999999."}
    ]
    chinese = await graphql(
        client, REGISTER, {"id": to_global_id("CatalogueItem", 999999)}, **bearer(twmm), **{"Accept-Language": "zh"}
    )
    assert chinese["data"]["registerProvenance"]["errors"][0]["message"] == "没有编号为 999999 的馆藏条目。"
    scoped = await graphql(client, REGISTER, {"id": to_global_id("CatalogueItem", horse)}, **bearer(reader))
    assert scoped["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await rows(market, ProvenanceRegistration), await rows(market, PendingAnchorRow)) == (0, 0)
    assert await rows(market, AuditEntry) == entries
