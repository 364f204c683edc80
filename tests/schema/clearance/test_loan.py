"""A loan through GraphQL: CRECC lends a grade-2 Tang sancai groom to the Musée Guimet's exhibition in Paris. The
way out needs SACH's exhibition approval (the graded-relic and 1911 prohibitions give way to it; the EU admits a
museum loan without an import licence); delivered, the loan fee goes to CRECC and the return leg starts, due by
the return date, with its own clearance: the EU export licence of France, French export and Chinese import."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from hub.app import Hub
from tests.auth_support import bearer
from tests.schema.clearance.support import done, later, money, open_market, sell, tokens
from tests.support import graphql

CLEARANCE = """query($id: ID!) { transferClearance(transferId: $id) {
  dueBy documents { document decidedBy verdict }
  decision { outcome firedRules { ruleId outcome } requiredDocuments { document } hsCode { code } } } }"""


async def clear_leg(
    client: httpx.AsyncClient, minted: dict[str, str], leg: dict[str, Any], shipper: str, places: tuple[str, str]
) -> dict[str, Any]:
    """From AWAITING_EXPORT_LICENCE to ARRIVED: each document granted by its regulator, declared, both borders."""
    transfer_id = leg["transfer"]["id"]
    references = []
    for number, document in enumerate(leg["clearance"]["documents"]):
        regulator = minted[f"{document['decidedBy'].lower()}_licences"]
        reference = f"{document['decidedBy']}-{number}-2026"
        input = {"transferId": transfer_id, "document": document["document"], "grant": True}
        await done(
            client, "decideExportLicence", input | {"referenceNumber": reference, "validUntil": later(60)}, regulator
        )
        references.append(reference)
    origin, destination = places
    declaration = {
        "transferId": transfer_id,
        "hsCode": leg["clearance"]["decision"]["hsCode"]["code"] or "6913",
        "declaredValue": money("15000", "EUR"),
        "originCountry": origin,
        "destinationCountry": destination,
        "consignor": shipper,
        "consignee": "the other party",
        "licenceReferences": references,
    }
    await done(client, "fileCustomsDeclaration", declaration, minted[shipper])
    exported = await done(
        client, "clearCustoms", {"transferId": transfer_id, "verdict": "CLEAR"}, minted[f"{origin.lower()}_customs"]
    )
    assert exported["transfer"]["state"] == "IN_TRANSIT"
    imported = await done(
        client,
        "clearCustoms",
        {"transferId": transfer_id, "verdict": "CLEAR"},
        minted[f"{destination.lower()}_customs"],
    )
    assert imported["transfer"]["state"] == "ARRIVED"
    return imported


async def test_loan_of_a_grade_2_relic_to_a_paris_exhibition_and_its_return(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    ids = await open_market(hub)
    minted = await tokens(hub)
    return_date = (date.today() + timedelta(days=120)).isoformat()
    loan = {
        "kind": "LOAN",
        "loan": {
            "exhibition": "Chang'an, capitale cosmopolite",
            "venueCountry": "FR",
            "returnDate": return_date,
            "loanFee": money("15000", "EUR"),
        },
    }
    accepted = await sell(client, minted, ids["CR-0001"], "CRECC", "MNAA", "15000", **loan)
    transfer = accepted["transfer"]
    assert transfer["state"] == "AWAITING_EXPORT_LICENCE"
    seen = (await graphql(client, CLEARANCE, {"id": transfer["id"]}, **bearer(minted["CRECC"])))["data"][
        "transferClearance"
    ]
    assert seen["decision"]["outcome"] == "LICENCE_REQUIRED"
    assert [d["document"] for d in seen["decision"]["requiredDocuments"]] == ["PRC_EXHIBITION_APPROVAL"]
    fired = {r["ruleId"]: r["outcome"] for r in seen["decision"]["firedRules"]}
    assert fired["CN-EXIT-GRADED"] == "LICENCE_REQUIRED"  # relaxed by the exhibition exception
    assert fired["EU-IMPORT-B-LICENCE"] == "ALLOWED"  # a museum loan, temporarily admitted

    arrived = await clear_leg(client, minted, {"transfer": transfer, "clearance": seen}, "CRECC", ("CN", "FR"))
    assert arrived["transfer"]["state"] == "ARRIVED"
    delivered = await done(client, "confirmDelivery", {"transferId": transfer["id"]}, minted["MNAA"])
    assert delivered["transfer"]["state"] == "COMPLETED"
    assert delivered["clearance"]["transfer"]["escrow"] == {"state": "RELEASED"}
    back = delivered["returnLeg"]
    assert (back["leg"], back["originCountry"], back["destinationCountry"]) == ("RETURN", "FR", "CN")
    assert back["state"] == "AWAITING_EXPORT_LICENCE"

    way_back = await graphql(client, CLEARANCE, {"id": back["id"]}, **bearer(minted["MNAA"]))
    leg = way_back["data"]["transferClearance"]
    assert leg["dueBy"] == return_date
    assert [(d["document"], d["decidedBy"], d["verdict"]) for d in leg["documents"]] == [
        ("EU_EXPORT_LICENCE", "FR", "PENDING")
    ]
    assert "EU-EXPORT-A1-ARCHAEOLOGICAL" in {r["ruleId"] for r in leg["decision"]["firedRules"]}

    home = await clear_leg(client, minted, {"transfer": back, "clearance": leg}, "MNAA", ("FR", "CN"))
    assert home["clearance"]["transfer"]["escrow"] is None  # nothing is paid on the way back
    returned = await done(client, "confirmDelivery", {"transferId": back["id"]}, minted["CRECC"])
    assert returned["transfer"]["state"] == "COMPLETED"
    assert returned["returnLeg"] is None
