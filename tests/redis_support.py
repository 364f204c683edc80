"""Redis for the tests that need one: 127.0.0.1:6379 (or HUB_TEST_REDIS_URL). Missing, those tests skip on a
developer's machine but fail under CI (CI=true), where Redis must be there."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest

REDIS_URL = os.environ.get("HUB_TEST_REDIS_URL", "async+redis://127.0.0.1:6379")


def redis_url() -> str:
    """The Redis URL for rate limits; skips the test (fails it under CI) when nothing listens there."""
    parsed = urlparse(REDIS_URL.removeprefix("async+"))
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            pass
    except OSError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_URL} is unreachable ({exc}): CI must test the shared rate limits")
        pytest.skip(f"Redis at {REDIS_URL} is unreachable ({exc})")
    return REDIS_URL
