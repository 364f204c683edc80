"""Transfers that end early, through GraphQL: the Tang sancai horse blocked at acceptance with its PRC citation;
a permit denied; a customs hold upheld. Each ends the transfer and returns the buyer's escrow in the same step;
a hold that customs lift lets the goods through."""

from __future__ import annotations

from typing import Any

import httpx

from hub.app import Hub
from tests.auth_support import bearer
from tests.hub.clearance.holdings import store_paintings
from tests.schema.clearance.support import PERMIT, declaration, done, later, open_market, sell, source_ids, tokens
from tests.support import graphql

CLEARANCE = """query($id: ID!) { transferClearance(transferId: $id) {
  transfer { state escrow { state } }
  decision { outcome summary firedRules { ruleId instrument article text } requiredDocuments { document } } } }"""
TRANSFER_CLEARANCE = """query($id: ID!) { transfer(id: $id) { clearance {
  transfer { state escrow { state } }
  decision { outcome summary firedRules { ruleId instrument article text } requiredDocuments { document } } } } }"""
BALANCES = "{ escrowBalances { currency held { amount } returned { amount } } }"
QUEUE = "query($q: ClearanceQueue!) { clearanceQueue(queue: $q) { edges { node { id state } } } }"


def ended(payload: dict[str, Any]) -> tuple[str, dict[str, str]]:
    return payload["transfer"]["state"], payload["clearance"]["transfer"]["escrow"]


async def test_sancai_horse_is_blocked_at_acceptance_with_its_prc_citation_and_the_escrow_returned(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    await open_market(hub)
    minted = await tokens(hub)
    horse = (await source_ids(hub))["TW-0001"]
    transfer = (await sell(client, minted, horse, "TWMM", "PGAL", "250000"))["transfer"]
    assert (transfer["state"], transfer["escrow"]) == ("BLOCKED", {"state": "RETURNED"})

    body = await graphql(
        client, CLEARANCE, {"id": transfer["id"]}, **bearer(minted["PGAL"]), **{"Accept-Language": "zh-CN"}
    )
    seen = body["data"]["transferClearance"]
    assert seen["decision"]["outcome"] == "PROHIBITED"
    assert seen["decision"]["summary"] == "禁止：此物品不得进行此次跨境转移。"
    rules = {rule["ruleId"]: rule for rule in seen["decision"]["firedRules"]}
    assert {"CN-EXIT-1911", "CN-EXIT-GRADED"} <= set(rules)
    assert "Standards for the Exit Examination of Cultural Relics" in rules["CN-EXIT-1911"]["instrument"]
    assert "1911" in rules["CN-EXIT-1911"]["article"]
    assert rules["CN-EXIT-1911"]["text"] == "1911年及以前制作的文物不得出境。"
    on_transfer = await graphql(
        client, TRANSFER_CLEARANCE, {"id": transfer["id"]}, **bearer(minted["PGAL"]), **{"Accept-Language": "zh-CN"}
    )
    assert on_transfer["data"]["transfer"]["clearance"] == seen  # the same view, as a field of the transfer
    balances = (await graphql(client, BALANCES, **bearer(minted["PGAL"])))["data"]["escrowBalances"]
    assert balances == [{"currency": "EUR", "held": {"amount": "0.00"}, "returned": {"amount": "250000.00"}}]


async def test_denied_permit_and_upheld_hold_end_the_transfer_rejected_and_return_the_escrow(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    ids = await open_market(hub)
    minted = await tokens(hub)
    denied = (await sell(client, minted, ids["TW-1985"], "TWMM", "PGAL", "20000"))["transfer"]["id"]
    verdict = {"transferId": denied, "document": PERMIT, "grant": False, "reason": "Inventory check pending"}
    answer = await done(client, "decideExportLicence", verdict, minted["cn_licences"])
    assert (answer["transfer"]["state"], answer["clearance"]["transfer"]["escrow"]) == (
        "REJECTED",
        {"state": "RETURNED"},
    )
    assert [(d["verdict"], d["reason"]) for d in answer["clearance"]["documents"]] == [
        ("DENIED", "Inventory check pending")
    ]

    [painting] = await store_paintings(hub, 1)
    held = (await sell(client, minted, painting, "TWMM", "PGAL", "20000"))["transfer"]["id"]
    grant = {"transferId": held, "document": PERMIT, "grant": True, "referenceNumber": "SX-77", "validUntil": later(30)}
    await done(client, "decideExportLicence", grant, minted["cn_licences"])
    await done(client, "fileCustomsDeclaration", declaration(held, ["SX-77"]), minted["TWMM"])
    hold = {"transferId": held, "verdict": "HOLD", "reason": "Crate opened: the seal does not match"}
    on_hold = await done(client, "clearCustoms", hold, minted["cn_customs"])
    assert on_hold["transfer"]["state"] == "AWAITING_CUSTOMS"
    assert [(c["status"], c["reason"]) for c in on_hold["clearance"]["customs"]] == [("HELD", hold["reason"])]
    listed = (await graphql(client, QUEUE, {"q": "HELD"}, **bearer(minted["cn_customs"])))["data"]["clearanceQueue"]
    assert [edge["node"]["id"] for edge in listed["edges"]] == [held]
    upheld = await done(client, "clearCustoms", {"transferId": held, "verdict": "UPHOLD_HOLD"}, minted["cn_customs"])
    assert (upheld["transfer"]["state"], upheld["clearance"]["transfer"]["escrow"]) == (
        "REJECTED",
        {"state": "RETURNED"},
    )
    assert [c["status"] for c in upheld["clearance"]["customs"]] == ["UPHELD"]


async def test_a_hold_lifted_at_the_import_border_lets_the_goods_arrive(hub: Hub, client: httpx.AsyncClient) -> None:
    ids = await open_market(hub)
    minted = await tokens(hub)
    transfer = (await sell(client, minted, ids["TW-1985"], "TWMM", "PGAL", "20000"))["transfer"]["id"]
    grant = {
        "transferId": transfer,
        "document": PERMIT,
        "grant": True,
        "referenceNumber": "SX-5",
        "validUntil": later(30),
    }
    await done(client, "decideExportLicence", grant, minted["cn_licences"])
    await done(client, "fileCustomsDeclaration", declaration(transfer, ["SX-5"]), minted["TWMM"])
    await done(client, "clearCustoms", {"transferId": transfer, "verdict": "CLEAR"}, minted["cn_customs"])
    hold = {"transferId": transfer, "verdict": "HOLD", "reason": "Waiting for the importer's papers"}
    assert (await done(client, "clearCustoms", hold, minted["fr_customs"]))["transfer"]["state"] == "IN_TRANSIT"
    cleared = await done(client, "clearCustoms", {"transferId": transfer, "verdict": "CLEAR"}, minted["fr_customs"])
    assert cleared["transfer"]["state"] == "ARRIVED"
    assert [(c["direction"], c["status"]) for c in cleared["clearance"]["customs"]] == [
        ("EXPORT", "CLEARED"),
        ("IMPORT", "CLEARED"),
    ]
    listed = (await graphql(client, QUEUE, {"q": "HELD"}, **bearer(minted["fr_customs"])))["data"]["clearanceQueue"]
    assert listed["edges"] == []
