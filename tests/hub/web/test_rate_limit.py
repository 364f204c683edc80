from __future__ import annotations

from hub.settings import RateLimit
from hub.web.rate_limit import RateLimiter, retry_after


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_rate_limit_allows_a_burst_then_says_how_long_to_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimit(3, 60), clock)
    assert [limiter.acquire("a") for _ in range(3)] == [0, 0, 0]
    assert limiter.acquire("a") == 20
    assert retry_after(limiter.acquire("a")) == "20"


def test_rate_limit_refills_over_time_and_per_key() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimit(2, 10), clock)
    limiter.acquire("a")
    limiter.acquire("a")
    assert limiter.acquire("a") > 0
    assert limiter.acquire("b") == 0
    clock.now = 5
    assert limiter.acquire("a") == 0
    assert limiter.acquire("a") > 0
