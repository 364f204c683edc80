"""Helpers of the catalogue mutation tests: an item as a partner pushes it, a push, what the catalogue lists."""

from __future__ import annotations

from typing import Any

import httpx

from tests.auth_support import bearer
from tests.support import graphql

UPSERT = """
mutation Upsert($input: UpsertCatalogueItemsInput!) {
  upsertCatalogueItems(input: $input) {
    items { id sourceId title(lang: "en") institution { code } ... on MuseumObject { relicGrade } }
    errors { code field message }
  }
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
