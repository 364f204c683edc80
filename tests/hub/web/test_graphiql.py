"""The GraphiQL page and its files come from the hub itself, under a policy that lets nothing else in."""

from __future__ import annotations

import html
import re
import tomllib
from pathlib import Path

import httpx

from hub.web.graphiql import STATIC_DIR, example_query

ROOT = Path(__file__).resolve().parents[3]
BROWSER = {"Accept": "text/html,application/xhtml+xml"}


async def page_assets(client: httpx.AsyncClient) -> list[str]:
    page = (await client.get("/graphql", headers=BROWSER)).text
    return re.findall(r'(?:src|href)="([^"]+)"', page)


async def test_graphiql_page_loads_only_files_of_the_hub_itself(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers=BROWSER)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self';" in policy and "connect-src 'self'" in policy
    assert "<script>" not in response.text  # every script is a file: no inline script for the policy to allow
    assets = await page_assets(client)
    assert [url for url in assets if not url.startswith(("/static/", "data:"))] == []
    assert any("graphiql.min.js" in url for url in assets) and any("hub-graphiql.js" in url for url in assets)


async def test_graphiql_page_opens_with_the_example_query(client: httpx.AsyncClient) -> None:
    page = (await client.get("/graphql", headers=BROWSER)).text
    (attribute,) = re.findall(r'data-example-query="([^"]*)"', page)
    assert html.unescape(attribute) == example_query()
    assert 'catalogue(query: "三彩"' in example_query()


async def test_graphiql_files_are_served_with_long_cache_and_their_content_type(client: httpx.AsyncClient) -> None:
    for url in await page_assets(client):
        if url.startswith("data:"):
            continue
        response = await client.get(url)
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        kind = "text/css" if url.split("?")[0].endswith(".css") else "javascript"
        assert kind in response.headers["content-type"], url
        path = STATIC_DIR / url.split("?")[0].removeprefix("/static/")
        assert response.content == path.read_bytes()


async def test_graphiql_asset_urls_change_with_their_content(client: httpx.AsyncClient) -> None:
    versions = [url.split("?v=")[1] for url in await page_assets(client) if "?v=" in url]
    assert len(versions) == 8 and len(set(versions)) == 8


async def test_graphiql_large_files_travel_compressed(client: httpx.AsyncClient) -> None:
    (script,) = [url for url in await page_assets(client) if "graphiql.min.js" in url]
    response = await client.get(script, headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"


async def test_graphiql_folder_serves_scripts_and_styles_only(client: httpx.AsyncClient) -> None:
    for path in ("/static/graphiql/update.sh", "/static/graphiql/README.md", "/static/example-query.graphql"):
        assert (await client.get(path)).status_code == 404, path
    assert (await client.get("/static/../settings.py")).status_code == 404


def test_graphiql_files_are_package_data_so_an_installed_hub_has_them() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["hub.web"]
    web = ROOT / "hub" / "web"
    needed = [path.relative_to(web).as_posix() for path in web.rglob("*") if path.is_file() and path.suffix != ".py"]
    needed = [path for path in needed if "__pycache__" not in path]
    assert "static/graphiql/graphiql.min.js" in needed
    packaged = {found.relative_to(web).as_posix() for pattern in patterns for found in web.glob(pattern)}
    assert [path for path in needed if path not in packaged] == []
