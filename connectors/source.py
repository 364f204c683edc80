"""Sources: what a connector declares, and the paging loop the framework runs for it.

A paged source declares its endpoint, how to ask for the first page from its cursor and the
next page from a token, and how to parse a page. The framework runs the loop, carries the
checkpoint (cursor, page token, start of this harvest) and restarts from the cursor when the
partner has forgotten a page token.

Every source's `read` is one harvest run, bounded in pages and in time (`ConnectorLimits`): past
either bound it raises HarvestLimitReached carrying the checkpoint reached, after the pages read so far.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

from connectors.bounds import RecordProblem, fit_record
from connectors.clip import quote_long
from connectors.errors import ExpiredPageToken, HarvestLimitReached, LimitExceeded
from connectors.http import PartnerHttp, Response
from connectors.limits import ConnectorLimits
from connectors.records import CatalogueRecord, Page, RejectedRecord, Tombstone

Checkpoint = dict[str, Any]
Harvested = CatalogueRecord | Tombstone
T = TypeVar("T")
R = TypeVar("R")

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


async def run_parser(limits: ConnectorLimits, size: int, parse: Callable[[], T]) -> T:
    """`parse()`, in a worker thread when the document has at least `limits.parse_off_loop_bytes`."""
    if size >= limits.parse_off_loop_bytes:
        return await asyncio.to_thread(parse)
    return parse()


class PageContent:
    """A page's records as they are normalised: each one a record, or a rejection with its reason."""

    def __init__(self, limits: ConnectorLimits) -> None:
        self.limits = limits
        self.records: list[Harvested] = []
        self.rejected: list[RejectedRecord] = []

    def add(
        self, source_id: str | None, normalise: Callable[[R], Harvested], raw: R, excerpt: Callable[[R], str]
    ) -> None:
        """Normalise `raw` and fit it to the bounds; a record that fails either is set aside."""
        try:
            self.records.append(fit_record(normalise(raw), self.limits))
        except RecordProblem as problem:
            self.reject(source_id, str(problem), excerpt(raw))
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as fault:
            log.exception("record %s could not be normalised", quote_long(source_id or "(no id)"))
            self.reject(source_id, f"unexpected {type(fault).__name__} while normalising: {fault}", excerpt(raw))

    def reject(self, source_id: str | None, reason: str, excerpt: str) -> None:
        usable = source_id if source_id and len(source_id) <= self.limits.max_id_length else None
        self.rejected.append(RejectedRecord(usable, reason, excerpt))


class HarvestRun:
    """One call of `Source.read`: its deadline, the pages fetched, and the checkpoint reached so far."""

    def __init__(self, partner: str, limits: ConnectorLimits, checkpoint: Checkpoint) -> None:
        self.partner = partner
        self.limits = limits
        self.deadline = asyncio.get_running_loop().time() + limits.max_seconds
        self.pages = 0
        self.reached = checkpoint

    def count_page(self, url: str) -> None:
        """Call before fetching a page: past the maximum of pages, the run ends here."""
        if self.pages >= self.limits.max_pages:
            raise HarvestLimitReached(
                self.partner,
                url,
                f"harvest run stopped after {self.pages:,} pages, its maximum; the next run resumes from here",
                dict(self.reached),
                "max_pages",
            )
        self.pages += 1

    def out_of_time(self, url: str) -> HarvestLimitReached:
        return HarvestLimitReached(
            self.partner,
            url,
            f"harvest run stopped after {self.limits.max_seconds:g} seconds, its maximum "
            f"({self.pages:,} pages requested); the next run resumes from here",
            dict(self.reached),
            "max_seconds",
        )


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

    @property
    def limits(self) -> ConnectorLimits:
        return self.http.limits

    async def read(self, checkpoint: Checkpoint | None) -> AsyncIterator[Page]:
        """Pages of records changed since `checkpoint` (everything when it is None), within the run's bounds."""
        run = HarvestRun(self.partner, self.limits, dict(checkpoint or {}))
        async with contextlib.aclosing(self.pages(checkpoint, run)) as pages:
            while True:
                window = asyncio.timeout_at(run.deadline)
                try:
                    async with window:
                        page = await anext(pages)
                except StopAsyncIteration:
                    return
                except TimeoutError:
                    if not window.expired():
                        raise
                    raise run.out_of_time(self.base_url) from None
                run.reached = page.checkpoint
                yield page

    @abstractmethod
    def pages(self, checkpoint: Checkpoint | None, run: HarvestRun) -> AsyncGenerator[Page, None]:
        """The pages of one run; call `run.count_page` before fetching each page."""

    def check_token(self, token: str, url: str, what: str) -> str:
        """`token` (a page token or next-page URL), refused without quoting it when longer than allowed."""
        limit = self.limits.max_token_length
        if len(token) > limit:
            raise LimitExceeded(
                self.partner, url, f"{what} of {len(token):,} characters is longer than the limit of {limit:,}"
            )
        return token


@dataclass(frozen=True)
class ParsedPage:
    records: list[Harvested]
    next_token: str | None
    rejected: list[RejectedRecord] = field(default_factory=list)


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
    def parse_page(self, response: Response) -> ParsedPage:
        """Records of one page; runs in a worker thread for a large page."""

    async def fetch(self, params: dict[str, str]) -> Response:
        """One page request; override to turn the partner's way of saying "unknown page token" into
        ExpiredPageToken when it answers with an HTTP error status."""
        return await self.http.get(self.endpoint(), params)

    def format_cursor(self, moment: datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    async def pages(self, checkpoint: Checkpoint | None, run: HarvestRun) -> AsyncGenerator[Page, None]:
        await self.prepare()
        state = checkpoint or {}
        cursor: str | None = state.get("cursor")
        token: str | None = state.get("page_token")
        if token is not None and len(token) > self.limits.max_token_length:
            token = None  # stored before tokens were bounded: restart from the cursor, as for an expired one
        started: str = state.get("harvest_started") or self.format_cursor(self.clock())
        while True:
            params = self.next_params(cursor, token) if token else self.first_params(cursor)
            run.count_page(self.endpoint())
            try:
                response = await self.fetch(params)
                parsed = await run_parser(self.limits, len(response.body), functools.partial(self.parse_page, response))
            except ExpiredPageToken:
                if token is None:
                    raise
                token = None
                continue
            token = parsed.next_token
            if token:
                self.check_token(token, response.url, "next page token")
                checkpoint = {"cursor": cursor, "page_token": token, "harvest_started": started}
                yield Page(parsed.records, checkpoint, parsed.rejected)
            else:
                yield Page(parsed.records, {"cursor": started}, parsed.rejected)
                return
