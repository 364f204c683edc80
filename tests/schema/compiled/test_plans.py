from __future__ import annotations

from pathlib import Path

import httpx
import strawberry
from strawberry.extensions import QueryDepthLimiter, SchemaExtension

from hub.app import Hub
from hub.settings import Settings
from schema.app import HubGraphQL
from schema.app import schema as hub_schema
from schema.compiled.fast_path import passive_only
from schema.compiled.plans import PlanCache
from tests.schema.compiled.conftest import Pair
from tests.support import graphql

PAGE = """query Page($first: Int) { catalogue(first: $first, query: "title") { totalCount
  edges { cursor node { id sourceId title(lang: "en") institution { code } } } } }"""


async def test_plan_answers_a_covered_page_and_the_fast_path_answers_it_again(pair: Pair) -> None:
    answered = pair.plans.answered
    first = await graphql(pair.compiled, PAGE, {"first": 3})
    assert pair.plans.answered == answered + 1
    again = await graphql(pair.compiled, PAGE, {"first": 3})
    assert pair.plans.answered == answered + 2
    assert first == again == await graphql(pair.standard, PAGE, {"first": 3})
    assert len(first["data"]["catalogue"]["edges"]) == 3


async def test_fast_path_answers_a_query_compiled_before_without_strawberry(pair: Pair, hub: Hub) -> None:
    page = PAGE.replace("query Page", "query FastPage")  # a text no other test compiled
    view = HubGraphQL(Hub.create(Settings(database_url=hub.settings.database_url, var_dir=hub.settings.var_dir)))
    transport = httpx.ASGITransport(app=view)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            await graphql(client, page, {"first": 2})
            assert view.fast_reads.answered == 0  # first sight: strawberry parses, validates, then the plan runs
            body = await graphql(client, page, {"first": 2}, **{"Accept-Language": "zh"})
            assert view.fast_reads.answered == 1
            assert body == await graphql(pair.standard, page, {"first": 2}, **{"Accept-Language": "zh"})
    finally:
        await view.hub.close()


async def test_fields_the_compiler_does_not_cover_run_the_resolvers(pair: Pair) -> None:
    query = "{ catalogue(first: 2) { edges { node { institution { code itemCount } } } } }"
    answered = pair.plans.answered
    body = await graphql(pair.compiled, query)
    assert pair.plans.answered == answered
    assert body == await graphql(pair.standard, query)
    assert body["data"]["catalogue"]["edges"][0]["node"]["institution"]["itemCount"] > 0


async def test_plan_hands_a_refused_argument_to_the_standard_executor(pair: Pair) -> None:
    handed_back = pair.plans.handed_back
    body = await graphql(pair.compiled, PAGE, {"first": 101})
    assert pair.plans.handed_back > handed_back
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    assert body["errors"][0]["path"] == ["catalogue"]


async def test_scoped_fields_are_never_compiled(pair: Pair) -> None:
    query = "{ auditLog { jurisdiction } catalogue(first: 1) { totalCount } }"
    answered = pair.plans.answered
    body = await graphql(pair.compiled, query)
    assert pair.plans.answered == answered
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


class Tracing(SchemaExtension):
    """An extension that is not known to decide by the document alone."""


def test_fast_path_is_on_only_for_extensions_that_decide_by_the_document() -> None:
    assert passive_only(hub_schema)  # a new extension of the hub's schema must be judged here first

    @strawberry.type
    class Query:
        hello: str = "hi"

    assert passive_only(strawberry.Schema(query=Query, extensions=[lambda: QueryDepthLimiter(5)]))  # a validation rule
    assert passive_only(strawberry.Schema(query=Query, extensions=[Tracing])) is False


def test_plan_cache_is_bounded() -> None:
    cache = PlanCache(hub_schema._schema, maxsize=4)
    from graphql import parse

    for n in range(10):
        document = parse(f"{{ catalogue(first: {n}) {{ totalCount }} }}")
        operation = document.definitions[0]
        cache.for_operation(operation, {}, document)  # type: ignore[arg-type]
    assert len(cache) == 4


def test_compiled_reads_off_leaves_the_hub_without_a_page_reader(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hub.sqlite3'}"
    assert Hub.create(Settings(database_url=url, compiled_reads=False)).pages is None
    assert Hub.create(Settings(database_url="sqlite+aiosqlite:///:memory:")).pages is None
    assert Hub.create(Settings(database_url=url)).pages is not None


async def test_fast_path_reads_the_first_of_repeated_accept_language_headers(pair: Pair) -> None:
    query = '{ catalogue(query: "camel") { edges { node { title } } } }'
    headers = [("Accept-Language", "en"), ("Accept-Language", "fr")]
    answers = [
        (await client.post("/graphql", json={"query": query}, headers=headers)).json()
        for client in (pair.standard, pair.compiled, pair.compiled)
    ]  # the second compiled one through the fast path
    assert answers[0] == answers[1] == answers[2]
    assert answers[2]["data"]["catalogue"]["edges"][0]["node"]["title"] == "Sancai foreign groom leading a camel"
