"""CRECC sandbox: the relics JSON API over the sample store.

`GET /relics?updated_since=<ISO 8601>&page_token=<t>&limit=<n>` answers
`{"items": [...], "next_page_token": <t> | null}` with items ordered by (updated_at, id),
`updated_since` inclusive. Page tokens are keyset positions (the last (updated_at, id) served),
so they stay valid while records change between pages. They are signed with a key of this
server instance: a token this instance did not issue (say, from before a restart) is answered
with 410 Gone and `"error": "expired_page_token"`; an undecodable token, a bad `limit` or a bad
`updated_since` with 400 and `"error": "invalid_parameter"`.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import copy
import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime
from functools import partial
from typing import Any
from urllib.parse import quote

from aiohttp import web

from hub.sandbox.crecc_records import CRECC_RECORDS
from hub.sandbox.store import SampleObject, SampleStore, synthetic_objects

MAX_LIMIT = 500
IMAGE_HOST = "https://iiif.crecc.example"
SYNTHETIC_START = datetime(2025, 1, 1, tzinfo=UTC)
SYNTHETIC_KINDS = ["COIN", "CERAMIC", "METALWORK", "SCULPTURE", "JADE"]

CATEGORY_BY_KIND = {
    "COIN": "coin",
    "CERAMIC": "ceramic",
    "METALWORK": "metalwork",
    "SCULPTURE": "sculpture",
    "JADE": "jade",
    "TEXTILE": "textile",
    "PAINTING": "painting",
    "EPITAPH": "epitaph",
}

_json_dumps = partial(json.dumps, ensure_ascii=False)


class BadRequest(Exception):
    """A query parameter the API cannot honour; becomes an HTTP error with a JSON body."""

    def __init__(self, status: int, error: str, parameter: str, value: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"error": error, "parameter": parameter, "value": value, "message": message}


class CreccSandbox:
    code = "CRECC"

    def __init__(self, synthetic: int = 0, page_size: int = 10) -> None:
        if not 1 <= page_size <= MAX_LIMIT:
            raise ValueError(f"page_size must be from 1 to {MAX_LIMIT}, got {page_size}")
        self.page_size = page_size
        self.store = SampleStore()
        self.store.load(copy.deepcopy(CRECC_RECORDS))  # the store changes its objects in place
        if synthetic > 0:
            self.store.load(synthetic_objects("CRECC", synthetic, SYNTHETIC_KINDS, SYNTHETIC_START))
        self._token_key = secrets.token_bytes(16)

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/relics", self.list_relics)
        return app

    async def list_relics(self, request: web.Request) -> web.Response:
        try:
            since = parse_updated_since(request.query.get("updated_since"))
            limit = self._parse_limit(request.query.get("limit"))
            token = request.query.get("page_token")
            after = self._decode_token(token) if token else None
        except BadRequest as exc:
            return web.json_response(exc.body, status=exc.status, dumps=_json_dumps)
        ordered = self.store.ordered()
        start = 0
        if since is not None:
            start = bisect.bisect_left(ordered, since, key=lambda o: o.updated_at)
        if after is not None:
            start = max(start, bisect.bisect_right(ordered, after, key=lambda o: (o.updated_at, o.id)))
        page = ordered[start : start + limit]
        more = start + limit < len(ordered)
        body = {
            "items": [render_relic(obj) for obj in page],
            "next_page_token": self._encode_token(page[-1]) if page and more else None,
        }
        return web.json_response(body, dumps=_json_dumps)

    def _parse_limit(self, raw: str | None) -> int:
        if raw is None:
            return self.page_size
        try:
            limit = int(raw)
        except ValueError:
            limit = 0
        if not 1 <= limit <= MAX_LIMIT:
            message = f"limit must be an integer from 1 to {MAX_LIMIT}, got {raw!r}"
            raise BadRequest(400, "invalid_parameter", "limit", raw, message)
        return limit

    def _signature(self, payload: bytes) -> str:
        digest = hmac.new(self._token_key, payload, hashlib.sha256).digest()[:12]
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def _encode_token(self, last: SampleObject) -> str:
        payload = f"{last.updated_at.isoformat()}|{last.id}".encode()
        encoded = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        return f"{encoded}.{self._signature(payload)}"

    def _decode_token(self, token: str) -> tuple[datetime, str]:
        try:
            encoded, signature = token.split(".")
            payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            moment, object_id = payload.decode().split("|", 1)
            position = (datetime.fromisoformat(moment), object_id)
        except (ValueError, binascii.Error) as exc:
            message = f"page_token {token!r} is not a page token of this API"
            raise BadRequest(400, "invalid_parameter", "page_token", token, message) from exc
        if not hmac.compare_digest(signature, self._signature(payload)):
            message = f"page_token {token!r} is unknown or expired; start again from updated_since"
            raise BadRequest(410, "expired_page_token", "page_token", token, message)
        return position


def parse_updated_since(raw: str | None) -> datetime | None:
    """An ISO 8601 date or datetime; one without an offset is taken as UTC."""
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        message = f"updated_since must be an ISO 8601 date-time such as 2024-01-31T12:00:00Z, got {raw!r}"
        raise BadRequest(400, "invalid_parameter", "updated_since", raw, message) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def language_map(texts: dict[str, str]) -> dict[str, str]:
    return {(lang or "none"): text for lang, text in texts.items()}


def render_images(obj: SampleObject) -> list[dict[str, str]]:
    """The first image also carries the object's IIIF manifest; the others are bare IIIF images."""
    images = []
    for index, name in enumerate(obj.images):
        image: dict[str, str] = {}
        if index == 0:
            image["manifest_url"] = f"{IMAGE_HOST}/presentation/{quote(obj.id)}/manifest.json"
        image["image_url"] = f"{IMAGE_HOST}/image/{quote(name, safe='')}/full/max/0/default.jpg"
        image["label"] = name.rsplit("/", 1)[-1]
        images.append(image)
    return images


def render_relic(obj: SampleObject) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": obj.id,
        "title": language_map(obj.titles),
        "dynasty": obj.period,
        "year_from": obj.year_from,
        "year_to": obj.year_to,
        "material": obj.material,
        "grade": obj.grade,
        "dimensions": obj.dimensions,
        "origin_country": obj.origin_country,
        "export_restricted": obj.export_restricted,
        "images": render_images(obj),
        "updated_at": format_time(obj.updated_at),
        "deleted": obj.deleted,
    }
    category = obj.extra.get("category", CATEGORY_BY_KIND.get(obj.kind))
    if category is not None:
        item["category"] = category
    if obj.descriptions:
        item["description"] = language_map(obj.descriptions)
    return item
