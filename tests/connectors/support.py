"""What connector tests share."""

from __future__ import annotations

from connectors.http import RetryPolicy

FAST_RETRIES = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05, timeout=2)
"""Retries as in production, but quick: tests of retrying stay fast."""
