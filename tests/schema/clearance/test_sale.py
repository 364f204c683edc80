"""The full sale through GraphQL, a token per party: a 1985 ink painting of the Tang West Market Museum to a Paris
gallery. Only the Chinese exit permit is needed (with its citation, HS 9701 suggested); the Chinese regulator
grants it, the museum files the declaration, Chinese customs clear the export, French customs the import, the
gallery confirms delivery and the escrow goes to the museum. Every step is heard by the parties and the
regulators and customs of China and France, and by nobody else."""

from __future__ import annotations

from typing import Any

import httpx

from hub.app import Hub
from tests.auth_support import bearer, mint_token
from tests.hub.clearance.holdings import audit_count
from tests.schema.clearance.support import (
    UPDATES,
    done,
    heard_states,
    item_id,
    later,
    money,
    open_market,
    sell,
    tokens,
)
from tests.schema.trading.support import listening
from tests.support import LiveServer, graphql

CHECK = """query($item: ID!, $value: MoneyInput) {
  complianceCheck(itemId: $item, destination: "FR", value: $value, purpose: SALE) {
    outcome summary ruleTableVersion valueEur
    firedRules { ruleId instrument text } requiredDocuments { document name issuedBy }
    missingFacts { fact } hsCode { code reason } explanation } }"""
QUEUE = "query($q: ClearanceQueue!) { clearanceQueue(queue: $q) { totalCount edges { node { id state } } } }"
BALANCES = "{ escrowBalances { currency held { amount } released { amount } received { amount } } }"
TRANSFERS_IN_QUEUE = "query($q: ClearanceQueue!) { transfers(clearance: $q) { edges { node { id } } } }"
AUDIT = "{ auditLog(first: 100) { edges { node { action } } } }"


async def queue(client: httpx.AsyncClient, token: str, name: str) -> list[str]:
    """The regulator's queue, asked as `clearanceQueue` and as `transfers(clearance:)`: both give the same."""
    body = await graphql(client, QUEUE, {"q": name}, **bearer(token))
    assert "errors" not in body, body
    ids = [edge["node"]["id"] for edge in body["data"]["clearanceQueue"]["edges"]]
    filtered = await graphql(client, TRANSFERS_IN_QUEUE, {"q": name}, **bearer(token))
    assert "errors" not in filtered, filtered
    assert [edge["node"]["id"] for edge in filtered["data"]["transfers"]["edges"]] == ids
    return ids


