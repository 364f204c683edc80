"""Partner push: upsertCatalogueItems, deleteCatalogueItems, triggerSync."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from hub.app import Hub
from hub.catalogue.events import ChangeKind
from hub.sandbox.runner import RunningSandboxes
from tests.auth_support import bearer, mint_token
from tests.support import graphql

UPSERT = """
mutation Upsert($input: UpsertCatalogueItemsInput!) {
  upsertCatalogueItems(input: $input) {
    items { id sourceId title(lang: "en") institution { code } ... on MuseumObject { relicGrade } }
    errors { code field message }
  }
}
"""
DELETE = """
mutation Delete($input: DeleteCatalogueItemsInput!) {
  deleteCatalogueItems(input: $input) { deletedIds errors { code field message } }
}
"""
SYNC = """
mutation Sync($input: TriggerSyncInput!) {
  triggerSync(input: $input) { sync { institution ok added } errors { code field message } }
}
"""


def item(source_id: str = "NLC-P-1", en: str = "Dunhuang star chart", **extra: Any) -> dict[str, Any]:
    return {
        "sourceId": source_id,
        "kind": "MANUSCRIPT",
        "titles": [{"lang": "zh", "value": "敦煌星图"}, {"lang": "en", "value": en}],
        "earliestYear": 649,
        "latestYear": 684,
        **extra,
    }


async def push(client: httpx.AsyncClient, token: str, items: list[dict[str, Any]], **input: Any) -> dict[str, Any]:
    body = await graphql(client, UPSERT, {"input": {"items": items, **input}}, **bearer(token))
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["upsertCatalogueItems"]
    return result


async def catalogue_ids(client: httpx.AsyncClient, institution: str) -> list[str]:
    query = "query($i: [String!]) { catalogue(institutions: $i) { edges { node { sourceId } } } }"
    body = await graphql(client, query, {"i": [institution]})
    return sorted(edge["node"]["sourceId"] for edge in body["data"]["catalogue"]["edges"])


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


async def test_delete_tombstones_own_items(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "catalogue:write", "NLC")
    pushed = await push(client, token, [item(), item("NLC-P-2")])
    body = await graphql(client, DELETE, {"input": {"sourceIds": ["NLC-P-1"]}}, **bearer(token))
    result = body["data"]["deleteCatalogueItems"]
    assert result == {"deletedIds": [pushed["items"][0]["id"]], "errors": []}
    assert await catalogue_ids(client, "NLC") == ["NLC-P-2"]
    again = await graphql(client, DELETE, {"input": {"sourceIds": ["NLC-P-1"]}}, **bearer(token))
    assert again["data"]["deleteCatalogueItems"]["errors"] == []


async def test_delete_of_an_unknown_item_names_it_and_deletes_nothing(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "catalogue:write", "NLC")
    await push(client, token, [item()])
    body = await graphql(client, DELETE, {"input": {"sourceIds": ["NLC-P-1", "NLC-NOPE"]}}, **bearer(token))
    (error,) = body["data"]["deleteCatalogueItems"]["errors"]
    assert (error["code"], error["field"]) == ("NOT_FOUND", "sourceIds[1]") and "'NLC-NOPE'" in error["message"]
    assert await catalogue_ids(client, "NLC") == ["NLC-P-1"]


async def test_delete_of_another_institutions_items_is_forbidden(hub: Hub, client: httpx.AsyncClient) -> None:
    twmm = await mint_token(hub, "catalogue:write", "TWMM")
    await push(client, twmm, [item("TW-P-1")])
    nlc = await mint_token(hub, "catalogue:write", "NLC")
    body = await graphql(client, DELETE, {"input": {"sourceIds": ["TW-P-1"], "institution": "TWMM"}}, **bearer(nlc))
    assert [e["code"] for e in body["data"]["deleteCatalogueItems"]["errors"]] == ["FORBIDDEN"]
    assert await catalogue_ids(client, "TWMM") == ["TW-P-1"]


async def test_trigger_sync_harvests_the_tokens_partner(
    hub: Hub, client: httpx.AsyncClient, sandboxes: RunningSandboxes
) -> None:
    token = await mint_token(hub, "catalogue:write", "CRECC")
    body = await graphql(client, SYNC, {"input": {}}, **bearer(token))
    result = body["data"]["triggerSync"]
    assert result["errors"] == [] and result["sync"]["institution"] == "CRECC" and result["sync"]["ok"]
    assert result["sync"]["added"] > 0


async def test_trigger_sync_reports_a_failed_harvest(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "catalogue:write", "CRECC")
    body = await graphql(client, SYNC, {"input": {}}, **bearer(token))
    (error,) = body["data"]["triggerSync"]["errors"]
    assert error["code"] == "SYNC_FAILED" and "HUB_PARTNER_CRECC_URL" in error["message"]
