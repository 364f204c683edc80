"""The compiled reads answer exactly what the standard executor answers: data, errors with their paths and
codes, HTTP statuses, over generated operations, headers and tokens."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings

from tests.schema.compiled.conftest import Pair
from tests.schema.compiled.corpus import Case, operations


async def post(client: httpx.AsyncClient, case: Case, tokens: dict[str, str]) -> tuple[int, Any]:
    headers = list(case.headers)
    if case.token is not None:
        headers.append(("Authorization", f"Bearer {tokens[case.token]}"))
    response = await client.post("/graphql", json={"query": case.query, "variables": case.variables}, headers=headers)
    return response.status_code, response.json()


def ordered(value: Any) -> str:
    """The JSON text with keys in the order the server gave them: equal answers are equal key order and all."""
    return json.dumps(value, ensure_ascii=False)


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=operations())
async def test_compiled_reads_answer_what_the_standard_executor_answers(pair: Pair, case: Case) -> None:
    answered_before = pair.plans.answered
    standard = await post(pair.standard, case, pair.tokens)
    assert pair.plans.answered == answered_before, "the reference hub ran a plan"
    compiled = await post(pair.compiled, case, pair.tokens)
    assert ordered(compiled) == ordered(standard)
    again = await post(pair.compiled, case, pair.tokens)  # a text seen before: the fast path answers it
    assert ordered(again) == ordered(standard)
    status, body = standard
    if case.covered and status == 200 and "errors" not in body and not case.may_hand_back:
        assert pair.plans.answered == answered_before + 2, "a plan should have answered"
    if not case.covered:
        assert pair.plans.answered == answered_before, "no plan covers this operation"
