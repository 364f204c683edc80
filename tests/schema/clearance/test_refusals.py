"""Every clearance mutation in every wrong state, by the wrong party and from the wrong jurisdiction, through
GraphQL: a payload error with a stable code naming the field, and every table exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import update

from hub.app import Hub
from hub.clearance.models import LicenceDecision
from schema.trading.ids import global_id
from tests.auth_support import bearer
from tests.schema.clearance.support import (
    PERMIT,
    declaration,
    later,
    mutate,
    mutation,
    open_market,
    sell,
    source_ids,
    tokens,
    world,
)
from tests.support import graphql
from tests.table_snapshot import changed_tables, table_snapshot

World = dict[str, str]
Case = tuple[str, str, Callable[[World], dict[str, Any]], str, str | None]
"""(what, whose token, the input from the world's transfer ids, expected code, expected field)"""

ALL_STATES = ("AWAITING_EXPORT_LICENCE", "AWAITING_CUSTOMS", "DECLARED", "HELD_AT_EXPORT", "IN_TRANSIT", "ARRIVED")
ALL_STATES += ("COMPLETED", "REJECTED", "BLOCKED")
NO_SUCH_TRANSFER = str(global_id("Transfer", 999_999))


def grant(transfer: str, **change: Any) -> dict[str, Any]:
    verdict = {"transferId": transfer, "document": PERMIT, "grant": True, "referenceNumber": "SX-9"}
    return verdict | {"validUntil": later(9)} | change


def clear(transfer: str, verdict: str = "CLEAR", **change: Any) -> dict[str, Any]:
    return {"transferId": transfer, "verdict": verdict} | change


def wrong_states(
    mutation: str, allowed: tuple[str, ...], who: str, make: Callable[[str], dict[str, Any]]
) -> list[Case]:
    return [
        (f"{mutation} when {state}", who, lambda w, s=state: make(w[s]), "WRONG_STATE", "transferId")
        for state in ALL_STATES
        if state not in allowed
    ]


DECLARABLE = ("AWAITING_CUSTOMS", "AWAITING_EXPORT_LICENCE", "DECLARED", "HELD_AT_EXPORT")
CASES: dict[str, list[Case]] = {
    "decideExportLicence": [
        *wrong_states("grant", ("AWAITING_EXPORT_LICENCE",), "cn_licences", grant),
        (
            "another country's regulator",
            "fr_licences",
            lambda w: grant(w["AWAITING_EXPORT_LICENCE"]),
            "WRONG_JURISDICTION",
            "transferId",
        ),
        (
            "a document not required",
            "cn_licences",
            lambda w: grant(w["AWAITING_EXPORT_LICENCE"], document="EU_EXPORT_LICENCE"),
            "DOCUMENT_NOT_REQUIRED",
            "document",
        ),
        (
            "a grant without reference",
            "cn_licences",
            lambda w: grant(w["AWAITING_EXPORT_LICENCE"], referenceNumber=" "),
            "INVALID_VALUE",
            "referenceNumber",
        ),
        (
            "a grant already expired",
            "cn_licences",
            lambda w: grant(w["AWAITING_EXPORT_LICENCE"], validUntil="2020-01-01"),
            "INVALID_VALUE",
            "validUntil",
        ),
        (
            "a grant without validity",
            "cn_licences",
            lambda w: grant(w["AWAITING_EXPORT_LICENCE"], validUntil=None),
            "INVALID_VALUE",
            "validUntil",
        ),
        (
            "a denial without reason",
            "cn_licences",
            lambda w: grant(w["AWAITING_EXPORT_LICENCE"], grant=False),
            "INVALID_VALUE",
            "reason",
        ),
        ("no such transfer", "cn_licences", lambda w: grant(NO_SUCH_TRANSFER), "TRANSFER_NOT_FOUND", "transferId"),
        ("not a transfer id", "cn_licences", lambda w: grant("bm90LWFuLWlk"), "NOT_FOUND", "transferId"),
    ],
    "fileCustomsDeclaration": [
        *wrong_states(
            "declare",
            ("AWAITING_CUSTOMS", "AWAITING_EXPORT_LICENCE", "DECLARED", "HELD_AT_EXPORT"),
            "TWMM",
            lambda t: declaration(t, []),
        ),
        (
            "before the permit",
            "TWMM",
            lambda w: declaration(w["AWAITING_EXPORT_LICENCE"], []),
            "LICENCE_MISSING",
            "licenceReferences",
        ),
        ("by the buyer", "PGAL", lambda w: declaration(w["AWAITING_CUSTOMS"], ["SX-1"]), "WRONG_PARTY", "transferId"),
        ("by an outsider", "NLC", lambda w: declaration(w["AWAITING_CUSTOMS"], ["SX-1"]), "WRONG_PARTY", "transferId"),
        (
            "without citing the permit",
            "TWMM",
            lambda w: declaration(w["AWAITING_CUSTOMS"], []),
            "LICENCE_MISSING",
            "licenceReferences",
        ),
        (
            "citing a licence never granted",
            "TWMM",
            lambda w: declaration(w["AWAITING_CUSTOMS"], ["SX-1", "FAKE-7"]),
            "INVALID_VALUE",
            "licenceReferences",
        ),
        (
            "a bad HS code",
            "TWMM",
            lambda w: declaration(w["AWAITING_CUSTOMS"], ["SX-1"], hsCode="97"),
            "INVALID_VALUE",
            "hsCode",
        ),
        (
            "the wrong origin",
            "TWMM",
            lambda w: declaration(w["AWAITING_CUSTOMS"], ["SX-1"], originCountry="JP"),
            "INVALID_VALUE",
            "originCountry",
        ),
        (
            "an empty consignee",
            "TWMM",
            lambda w: declaration(w["AWAITING_CUSTOMS"], ["SX-1"], consignee=""),
            "INVALID_VALUE",
            "consignee",
        ),
        (
            "an unknown currency",
            "TWMM",
            lambda w: declaration(w["AWAITING_CUSTOMS"], ["SX-1"], declaredValue={"amount": "1", "currency": "XAU"}),
            "UNSUPPORTED_CURRENCY",
            "declaredValue.currency",
        ),
        (
            "filed twice",
            "TWMM",
            lambda w: declaration(w["DECLARED"], ["SX-2"]),
            "DECLARATION_ALREADY_FILED",
            "transferId",
        ),
    ],
    "clearCustoms": [
        *wrong_states("clear", ("DECLARED", "AWAITING_CUSTOMS", "HELD_AT_EXPORT", "IN_TRANSIT"), "cn_customs", clear),
        (
            "export by the destination's customs",
            "fr_customs",
            lambda w: clear(w["DECLARED"]),
            "WRONG_JURISDICTION",
            "transferId",
        ),
        (
            "import by the origin's customs",
            "cn_customs",
            lambda w: clear(w["IN_TRANSIT"]),
            "WRONG_JURISDICTION",
            "transferId",
        ),
        ("a third country's customs", "us_customs", lambda w: clear(w["DECLARED"]), "WRONG_JURISDICTION", "transferId"),
        ("nothing declared", "cn_customs", lambda w: clear(w["AWAITING_CUSTOMS"]), "DECLARATION_MISSING", "transferId"),
        ("a hold without reason", "cn_customs", lambda w: clear(w["DECLARED"], "HOLD"), "INVALID_VALUE", "reason"),
        (
            "held twice",
            "cn_customs",
            lambda w: clear(w["HELD_AT_EXPORT"], "HOLD", reason="again"),
            "ALREADY_HELD",
            "transferId",
        ),
        ("upholding no hold", "cn_customs", lambda w: clear(w["DECLARED"], "UPHOLD_HOLD"), "NOT_HELD", "transferId"),
        (
            "upholding at the other border",
            "fr_customs",
            lambda w: clear(w["IN_TRANSIT"], "UPHOLD_HOLD"),
            "NOT_HELD",
            "transferId",
        ),
    ],
    "confirmDelivery": [
        *wrong_states("confirm", ("ARRIVED",), "PGAL", lambda t: {"transferId": t}),
        ("by the seller", "TWMM", lambda w: {"transferId": w["ARRIVED"]}, "WRONG_PARTY", "transferId"),
        ("by an outsider", "NLC", lambda w: {"transferId": w["ARRIVED"]}, "WRONG_PARTY", "transferId"),
    ],
}


async def test_refusals_of_every_clearance_mutation_change_no_table(hub: Hub, client: httpx.AsyncClient) -> None:
    """One world of transfers in every state (built once: it is the expensive part), every case against it."""
    await open_market(hub)
    minted = await tokens(hub)
    transfers = await world(client, hub, minted)
    before = await table_snapshot(hub)
    for name, cases in CASES.items():
        for what, who, make, code, field in cases:
            payload = await mutate(client, name, make(transfers), minted[who], language="zh")
            assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)], (what, payload)
            assert payload["errors"][0]["message"], what
            assert payload["transfer"] is None and payload["clearance"] is None, what
    assert changed_tables(before, await table_snapshot(hub)) == []


