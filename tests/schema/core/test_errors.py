from __future__ import annotations

import pytest

from schema.core.errors import graphql_path


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