async def test_sale_of_an_ink_painting_from_xian_to_paris_clears_both_borders_and_pays_the_museum(
    hub: Hub, live_hub: LiveServer
) -> None:
    ids = await open_market(hub)
    minted = await tokens(hub)
    painting = ids["TW-1985"]
    async with httpx.AsyncClient(base_url=live_hub.url) as client:
        before = await audit_count(hub)
        asked = await graphql(
            client, CHECK, {"item": item_id(painting), "value": money("20000", "EUR")}, **{"Accept-Language": "fr"}
        )
        check: dict[str, Any] = asked["data"]["complianceCheck"]
        assert await audit_count(hub) == before  # asking creates nothing
        assert check["outcome"] == "LICENCE_REQUIRED"
        assert check["summary"] == "Autorisé uniquement avec les documents énumérés ci-dessous."
        assert [r["ruleId"] for r in check["firedRules"]] == ["CN-EXIT-PERMIT"]
        assert "Cultural Relics Protection Law" in check["firedRules"][0]["instrument"]
        assert check["requiredDocuments"] == [
            {"document": "PRC_EXIT_PERMIT", "name": "Permis de sortie chinois pour biens culturels", "issuedBy": "CN"}
        ]
        assert check["missingFacts"] == [] and check["valueEur"] == "20000.00"
        assert check["hsCode"]["code"] == "9701.91"

        watchers = {name: minted[name] for name in ("TWMM", "PGAL", "NLC", "cn_licences", "cn_customs", "fr_customs")}
        watchers |= {name: minted[name] for name in ("cn_audit", "us_customs", "fr_licences")}
        async with listening(hub, live_hub, watchers, UPDATES) as sockets:
            accepted = await sell(client, minted, painting, "TWMM", "PGAL", "20000")
            transfer = accepted["transfer"]
            assert (transfer["state"], transfer["escrow"]) == ("AWAITING_EXPORT_LICENCE", {"state": "HELD"})
            assert await queue(client, minted["cn_licences"], "AWAITING_DECISION") == [transfer["id"]]
            assert await queue(client, minted["fr_customs"], "AWAITING_DECISION") == []

            granted = await done(
                client,
                "decideExportLicence",
                {
                    "transferId": transfer["id"],
                    "document": "PRC_EXIT_PERMIT",
                    "grant": True,
                    "referenceNumber": "SX-2026-0417",
                    "validUntil": later(90),
                },
                minted["cn_licences"],
            )
            assert granted["transfer"]["state"] == "AWAITING_CUSTOMS"
            [permit] = granted["clearance"]["documents"]
            assert (permit["verdict"], permit["referenceNumber"], permit["decidedBy"]) == (
                "GRANTED",
                "SX-2026-0417",
                "CN",
            )
            assert await queue(client, minted["cn_licences"], "CLEARED") == [transfer["id"]]
            assert await queue(client, minted["cn_licences"], "AWAITING_DECISION") == []

            declaration = {
                "transferId": transfer["id"],
                "hsCode": granted["clearance"]["decision"]["hsCode"]["code"],
                "declaredValue": money("20000", "EUR"),
                "originCountry": "CN",
                "destinationCountry": "FR",
                "consignor": "Tang West Market Museum, Xi'an",
                "consignee": "Galerie Dragon d'Or, Paris",
                "licenceReferences": ["SX-2026-0417"],
            }
            filed = await done(client, "fileCustomsDeclaration", declaration, minted["TWMM"])
            assert filed["clearance"]["declaration"]["hsCode"] == "9701.91"
            assert await queue(client, minted["cn_customs"], "AWAITING_DECISION") == [transfer["id"]]

            exported = await done(
                client, "clearCustoms", {"transferId": transfer["id"], "verdict": "CLEAR"}, minted["cn_customs"]
            )
            assert exported["transfer"]["state"] == "IN_TRANSIT"
            assert await queue(client, minted["fr_customs"], "AWAITING_DECISION") == [transfer["id"]]
            imported = await done(
                client, "clearCustoms", {"transferId": transfer["id"], "verdict": "CLEAR"}, minted["fr_customs"]
            )
            assert imported["transfer"]["state"] == "ARRIVED"
            assert [(c["direction"], c["jurisdiction"], c["status"]) for c in imported["clearance"]["customs"]] == [
                ("EXPORT", "CN", "CLEARED"),
                ("IMPORT", "FR", "CLEARED"),
            ]
            assert await queue(client, minted["fr_customs"], "CLEARED") == [transfer["id"]]
            assert await queue(client, minted["cn_audit"], "CLEARED") == [transfer["id"]]
            assert await queue(client, minted["us_customs"], "CLEARED") == []

            delivered = await done(client, "confirmDelivery", {"transferId": transfer["id"]}, minted["PGAL"])
            assert delivered["transfer"]["state"] == "COMPLETED"
            assert delivered["clearance"]["transfer"]["escrow"] == {"state": "RELEASED"}
            assert delivered["returnLeg"] is None

            steps = ["AWAITING_EXPORT_LICENCE", "AWAITING_CUSTOMS", "AWAITING_CUSTOMS", "IN_TRANSIT", "ARRIVED"]
            steps.append("COMPLETED")
            for name in ("TWMM", "PGAL", "cn_licences", "cn_customs", "fr_customs", "cn_audit"):
                assert await heard_states(sockets[name]) == steps, name
            for name in ("NLC", "us_customs", "fr_licences"):
                assert await heard_states(sockets[name]) == [], name

        museum = (await graphql(client, BALANCES, **bearer(minted["TWMM"])))["data"]["escrowBalances"]
        assert museum == [
            {
                "currency": "EUR",
                "held": {"amount": "0.00"},
                "released": {"amount": "0.00"},
                "received": {"amount": "20000.00"},
            }
        ]
        actions = [
            e["node"]["action"]
            for e in (await graphql(client, AUDIT, **bearer(minted["cn_audit"])))["data"]["auditLog"]["edges"]
        ]
        for action in (
            "trading.offer_accepted",
            "clearance.licence_granted",
            "clearance.licences_complete",
            "clearance.declaration_filed",
            "clearance.export_cleared",
            "clearance.import_cleared",
            "clearance.delivery_confirmed",
            "escrow.released",
        ):
            assert action in actions, action


async def test_transfers_clearance_filter_is_refused_beside_other_filters(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "licence:issue", jurisdiction="CN")
    query = "{ transfers(clearance: AWAITING_DECISION, state: BLOCKED) { totalCount } }"
    body = await graphql(client, query, **bearer(token))
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "clearance"}
    assert error["message"] == "clearance cannot be combined with state or institution"
