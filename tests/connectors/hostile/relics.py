"""A relics JSON API partner (`GET {base}/relics`) that a test can make hostile."""

from __future__ import annotations

import itertools
import json
from typing import Any

from aiohttp import web

from tests.connectors.hostile.server import repeated, stream


def relic(object_id: str, updated_at: str = "2024-03-01T08:00:00Z", **fields: Any) -> dict[str, Any]:
    """A well-formed relics item; `fields` override or add fields (say `year_from="abc"`)."""
    item: dict[str, Any] = {
        "id": object_id,
        "title": {"zh": "开元通宝", "en": f"Kaiyuan tongbao coin {object_id}"},
        "dynasty": "Tang",
        "year_from": 621,
        "year_to": 907,
        "material": "bronze",
        "grade": "general",
        "origin_country": "CN",
        "export_restricted": False,
        "images": [],
        "updated_at": updated_at,
        "deleted": False,
        "category": "coin",
    }
    item.update(fields)
    return item


class RelicsPartner:
    """Serves `items` (changed since `updated_since`, oldest first) `page_size` a page.

    `endless`: after the items, pages of generated items (each with a description of `filler`
    characters) follow forever. `token_chars`: the first page's `next_page_token` is that many
    characters long (streamed, never held whole).
    """

    def __init__(
        self,
        items: list[dict[str, Any]] | None = None,
        page_size: int = 10,
        *,
        endless: bool = False,
        filler: int = 0,
        token_chars: int = 0,
    ) -> None:
        self.items = list(items or [])
        self.page_size = page_size
        self.endless = endless
        self.filler = filler
        self.token_chars = token_chars
        self.queries: list[dict[str, str]] = []

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/relics", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.StreamResponse:
        query = dict(request.query)
        self.queries.append(query)
        offset = int(query.get("page_token", "0"))
        since = query.get("updated_since", "")
        changed = sorted((i for i in self.items if i.get("updated_at", "") >= since), key=lambda i: i["updated_at"])
        page = changed[offset : offset + self.page_size]
        more = offset + self.page_size < len(changed)
        if self.endless and not more:
            description = {"en": "x" * self.filler} if self.filler else None
            page += [relic(f"GEN-{offset + n:09d}", description=description) for n in range(self.page_size - len(page))]
            more = True
        # Item by item: one json.dumps of a large page would hold the GIL for its whole length.
        items = b'{"items": [' + b", ".join(json.dumps(item).encode() for item in page) + b"]"
        if self.token_chars and offset == 0:
            parts = itertools.chain([items + b', "next_page_token": "'], repeated(b"T", self.token_chars), [b'"}'])
            return await stream(request, parts, "application/json")
        token = json.dumps(str(offset + self.page_size) if more else None).encode()
        return web.Response(body=items + b', "next_page_token": ' + token + b"}", content_type="application/json")
