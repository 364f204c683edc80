from __future__ import annotations

import httpx
import strawberry
from graphql import parse, validate

from hub.app import Hub
from hub.settings import Settings
from hub.web.app import create_app
from schema.app import schema
from schema.core.limits import DocumentDemand, QueryLimits, limits_rule
from tests.support import LiveServer, graphql

PAGE = "catalogue(first: 100) { edges { node { sourceId images { label } titles { value } } } }"
"""1 for the connection, then per item: edge 1, node 1, images 10 x 1, titles 10 x 1: 2201 in all."""


def doubling_fragments(count: int) -> str:
    """The hostile document: each fragment spreads the next one twice (under 1 KB for 22 fragments)."""
    lines = ["query { ...F0 }"]
    lines += [f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} }}" for n in range(count)]
    lines.append(f"fragment F{count} on Query {{ institutions {{ code }} }}")
    return "\n".join(lines)


def test_limits_walk_each_fragment_once_however_often_it_is_spread() -> None:
    document = parse(doubling_fragments(40))
    demand = DocumentDemand(schema._schema, document)
    totals = demand.operation(next(d for d in document.definitions if d.kind == "operation_definition"))
    assert demand.selection_sets_walked == 1 + 41 + 1  # the operation, each fragment, `institutions { code }`
    assert totals.selections == 2**40 * 2  # what expanding the fragments would select
    assert totals.cost == 2**40 * 10


def test_limits_rule_is_built_once_per_limits_so_validation_stays_cacheable() -> None:
    assert limits_rule(QueryLimits(max_cost=10)) is limits_rule(QueryLimits(max_cost=10))
    assert limits_rule(QueryLimits(max_cost=10)) is not limits_rule(QueryLimits(max_cost=11))


@strawberry.type
class Person:
    name: str
    friends: list[Person]


@strawberry.type
class PeopleQuery:
    me: Person


def test_limits_refuse_a_document_deeper_than_the_limit_through_fragments() -> None:
    people = strawberry.Schema(PeopleQuery)._schema
    fragment = "fragment Deep on Person { friends { friends { friends { name } } } }"
    shallow = parse("{ me { ...Deep } } " + fragment)  # 4 levels
    deep = parse("{ me { friends { ...Deep } } } " + fragment)  # 5 levels
    rule = limits_rule(QueryLimits(max_depth=4, max_cost=10**9))
    assert validate(people, shallow, (rule,)) == []
    [error] = validate(people, deep, (rule,))
    assert error.message == "the operation is 5 levels deep, over the limit of 4"
    assert error.extensions == {"code": "GRAPHQL_VALIDATION_FAILED", "depth": 5, "maxDepth": 4}


async def test_the_doubling_fragment_document_is_refused_at_once(live_hub: LiveServer) -> None:
    document = doubling_fragments(22)
    assert len(document.encode()) < 1024
    async with httpx.AsyncClient(base_url=live_hub.url) as http:
        body = (await http.post("/graphql", json={"query": document})).json()
        fine = await graphql(http, "{ institutions { code } }")
    assert body["data"] is None
    codes = {error["extensions"]["code"] for error in body["errors"]}
    assert codes == {"GRAPHQL_VALIDATION_FAILED"}
    assert any("over the limit of 1000" in error["message"] for error in body["errors"])
    assert "errors" not in fine


async def test_a_query_costing_more_than_the_limit_is_refused_naming_cost_and_limit(
    client: httpx.AsyncClient,
) -> None:
    two = await graphql(client, f"{{ a: {PAGE} b: {PAGE} }}")
    three = await graphql(client, f"{{ a: {PAGE} b: {PAGE} c: {PAGE} }}")
    assert "errors" not in two
    [error] = three["errors"]
    assert error["message"].startswith("the operation costs 6603, over the limit of 5000")
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED", "cost": 6603, "maxCost": 5000}
    assert three["data"] is None


async def test_query_cost_counts_a_variable_page_size_as_the_largest_page(client: httpx.AsyncClient) -> None:
    page = "catalogue(first: $n) { edges { node { sourceId images { label } titles { value } } } }"
    body = await graphql(client, f"query($n: Int) {{ a: {page} b: {page} c: {page} }}", {"n": 1})
    assert body["errors"][0]["extensions"]["cost"] == 6603
    small = "catalogue(first: 1) { edges { node { sourceId images { label } titles { value } } } }"
    assert "errors" not in await graphql(client, f"{{ a: {small} b: {small} c: {small} }}")


async def test_query_cost_limit_is_a_setting(database_url: str) -> None:
    hub = Hub.create(Settings(database_url=database_url, max_query_cost=100))
    try:
        transport = httpx.ASGITransport(app=create_app(hub))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
            body = await graphql(http, "{ catalogue(first: 20) { edges { node { sourceId images { label } } } } }")
    finally:
        await hub.close()
    assert body["errors"][0]["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED", "cost": 241, "maxCost": 100}