SCOPE_CASES = [
    ("decideExportLicence", "TWMM", grant(NO_SUCH_TRANSFER), "licence:issue"),
    ("fileCustomsDeclaration", "cn_customs", declaration(NO_SUCH_TRANSFER, []), "trade:write"),
    ("clearCustoms", "cn_licences", clear(NO_SUCH_TRANSFER), "customs:clear"),
    ("confirmDelivery", "cn_audit", {"transferId": NO_SUCH_TRANSFER}, "trade:write"),
]


async def test_clearance_mutations_check_the_scope_before_any_work(hub: Hub, client: httpx.AsyncClient) -> None:
    await open_market(hub)
    minted = await tokens(hub)
    for name, who, input, scope in SCOPE_CASES:
        body = await graphql(client, mutation(name), {"input": input}, **bearer(minted[who]))
        [error] = body["errors"]
        assert (error["extensions"]["code"], error["extensions"]["scope"]) == ("FORBIDDEN", scope), name


async def test_clearance_mutation_replays_its_idempotency_key_and_refuses_it_for_another_input(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    await open_market(hub)
    minted = await tokens(hub)
    transfer = (await sell(client, minted, (await source_ids(hub))["TW-1985"], "TWMM", "PGAL", "20000"))["transfer"]
    keyed = grant(transfer["id"], idempotencyKey="permit-0417")
    first = await mutate(client, "decideExportLicence", keyed, minted["cn_licences"])
    assert first["transfer"]["state"] == "AWAITING_CUSTOMS"
    before = await table_snapshot(hub)
    again = await mutate(client, "decideExportLicence", keyed, minted["cn_licences"])
    assert again == first
    other = await mutate(client, "decideExportLicence", keyed | {"referenceNumber": "SX-10"}, minted["cn_licences"])
    assert [(e["code"], e["field"]) for e in other["errors"]] == [("IDEMPOTENCY_KEY_REUSED", "idempotencyKey")]
    assert changed_tables(before, await table_snapshot(hub)) == []


async def test_declaration_is_refused_while_the_permit_is_expired(hub: Hub, client: httpx.AsyncClient) -> None:
    await open_market(hub)
    minted = await tokens(hub)
    transfer = (await sell(client, minted, (await source_ids(hub))["TW-1985"], "TWMM", "PGAL", "20000"))["transfer"]
    await mutate(client, "decideExportLicence", grant(transfer["id"]), minted["cn_licences"])
    async with hub.sessions.begin() as session:  # the permit ran out while the goods waited
        await session.execute(update(LicenceDecision).values(valid_until=date.today() - timedelta(days=1)))
    before = await table_snapshot(hub)
    payload = await mutate(client, "fileCustomsDeclaration", declaration(transfer["id"], ["SX-9"]), minted["TWMM"])
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("LICENCE_EXPIRED", "licenceReferences")]
    assert "SX-9" in payload["errors"][0]["message"]
    assert changed_tables(before, await table_snapshot(hub)) == []
