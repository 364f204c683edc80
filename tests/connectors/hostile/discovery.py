"""An IIIF Change Discovery 1.0 partner with Linked Art objects that a test can make hostile."""

from __future__ import annotations

import itertools
import json
from typing import Any

from aiohttp import web

from tests.connectors.hostile.server import repeated, stream

ENGLISH = "http://vocab.getty.edu/aat/300388277"


def linked_art(title: str, **fields: Any) -> dict[str, Any]:
    """A minimal HumanMadeObject named `title`; `fields` override or add properties (say `type="Person"`)."""
    document: dict[str, Any] = {
        "@context": "https://linked.art/ns/v1/linked-art.json",
        "type": "HumanMadeObject",
        "_label": title,
        "identified_by": [{"type": "Name", "content": title, "language": [{"id": ENGLISH}]}],
    }
    document.update(fields)
    return document


class ChangeDiscoveryPartner:
    """Serves `activities` (oldest first) `page_size` a page, newest page last, and `objects` by id.

    An object is a JSON document, or a str sent as it is (for malformed JSON). `endless`: the pages
    before the first go on forever, each full of Delete activities. `link_chars`: the newest
    page's `prev` link is that many characters long (streamed).
    """

    def __init__(self, page_size: int = 10, *, endless: bool = False, link_chars: int = 0) -> None:
        self.activities: list[dict[str, Any]] = []
        self.objects: dict[str, dict[str, Any] | str] = {}
        self.page_size = page_size
        self.endless = endless
        self.link_chars = link_chars
        self.pages_served = 0

    def publish(self, kind: str, object_id: str, end_time: str, document: dict[str, Any] | str | None = None) -> None:
        """Add an activity on object `object_id` (and set the object's document, when given)."""
        self.activities.append(
            {
                "id": f"activity-{len(self.activities)}",
                "type": kind,
                "object": {"id": f"{{base}}/object/{object_id}", "type": "HumanMadeObject"},
                "endTime": end_time,
            }
        )
        if document is not None:
            self.objects[object_id] = document

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/activity/all-changes", self.collection)
        app.router.add_get("/activity/page/{number}", self.page)
        app.router.add_get("/object/{object_id}", self.object)
        return app

    @property
    def last_page(self) -> int:
        return max(0, (len(self.activities) - 1) // self.page_size)

    async def collection(self, request: web.Request) -> web.Response:
        base = str(request.url.origin())
        return web.json_response(
            {"type": "OrderedCollection", "last": {"id": f"{base}/activity/page/{self.last_page}"}}
        )

    async def page(self, request: web.Request) -> web.StreamResponse:
        self.pages_served += 1
        base = str(request.url.origin())
        number = int(request.match_info["number"])
        if number < 0:
            items = [
                {"id": f"gen{number}-{n}", "type": "Delete", "object": {"id": f"{base}/object/gen{number}-{n}"},
                 "endTime": "2020-01-01T00:00:00Z"}
                for n in range(self.page_size)
            ]  # fmt: skip
        else:
            chosen = self.activities[number * self.page_size : (number + 1) * self.page_size]
            items = json.loads(json.dumps(chosen).replace("{base}", base))
        document: dict[str, Any] = {"type": "OrderedCollectionPage", "orderedItems": items}
        if self.link_chars and number == self.last_page:
            head = json.dumps(document)[:-1].encode() + b', "prev": "' + f"{base}/activity/page/".encode()
            return await stream(
                request, itertools.chain([head], repeated(b"9", self.link_chars), [b'"}']), "application/json"
            )
        if number > 0 or self.endless:
            document["prev"] = {"id": f"{base}/activity/page/{number - 1}", "type": "OrderedCollectionPage"}
        return web.json_response(document)

    async def object(self, request: web.Request) -> web.Response:
        document = self.objects.get(request.match_info["object_id"])
        if document is None:
            return web.Response(status=404, text="no such object")
        if isinstance(document, str):
            return web.Response(text=document, content_type="application/json")
        return web.json_response(document)
