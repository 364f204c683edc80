"""The Starlette application: /graphql (and GraphiQL for browsers), the OAuth endpoints, /healthz, /metrics."""

from __future__ import annotations

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute

from hub.app import Hub
from hub.web.bearer_guard import BearerGuard
from hub.web.graphiql import STATIC_PATH, GraphiQLPage, static_files
from hub.web.metrics import MetricsMiddleware
from hub.web.oauth_endpoints import OAuthEndpoints
from hub.web.rate_limit import RateLimiter
from hub.web.response_cache import ResponseCache
from schema.app import HubGraphQL


class HubGraphQLWithPage(HubGraphQL):
    """The graph, with the hub's own GraphiQL page (served from the package) for browsers."""

    def __init__(self, hub: Hub, page: GraphiQLPage) -> None:
        super().__init__(hub)
        self.page = page

    async def render_graphql_ide(self, request: Request) -> Response:
        return self.page.response()


def create_app(hub: Hub) -> Starlette:
    graphql = HubGraphQLWithPage(hub, GraphiQLPage())

    async def healthz(_request: Request) -> Response:
        try:
            async with hub.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:  # any database fault makes the hub unhealthy
            return JSONResponse({"status": "unavailable", "database": type(exc).__name__}, status_code=503)
        return JSONResponse({"status": "ok"})

    async def metrics(_request: Request) -> Response:
        return Response(hub.metrics.render(), media_type=hub.metrics.content_type)

    # Outside the bearer check: requests with an Authorization header pass straight through it.
    response_cache = ResponseCache(
        BearerGuard(graphql, hub.auth.verifier, RateLimiter(hub.settings.graphql_rate_limit)),
        generation=lambda: hub.events.generation,
        on_mutation=hub.events.touch,
        ttl=hub.settings.response_cache_ttl,
    )
    app = Starlette(
        routes=[
            Route("/graphql", response_cache, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/metrics", metrics),
            Mount(STATIC_PATH, static_files()),
            *OAuthEndpoints(hub.auth, RateLimiter(hub.settings.token_rate_limit)).routes(),
        ]
    )
    if hub.settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(hub.settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Accept-Language"],
            expose_headers=["WWW-Authenticate", "Retry-After"],
            max_age=600,
        )
    app.add_middleware(MetricsMiddleware, metrics=hub.metrics)
    app.state.hub = hub
    app.state.response_cache = response_cache
    return app
