"""HTTP metrics: requests and their latency by method, route and status."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.core.metrics import HubMetrics

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
        "/.well-known/audit-key",
    }
)
"""Paths counted by name; any other is counted as "other", so a scanner cannot blow up the label set."""


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
