"""HTTP for connectors: timeouts, retries with backoff for what is retriable, clear errors otherwise."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from yarl import URL

from connectors.errors import FatalSourceError, RetriableSourceError
from connectors.network_errors import describe_network_error

RETRIABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


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

    def json(self, partner: str) -> Any:
        try:
            return json.loads(self.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FatalSourceError(partner, self.url, f"malformed JSON: {exc}") from exc


class PartnerHttp:
    """GETs on one partner's endpoint through a shared aiohttp session."""

    def __init__(
        self,
        partner: str,
        session: aiohttp.ClientSession,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.partner = partner
        self.session = session
        self.policy = policy or RetryPolicy()
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
                body = await resp.read()
                headers = {k.lower(): v for k, v in resp.headers.items()}
                if resp.status in RETRIABLE_STATUSES:
                    error = RetriableSourceError(self.partner, url, f"HTTP {resp.status}", resp.status)
                    error.retry_after = _retry_after(headers.get("retry-after"))  # type: ignore[attr-defined]
                    raise error
                if resp.status >= 400:
                    snippet = body[:200].decode("utf-8", "replace")
                    raise FatalSourceError(self.partner, url, f"HTTP {resp.status}: {snippet}", resp.status)
                return Response(url, resp.status, headers, body)
        except TimeoutError as exc:
            raise RetriableSourceError(self.partner, url, f"timed out after {self.policy.timeout}s") from exc
        except aiohttp.ClientError as exc:
            raise RetriableSourceError(self.partner, url, describe_network_error(exc)) from exc

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
