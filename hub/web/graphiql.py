"""GraphiQL served from the package: the page at GET /graphql (in a browser) and its files under /static/.

Nothing is loaded from elsewhere: the page's Content-Security-Policy allows only this hub's own address, and its
script is a file too (no inline script). The third-party builds are in static/graphiql/ (see its README.md).
Asset URLs carry a hash of their content, so browsers may keep them for a year.
"""

from __future__ import annotations

import hashlib
import html
import os
from pathlib import Path
from string import Template

from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Scope

STATIC_DIR = Path(__file__).parent / "static"
PAGE_TEMPLATE = Path(__file__).parent / "graphiql.html"
EXAMPLE_QUERY = STATIC_DIR / "example-query.graphql"
STATIC_PATH = "/static"
SERVED_SUFFIXES = frozenset({".js", ".css"})

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        # GraphiQL's dialogs add <style> elements (react-remove-scroll); scripts stay files of the hub only.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",  # this hub's /graphql over HTTP and its websocket
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
ASSETS = {
    "react_js": "graphiql/react.production.min.js",
    "react_dom_js": "graphiql/react-dom.production.min.js",
    "graphiql_js": "graphiql/graphiql.min.js",
    "graphiql_css": "graphiql/graphiql.min.css",
    "explorer_js": "graphiql/plugin-explorer.umd.js",
    "explorer_css": "graphiql/plugin-explorer.css",
    "page_js": "hub-graphiql.js",
    "page_css": "hub-graphiql.css",
}


def example_query() -> str:
    return EXAMPLE_QUERY.read_text(encoding="utf-8")


def asset_url(relative: str) -> str:
    """The URL of a static file, with a hash of its content: a new build gets a new URL."""
    digest = hashlib.sha256((STATIC_DIR / relative).read_bytes()).hexdigest()[:16]
    return f"{STATIC_PATH}/{relative}?v={digest}"


def render_page() -> str:
    urls = {name: html.escape(asset_url(path)) for name, path in ASSETS.items()}
    template = Template(PAGE_TEMPLATE.read_text(encoding="utf-8"))
    return template.substitute(urls, example_query=html.escape(example_query(), quote=True))


class GraphiQLPage:
    """The page, rendered once per app."""

    def __init__(self) -> None:
        self.html = render_page()

    def response(self) -> Response:
        return HTMLResponse(self.html, headers=PAGE_HEADERS)


class PackageStaticFiles(StaticFiles):
    """The page's scripts and styles, kept by browsers for a year (their URLs change with their content)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        if Path(path).suffix not in SERVED_SUFFIXES:
            return Response("Not Found", status_code=404, media_type="text/plain")
        return await super().get_response(path, scope)

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def static_files() -> ASGIApp:
    return GZipMiddleware(PackageStaticFiles(directory=STATIC_DIR), minimum_size=1024)
