"""`setFxRate` through GraphQL: the operator stores dated rates; bad values are payload errors, nothing written."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hub.app import Hub
from tests.auth_support import bearer, mint_token
from tests.support import graphql
from tests.table_snapshot import changed_tables, table_snapshot

SET_RATE = """
mutation Set($input: SetFxRateInput!) {
  setFxRate(input: $input) { fxRate { base quote rate validFrom source } errors { code field message } }
}
"""
RATES = "query($currency: String) { fxRates(currency: $currency) { base quote rate source } }"
PEG = {"base": "USD", "quote": "AED", "rate": "3.6725", "source": "CBUAE peg", "validFrom": "2026-01-02T00:00:00Z"}


async def set_rate(client: httpx.AsyncClient, token: str, **input: Any) -> dict[str, Any]:
    body = await graphql(client, SET_RATE, {"input": input}, **bearer(token))
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["setFxRate"]
    return result


async def test_set_fx_rate_stores_a_rate_that_fx_rates_lists(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "hub:admin", client_id="ops-console")
    result = await set_rate(client, token, **PEG)
    assert result == {
        "fxRate": {
            "base": "USD",
            "quote": "AED",
            "rate": "3.6725",
            "validFrom": "2026-01-02T00:00:00+00:00",
            "source": "CBUAE peg",
        },
        "errors": [],
    }
    body = await graphql(client, RATES, {"currency": "aed"})
    assert body["data"]["fxRates"] == [{"base": "USD", "quote": "AED", "rate": "3.6725", "source": "CBUAE peg"}]


async def test_set_fx_rate_needs_the_admin_scope(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "trade:write trade:read", "TWMM")
    body = await graphql(client, SET_RATE, {"input": PEG}, **bearer(token))
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN", "scope": "hub:admin"}
    assert (await graphql(client, RATES))["data"]["fxRates"] == []


@pytest.mark.parametrize(
    ("change", "code", "field", "named"),
    [
        ({"base": "XAU"}, "UNSUPPORTED_CURRENCY", "base", "'XAU'"),
        ({"quote": "USD"}, "SAME_CURRENCY", "quote", "USD twice"),
        ({"rate": "-3.6725"}, "INVALID_RATE", "rate", "'-3.6725'"),
        ({"rate": "0.0000000000001"}, "INVALID_RATE", "rate", "decimal places"),
        ({"source": ""}, "INVALID_SOURCE", "source", "''"),
        ({"validFrom": "2026-01-02T00:00:00"}, "INVALID_INSTANT", "validFrom", "time zone"),
    ],
)
async def test_set_fx_rate_refuses_bad_values_and_writes_nothing(
    hub: Hub, client: httpx.AsyncClient, change: dict[str, str], code: str, field: str, named: str
) -> None:
    token = await mint_token(hub, "hub:admin", client_id="ops-console")
    before = await table_snapshot(hub)
    result = await set_rate(client, token, **(PEG | change))
    [error] = result["errors"]
    assert (result["fxRate"], error["code"], error["field"]) == (None, code, field)
    assert named in error["message"]
    assert changed_tables(before, await table_snapshot(hub)) == []


async def test_set_fx_rate_refuses_a_different_rate_for_the_same_instant(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "hub:admin", client_id="ops-console")
    await set_rate(client, token, **PEG)
    before = await table_snapshot(hub)
    result = await set_rate(client, token, **(PEG | {"rate": "3.70"}))
    assert [(e["code"], e["field"]) for e in result["errors"]] == [("RATE_CONFLICT", "rate")]
    assert changed_tables(before, await table_snapshot(hub)) == []


async def test_set_fx_rate_idempotency_key_replays_and_refuses_another_request(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    token = await mint_token(hub, "hub:admin", client_id="ops-console")
    first = await set_rate(client, token, **PEG, idempotencyKey="peg-2026")
    again = await set_rate(client, token, **PEG, idempotencyKey="peg-2026")
    assert again == first and first["errors"] == []
    before = await table_snapshot(hub)
    other = await set_rate(client, token, **(PEG | {"quote": "SAR", "rate": "3.75"}), idempotencyKey="peg-2026")
    assert [(e["code"], e["field"]) for e in other["errors"]] == [("IDEMPOTENCY_KEY_REUSED", "idempotencyKey")]
    assert other["fxRate"] is None
    assert changed_tables(before, await table_snapshot(hub)) == []


@pytest.mark.parametrize(
    ("accept_language", "message"),
    [
        ("fr-FR,fr;q=0.9", "la devise 'XAU' n'est pas prise en charge ; utilisez l'une de : AED, BHD,"),
        ("zh-CN", "不支持货币 'XAU'；请使用以下之一：AED, BHD,"),
        ("ar-AE", "العملة 'XAU' غير مدعومة؛ استخدم إحدى العملات التالية: AED, BHD,"),
        ("ru", "валюта 'XAU' не поддерживается; используйте одну из: AED, BHD,"),
        ("ja, en;q=0.1", "currency 'XAU' is not supported; use one of AED, BHD,"),
    ],
)
async def test_set_fx_rate_error_message_is_in_the_callers_language(
    hub: Hub, client: httpx.AsyncClient, accept_language: str, message: str
) -> None:
    token = await mint_token(hub, "hub:admin", client_id="ops-console")
    body = await graphql(
        client, SET_RATE, {"input": PEG | {"base": "XAU"}}, **bearer(token), **{"Accept-Language": accept_language}
    )
    [error] = body["data"]["setFxRate"]["errors"]
    assert (error["code"], error["field"]) == ("UNSUPPORTED_CURRENCY", "base")
    assert error["message"].startswith(message)
