"""Money queries: the FX rates in force, an institution's escrow balances as Money with `formatted`."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from hub.app import Hub
from hub.catalogue.institutions import add_institution
from hub.money import escrow
from hub.money.money import Money
from tests.auth_support import bearer, mint_token
from tests.support import graphql

BALANCES = """query($institution: String, $locale: String) {
  escrowBalances(institution: $institution) {
    currency held { amount currency formatted(locale: $locale) } released { amount } returned { amount }
    received { amount }
  }
}"""


async def hold(hub: Hub, buyer: str, amount: Money, reference: str) -> None:
    async with hub.sessions.begin() as session:
        await escrow.hold(session, "test", buyer, "TWMM", amount, reference)


async def test_escrow_balances_show_the_institutions_held_funds(hub: Hub, client: httpx.AsyncClient) -> None:
    async with hub.sessions.begin() as session:
        await add_institution(session, "MNAA", "Musée national des arts asiatiques – Guimet", "FR", "fr")
    await hold(hub, "MNAA", Money.parse("86000", "EUR"), "transfer:1")
    await hold(hub, "MNAA", Money.parse("1250.5", "KWD"), "transfer:2")
    token = await mint_token(hub, "trade:read", "MNAA")
    body = await graphql(client, BALANCES, {"locale": "fr-FR"}, **bearer(token))
    assert body["data"]["escrowBalances"] == [
        {
            "currency": "EUR",
            "held": {"amount": "86000.00", "currency": "EUR", "formatted": "86\u202f000,00\xa0€"},
            "released": {"amount": "0.00"},
            "returned": {"amount": "0.00"},
            "received": {"amount": "0.00"},
        },
        {
            "currency": "KWD",
            "held": {"amount": "1250.500", "currency": "KWD", "formatted": "1\u202f250,500\xa0KWD"},
            "released": {"amount": "0.000"},
            "returned": {"amount": "0.000"},
            "received": {"amount": "0.000"},
        },
    ]
    async with hub.sessions.begin() as session:
        await escrow.release(session, "test", "transfer:1")
    seller = await mint_token(hub, "trade:read", "TWMM")
    query = "{ escrowBalances { currency received { formatted } } }"
    body = await graphql(client, query, **bearer(seller), **{"Accept-Language": "zh-CN, en;q=0.5"})
    assert body["data"]["escrowBalances"] == [{"currency": "EUR", "received": {"formatted": "€86,000.00"}}]


async def test_escrow_balances_of_another_institution_are_refused(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "trade:read", "TWMM")
    body = await graphql(client, BALANCES, {"institution": "CRECC"}, **bearer(token))
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "may not read the escrow of CRECC" in body["errors"][0]["message"]
    anonymous = await graphql(client, BALANCES, {})
    assert anonymous["errors"][0]["extensions"] == {"code": "FORBIDDEN", "scope": "trade:read"}


async def test_money_formatted_refuses_an_unknown_locale(hub: Hub, client: httpx.AsyncClient) -> None:
    await hold(hub, "NLC", Money.parse("5000", "JPY"), "transfer:3")
    token = await mint_token(hub, "trade:read", "NLC")
    body = await graphql(client, BALANCES, {"locale": "xx-QQ"}, **bearer(token))
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "reason": "INVALID_LOCALE", "field": "locale"}
    assert "'xx-QQ'" in error["message"]


async def test_fx_rates_are_those_in_force_at_the_instant_asked(hub: Hub, client: httpx.AsyncClient) -> None:
    admin = await mint_token(hub, "hub:admin", client_id="ops-console")
    mutation = "mutation($i: SetFxRateInput!) { setFxRate(input: $i) { errors { code } } }"
    for rate, valid_from in (("7.80", "2026-01-01T00:00:00Z"), ("8.15", "2026-06-01T00:00:00Z")):
        input = {"base": "EUR", "quote": "CNY", "rate": rate, "source": "ECB", "validFrom": valid_from}
        assert (await graphql(client, mutation, {"i": input}, **bearer(admin)))["data"]["setFxRate"]["errors"] == []
    query = "query($at: DateTime) { fxRates(at: $at) { rate validFrom } }"
    march = datetime(2026, 3, 1, tzinfo=UTC).isoformat()
    assert (await graphql(client, query, {"at": march}))["data"]["fxRates"] == [
        {"rate": "7.80", "validFrom": "2026-01-01T00:00:00+00:00"}
    ]
    assert (await graphql(client, query))["data"]["fxRates"][0]["rate"] == "8.15"
    naive = await graphql(client, query, {"at": "2026-03-01T00:00:00"})
    assert naive["errors"][0]["extensions"]["reason"] == "INVALID_INSTANT"
