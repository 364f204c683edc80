"""Rate limits (sliding windows of the `limits` library), counted in this process's memory or, when
HUB_REDIS_URL is set, in Redis, where every hub process shares them.

A storage fault never takes the hub down: the request is let through and the fault logged.
"""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItemPerSecond
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string

from hub.settings import RateLimit, Settings

log = logging.getLogger(__name__)


class RateLimits:
    def __init__(self, storage_url: str | None = None, prefix: str = "hub") -> None:
        storage = storage_from_string(storage_url or "async+memory://", wrap_exceptions=True)
        self.strategy = SlidingWindowCounterRateLimiter(storage)
        self.prefix = prefix

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimits:
        return cls(settings.redis_url, settings.rate_limit_prefix)

    async def hit(self, limit: RateLimit, name: str, key: str) -> float:
        """Counts one request of `key` against `limit`: 0 when allowed, else the seconds to wait."""
        item = _item(limit)
        try:
            if await self.strategy.hit(item, self.prefix, name, key):
                return 0.0
            return await self._wait(item, name, key)
        except StorageError as exc:
            log.warning("rate limit %s not counted (storage fault: %s); request allowed", name, exc.storage_error)
            return 0.0

    async def exhausted(self, limit: RateLimit, name: str, key: str) -> float:
        """Whether `key` has used up `limit`, without counting a request: 0 when not, else the seconds to wait."""
        item = _item(limit)
        try:
            if await self.strategy.test(item, self.prefix, name, key):
                return 0.0
            return await self._wait(item, name, key)
        except StorageError as exc:
            log.warning("rate limit %s not read (storage fault: %s); request allowed", name, exc.storage_error)
            return 0.0

    async def _wait(self, item: RateLimitItemPerSecond, name: str, key: str) -> float:
        stats = await self.strategy.get_window_stats(item, self.prefix, name, key)
        return max(1.0, stats.reset_time - time.time())


def _item(limit: RateLimit) -> RateLimitItemPerSecond:
    return RateLimitItemPerSecond(limit.capacity, limit.period)


def retry_after(wait: float) -> str:
    """The Retry-After header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(wait)))
