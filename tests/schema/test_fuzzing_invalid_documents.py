"""A bounded fuzzing run of /graphql with invalid documents: no HTTP 500, no masked fault, every error has a code."""

from __future__ import annotations

from schemathesis import GenerationMode

from tests.schema.fuzzing import fuzz_graphql


def test_fuzzing_invalid_documents_find_no_server_error_and_no_masked_fault(database_url: str) -> None:
    fuzz_graphql(database_url, GenerationMode.NEGATIVE)
