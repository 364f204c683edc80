"""`deleteCatalogueItems`: a partner deletes items of its own institution by their sourceId, all or none."""

from __future__ import annotations

import httpx

from hub.app import Hub
from tests.auth_support import bearer, mint_token
from tests.schema.catalogue.support import catalogue_ids, item, push
from tests.support import graphql

DELETE = """
mutation Delete($input: DeleteCatalogueItemsInput!) {
  deleteCatalogueItems(input: $input) { deletedIds errors { code field message } }
}
"""


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
