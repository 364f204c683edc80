"""Prometheus metrics of one hub process."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST


class HubMetrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.http_requests = Counter(
            "hub_http_requests_total",
            "HTTP requests served",
            ["method", "path", "status"],
            registry=self.registry,
        )
        self.http_latency = Histogram(
            "hub_http_request_duration_seconds",
            "HTTP request latency",
            ["method", "path"],
            registry=self.registry,
        )
        self.sync_runs = Counter(
            "hub_sync_runs_total", "Partner harvests by outcome", ["partner", "outcome"], registry=self.registry
        )
        self.sync_records = Counter(
            "hub_sync_records_total",
            "Records harvested, by what the hub did with them",
            ["partner", "change"],
            registry=self.registry,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
