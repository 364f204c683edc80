from __future__ import annotations

from typing import Any

import httpx
import pytest

from connectors.records import Tombstone
from hub.app import Hub
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import serve_app
from tests import records
from tests.records import store
from tests.support import count_statements, graphql

SEARCH = """
query Search($query: String, $institutions: [String!], $kinds: [ItemKind!], $period: String,
             $yearFrom: Int, $yearTo: Int, $first: Int, $after: String) {
  catalogue(query: $query, institutions: $institutions, kinds: $kinds, period: $period,
            yearFrom: $yearFrom, yearTo: $yearTo, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id sourceId title(lang: "en") kind institution { code } } }
  }
}
"""


async def search(client: httpx.AsyncClient, **variables: Any) -> dict[str, Any]:
    body = await graphql(client, SEARCH, variables)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["catalogue"]
    return result


def source_ids(result: dict[str, Any]) -> list[str]:
    return [edge["node"]["sourceId"] for edge in result["edges"]]


async def test_catalogue_query_matches_chinese_substring(catalogue: Hub, client: httpx.AsyncClient) -> None:
    result = await search(client, query="三彩")
    assert sorted(source_ids(result)) == ["CR-0001", "TW-0001"]


async def test_catalogue_query_matches_english_words_in_any_case(catalogue: Hub, client: httpx.AsyncClient) -> None:
    assert source_ids(await search(client, query="CAMEL groom")) == ["CR-0001"]
    assert source_ids(await search(client, query="chameau")) == ["CR-0001"]
    assert source_ids(await search(client, query="camel horse")) == []


async def test_catalogue_query_treats_like_wildcards_literally(catalogue: Hub, client: httpx.AsyncClient) -> None:
    assert source_ids(await search(client, query="%")) == []
    assert source_ids(await search(client, query="_")) == []


async def test_catalogue_filters_by_institution_and_kind(catalogue: Hub, client: httpx.AsyncClient) -> None:
    assert sorted(source_ids(await search(client, institutions=["TWMM"]))) == ["TW-0001", "TW-0002", "TW-0003"]
    assert source_ids(await search(client, institutions=["TWMM"], kinds=["COIN"])) == ["TW-0002"]
    assert sorted(source_ids(await search(client, kinds=["METALWORK"]))) == ["CR-0002", "TW-0003"]


async def test_catalogue_filters_by_period_name_in_english_or_chinese(
    catalogue: Hub, client: httpx.AsyncClient
) -> None:
    tang = sorted(source_ids(await search(client, period="Tang")))
    assert tang == ["CR-0001", "CR-0002", "TW-0001", "TW-0002"]
    assert sorted(source_ids(await search(client, period="唐"))) == tang
    assert source_ids(await search(client, period="han")) == ["TW-0003"]


async def test_catalogue_filters_by_overlapping_year_range(catalogue: Hub, client: httpx.AsyncClient) -> None:
    assert source_ids(await search(client, yearTo=0)) == ["TW-0003"]
    assert source_ids(await search(client, yearFrom=2000)) == ["NLC-0001"]
    assert sorted(source_ids(await search(client, yearFrom=750, yearTo=760))) == [
        "CR-0001",
        "CR-0002",
        "TW-0001",
        "TW-0002",
    ]


