from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from hub.app import Hub
from hub.cli.migrate import upgrade_database
from hub.settings import Settings
from hub.web.app import create_app
from schema.core.errors import graphql_path
from tests import records
from tests.auth_support import bearer
from tests.records import store


@pytest.mark.parametrize(
    ("domain", "graphql"),
    [
        ("items[2].titles[0].lang", "items[2].titles[0].lang"),
        ("items[2].source_id", "items[2].sourceId"),
        ("source_ids[1]", "sourceIds[1]"),
        ("items[0].images[1].manifest_url", "items[0].images[1].manifestUrl"),
        ("idempotency_key", "idempotencyKey"),
        ("year_from", "yearFrom"),
        ("institution", "institution"),
        (None, None),
    ],
)
def test_graphql_path_camel_cases_each_name_and_keeps_indexes(domain: str | None, graphql: str | None) -> None:
    assert graphql_path(domain) == graphql


BAD_REQUESTS = [
    ("{ institutions { code }", None, "GRAPHQL_PARSE_FAILED"),
    ("{ institutions { nope } }", None, "GRAPHQL_VALIDATION_FAILED"),
    ("query($n: Int) { catalogue(first: $n) { totalCount } }", {"n": "many"}, "BAD_USER_INPUT"),
    ("query($n: Int!) { catalogue(first: $n) { totalCount } }", {}, "BAD_USER_INPUT"),
    ("{ catalogue(first: -1) { totalCount } }", None, "BAD_USER_INPUT"),
    ('mutation { triggerSync(input: { institution: "NLC" }) { errors { code } } }', None, "FORBIDDEN"),
]


@pytest.mark.parametrize(("query", "variables", "code"), BAD_REQUESTS)
async def test_every_graphql_error_carries_a_code_and_is_logged_at_info_in_one_line(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, query: str, variables: Any, code: str
) -> None:
    caplog.set_level(logging.INFO)
    body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
    assert [error["extensions"]["code"] for error in body["errors"]] == [code]
    logged = [record for record in caplog.records if record.name == "hub.graphql"]
    assert [record.levelno for record in logged] == [logging.INFO]
    assert logged[0].exc_info is None and "\n" not in logged[0].getMessage()
    assert code in logged[0].getMessage()


async def test_a_refused_token_is_unauthenticated_and_never_logged(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    response = await client.post("/graphql", json={"query": "{ institutions { code } }"}, headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert token not in caplog.text


async def test_a_request_strawberry_cannot_take_is_answered_in_json_with_a_code(client: httpx.AsyncClient) -> None:
    not_json = await client.post("/graphql", content=b"{not json", headers={"Content-Type": "application/json"})
    no_query = await client.post("/graphql", json={"variables": {}})
    for response in (not_json, no_query):
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_an_unexpected_fault_is_masked_with_the_request_id_its_error_log_carries(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'broken.sqlite3'}"
    await asyncio.to_thread(upgrade_database, url)
    broken = Hub.create(Settings(database_url=url))
    try:
        await store(broken, "TWMM", [records.SANCAI_HORSE])
        async with broken.engine.begin() as connection:
            await connection.execute(text("DROP TABLE item_images"))
        transport = httpx.ASGITransport(app=create_app(broken))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
            response = await http.post(
                "/graphql", json={"query": "{ catalogue { edges { node { images { label } } } } }"}
            )
    finally:
        await broken.close()
    [error] = response.json()["errors"]
    request_id = response.headers["x-request-id"]
    assert error["message"] == "Unexpected error."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    [logged] = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert logged.levelno == logging.ERROR and logged.exc_info is not None
    assert request_id in logged.getMessage()
    assert "item_images" in caplog.text and "item_images" not in response.text
