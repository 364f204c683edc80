"""A bound on how deeply a GraphQL request's JSON nests, checked before anything decodes it (a body nested
100,000 levels deep was an HTTP 500): 400 with a clear error past MAX_JSON_DEPTH."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from hub.core.json_nesting import MAX_JSON_DEPTH, depth_over_limit
from schema.core.request_body import read_body, replay

QUERY_STRING_JSON = ("variables", "extensions")


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
        parameters = parse_qsl(scope["query_string"].decode("latin-1")) if scope["query_string"] else []
        texts = [v.encode() for k, v in parameters if k in QUERY_STRING_JSON]
        if scope["method"] == "POST":
            body = await read_body(receive)
            receive = replay(body, receive)
            texts.append(body or b"")
        depth = max((d for d in map(depth_over_limit, texts) if d is not None), default=None)
        if depth is not None:
            await too_deep(depth)(scope, receive, send)
            return
        await self.app(scope, receive, send)
