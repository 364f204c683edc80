"""`upsertCatalogueItems`: a partner adds or replaces items of its own institution, all or none."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from hub.app import Hub
from hub.catalogue.events import ChangeKind
from tests.auth_support import mint_token
from tests.schema.catalogue.support import catalogue_ids, item, push


async def test_upsert_adds_items_to_the_tokens_institution(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "catalogue:write", "NLC")
    result = await push(client, token, [item(), item("NLC-P-2", "Diamond Sutra")])
    assert result["errors"] == []
    assert [(i["sourceId"], i["institution"]["code"]) for i in result["items"]] == [
        ("NLC-P-1", "NLC"),
        ("NLC-P-2", "NLC"),
    ]
    assert await catalogue_ids(client, "NLC") == ["NLC-P-1", "NLC-P-2"]


async def test_upsert_replaces_an_item_and_raises_catalogue_changes(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "catalogue:write", "NLC")
    seen: list[Any] = []

    async def listen() -> None:
        async for change in hub.events.subscribe({"NLC"}):
            seen.append(change)
            if len(seen) == 2:
                return

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0)
    first = await push(client, token, [item()])
    second = await push(client, token, [item(en="Dunhuang star atlas")])
    await asyncio.wait_for(listener, 2)
    assert first["items"][0]["id"] == second["items"][0]["id"]
    assert second["items"][0]["title"] == "Dunhuang star atlas"
    assert [c.kind for c in seen] == [ChangeKind.ADDED, ChangeKind.CHANGED]


async def test_upsert_of_nlc_token_for_twmm_is_forbidden_and_changes_nothing(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    token = await mint_token(hub, "catalogue:write", "NLC")
    result = await push(client, token, [item("TW-9")], institution="TWMM")
    assert result["items"] == []
    (error,) = result["errors"]
    assert error["code"] == "FORBIDDEN" and error["field"] == "institution"
    assert "NLC" in error["message"] and "TWMM" in error["message"]
    assert await catalogue_ids(client, "TWMM") == []
    twmm = await mint_token(hub, "catalogue:write", "TWMM")  # the control: TWMM's own token may
    assert (await push(client, twmm, [item("TW-9")]))["errors"] == []
    assert await catalogue_ids(client, "TWMM") == ["TW-9"]


async def test_upsert_refuses_bad_values_all_or_nothing(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "catalogue:write", "NLC")
    result = await push(
        client,
        token,
        [item(), item("NLC-P-2", earliestYear=900, latestYear=800), item("NLC-P-3", originCountry="China")],
    )
    assert result["items"] == []
    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("INVALID_VALUE", "items[1].earliestYear"),
        ("INVALID_VALUE", "items[2].originCountry"),
    ]
    assert "'China'" in result["errors"][1]["message"]
    assert await catalogue_ids(client, "NLC") == []


async def test_upsert_with_an_idempotency_key_applies_once(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "catalogue:write", "NLC")
    first = await push(client, token, [item()], idempotencyKey="batch-1")
    await push(client, token, [item(en="Changed meanwhile")])
    retry = await push(client, token, [item()], idempotencyKey="batch-1")
    assert retry["errors"] == [] and retry["items"][0]["id"] == first["items"][0]["id"]
    assert retry["items"][0]["title"] == "Changed meanwhile"  # the retry did not write the old content again
    reused = await push(client, token, [item("NLC-P-9")], idempotencyKey="batch-1")
    assert [e["code"] for e in reused["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]


async def test_upsert_names_nested_bad_fields_by_their_graphql_path(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "catalogue:write", "NLC")
    bad = item(titles=[{"lang": "zz", "value": "星图"}], images=[{"manifestUrl": "ftp://iiif.example.org/1"}])
    result = await push(client, token, [bad])
    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("INVALID_VALUE", "items[0].titles[0].lang"),
        ("INVALID_VALUE", "items[0].images[0].manifestUrl"),
    ]
    too_long = await push(client, token, [item()], idempotencyKey="k" * 256)
    assert [(e["code"], e["field"]) for e in too_long["errors"]] == [("INVALID_VALUE", "idempotencyKey")]
    assert await catalogue_ids(client, "NLC") == []
