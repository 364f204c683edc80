"""`complianceCheck`: anyone may ask before any listing; the answer is the decision acceptance then stores, in the
caller's language; nothing is created; bad arguments are refused naming them."""

from __future__ import annotations

import httpx

from hub.app import Hub
from tests.auth_support import bearer
from tests.hub.clearance.holdings import audit_count
from tests.schema.clearance.support import item_id, money, open_market, sell, tokens
from tests.support import graphql
from tests.table_snapshot import changed_tables, table_snapshot

CHECK = """query($item: ID!, $to: String!, $value: MoneyInput, $purpose: TransferPurpose) {
  complianceCheck(itemId: $item, destination: $to, value: $value, purpose: $purpose) {
    outcome ruleTableVersion ruleTableSha256 valueEur fxRateDate exportCountry purpose
    firedRules { ruleId outcome text } requiredDocuments { document issuedBy } missingFacts { fact description }
    hsCode { code } } }"""
STORED = """query($id: ID!) { transferClearance(transferId: $id) { decision {
    outcome ruleTableVersion ruleTableSha256 valueEur fxRateDate exportCountry purpose
    firedRules { ruleId outcome text } requiredDocuments { document issuedBy } missingFacts { fact description }
    hsCode { code } } } }"""


async def test_compliance_check_gives_the_decision_acceptance_stores_and_creates_nothing(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    ids = await open_market(hub)
    minted = await tokens(hub)
    before = await table_snapshot(hub)
    asked = await graphql(
        client,
        CHECK,
        {"item": item_id(ids["TW-0001"]), "to": "FR", "value": money("1953615", "CNY"), "purpose": "SALE"},
        **{"Accept-Language": "ru"},
    )
    check = asked["data"]["complianceCheck"]
    assert changed_tables(before, await table_snapshot(hub)) == []
    assert check["outcome"] == "PROHIBITED"
    assert check["valueEur"] == "250069.12"  # 1,953,615 CNY at 7.8123 CNY a euro, the rate of 2 January
    assert check["fxRateDate"] == "2026-01-02"
    assert check["firedRules"][0]["text"].startswith("Предметы старины, созданные в 1911 году или ранее")

    transfer = (await sell(client, minted, ids["TW-0001"], "TWMM", "PGAL", "250069.12"))["transfer"]
    stored = await graphql(
        client, STORED, {"id": transfer["id"]}, **bearer(minted["PGAL"]), **{"Accept-Language": "ru"}
    )
    decision = stored["data"]["transferClearance"]["decision"]
    assert decision | {"fxRateDate": check["fxRateDate"]} == check  # the offer was in EUR: no rate to record


async def test_compliance_check_names_missing_facts_and_assumes_the_stricter_case(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    ids = await open_market(hub)
    asked = await graphql(client, CHECK, {"item": item_id(ids["TW-1800"]), "to": "FR"})
    check = asked["data"]["complianceCheck"]
    assert check["valueEur"] is None
    assert [fact["fact"] for fact in check["missingFacts"]] == ["value_eur"]
    assert "EU-IMPORT-C-STATEMENT" in [rule["ruleId"] for rule in check["firedRules"]]


async def test_compliance_check_refuses_an_unknown_item_and_a_bad_destination(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    ids = await open_market(hub)
    before = await audit_count(hub)
    cases = [
        ({"item": item_id(999_999), "to": "FR"}, "ITEM_NOT_FOUND"),
        ({"item": item_id(ids["TW-1985"]), "to": "France"}, "INVALID_VALUE"),
        ({"item": item_id(ids["TW-1985"]), "to": "FR", "value": money("1.001", "EUR")}, "TOO_PRECISE"),
    ]
    for variables, code in cases:
        body = await graphql(client, CHECK, variables)
        [error] = body["errors"]
        assert error["extensions"]["code"] == code, body
    assert await audit_count(hub) == before