async def test_catalogue_pages_forward_with_cursors_and_total(catalogue: Hub, client: httpx.AsyncClient) -> None:
    seen: list[str] = []
    after = None
    while True:
        page = await search(client, first=4, after=after)
        assert page["totalCount"] == 6
        seen += source_ids(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 6 == len(set(seen))


@pytest.mark.parametrize(
    ("variables", "field", "fragment"),
    [
        ({"first": -1}, "first", "first must be between 0 and 100, not -1"),
        ({"first": 1000}, "first", "not 1000"),
        ({"after": "bm90LWEtY3Vyc29y"}, "after", "unknown cursor 'bm90LWEtY3Vyc29y'"),
        ({"yearFrom": 900, "yearTo": 600}, "yearFrom", "yearFrom 900 is after yearTo 600"),
    ],
)
async def test_catalogue_bad_arguments_give_errors_naming_them(
    catalogue: Hub, client: httpx.AsyncClient, variables: dict[str, Any], field: str, fragment: str
) -> None:
    body = await graphql(client, SEARCH, variables)
    assert body["data"] is None
    [error] = body["errors"]
    assert fragment in error["message"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_catalogue_unknown_kind_is_refused_by_the_schema(catalogue: Hub, client: httpx.AsyncClient) -> None:
    body = await graphql(client, SEARCH, {"kinds": ["SPACESHIP"]})
    assert "SPACESHIP" in body["errors"][0]["message"]


async def test_catalogue_hides_items_the_partner_deleted(catalogue: Hub, client: httpx.AsyncClient) -> None:
    await store(catalogue, "TWMM", [Tombstone("TW-0001", records.STAMP)])
    assert source_ids(await search(client, query="三彩")) == ["CR-0001"]
    body = await graphql(client, "{ institutions { code itemCount } }")
    counts = {i["code"]: i["itemCount"] for i in body["data"]["institutions"]}
    assert counts == {"NLC": 1, "CRECC": 2, "TWMM": 2}


ITEM_PAGE = """
query Page($first: Int) {
  catalogue(first: $first) {
    edges { node { id title titles { lang value } institution { code name } images { manifestUrl } } }
  }
}
"""


async def test_catalogue_statement_count_does_not_grow_with_page_size(hub: Hub, client: httpx.AsyncClient) -> None:
    many = [records.relic(f"CR-{n:04d}", f"三彩俑 {n}", f"Sancai figure {n}", images=2) for n in range(60)]
    await store(hub, "CRECC", many[:30])
    await store(hub, "TWMM", many[30:])
    counts = []
    for first in (5, 50):
        with count_statements(hub.engine) as statements:
            body = await graphql(client, ITEM_PAGE, {"first": first})
        assert len(body["data"]["catalogue"]["edges"]) == first
        assert all(len(e["node"]["images"]) == 2 for e in body["data"]["catalogue"]["edges"])
        counts.append(len([s for s in statements if s.lstrip().upper().startswith("SELECT")]))
    assert counts[0] == counts[1]
    assert counts[1] <= 3


SYNC_STATUS = "{ institutions { code syncStatus lastSyncedAt lastSyncError } }"


async def crecc_status(client: httpx.AsyncClient) -> dict[str, Any]:
    body = await graphql(client, SYNC_STATUS)
    (crecc,) = [i for i in body["data"]["institutions"] if i["code"] == "CRECC"]
    return crecc


async def test_institutions_show_how_the_last_harvest_went(hub: Hub, client: httpx.AsyncClient) -> None:
    assert await crecc_status(client) == {
        "code": "CRECC",
        "syncStatus": "NEVER",
        "lastSyncedAt": None,
        "lastSyncError": None,
    }
    await hub.sync.sync_partner("CRECC")  # no URL yet: it fails
    failed = await crecc_status(client)
    assert failed["syncStatus"] == "FAILED" and "HUB_PARTNER_CRECC_URL" in failed["lastSyncError"]
    server = await serve_app(CreccSandbox().make_app())
    hub.sync.partner_urls["CRECC"] = server.url
    try:
        assert (await hub.sync.sync_partner("CRECC")).ok
    finally:
        await server.close()
    recovered = await crecc_status(client)
    assert recovered["syncStatus"] == "OK" and recovered["lastSyncError"] is None
    assert recovered["lastSyncedAt"] is not None


async def test_catalogue_query_of_too_many_words_is_bad_user_input_naming_the_limit(
    catalogue: Hub, client: httpx.AsyncClient
) -> None:
    body = await graphql(client, SEARCH, {"query": " ".join(["horse"] * 17)})
    [error] = body["errors"]
    assert error["message"] == "query has 17 terms, more than the 16 allowed: search with fewer words"
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "query"}
    assert source_ids(await search(client, query=" ".join(["horse"] * 16))) == ["TW-0001"]


async def test_catalogue_query_of_too_many_characters_is_bad_user_input(client: httpx.AsyncClient) -> None:
    body = await graphql(client, SEARCH, {"query": "马" * 201})
    assert body["errors"][0]["message"] == "query has 201 characters, more than the 200 allowed"
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
