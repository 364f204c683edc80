"""IIIF Change Discovery API 1.0: walk an Activity Streams change log backwards from its newest page.

The collection's `last` page holds the newest activities; the crawl follows `prev` links and reads
each page newest first. Only an object's newest activity counts. The walk stops at the first
activity older than the last crawl. Objects are Linked Art documents, fetched a few at a time.

Checkpoint: `{"last_crawl": <endTime of the newest activity seen>, "last_crawl_activities": [...]}`.
The second key lists the activities at exactly that time which were already harvested, so that a
later crawl re-reads that instant (a change may share its timestamp) without yielding them again.
Pages yielded while walking back carry the checkpoint the crawl started from; only the final page
carries the new one. A checkpoint without `last_crawl` (or None) means a full crawl. So a run that
ends at its maximum of pages or time resumes, next run, from the newest page again (the records it
stored stay, and are read again unchanged).

A page that cannot be read (not JSON, not an OrderedCollectionPage, no orderedItems, more
activities than a page may hold, a next-page link longer than a token may be) fails the harvest.
One activity that cannot be used (unknown type, no or a bad endTime, no object id) and one object
that cannot be harvested (an HTTP 4xx other than 410 Gone and refused access, an answer too large,
not JSON, not a HumanMadeObject) is rejected with its reason; the rest of the page is harvested.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
from collections.abc import AsyncGenerator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from yarl import URL

from connectors.bounds import RecordProblem, check_source_id
from connectors.clip import clip, quote_long
from connectors.errors import FatalSourceError, LimitExceeded, ResponseTooLarge
from connectors.http import PartnerHttp, Response
from connectors.json_documents import ListTooLong, NotAnObject, RawItem, read_document, read_listing
from connectors.limits import MAX_STORED_ID_LENGTH
from connectors.linked_art import record_from_human_made_object
from connectors.records import MAX_REJECTION_EXCERPT, CatalogueRecord, Page, RejectedRecord, Tombstone
from connectors.source import Checkpoint, HarvestRun, PageContent, Source, run_parser, utc_now

FETCHING_ACTIVITIES = frozenset({"Create", "Update", "Add"})
DELETING_ACTIVITIES = frozenset({"Delete", "Remove"})
KNOWN_ACTIVITIES = FETCHING_ACTIVITIES | DELETING_ACTIVITIES | {"Move", "Refresh"}
MAX_CHECKPOINT_ACTIVITIES = 1_000
"""Activities at the newest instant the checkpoint lists; past that (or past MAX_CHECKPOINT_ACTIVITY_BYTES)
it lists none, and the next crawl reads that instant again (harmless: unchanged records are not rewritten)."""
MAX_CHECKPOINT_ACTIVITY_BYTES = 15 * 1024
"""Bytes of the JSON list of those activities: the whole checkpoint stays within the 16 KiB the hub stores."""
ACCESS_REFUSED = frozenset({401, 403, 407})
"""Object answers that say the hub may not read the partner: the harvest fails, no record is to blame."""

Harvested = CatalogueRecord | Tombstone
Outcome = Harvested | RejectedRecord


@dataclass(frozen=True)
class ObjectFetch:
    """Dereference one object named by an activity; its record is dated by the activity's endTime."""

    url: str
    source_id: str
    end_time: datetime


@dataclass(frozen=True)
class ActivityPage:
    """One OrderedCollectionPage: its members, and its activities with where each sits in the document."""

    members: dict[str, Any]
    activities: list[tuple[Any, RawItem]]


@dataclass
class PagePlan:
    """What to harvest for one page, newest activity first; what was rejected; whether the walk stops."""

    work: list[Harvested | ObjectFetch] = field(default_factory=list)
    rejected: list[RejectedRecord] = field(default_factory=list)
    stopped: bool = False


