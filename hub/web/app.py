"""The Starlette application: /graphql (and GraphiQL for browsers), the OAuth endpoints, /healthz, /metrics."""

from __future__ import annotations

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute

from hub.app import Hub
from hub.core.data_version import DataVersion
from hub.web.audit_export import AuditExport
from hub.web.bearer_guard import BearerGuard
from hub.web.body_limit import BodyLimit
from hub.web.deadline import Deadline
from hub.web.graphiql import STATIC_PATH, GraphiQLPage, static_files
from hub.web.json_depth import JsonDepthLimit
from hub.web.metrics import MetricsMiddleware
from hub.web.oauth_endpoints import OAuthEndpoints
from hub.web.rate_limit import RateLimits
from hub.web.request_ids import RequestIds
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

    async def audit_key(_request: Request) -> Response:
        """The verifier key of the audit checkpoints' signed notes, one line (see hub.audit.signed_note)."""
        key = await hub.checkpoints.keys.verifier()
        return PlainTextResponse(f"{key}\n", headers={"Cache-Control": "max-age=300"})

    async def metrics(_request: Request) -> Response:
        return Response(hub.metrics.render(), media_type=hub.metrics.content_type)

    settings = hub.settings
    data_version = hub.data_version or DataVersion(settings.database_url)

    async def version() -> tuple[int, str]:
        return hub.events.generation, await data_version.current()

    # Behind the rate limits (cached answers count too); requests with an Authorization header pass through it.
    response_cache = ResponseCache(
        Deadline(graphql, settings.request_timeout),
        version=version,
        on_mutation=hub.events.touch,
        ttl=settings.response_cache_ttl,
        max_bytes=settings.response_cache_max_bytes,
    )
    limits = RateLimits.from_settings(settings)
    graphql_http = BearerGuard(JsonDepthLimit(response_cache), hub.auth.verifier, limits, settings)
    app = Starlette(
        routes=[
            Route("/graphql", graphql_http, methods=["GET", "POST"]),
            Route("/audit/export", BearerGuard(AuditExport(hub), hub.auth.verifier, limits, settings), methods=["GET"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/metrics", metrics),
            Route("/.well-known/audit-key", audit_key, methods=["GET"]),
            Mount(STATIC_PATH, static_files()),
            *OAuthEndpoints(hub.auth, limits).routes(),
        ]
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:  # outside the body limit: a browser can read its 413 too
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Accept-Language"],
            expose_headers=["WWW-Authenticate", "Retry-After", "X-Request-Id"],
            max_age=600,
        )
    app.add_middleware(RequestIds)
    app.add_middleware(MetricsMiddleware, metrics=hub.metrics)
    app.state.hub = hub
    app.state.response_cache = response_cache
    return app
