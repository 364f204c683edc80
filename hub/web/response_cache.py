"""A response cache for anonymous GraphQL reads of the public catalogue.

It sits in front of `/graphql` as plain ASGI. Only anonymous POSTs (no Authorization header) of a
query operation are cached (answers to authenticated clients may depend on their scopes), keyed by
the request body and Accept-Language, and only answers that are 200 without `errors`. An entry is
served while no local change happened since it was stored (`generation`, bumped by every catalogue
change, sync status change and mutation in this process) and for at most `ttl` seconds: the bound
on staleness for changes made by other hub processes.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from graphql import GraphQLSyntaxError, OperationDefinitionNode, OperationType, parse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 64 * 1024


@dataclass(frozen=True)
class CachedResponse:
    body: bytes
    headers: list[tuple[bytes, bytes]]
    generation: int
    stored_at: float


@lru_cache(maxsize=1024)
def is_query(document: str, operation_name: str | None) -> bool:
    """True when the operation that would run is a query (not a mutation or subscription)."""
    try:
        parsed = parse(document)
    except GraphQLSyntaxError:
        return False
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name is not None and o.name.value == operation_name]
    return len(operations) == 1 and operations[0].operation is OperationType.QUERY


class ResponseCache:
    def __init__(
        self,
        app: ASGIApp,
        generation: Callable[[], int],
        on_mutation: Callable[[], None],
        ttl: float = 5.0,
        max_entries: int = 1024,
    ) -> None:
        self.app = app
        self.generation = generation
        self.on_mutation = on_mutation
        self.ttl = ttl
        self.max_entries = max_entries
        self.entries: OrderedDict[bytes, CachedResponse] = OrderedDict()
        self.hits = 0
        self.misses = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.ttl <= 0 or scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        body = await _read_body(receive)
        replay = _replay(body, receive)
        if body is None:
            await self.app(scope, replay, send)
            return
        is_query = _is_cacheable_query(body)
        if b"authorization" in headers or len(body) > MAX_BODY_BYTES or not is_query:
            if is_query:
                await self.app(scope, replay, send)  # an authenticated or oversized read: never cached
                return
            # A mutation (or anything we cannot tell apart from one) may change what cached answers say.
            try:
                await self.app(scope, replay, send)
            finally:
                self.on_mutation()
            return
        key = hashlib.sha256(body + b"\0" + headers.get(b"accept-language", b"")).digest()
        generation = self.generation()
        cached = self.entries.get(key)
        if cached is not None and cached.generation == generation and time.monotonic() - cached.stored_at < self.ttl:
            self.hits += 1
            self.entries.move_to_end(key)
            await send(
                {"type": "http.response.start", "status": 200, "headers": [*cached.headers, (b"x-hub-cache", b"hit")]}
            )
            await send({"type": "http.response.body", "body": cached.body})
            return
        self.misses += 1
        await self._call_and_store(scope, replay, send, key, generation)

    async def _call_and_store(self, scope: Scope, receive: Receive, send: Send, key: bytes, generation: int) -> None:
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
        except (ValueError, TypeError):
            return
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        self.entries[key] = CachedResponse(body, headers, generation, time.monotonic())
        if len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)


def _is_cacheable_query(body: bytes) -> bool:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return False
    name = payload.get("operationName")
    return is_query(payload["query"], name if isinstance(name, str) else None)


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body; None when the client went away before sending it."""
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes | None, receive: Receive) -> Receive:
    """A receive channel that hands the app the body already read, then the client's own messages."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            if body is None:
                return {"type": "http.disconnect"}
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
