from __future__ import annotations

import os
import uuid

import pytest

from hub.settings import RateLimit
from hub.web.rate_limit import RateLimits, retry_after
from tests.redis_support import redis_url


async def test_rate_limit_allows_the_limit_then_says_how_long_to_wait() -> None:
    limits = RateLimits()
    per_minute = RateLimit(3, 60)
    assert [await limits.hit(per_minute, "test", "a") for _ in range(3)] == [0, 0, 0]
    wait = await limits.hit(per_minute, "test", "a")
    assert 1 <= wait <= 120
    assert 1 <= int(retry_after(wait)) <= 120


async def test_rate_limit_counts_each_key_and_each_limit_apart() -> None:
    limits = RateLimits()
    once = RateLimit(1, 60)
    assert await limits.hit(once, "test", "a") == 0
    assert await limits.hit(once, "test", "a") > 0
    assert await limits.hit(once, "test", "b") == 0
    assert await limits.hit(once, "other", "a") == 0


async def test_rate_limit_exhausted_reads_without_counting() -> None:
    limits = RateLimits()
    twice = RateLimit(2, 60)
    assert [await limits.exhausted(twice, "test", "a") for _ in range(5)] == [0] * 5
    await limits.hit(twice, "test", "a")
    await limits.hit(twice, "test", "a")
    assert await limits.exhausted(twice, "test", "a") > 0


async def test_rate_limits_in_redis_are_shared_by_every_instance() -> None:
    prefix = f"test-{uuid.uuid4().hex}"
    first, second = RateLimits(redis_url(), prefix), RateLimits(redis_url(), prefix)
    twice = RateLimit(2, 60)
    assert await first.hit(twice, "test", "a") == 0
    assert await second.hit(twice, "test", "a") == 0
    assert await first.hit(twice, "test", "a") > 0
    assert await second.hit(twice, "test", "a") > 0


async def test_rate_limits_let_requests_through_when_redis_is_down(caplog: pytest.LogCaptureFixture) -> None:
    limits = RateLimits("async+redis://127.0.0.1:1", f"test-{os.getpid()}")
    assert [await limits.hit(RateLimit(1, 60), "test", "a") for _ in range(2)] == [0, 0]
    assert "storage fault" in caplog.text
