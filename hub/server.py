"""The Starlette application: /graphql, the OAuth endpoints, /healthz, /metrics."""

from __future__ import annotations

import time

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.auth.endpoints import OAuthEndpoints
from hub.auth.resource import BearerGuard
from hub.metrics import HubMetrics
from hub.response_cache import ResponseCache
from hub.runtime import Hub
from schema.app import HubGraphQL

KNOWN_PATHS = frozenset(
    {
        "/graphql",
        "/healthz",
        "/metrics",
        "/oauth/token",
        "/oauth/introspect",
        "/oauth/revoke",
        "/.well-known/oauth-authorization-server",
        "/.well-known/jwks.json",
    }
)


class MetricsMiddleware:
    """Counts HTTP requests and their latency by method, route and status (plain ASGI: no body buffering)."""

    def __init__(self, app: ASGIApp, metrics: HubMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"] if scope["path"] in KNOWN_PATHS else "other"
        method = scope["method"]
        status = 500
        started = time.perf_counter()

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            self.metrics.http_latency.labels(method, path).observe(time.perf_counter() - started)
            self.metrics.http_requests.labels(method, path, str(status)).inc()


def create_app(hub: Hub) -> Starlette:
    graphql = HubGraphQL(hub)

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
        BearerGuard(graphql, hub.auth),
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
            *OAuthEndpoints(hub.auth).routes(),
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
