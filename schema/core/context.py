"""What every resolver gets in `info.context`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.extensions import SchemaExtension
from strawberry.types import Info as StrawberryInfo

from hub.app import Hub
from hub.auth.bearer import principal_of
from hub.auth.principal import ANONYMOUS, Principal
from hub.core.i18n import parse_accept_language
from schema.core.limits import QueryLimits
from schema.loaders import Loaders


@dataclass
class HubContext:
    hub: Hub
    loaders: Loaders
    accept_languages: list[str]
    request: Request | WebSocket | None = None
    response: Response | None = None
    connection_params: dict[str, Any] | None = field(default=None)
    """The graphql-transport-ws `connection_init` payload (strawberry fills it in on websockets)."""
    principal: Principal = ANONYMOUS
    """Who calls: from the bearer token over HTTP, from `connection_init` on a websocket."""
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    """The id the web app gave the request (`request.state.request_id`): masked errors and log lines carry it."""

    @classmethod
    def for_request(
        cls, hub: Hub, request: Request | WebSocket | None = None, response: Response | None = None
    ) -> HubContext:
        header = request.headers.get("accept-language") if request is not None else None
        request_id = request.scope.get("state", {}).get("request_id") if request is not None else None
        return cls(
            hub=hub,
            loaders=Loaders.create(hub.sessions),
            accept_languages=parse_accept_language(header),
            request=request,
            response=response,
            principal=principal_of(request.scope) if request is not None else ANONYMOUS,
            request_id=request_id if isinstance(request_id, str) else uuid.uuid4().hex,
        )

    @property
    def query_limits(self) -> QueryLimits:
        return QueryLimits(max_cost=self.hub.settings.max_query_cost)


Info = StrawberryInfo[HubContext, None]


class FreshLoadersPerOperation(SchemaExtension):
    """A websocket keeps one context for all its operations: each operation still gets new DataLoaders,
    so nothing one operation cached is served to the next. (Over HTTP each request is new anyway.)"""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, HubContext) and isinstance(context.request, WebSocket):
            context.loaders = Loaders.create(context.hub.sessions)
        yield
