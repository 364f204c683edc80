"""IIIF Change Discovery API 1.0: walk an Activity Streams change log backwards from its newest page.

The collection's `last` page holds the newest activities; the crawl follows `prev` links and reads
each page newest first. Only an object's newest activity counts. The walk stops at the first
activity older than the last crawl. Objects are Linked Art documents, fetched a few at a time.

Checkpoint: `{"last_crawl": <endTime of the newest activity seen>, "last_crawl_activities": [...]}`.
The second key lists the activities at exactly that time which were already harvested, so that a
later crawl re-reads that instant (a change may share its timestamp) without yielding them again.
Pages yielded while walking back carry the checkpoint the crawl started from; only the final page
carries the new one. A checkpoint without `last_crawl` (or None) means a full crawl.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from yarl import URL

from connectors.errors import FatalSourceError
from connectors.http import PartnerHttp
from connectors.linked_art import LinkedArtError, record_from_human_made_object
from connectors.records import CatalogueRecord, Page, Tombstone
from connectors.source import Checkpoint, Source, utc_now

FETCHING_ACTIVITIES = frozenset({"Create", "Update", "Add"})
DELETING_ACTIVITIES = frozenset({"Delete", "Remove"})
KNOWN_ACTIVITIES = FETCHING_ACTIVITIES | DELETING_ACTIVITIES | {"Move", "Refresh"}

Harvested = CatalogueRecord | Tombstone


@dataclass(frozen=True)
class ObjectFetch:
    """Dereference one object named by an activity; its record is dated by the activity's endTime."""

    url: str
    source_id: str
    end_time: datetime


@dataclass
class CrawlState:
    """What one crawl has seen so far: processed objects, and the newest activities for the checkpoint."""

    since: datetime | None
    seen_at_since: frozenset[str]
    processed: set[str] = field(default_factory=set)
    newest: datetime | None = None
    newest_keys: set[str] = field(default_factory=set)

    def note(self, key: str, end_time: datetime) -> None:
        if self.newest is None or end_time > self.newest:
            self.newest, self.newest_keys = end_time, {key}
        elif end_time == self.newest:
            self.newest_keys.add(key)

    def checkpoint(self, started_from: Checkpoint) -> Checkpoint:
        if self.newest is None:
            return dict(started_from)
        keys = set(self.newest_keys)
        if self.newest == self.since:
            keys |= self.seen_at_since
        return {"last_crawl": format_time(self.newest), "last_crawl_activities": sorted(keys)}


