"""Connector for the CRECC relics JSON API ("relics-json").

`GET {base}/relics?updated_since=<ISO 8601>&page_token=<t>&limit=<n>` answers
`{"items": [...], "next_page_token": <t> | null}`. Each item carries `id`, `title` (language
map), `dynasty`, `year_from`, `year_to`, `material`, `grade`, `dimensions`, `origin_country`,
`export_restricted`, `images` (objects with `manifest_url` and/or `image_url`, and `label`),
`updated_at`, `deleted`, and optionally `category` and `description` (language map).
The partner answers 410 Gone for a page token it no longer knows: the harvest restarts from
its cursor.

A page that is not such an object (not JSON, no `items` list, a bad `next_page_token`, more
items than a page may hold) fails the harvest. One item that cannot be normalised (not an
object, no `id`, a malformed field such as `"year_from": "abc"`) is rejected, naming the field
and the value; the other items of the page are harvested. The page is parsed item by item.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from connectors.bounds import RecordProblem
from connectors.clip import clip
from connectors.errors import ExpiredPageToken, FatalSourceError, LimitExceeded
from connectors.http import PartnerHttp, Response
from connectors.json_documents import ListTooLong, NotAnObject, RawItem, read_listing
from connectors.records import CatalogueRecord, ImageRef, ItemKind, LocalizedText, RelicGrade, Tombstone
from connectors.source import PageContent, PagedSource, ParsedPage, utc_now

MAX_LIMIT = 500
UNTAGGED_LANGUAGES = frozenset({"", "none", "und"})

KIND_BY_CATEGORY = {
    "coin": ItemKind.COIN,
    "ceramic": ItemKind.CERAMIC,
    "metalwork": ItemKind.METALWORK,
    "silver": ItemKind.METALWORK,
    "gold": ItemKind.METALWORK,
    "bronze": ItemKind.METALWORK,
    "sculpture": ItemKind.SCULPTURE,
    "jade": ItemKind.JADE,
    "textile": ItemKind.TEXTILE,
    "painting": ItemKind.PAINTING,
    "epitaph": ItemKind.EPITAPH,
}

KIND_BY_MATERIAL_WORD = (
    (("jade", "nephrite", "jadeite"), ItemKind.JADE),
    (("silk", "kesi", "brocade", "damask"), ItemKind.TEXTILE),
    (
        ("porcelain", "earthenware", "stoneware", "celadon", "pottery", "terracotta", "ceramic"),
        ItemKind.CERAMIC,
    ),
    (("silver", "gold", "bronze", "copper", "iron", "pewter"), ItemKind.METALWORK),
)
"""Checked in this order, so "jade with gold mounts" is jade."""


def kind_of(category: str | None, material: str | None) -> ItemKind:
    """The kind named by `category`, else the one its material makes obvious, else OTHER."""
    if category is not None and category.strip().lower() in KIND_BY_CATEGORY:
        return KIND_BY_CATEGORY[category.strip().lower()]
    if material is not None:
        words = material.lower().replace(",", " ").replace("-", " ").split()
        for keywords, kind in KIND_BY_MATERIAL_WORD:
            if any(word in keywords for word in words):
                return kind
    return ItemKind.OTHER


class RelicsApiSource(PagedSource):
    protocol: ClassVar[str] = "relics-json"

    def __init__(
        self,
        partner: str,
        base_url: str,
        http: PartnerHttp,
        clock: Callable[[], datetime] = utc_now,
        *,
        limit: int = 100,
    ) -> None:
        super().__init__(partner, base_url, http, clock)
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit must be from 1 to {MAX_LIMIT}, got {limit}")
        self.limit = limit

    def endpoint(self) -> str:
        return f"{self.base_url}/relics"

    def first_params(self, cursor: str | None) -> dict[str, str]:
        params = {"limit": str(self.limit)}
        if cursor is not None:
            params["updated_since"] = cursor
        return params

    def next_params(self, cursor: str | None, token: str) -> dict[str, str]:
        return {**self.first_params(cursor), "page_token": token}

    async def fetch(self, params: dict[str, str]) -> Response:
        try:
            return await super().fetch(params)
        except FatalSourceError as exc:
            if exc.status == 410 and "page_token" in params:
                raise ExpiredPageToken(self.partner, exc.url, f"page token expired: {exc.problem}", 410) from exc
            raise

    def parse_page(self, response: Response) -> ParsedPage:
        content = PageContent(self.limits)

        def on_item(item: Any, raw: RawItem) -> None:
            object_id = item.get("id") if isinstance(item, dict) else None
            content.add(object_id if isinstance(object_id, str) else None, parse_item, item, lambda _: raw.excerpt())

        try:
            listing = read_listing(response.body, "items", on_item, self.limits.max_records_per_page)
        except NotAnObject as exc:
            raise self._error(response, str(exc)) from None
        except ListTooLong as exc:
            raise LimitExceeded(self.partner, response.url, f"page is refused: {exc}") from None
        except ValueError as exc:
            raise self._error(response, f"malformed JSON: {exc}") from None
        if listing.items is None:
            items = listing.members.get("items")
            raise self._error(response, f'"items" must be a list, got {clip(repr(items), 80)}')
        token = listing.members.get("next_page_token")
        if token is not None and not isinstance(token, str):
            raise self._error(response, f'"next_page_token" must be a string or null, got {clip(repr(token), 80)}')
        return ParsedPage(content.records, token or None, content.rejected)

    def _error(self, response: Response, problem: str) -> FatalSourceError:
        return FatalSourceError(self.partner, response.url, problem)


def parse_item(item: Any) -> CatalogueRecord | Tombstone:
    """One relics item; RecordProblem names what makes it unusable."""
    if not isinstance(item, dict):
        raise RecordProblem(f"item must be an object, got {clip(repr(item), 80)}")
    object_id = item.get("id")
    if not isinstance(object_id, str) or not object_id.strip():
        raise RecordProblem(f'item has no "id" (got {clip(repr(object_id), 80)})')
    fields = ItemFields(item, object_id)
    updated_at = fields.timestamp("updated_at")
    if fields.boolean("deleted"):
        return Tombstone(object_id, updated_at)
    material = fields.text("material")
    category = fields.text("category")
    return CatalogueRecord(
        source_id=object_id,
        kind=kind_of(category, material),
        titles=fields.language_map("title", required=True),
        updated_at=updated_at,
        descriptions=fields.language_map("description"),
        period=fields.text("dynasty"),
        earliest_year=fields.year("year_from"),
        latest_year=fields.year("year_to"),
        origin_country=fields.country("origin_country"),
        material=material,
        dimensions=fields.text("dimensions"),
        relic_grade=fields.grade("grade"),
        export_restricted=fields.boolean("export_restricted"),
        images=fields.images("images"),
        extra={"category": category} if category is not None else {},
    )


class ItemFields:
    """Typed reads of one item's fields; a bad value raises RecordProblem naming field and value."""

    def __init__(self, item: dict[str, Any], object_id: str) -> None:
        self.item = item
        self.object_id = object_id

    def bad(self, name: str, expected: str) -> RecordProblem:
        value = self.item.get(name)
        return RecordProblem(f'field "{name}" must be {expected}, got {clip(repr(value), 80)}')

    def text(self, name: str) -> str | None:
        value = self.item.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.bad(name, "a string or null")
        return value.strip() or None

    def boolean(self, name: str) -> bool:
        value = self.item.get(name, False)
        if not isinstance(value, bool):
            raise self.bad(name, "true or false")
        return value

    def year(self, name: str) -> int | None:
        value = self.item.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.bad(name, "an integer year (negative for BCE) or null")
        return value

    def timestamp(self, name: str) -> datetime:
        value = self.item.get(name)
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise self.bad(name, "an ISO 8601 date-time with a UTC offset")
        return moment

    def country(self, name: str) -> str:
        value = self.item.get(name)
        if value is None:
            return "CN"
        if not isinstance(value, str) or len(value) != 2 or not value.isascii() or not value.isalpha():
            raise self.bad(name, "an ISO 3166-1 alpha-2 country code")
        return value.upper()

    def grade(self, name: str) -> RelicGrade | None:
        value = self.item.get(name)
        if value is None:
            return None
        try:
            return RelicGrade(value)
        except ValueError:
            expected = "one of " + ", ".join(f'"{grade.value}"' for grade in RelicGrade) + " or null"
            raise self.bad(name, expected) from None

    def language_map(self, name: str, required: bool = False) -> tuple[LocalizedText, ...]:
        value = self.item.get(name)
        if value is None and not required:
            return ()
        if not isinstance(value, dict) or not all(isinstance(text, str) for text in value.values()):
            raise self.bad(name, "an object of language tag to text")
        texts = tuple(
            LocalizedText("und" if lang.strip().lower() in UNTAGGED_LANGUAGES else lang.strip(), text.strip())
            for lang, text in value.items()
            if text.strip()
        )
        if required and not texts:
            raise self.bad(name, "an object with at least one non-empty text")
        return texts

    def images(self, name: str) -> tuple[ImageRef, ...]:
        value = self.item.get(name)
        if value is None:
            return ()
        expected = 'a list of objects with "manifest_url" and/or "image_url" (strings) and an optional "label"'
        if not isinstance(value, list):
            raise self.bad(name, expected)
        images = []
        for entry in value:
            if not isinstance(entry, dict):
                raise self.bad(name, expected)
            manifest, image, label = (entry.get(key) for key in ("manifest_url", "image_url", "label"))
            urls_ok = all(url is None or isinstance(url, str) for url in (manifest, image))
            if not urls_ok or (not manifest and not image) or not (label is None or isinstance(label, str)):
                raise self.bad(name, expected)
            images.append(ImageRef(manifest_url=manifest or None, image_url=image or None, label=label or None))
        return tuple(images)