def activity_key(activity: Mapping[str, Any], kind: str, object_url: str) -> str:
    """What names an activity in the checkpoint: its id, hashed when longer than an id may be."""
    key = str(activity.get("id") or f"{kind} {object_url}")
    if len(key) > MAX_STORED_ID_LENGTH:
        return "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def _json_bytes(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode())


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
        if len(keys) > MAX_CHECKPOINT_ACTIVITIES or _json_bytes(sorted(keys)) > MAX_CHECKPOINT_ACTIVITY_BYTES:
            keys = set()
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

    async def pages(self, checkpoint: Checkpoint | None, run: HarvestRun) -> AsyncGenerator[Page, None]:
        started_from: Checkpoint = dict(checkpoint or {})
        state = CrawlState(*self._parse_checkpoint(started_from))
        collection = await self._fetch_collection()
        page_url = self._link(collection, "last", self.collection_url)
        if page_url is None:
            yield Page([], state.checkpoint(started_from))
            return
        visited = {page_url}
        next_page = asyncio.ensure_future(self._fetch_page(page_url, run))
        try:
            while True:
                page = await next_page
                plan = self._plan_page(page.activities, page_url, state)
                previous = None if plan.stopped else self._link(page.members, "prev", page_url)
                if previous is not None:
                    if previous in visited:
                        raise FatalSourceError(self.partner, previous, "the prev links of the pages form a cycle")
                    visited.add(previous)
                    # Fetch the older page while this page's objects are dereferenced.
                    next_page = asyncio.ensure_future(self._fetch_page(previous, run))
                outcomes = await self._harvest(plan.work)
                records = [outcome for outcome in outcomes if not isinstance(outcome, RejectedRecord)]
                rejected = plan.rejected + [outcome for outcome in outcomes if isinstance(outcome, RejectedRecord)]
                if previous is None:
                    yield Page(records, state.checkpoint(started_from), rejected)
                    return
                yield Page(records, dict(started_from), rejected)
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
            problem = f"unreadable checkpoint {clip(repr(checkpoint), 200)}"
            raise FatalSourceError(self.partner, self.collection_url, problem)
        if len(keys) > MAX_CHECKPOINT_ACTIVITIES:
            return since, frozenset()
        return since, frozenset(str(key) for key in keys)

    def _plan_page(self, activities: list[tuple[Any, RawItem]], page_url: str, state: CrawlState) -> PagePlan:
        plan = PagePlan()
        for position in range(len(activities) - 1, -1, -1):
            activity, raw = activities[position]
            try:
                if self._plan_activity(activity, position, page_url, state, plan):
                    plan.stopped = True
                    return plan
            except RecordProblem as problem:
                source_id = self._guess_source_id(activity, page_url)
                plan.rejected.append(RejectedRecord(source_id, f"activity {position}: {problem}", raw.excerpt()))
        return plan

    def _plan_activity(self, activity: Any, position: int, page_url: str, state: CrawlState, plan: PagePlan) -> bool:
        """Adds what `activity` asks for to `plan`; True when the walk stops at it."""
        if not isinstance(activity, Mapping):
            raise RecordProblem("not a JSON object")
        kind, object_url, end_time = self._read_activity(activity, page_url)
        if state.since is not None and end_time < state.since:
            return True
        if kind == "Refresh":
            return True
        key = activity_key(activity, kind, object_url)
        if end_time == state.since and key in state.seen_at_since:
            state.note(key, end_time)
            state.processed.add(object_url)
            return False
        reference = activity.get("object")
        object_type = reference.get("type") if isinstance(reference, Mapping) else None
        if object_url in state.processed or object_type not in (None, "HumanMadeObject"):
            state.note(key, end_time)
            return False
        source_id = self._source_id(object_url)
        target = self._object_url(activity.get("target"), page_url) if kind == "Move" else None
        target_id = self._source_id(target) if target is not None else None
        state.note(key, end_time)
        state.processed.add(object_url)
        if kind in FETCHING_ACTIVITIES:
            plan.work.append(ObjectFetch(object_url, source_id, end_time))
            return False
        plan.work.append(Tombstone(source_id, end_time))
        if target is not None and target_id is not None and target not in state.processed:
            state.processed.add(target)
            plan.work.append(ObjectFetch(target, target_id, end_time))
        return False

    def _read_activity(self, activity: Mapping[str, Any], page_url: str) -> tuple[str, str, datetime]:
        kind = activity.get("type")
        if kind not in KNOWN_ACTIVITIES:
            raise RecordProblem(f"unknown type {clip(repr(kind), 80)}")
        raw_time = activity.get("endTime")
        if raw_time is None:
            raise RecordProblem(f"{kind} activity has no endTime")
        end_time = parse_time(raw_time)
        if end_time is None:
            raise RecordProblem(f"endTime {clip(repr(raw_time), 80)} is not ISO 8601")
        object_url = self._object_url(activity.get("object"), page_url)
        if object_url is None and kind != "Refresh":
            raise RecordProblem(f"{kind} activity names no object id")
        return str(kind), object_url or "", end_time

    async def _harvest(self, work: list[Harvested | ObjectFetch]) -> list[Outcome]:
        """Fetch the objects of one page, at most `concurrency` at a time, keeping their order."""
        limit = asyncio.Semaphore(self.concurrency)

        async def one(item: Harvested | ObjectFetch) -> Outcome:
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

    async def _fetch_object(self, fetch: ObjectFetch) -> Outcome:
        try:
            response = await self.http.get(fetch.url)
        except ResponseTooLarge as error:
            return RejectedRecord(fetch.source_id, f"object {error.problem}", "")
        except FatalSourceError as error:
            if error.status == 410:
                return Tombstone(fetch.source_id, self.clock())
            if error.status is None or error.status in ACCESS_REFUSED:
                raise
            return RejectedRecord(fetch.source_id, f"object answered {error.problem}", "")
        return await run_parser(
            self.limits, len(response.body), functools.partial(self._object_record, fetch, response)
        )

    def _object_record(self, fetch: ObjectFetch, response: Response) -> Outcome:
        content = PageContent(self.limits)
        content.add(fetch.source_id, functools.partial(_human_made_object, fetch), response.body, _body_excerpt)
        return content.records[0] if content.records else content.rejected[0]

    async def _fetch_collection(self) -> Mapping[str, Any]:
        response = await self.http.get(self.collection_url)
        try:
            document = await run_parser(
                self.limits, len(response.body), functools.partial(read_document, response.body)
            )
        except ValueError as exc:
            raise FatalSourceError(self.partner, response.url, f"malformed JSON: {exc}") from None
        if not isinstance(document, Mapping):
            raise self._not_a(response.url, "OrderedCollection", f"JSON {clip(repr(document), 80)}")
        if document.get("type") != "OrderedCollection":
            raise self._not_a(response.url, "OrderedCollection", f"type {clip(repr(document.get('type')), 80)}")
        return document

    async def _fetch_page(self, url: str, run: HarvestRun) -> ActivityPage:
        run.count_page(url)
        response = await self.http.get(url)
        return await run_parser(self.limits, len(response.body), functools.partial(self._read_page, response))

    def _read_page(self, response: Response) -> ActivityPage:
        activities: list[tuple[Any, RawItem]] = []
        try:
            listing = read_listing(
                response.body,
                "orderedItems",
                lambda activity, raw: activities.append((activity, raw)),
                self.limits.max_records_per_page,
            )
        except NotAnObject as exc:
            raise self._not_a(response.url, "OrderedCollectionPage", f"JSON {exc.type_name}") from None
        except ListTooLong as exc:
            raise LimitExceeded(self.partner, response.url, f"page is refused: {exc}") from None
        except ValueError as exc:
            raise FatalSourceError(self.partner, response.url, f"malformed JSON: {exc}") from None
        kind = listing.members.get("type")
        if kind != "OrderedCollectionPage":
            raise self._not_a(response.url, "OrderedCollectionPage", f"type {clip(repr(kind), 80)}")
        if listing.items is None:
            raise FatalSourceError(self.partner, response.url, "page has no orderedItems list")
        return ActivityPage(listing.members, activities)

    def _not_a(self, url: str, expected_type: str, got: str) -> FatalSourceError:
        return FatalSourceError(self.partner, url, f"expected an {expected_type}, got {got}")

    def _link(self, document: Mapping[str, Any], name: str, document_url: str) -> str | None:
        """The URL in a `first`/`last`/`prev` link, written as a string or as `{"id": ...}`."""
        link = document.get(name)
        if link is None:
            return None
        target = link.get("id") if isinstance(link, Mapping) else link
        if not isinstance(target, str) or not target:
            raise FatalSourceError(self.partner, document_url, f"link {name!r} has no URL: {clip(repr(link), 80)}")
        self.check_token(target, document_url, f"link {name!r}")
        return str(URL(document_url).join(URL(target)))

    def _object_url(self, reference: object, page_url: str) -> str | None:
        target = reference.get("id") if isinstance(reference, Mapping) else reference
        if not isinstance(target, str) or not target:
            return None
        if len(target) > self.limits.max_token_length:
            raise RecordProblem(f"object id {quote_long(target)} is longer than {self.limits.max_token_length:,}")
        return str(URL(page_url).join(URL(target)))

    def _source_id(self, object_url: str) -> str:
        """The partner's identifier: the last path segment of the object's URI."""
        segment = URL(object_url).path.rstrip("/").rpartition("/")[2]
        if not segment:
            raise RecordProblem(f"object id {quote_long(object_url)} has no path to name it")
        return check_source_id(segment, self.limits)

    def _guess_source_id(self, activity: object, page_url: str) -> str | None:
        """The identifier of the object a rejected activity names, when it names one that is usable."""
        if not isinstance(activity, Mapping):
            return None
        try:
            object_url = self._object_url(activity.get("object"), page_url)
            return self._source_id(object_url) if object_url is not None else None
        except (RecordProblem, ValueError):
            return None


def _human_made_object(fetch: ObjectFetch, body: bytes) -> CatalogueRecord:
    try:
        document = read_document(body)
    except ValueError as exc:
        raise RecordProblem(f"object is not JSON: {exc}") from None
    return record_from_human_made_object(document, source_id=fetch.source_id, updated_at=fetch.end_time)


def _body_excerpt(body: bytes) -> str:
    return body[: MAX_REJECTION_EXCERPT * 2].decode("utf-8", "replace")


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