class IiifDiscoverySource(Source):
    protocol: ClassVar[str] = "iiif-discovery"
    collection_path: ClassVar[str] = "/activity/all-changes"

    def __init__(
        self,
        partner: str,
        base_url: str,
        http: PartnerHttp,
        clock: Callable[[], datetime] = utc_now,
        *,
        concurrency: int = 8,
    ) -> None:
        super().__init__(partner, base_url, http, clock)
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {concurrency}")
        self.concurrency = concurrency
        self.collection_url = self.base_url + self.collection_path

    async def read(self, checkpoint: Checkpoint | None) -> AsyncIterator[Page]:
        started_from: Checkpoint = dict(checkpoint or {})
        state = CrawlState(*self._parse_checkpoint(started_from))
        collection = await self._fetch_document(self.collection_url, "OrderedCollection")
        page_url = self._link(collection, "last", self.collection_url)
        if page_url is None:
            yield Page([], state.checkpoint(started_from))
            return
        visited = {page_url}
        next_page = asyncio.ensure_future(self._fetch_document(page_url, "OrderedCollectionPage"))
        try:
            while True:
                page = await next_page
                work, stopped = self._plan_page(page, page_url, state)
                previous = None if stopped else self._link(page, "prev", page_url)
                if previous is not None:
                    if previous in visited:
                        raise FatalSourceError(self.partner, previous, "the prev links of the pages form a cycle")
                    visited.add(previous)
                    # Fetch the older page while this page's objects are dereferenced.
                    next_page = asyncio.ensure_future(self._fetch_document(previous, "OrderedCollectionPage"))
                records = await self._harvest(work)
                if previous is None:
                    yield Page(records, state.checkpoint(started_from))
                    return
                yield Page(records, dict(started_from))
                page_url = previous
        finally:
            next_page.cancel()
            await asyncio.gather(next_page, return_exceptions=True)

    def _parse_checkpoint(self, checkpoint: Checkpoint) -> tuple[datetime | None, frozenset[str]]:
        raw = checkpoint.get("last_crawl")
        if raw is None:
            return None, frozenset()
        since = parse_time(raw)
        keys = checkpoint.get("last_crawl_activities") or []
        if since is None or not isinstance(keys, list):
            raise FatalSourceError(self.partner, self.collection_url, f"unreadable checkpoint {checkpoint!r}")
        return since, frozenset(str(key) for key in keys)

    def _plan_page(
        self, page: Mapping[str, Any], page_url: str, state: CrawlState
    ) -> tuple[list[Harvested | ObjectFetch], bool]:
        """What to harvest for one page, newest activity first, and whether the walk stops here."""
        items = page.get("orderedItems")
        if not isinstance(items, list):
            raise FatalSourceError(self.partner, page_url, "page has no orderedItems list")
        work: list[Harvested | ObjectFetch] = []
        for position in range(len(items) - 1, -1, -1):
            activity = items[position]
            if not isinstance(activity, Mapping):
                raise FatalSourceError(self.partner, page_url, f"activity {position} is not a JSON object")
            kind, object_url, end_time = self._read_activity(activity, position, page_url)
            if state.since is not None and end_time < state.since:
                return work, True
            if kind == "Refresh":
                return work, True
            key = str(activity.get("id") or f"{kind} {object_url}")
            state.note(key, end_time)
            if end_time == state.since and key in state.seen_at_since:
                state.processed.add(object_url)
                continue
            reference = activity.get("object")
            object_type = reference.get("type") if isinstance(reference, Mapping) else None
            if object_url in state.processed or object_type not in (None, "HumanMadeObject"):
                continue
            state.processed.add(object_url)
            source_id = self._source_id(object_url, page_url)
            if kind in FETCHING_ACTIVITIES:
                work.append(ObjectFetch(object_url, source_id, end_time))
            elif kind in DELETING_ACTIVITIES:
                work.append(Tombstone(source_id, end_time))
            else:
                work.append(Tombstone(source_id, end_time))
                target = self._object_url(activity.get("target"), page_url)
                if target is not None and target not in state.processed:
                    state.processed.add(target)
                    work.append(ObjectFetch(target, self._source_id(target, page_url), end_time))
        return work, False

    def _read_activity(self, activity: Mapping[str, Any], position: int, page_url: str) -> tuple[str, str, datetime]:
        kind = activity.get("type")
        if kind not in KNOWN_ACTIVITIES:
            raise FatalSourceError(self.partner, page_url, f"activity {position} has unknown type {kind!r}")
        raw_time = activity.get("endTime")
        if raw_time is None:
            raise FatalSourceError(self.partner, page_url, f"{kind} activity {position} has no endTime")
        end_time = parse_time(raw_time)
        if end_time is None:
            raise FatalSourceError(
                self.partner, page_url, f"activity {position} has endTime {raw_time!r}, not ISO 8601"
            )
        object_url = self._object_url(activity.get("object"), page_url)
        if object_url is None and kind != "Refresh":
            raise FatalSourceError(self.partner, page_url, f"{kind} activity {position} names no object id")
        return str(kind), object_url or "", end_time

    async def _harvest(self, work: list[Harvested | ObjectFetch]) -> list[Harvested]:
        """Fetch the objects of one page, at most `concurrency` at a time, keeping their order."""
        limit = asyncio.Semaphore(self.concurrency)

        async def one(item: Harvested | ObjectFetch) -> Harvested:
            if not isinstance(item, ObjectFetch):
                return item
            async with limit:
                return await self._fetch_object(item)

        tasks = [asyncio.ensure_future(one(item)) for item in work]
        try:
            return list(await asyncio.gather(*tasks))
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise

    async def _fetch_object(self, fetch: ObjectFetch) -> Harvested:
        try:
            response = await self.http.get(fetch.url)
        except FatalSourceError as error:
            if getattr(error, "status", None) == 410 or error.problem.startswith("HTTP 410"):
                return Tombstone(fetch.source_id, self.clock())
            raise
        try:
            return record_from_human_made_object(
                response.json(self.partner), source_id=fetch.source_id, updated_at=fetch.end_time
            )
        except LinkedArtError as error:
            raise FatalSourceError(self.partner, response.url, str(error)) from error

    async def _fetch_document(self, url: str, expected_type: str) -> Mapping[str, Any]:
        document = (await self.http.get(url)).json(self.partner)
        if not isinstance(document, Mapping):
            raise FatalSourceError(self.partner, url, f"expected an {expected_type} object, got JSON {document!r}")
        if document.get("type") != expected_type:
            raise FatalSourceError(self.partner, url, f"expected an {expected_type}, got type {document.get('type')!r}")
        return document

    def _link(self, document: Mapping[str, Any], name: str, document_url: str) -> str | None:
        """The URL in a `first`/`last`/`prev` link, written as a string or as `{"id": ...}`."""
        link = document.get(name)
        if link is None:
            return None
        target = link.get("id") if isinstance(link, Mapping) else link
        if not isinstance(target, str) or not target:
            raise FatalSourceError(self.partner, document_url, f"link {name!r} has no URL: {link!r}")
        return str(URL(document_url).join(URL(target)))

    def _object_url(self, reference: object, page_url: str) -> str | None:
        target = reference.get("id") if isinstance(reference, Mapping) else reference
        if not isinstance(target, str) or not target:
            return None
        return str(URL(page_url).join(URL(target)))

    def _source_id(self, object_url: str, page_url: str) -> str:
        """The partner's identifier: the last path segment of the object's URI."""
        segment = URL(object_url).path.rstrip("/").rpartition("/")[2]
        if not segment:
            raise FatalSourceError(self.partner, page_url, f"object id {object_url!r} has no path to name it")
        return segment


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 time as an aware datetime (UTC when the partner gave no offset), else None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_time(moment: datetime) -> str:
    """UTC ISO 8601 with a `Z`, with microseconds only when there are any."""
    text = moment.astimezone(UTC).replace(tzinfo=None).isoformat()
    return text + "Z"
