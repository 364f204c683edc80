from __future__ import annotations

import httpx

from hub.app import Hub
from tests.support import count_statements, graphql


async def some_item_ids(client: httpx.AsyncClient) -> dict[str, str]:
    body = await graphql(client, "{ catalogue(first: 10) { edges { node { id sourceId } } } }")
    return {e["node"]["sourceId"]: e["node"]["id"] for e in body["data"]["catalogue"]["edges"]}


async def test_item_and_node_resolve_a_global_id(catalogue: Hub, client: httpx.AsyncClient) -> None:
    ids = await some_item_ids(client)
    query = """query($id: ID!) {
      item(id: $id) { sourceId __typename ... on MuseumObject { relicGrade exportRestricted } }
      node(id: $id) { id ... on CatalogueItem { title(lang: "en") } }
    }"""
    body = await graphql(client, query, {"id": ids["CR-0002"]})
    assert body["data"]["item"] == {
        "sourceId": "CR-0002",
        "__typename": "MuseumObject",
        "relicGrade": "GRADE_1",
        "exportRestricted": False,
    }
    assert body["data"]["node"] == {"id": ids["CR-0002"], "title": "Gilt octagonal silver cup"}


async def test_books_are_library_items(catalogue: Hub, client: httpx.AsyncClient) -> None:
    body = await graphql(client, "{ catalogue(kinds: [BOOK]) { edges { node { __typename creators } } } }")
    assert body["data"]["catalogue"]["edges"] == [{"node": {"__typename": "LibraryItem", "creators": ["荣新江"]}}]


async def test_node_resolves_an_institution(catalogue: Hub, client: httpx.AsyncClient) -> None:
    body = await graphql(client, "{ institutions { id code } }")
    twmm = next(i for i in body["data"]["institutions"] if i["code"] == "TWMM")
    body = await graphql(client, "query($id: ID!) { node(id: $id) { ... on Institution { code country } } }", twmm)
    assert body["data"]["node"] == {"code": "TWMM", "country": "CN"}


async def test_item_malformed_id_is_a_clear_error(catalogue: Hub, client: httpx.AsyncClient) -> None:
    body = await graphql(client, '{ item(id: "!!!") { sourceId } }')
    assert body["errors"][0]["message"] == "malformed id '!!!': pass an id the hub returned"


async def test_federation_service_sdl_declares_entity_keys(catalogue: Hub, client: httpx.AsyncClient) -> None:
    body = await graphql(client, "{ _service { sdl } }")
    sdl = body["data"]["_service"]["sdl"]
    assert 'type MuseumObject implements CatalogueItem & Node @key(fields: "id")' in sdl
    assert 'type Institution implements Node @key(fields: "code")' in sdl
    assert "federation/v2" in sdl


async def test_federation_entities_are_batched(catalogue: Hub, client: httpx.AsyncClient) -> None:
    ids = await some_item_ids(client)
    representations = [{"__typename": "MuseumObject", "id": ids[s]} for s in ("CR-0001", "CR-0002", "TW-0001")]
    representations.append({"__typename": "Institution", "code": "NLC"})
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
      ... on MuseumObject { sourceId } ... on Institution { code itemCount } } }"""
    with count_statements(catalogue.engine) as statements:
        body = await graphql(client, query, {"r": representations})
    assert body["data"]["_entities"] == [
        {"sourceId": "CR-0001"},
        {"sourceId": "CR-0002"},
        {"sourceId": "TW-0001"},
        {"code": "NLC", "itemCount": 1},
    ]
    assert len(statements) == 3  # items, institutions by code, item counts
