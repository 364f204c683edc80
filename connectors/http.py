"""HTTP for connectors: timeouts, retries with backoff for what is retriable, clear errors otherwise.

Answers are read in chunks and refused as soon as they pass the maximum size (decoded bytes: a
gzip bomb is counted as what it expands to, and aiohttp inflates it a bounded chunk at a time).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping
from dataclasses import dataclass

import aiohttp
from yarl import URL

from connectors.errors import FatalSourceError, ResponseTooLarge, RetriableSourceError
from connectors.limits import KIB, ConnectorLimits
from connectors.network_errors import describe_network_error

RETRIABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
READ_CHUNK = 64 * KIB
ERROR_SNIPPET_BYTES = 200
"""Bytes of an error answer quoted in the error message."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 0.2
    max_delay: float = 10.0
    timeout: float = 30.0


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes


class PartnerHttp:
    """GETs on one partner's endpoint through a shared aiohttp session, within `limits`."""

    def __init__(
        self,
        partner: str,
        session: aiohttp.ClientSession,
        policy: RetryPolicy | None = None,
        limits: ConnectorLimits | None = None,
    ) -> None:
        self.partner = partner
        self.session = session
        self.policy = policy or RetryPolicy()
        self.limits = limits or ConnectorLimits()
        self.requests = 0

    async def get(self, url: str, params: Mapping[str, str] | None = None) -> Response:
        target = str(URL(url).update_query(dict(params))) if params else url
        last_error: RetriableSourceError | None = None
        for attempt in range(self.policy.attempts):
            if attempt:
                await asyncio.sleep(self._delay(attempt, last_error))
            try:
                return await self._get_once(target)
            except RetriableSourceError as exc:
                last_error = exc
        assert last_error is not None
        raise RetriableSourceError(
            self.partner,
            target,
            f"gave up after {self.policy.attempts} attempts: {last_error.problem}",
        )

    async def _get_once(self, url: str) -> Response:
        self.requests += 1
        timeout = aiohttp.ClientTimeout(total=self.policy.timeout)
        try:
            async with self.session.get(url, timeout=timeout, allow_redirects=True) as resp:
                headers = {k.lower(): v for k, v in resp.headers.items()}
                if resp.status in RETRIABLE_STATUSES:
                    error = RetriableSourceError(self.partner, url, f"HTTP {resp.status}", resp.status)
                    error.retry_after = _retry_after(headers.get("retry-after"))  # type: ignore[attr-defined]
                    raise error
                if resp.status >= 400:
                    snippet = (await resp.content.read(ERROR_SNIPPET_BYTES)).decode("utf-8", "replace")
                    raise FatalSourceError(self.partner, url, f"HTTP {resp.status}: {snippet}", resp.status)
                return Response(url, resp.status, headers, await self._read_body(url, resp))
        except TimeoutError as exc:
            raise RetriableSourceError(self.partner, url, f"timed out after {self.policy.timeout}s") from exc
        except aiohttp.ClientError as exc:
            raise RetriableSourceError(self.partner, url, describe_network_error(exc)) from exc

    async def _read_body(self, url: str, resp: aiohttp.ClientResponse) -> bytes:
        limit = self.limits.max_response_bytes
        if resp.content_length is not None and resp.content_length > limit:
            raise ResponseTooLarge(
                self.partner, url, f"answer announces {resp.content_length:,} bytes, more than the limit of {limit:,}"
            )
        body = bytearray()
        async for chunk in resp.content.iter_chunked(READ_CHUNK):
            body += chunk
            if len(body) > limit:
                raise ResponseTooLarge(self.partner, url, f"answer is larger than the limit of {limit:,} bytes")
        return bytes(body)

    def _delay(self, attempt: int, error: RetriableSourceError | None) -> float:
        hinted = getattr(error, "retry_after", None)
        if hinted is not None:
            return float(min(hinted, self.policy.max_delay))
        backoff = self.policy.base_delay * (2 ** (attempt - 1))
        return float(min(backoff, self.policy.max_delay) * (0.5 + random.random() / 2))


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
