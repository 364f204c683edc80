"""The schema (an Apollo Federation v2 subgraph) and its ASGI app, with limits and caches built once.

Query, Mutation and Subscription are composed from each domain's classes; a new domain adds its own here.
"""

from __future__ import annotations

from typing import Any

import orjson
import strawberry
from graphql import ASTValidationRule
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as max_aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as max_depth_rule
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UnsetType

from hub.app import Hub
from hub.auth.bearer import principal_from_connection_params
from hub.auth.tokens import InvalidTokenError
from schema.audit.queries import AuditQuery
from schema.catalogue.mutations import CatalogueMutation
from schema.catalogue.queries import CatalogueQuery
from schema.catalogue.subscriptions import CatalogueSubscription
from schema.catalogue.types import LibraryItem, MuseumObject
from schema.compiled.executor import CompiledExecutor
from schema.compiled.fast_path import FastReads
from schema.core.context import FreshLoadersPerOperation, HubContext
from schema.core.errors import should_mask

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 4000

# Built once: the same rule classes on every request keep ValidationCache effective.
LIMIT_RULES: list[type[ASTValidationRule]] = [
    max_depth_rule(MAX_DEPTH, None, None),
    max_aliases_rule(MAX_ALIASES),
]


@strawberry.type
class Query(CatalogueQuery, AuditQuery):
    pass


@strawberry.type
class Mutation(CatalogueMutation):
    pass


@strawberry.type
class Subscription(CatalogueSubscription):
    pass


def limit_rules() -> AddValidationRules:
    return AddValidationRules(LIMIT_RULES)


def max_tokens() -> MaxTokensLimiter:
    return MaxTokensLimiter(MAX_TOKENS)


def mask_errors() -> MaskErrors:
    return MaskErrors(should_mask_error=should_mask)


def parser_cache() -> ParserCache:
    return ParserCache(maxsize=1024)


def validation_cache() -> ValidationCache:
    return ValidationCache(maxsize=1024)


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=[LibraryItem, MuseumObject],
    extensions=[max_tokens, parser_cache, limit_rules, validation_cache, mask_errors, FreshLoadersPerOperation],
    federation_version="2.11",
    execution_context_class=CompiledExecutor,  # compiled reads (schema/compiled): a query it covers runs as a plan
)


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

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Compiled reads (schema/compiled): a query compiled before is answered from its plan without strawberry.
        replay = await self.fast_reads.answer(scope, receive, send)
        if replay is not None:
            await super().__call__(scope, replay, send)

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
        return await super().on_ws_connect(context)
