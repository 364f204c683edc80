"""Answering a compiled query before strawberry runs: a POSTed JSON query whose text and operation the standard
pipeline has parsed, validated and compiled before is answered from its plan, variables coerced as graphql-core
coerces them. Anything else, and any request the plan hands back, goes to the standard view unchanged.

This relies on parsing and validation depending on the document alone, which holds for the extensions in
`PASSIVE_EXTENSIONS` (the others act on errors only, which this path never answers). A schema with any other
extension is never answered here (its requests still run compiled plans inside the pipeline).
"""

from __future__ import annotations

from typing import Any

import orjson
import strawberry
from graphql.execution.values import get_variable_values
from starlette.types import Receive, Scope, Send
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)

from hub.app import Hub
from hub.core.i18n import parse_accept_language
from schema.compiled.plan import PlanRequest
from schema.compiled.plans import plans_of
from schema.core.context import FreshLoadersPerOperation
from schema.core.limits import DocumentLimits
from schema.core.request_body import read_body, replay

PASSIVE_EXTENSIONS: tuple[type[SchemaExtension], ...] = (
    ParserCache,
    ValidationCache,
    AddValidationRules,
    DocumentLimits,
    MaxTokensLimiter,
    MaskErrors,
    FreshLoadersPerOperation,
)
"""Extensions that decide by the document alone (parsing, validation) or touch errors only."""

MAX_BODY_BYTES = 64 * 1024
"""Larger requests go to the standard view."""

JSON_HEADERS = [(b"content-type", b"application/json")]


def passive_only(schema: strawberry.Schema) -> bool:
    """Whether every extension of the schema is one of PASSIVE_EXTENSIONS."""
    for extension in schema.extensions:
        instance = extension() if callable(extension) and not isinstance(extension, SchemaExtension) else extension
        if not isinstance(instance, PASSIVE_EXTENSIONS):
            return False
    return True


class FastReads:
    def __init__(self, schema: strawberry.Schema, hub: Hub) -> None:
        self.schema = schema._schema
        self.plans = plans_of(self.schema)
        self.hub = hub
        self.enabled = hub.pages is not None and passive_only(schema)
        self.answered = 0
        """Requests answered here, before strawberry."""

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """None when answered; else the receive channel for the standard view (the body replayed if read)."""
        if not self.enabled or scope["type"] != "http" or scope["method"] != "POST":
            return receive
        headers: dict[bytes, bytes] = {}
        for name, value in scope["headers"]:
            headers.setdefault(name, value)  # the first of repeated headers, as Starlette's Headers.get gives it
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        accept = headers.get(b"accept", b"")
        if content_type != b"application/json" or b"multipart/" in accept or b"text/event-stream" in accept:
            return receive
        body = await read_body(receive)
        if body is None or len(body) > MAX_BODY_BYTES or not await self._answer(body, headers, send):
            return replay(body, receive)
        return None

    async def _answer(self, body: bytes, headers: dict[bytes, bytes], send: Send) -> bool:
        request = _graphql_request(body)
        if request is None:
            return False
        query, operation_name, raw_variables = request
        known = self.plans.for_text(query, operation_name)
        if known is None or self.hub.pages is None:
            return False
        variables = get_variable_values(self.schema, known.operation.variable_definitions or (), raw_variables)
        if isinstance(variables, list):  # coercion errors: the standard view reports them
            return False
        languages = parse_accept_language(headers.get(b"accept-language", b"").decode("latin-1") or None)
        data = await self.plans.run(known.plan, PlanRequest(self.hub, self.hub.pages, variables, languages))
        if data is None:
            return False
        payload = orjson.dumps({"data": data})
        start_headers = [(b"content-length", str(len(payload)).encode()), *JSON_HEADERS]
        await send({"type": "http.response.start", "status": 200, "headers": start_headers})
        await send({"type": "http.response.body", "body": payload})
        self.answered += 1
        return True


def _graphql_request(body: bytes) -> tuple[str, str | None, dict[str, Any]] | None:
    """(query, operationName, variables) of a single JSON request strawberry would accept; None otherwise."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(payload, dict):
        return None
    query, name, variables = payload.get("query"), payload.get("operationName"), payload.get("variables")
    if not isinstance(query, str) or not isinstance(name, (str, type(None))):
        return None
    if not isinstance(variables, (dict, type(None))) or not isinstance(payload.get("extensions"), (dict, type(None))):
        return None
    return query, name, variables or {}
