"""A bound on how deeply a GraphQL request's JSON nests, checked before anything decodes it.

Python's JSON decoder recurses: a body nested 100,000 levels deep makes it raise RecursionError (an HTTP 500
before this guard). The check strips the JSON strings with one regular expression and counts brackets, so it
costs little even on a body at the size limit.
"""

from __future__ import annotations

import re
from itertools import accumulate
from urllib.parse import parse_qsl

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from hub.web.body_limit import read_body, replay

MAX_JSON_DEPTH = 32
"""GraphQL variables of the hub's inputs nest a handful of levels; nothing legitimate comes near this."""
QUERY_STRING_JSON = ("variables", "extensions")

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def json_depth(data: bytes) -> int:
    """How deeply `data` nests arrays and objects (brackets inside strings do not count)."""
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    return max(accumulate(_STEP[b] for b in brackets), default=0)


def too_deep(depth: int) -> JSONResponse:
    message = f"request JSON nests {depth} levels deep, over the limit of {MAX_JSON_DEPTH}"
    error = {"message": message, "extensions": {"code": "BAD_REQUEST", "maxDepth": MAX_JSON_DEPTH}}
    return JSONResponse({"errors": [error]}, status_code=400)


class JsonDepthLimit:
    """Refuses a request whose JSON body (or JSON query parameter) nests deeper than MAX_JSON_DEPTH with a 400."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        parameters = parse_qsl(scope["query_string"].decode("latin-1"))
        depth = max((json_depth(v.encode()) for k, v in parameters if k in QUERY_STRING_JSON), default=0)
        if scope["method"] == "POST":
            body = await read_body(receive)
            receive = replay(body, receive)
            depth = max(depth, json_depth(body or b""))
        if depth > MAX_JSON_DEPTH:
            await too_deep(depth)(scope, receive, send)
            return
        await self.app(scope, receive, send)
