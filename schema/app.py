"""The schema (an Apollo Federation v2 subgraph) and its ASGI app, with limits and caches built once.

Query, Mutation and Subscription are composed from each domain's classes; a new domain adds its own here.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import orjson
import strawberry
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionContext
from strawberry.types.unset import UnsetType

from hub.app import Hub
from hub.auth.bearer import principal_from_connection_params
from hub.auth.token_watch import TokenWatch
from hub.auth.tokens import InvalidTokenError
from hub.core.json_nesting import MAX_JSON_DEPTH, depth_over_limit
from schema.audit.proofs import AuditProofQuery
from schema.audit.queries import AuditQuery
from schema.catalogue.mutations import CatalogueMutation
from schema.catalogue.queries import CatalogueQuery
from schema.catalogue.subscriptions import CatalogueSubscription
from schema.catalogue.types import LibraryItem, MuseumObject
from schema.chain.mutations import ChainMutation
from schema.chain.queries import ChainQuery
from schema.clearance.mutations import ClearanceMutation
from schema.clearance.queries import ClearanceQuery
from schema.compiled.executor import CompiledExecutor
from schema.compiled.fast_path import FastReads
from schema.core.context import FreshLoadersPerOperation, HubContext
from schema.core.errors import MaskUnexpectedErrors, log, report_errors
from schema.core.limits import MAX_TOKENS, DocumentLimits
from schema.money.mutations import MoneyMutation
from schema.money.queries import MoneyQuery
from schema.trading.mutations import TradingMutation
from schema.trading.queries import TradingQuery
from schema.trading.subscriptions import TradingSubscription


@strawberry.type
class Query(CatalogueQuery, AuditQuery, AuditProofQuery, MoneyQuery, TradingQuery, ClearanceQuery, ChainQuery):
    pass


@strawberry.type
class Mutation(CatalogueMutation, MoneyMutation, TradingMutation, ClearanceMutation, ChainMutation):
    pass


@strawberry.type
class Subscription(CatalogueSubscription, TradingSubscription):
    pass


def max_tokens() -> MaxTokensLimiter:
    return MaxTokensLimiter(MAX_TOKENS)


def mask_errors() -> MaskUnexpectedErrors:
    return MaskUnexpectedErrors()


def parser_cache() -> ParserCache:
    return ParserCache(maxsize=1024)


def validation_cache() -> ValidationCache:
    return ValidationCache(maxsize=1024)


class HubSchema(strawberry.federation.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Codes and logs errors (one INFO line for a client's mistake) instead of strawberry's traceback each."""
        report_errors(errors, execution_context)


schema = HubSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=[LibraryItem, MuseumObject],
    extensions=[max_tokens, parser_cache, DocumentLimits, validation_cache, mask_errors, FreshLoadersPerOperation],
    federation_version="2.11",
    execution_context_class=CompiledExecutor,  # compiled reads (schema/compiled): a query it covers runs as a plan
)


TOKEN_WATCH_STATE = "token_watch"


class HubGraphQL(GraphQL[HubContext, None]):
    def __init__(self, hub: Hub, **kwargs: Any) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql",
            subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
            **kwargs,
        )
        self.hub = hub
        self.fast_reads = FastReads(schema, hub)
        self.token_watch = TokenWatch(hub.sessions, hub.settings.issuer, hub.settings.ws_token_check_interval)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """As strawberry's, but a websocket's token watch ends with it, and an HTTP request strawberry cannot take
        (not JSON, no query, a mutation over GET ...) is answered in JSON with a code, like every other error."""
        if scope["type"] == "websocket":
            try:
                await super().__call__(scope, receive, send)
            finally:
                watched = scope.get("state", {}).pop(TOKEN_WATCH_STATE, None)
                if watched is not None:
                    self.token_watch.forget(watched)
            return
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        # Compiled reads (schema/compiled): a query compiled before is answered from its plan without strawberry.
        replay = await self.fast_reads.answer(scope, receive, send)
        if replay is None:
            return
        try:
            response = await self.run(Request(scope, replay))
        except HTTPException as exc:
            log.info("client error BAD_REQUEST (%s): %s", exc.status_code, exc.reason)
            error = {"message": exc.reason, "extensions": {"code": "BAD_REQUEST"}}
            response = JSONResponse({"errors": [error]}, status_code=exc.status_code)
        await response(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        """As strawberry's, but JSON nested deeper than MAX_JSON_DEPTH is not JSON the hub takes (over HTTP the web
        app refuses it before; a websocket message gets here, and its socket is closed with 4400)."""
        raw = data.encode() if isinstance(data, str) else data
        depth = depth_over_limit(raw)
        if depth is not None:
            raise json.JSONDecodeError(f"JSON nests {depth} levels deep, over the limit of {MAX_JSON_DEPTH}", "", 0)
        return super().decode_json(data)

    def encode_json(self, data: object) -> str:
        return orjson.dumps(data).decode()  # text: websockets send it as a text frame

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> HubContext:
        return HubContext.for_request(self.hub, request, response if isinstance(response, Response) else None)

    async def on_ws_connect(self, context: HubContext) -> UnsetType | dict[str, object] | None:
        """The bearer token of `connection_init` (`{"Authorization": "Bearer ..."}`); an invalid one: 4403."""
        try:
            context.principal = await principal_from_connection_params(
                self.hub.auth.verifier, context.connection_params
            )
        except InvalidTokenError as exc:
            raise ConnectionRejectionError({"error": "invalid_token", "error_description": str(exc)}) from None
        websocket = context.request
        if context.principal.authenticated and isinstance(websocket, WebSocket):
            watched = self.token_watch.watch(context.principal, lambda reason: _close(websocket, reason))
            websocket.scope.setdefault("state", {})[TOKEN_WATCH_STATE] = watched
        return await super().on_ws_connect(context)


async def _close(websocket: WebSocket, reason: str) -> None:
    """Ends a websocket whose token expired or was revoked: 4401, as graphql-transport-ws closes the unauthorized."""
    log.info("closing a websocket: %s", reason)
    with contextlib.suppress(RuntimeError):  # closed already
        await websocket.close(code=4401, reason=reason)
