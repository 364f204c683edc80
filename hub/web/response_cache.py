"""A response cache for anonymous GraphQL reads of the public catalogue.

It sits in front of `/graphql` as plain ASGI, behind the body size and JSON depth limits. Only anonymous POSTs
(no Authorization header) of a query operation are cached (answers to authenticated clients may depend on their
scopes), keyed by the request body and Accept-Language, and only answers that are 200 without `errors`. An entry
is served while the version it was stored under still holds and for at most `ttl` seconds. The version (see
`hub.core.data_version`) changes with every commit by any hub process, and with every mutation and change of this
one, so a change is seen at once. Entries are kept oldest first: expired ones are dropped as new ones come, and
the oldest go when the answers kept would pass `max_bytes`.
"""

from __future__ import annotations

import enum
import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache

from graphql import GraphQLSyntaxError, OperationDefinitionNode, OperationType, parse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schema.core.limits import MAX_TOKENS
from schema.core.request_body import read_body, replay


class Operation(enum.Enum):
    QUERY = "query"
    MUTATION = "mutation"
    OTHER = "other"
    """A subscription, or a body that is no GraphQL request: never cached, changes nothing."""


@dataclass(frozen=True)
class CachedResponse:
    body: bytes
    headers: list[tuple[bytes, bytes]]
    version: Hashable
    stored_at: float

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers)


@lru_cache(maxsize=1024)
def operation_of(document: str, operation_name: str | None) -> Operation:
    """What the operation that would run is; parsed with the token limit the schema applies."""
    try:
        parsed = parse(document, no_location=True, max_tokens=MAX_TOKENS)
    except GraphQLSyntaxError:
        return Operation.OTHER
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name is not None and o.name.value == operation_name]
    if len(operations) != 1:
        return Operation.OTHER
    kind = operations[0].operation
    return (
        Operation.QUERY
        if kind is OperationType.QUERY
        else Operation.MUTATION
        if kind is OperationType.MUTATION
        else Operation.OTHER
    )


def _operation_of_body(body: bytes) -> Operation:
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return Operation.OTHER
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return Operation.OTHER
    name = payload.get("operationName")
    return operation_of(payload["query"], name if isinstance(name, str) else None)


class ResponseCache:
    def __init__(
        self,
        app: ASGIApp,
        version: Callable[[], Awaitable[Hashable]],
        on_mutation: Callable[[], None],
        ttl: float = 5.0,
        max_bytes: int = 32 * 1024 * 1024,
    ) -> None:
        self.app = app
        self.version = version
        self.on_mutation = on_mutation
        self.ttl = ttl
        self.max_bytes = max_bytes
        self.entries: OrderedDict[bytes, CachedResponse] = OrderedDict()
        self.size = 0
        self.hits = 0
        self.misses = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.ttl <= 0 or scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        body = await read_body(receive)
        receive = replay(body, receive)
        operation = Operation.OTHER if body is None else _operation_of_body(body)
        if operation is Operation.MUTATION:
            try:
                await self.app(scope, receive, send)
            finally:
                self.on_mutation()
            return
        if body is None or operation is Operation.OTHER or b"authorization" in headers:
            await self.app(scope, receive, send)  # not a read, or an authenticated one: never cached
            return
        key = hashlib.sha256(body + b"\0" + headers.get(b"accept-language", b"")).digest()
        version = await self.version()  # before the query runs: a change committed meanwhile ends the entry
        cached = self.entries.get(key)
        if cached is not None and cached.version == version and time.monotonic() - cached.stored_at < self.ttl:
            self.hits += 1
            await send(
                {"type": "http.response.start", "status": 200, "headers": [*cached.headers, (b"x-hub-cache", b"hit")]}
            )
            await send({"type": "http.response.body", "body": cached.body})
            return
        self.misses += 1
        await self._call_and_store(scope, receive, send, key, version)

    async def _call_and_store(self, scope: Scope, receive: Receive, send: Send, key: bytes, version: Hashable) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        if start is None or start["status"] != 200:
            return
        body = b"".join(chunks)
        try:
            if "errors" in json.loads(body):
                return
        except (ValueError, TypeError, RecursionError):
            return
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length", b"x-request-id")]
        headers.append((b"content-length", str(len(body)).encode()))
        self._store(key, CachedResponse(body, headers, version, time.monotonic()))

    def _store(self, key: bytes, entry: CachedResponse) -> None:
        self._drop(key)
        if entry.size > self.max_bytes // 8:
            return  # one answer may not crowd out the rest
        self.entries[key] = entry
        self.size += entry.size
        oldest_kept = entry.stored_at - self.ttl
        while self.entries:
            first_key, first = next(iter(self.entries.items()))
            if self.size <= self.max_bytes and first.stored_at > oldest_kept:
                break
            self._drop(first_key)

    def _drop(self, key: bytes) -> None:
        entry = self.entries.pop(key, None)
        if entry is not None:
            self.size -= entry.size
