"""Public keys of external issuers, fetched from their JWKS URLs and cached."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

import aiohttp
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from hub.settings import ExternalIssuer

log = logging.getLogger(__name__)

CACHE_SECONDS = 300.0
REFETCH_THROTTLE_SECONDS = 10.0
FETCH_TIMEOUT_SECONDS = 5.0


class IssuerKeysUnavailableError(Exception):
    """The issuer's JWKS could not be fetched or read."""


@dataclass
class _Cached:
    keys: KeySet
    fetched_at: float


class ExternalKeys:
    """JWKS per external issuer: refetched after `CACHE_SECONDS`, or sooner (throttled) for an unknown `kid`."""

    def __init__(self) -> None:
        self._cache: dict[str, _Cached] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def keys(self, issuer: ExternalIssuer, kid: str | None) -> KeySet:
        cached = self._cache.get(issuer.issuer)
        age = time.monotonic() - cached.fetched_at if cached else float("inf")
        known = cached is not None and (kid is None or any(key.kid == kid for key in cached.keys))
        if cached is None or age >= CACHE_SECONDS or (not known and age >= REFETCH_THROTTLE_SECONDS):
            lock = self._locks.setdefault(issuer.issuer, asyncio.Lock())
            async with lock:
                if self._cache.get(issuer.issuer) is cached:
                    try:
                        cached = _Cached(await self._fetch(issuer), time.monotonic())
                        self._cache[issuer.issuer] = cached
                    except IssuerKeysUnavailableError:
                        if cached is None:
                            raise
                        log.warning("keeping cached keys of %s: refetch failed", issuer.issuer)
                cached = self._cache[issuer.issuer]
        return cached.keys

    @staticmethod
    async def _fetch(issuer: ExternalIssuer) -> KeySet:
        timeout = aiohttp.ClientTimeout(total=FETCH_TIMEOUT_SECONDS)
        try:
            async with aiohttp.ClientSession(timeout=timeout) as session, session.get(issuer.jwks_url) as response:
                response.raise_for_status()
                document = await response.json(content_type=None)
            return KeySet.import_key_set(document)
        except (aiohttp.ClientError, TimeoutError, ValueError, JoseError) as exc:
            raise IssuerKeysUnavailableError(
                f"keys of {issuer.issuer} unavailable at {issuer.jwks_url}: {type(exc).__name__}"
            ) from None
