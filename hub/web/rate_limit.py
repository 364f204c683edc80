"""Token-bucket rate limits per key (a client id), in this process's memory."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from hub.settings import RateLimit

MAX_KEYS = 10_000
"""Buckets kept; the least recently used beyond this are dropped (a full bucket is the default anyway)."""


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    @property
    def _rate(self) -> float:
        return self.limit.capacity / self.limit.period

    def acquire(self, key: str) -> float:
        """Takes one token for `key`: 0 when allowed, else the seconds to wait before the next try."""
        now = self.clock()
        bucket = self._buckets.pop(key, None) or _Bucket(float(self.limit.capacity), now)
        bucket.tokens = min(float(self.limit.capacity), bucket.tokens + (now - bucket.updated) * self._rate)
        bucket.updated = now
        self._buckets[key] = bucket
        while len(self._buckets) > MAX_KEYS:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self._rate


def retry_after(wait: float) -> str:
    """The Retry-After header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(wait)))
