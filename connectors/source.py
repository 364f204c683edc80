"""Sources: what a connector declares, and the paging loop the framework runs for it.

A paged source declares its endpoint, how to ask for the first page from its cursor and the
next page from a token, and how to parse a page. The framework runs the loop, carries the
checkpoint (cursor, page token, start of this harvest) and restarts from the cursor when the
partner has forgotten a page token.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from connectors.errors import ExpiredPageToken
from connectors.http import PartnerHttp, Response
from connectors.records import CatalogueRecord, Page, Tombstone

Checkpoint = dict[str, Any]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Source(ABC):
    """A partner catalogue read as a stream of pages, each ending in a checkpoint."""

    protocol: ClassVar[str]

    def __init__(
        self,
        partner: str,
        base_url: str,
        http: PartnerHttp,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.partner = partner
        self.base_url = base_url.rstrip("/")
        self.http = http
        self.clock = clock

    @abstractmethod
    def read(self, checkpoint: Checkpoint | None) -> AsyncIterator[Page]:
        """Pages of records changed since `checkpoint` (everything when it is None)."""


@dataclass(frozen=True)
class ParsedPage:
    records: list[CatalogueRecord | Tombstone]
    next_token: str | None


class PagedSource(Source):
    """A stream read from a cursor (a datestamp) and then page token by page token."""

    async def prepare(self) -> None:
        """Runs once before the first request (for example, reading the partner's capabilities)."""

    @abstractmethod
    def endpoint(self) -> str: ...

    @abstractmethod
    def first_params(self, cursor: str | None) -> dict[str, str]: ...

    @abstractmethod
    def next_params(self, cursor: str | None, token: str) -> dict[str, str]: ...

    @abstractmethod
    def parse_page(self, response: Response) -> ParsedPage: ...

    async def fetch(self, params: dict[str, str]) -> Response:
        """One page request; override to turn the partner's way of saying "unknown page token" into
        ExpiredPageToken when it answers with an HTTP error status."""
        return await self.http.get(self.endpoint(), params)

    def format_cursor(self, moment: datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    async def read(self, checkpoint: Checkpoint | None) -> AsyncIterator[Page]:
        await self.prepare()
        state = checkpoint or {}
        cursor: str | None = state.get("cursor")
        token: str | None = state.get("page_token")
        started: str = state.get("harvest_started") or self.format_cursor(self.clock())
        while True:
            params = self.next_params(cursor, token) if token else self.first_params(cursor)
            try:
                response = await self.fetch(params)
                parsed = self.parse_page(response)
            except ExpiredPageToken:
                if token is None:
                    raise
                token = None
                continue
            token = parsed.next_token
            if token:
                yield Page(parsed.records, {"cursor": cursor, "page_token": token, "harvest_started": started})
            else:
                yield Page(parsed.records, {"cursor": started})
                return
