"""GraphiQL in a real headless Chromium with every address but loopback blocked: the page renders from the hub's own
files, runs the example query in the browser's language, sends the headers editor's Authorization header, and shows
subscription events over graphql-transport-ws.

Needs Debian's `chromium` (.ci/run installs it): under CI=true a missing browser fails the test, elsewhere it skips.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from playwright.async_api import Page, Route, async_playwright

from hub.app import Hub
from tests.auth_support import bearer, mint_token
from tests.support import LiveServer

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Nothing but loopback: names do not resolve, and any other address goes to a proxy that is not there.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
]
QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
RESULT = ".graphiql-response .CodeMirror"
SHOWN_TOOL_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror"


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed: under CI the GraphiQL browser tests must run (.ci/run installs it)")
    pytest.skip("chromium is not installed (apt-get install chromium); the GraphiQL browser tests need it")


@dataclass
class OfflineBrowser:
    """A page of a headless Chromium that may reach the hub only; what it tried beyond that, and what it logged."""

    page: Page
    hub_url: str
    blocked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def note(self, kind: str, text: str) -> None:
        if kind in ("error", "warning"):
            self.problems.append(text)

    async def editor_text(self, selector: str) -> str:
        text: str = await self.page.evaluate("s => document.querySelector(s).CodeMirror.getValue()", selector)
        return text

    async def set_editor_text(self, selector: str, text: str) -> None:
        await self.page.evaluate("([s, t]) => document.querySelector(s).CodeMirror.setValue(t)", [selector, text])

    async def result_when(self, expected: str) -> dict[str, Any]:
        """The result pane's JSON, once it holds `expected`."""
        await self.page.wait_for_function(
            "([s, e]) => { const m = document.querySelector(s); return m && m.CodeMirror.getValue().includes(e); }",
            arg=[RESULT, expected],
            timeout=15_000,
        )
        result: dict[str, Any] = json.loads(await self.editor_text(RESULT))
        return result

    async def open(self, query: str | None = None) -> None:
        suffix = f"?q={quote(query)}" if query else ""
        response = await self.page.goto(f"{self.hub_url}/graphql{suffix}")
        assert response is not None and response.status == 200
        await self.page.wait_for_selector(QUERY_EDITOR, timeout=20_000)


@pytest.fixture
async def browser(live_hub: LiveServer) -> AsyncIterator[OfflineBrowser]:
    executable = chromium()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        context = await launched.new_context(locale="fr-FR")
        offline = OfflineBrowser(await context.new_page(), live_hub.url)

        async def only_the_hub(route: Route) -> None:
            if route.request.url.startswith(live_hub.url + "/"):
                await route.continue_()
            else:
                offline.blocked.append(route.request.url)
                await route.abort()

        await context.route("**/*", only_the_hub)
        offline.page.on("console", lambda m: offline.note(m.type, m.text))
        offline.page.on("pageerror", lambda error: offline.problems.append(str(error)))
        try:
            yield offline
        finally:
            await launched.close()


async def test_graphiql_renders_offline_and_runs_the_example_query_in_the_browsers_language(
    catalogue: Hub, browser: OfflineBrowser
) -> None:
    await browser.open()
    assert 'catalogue(query: "三彩", first: 5)' in await browser.editor_text(QUERY_EDITOR)
    await browser.page.click(".graphiql-execute-button")
    result = await browser.result_when('"totalCount"')
    assert "errors" not in result
    nodes = {edge["node"]["institution"]["code"]: edge["node"] for edge in result["data"]["catalogue"]["edges"]}
    assert set(nodes) == {"TWMM", "CRECC"}
    # Accept-Language fr-FR: the title that exists in French comes in French, the other falls back.
    assert nodes["CRECC"]["title"] == "Palefrenier étranger menant un chameau"
    assert nodes["TWMM"]["title"] in ("三彩马", "Sancai horse")
    # A dialog works under the page's policy too (it adds a <style> element).
    await browser.page.click('[aria-label="Open short keys dialog"]')
    await browser.page.get_by_role("dialog").wait_for()
    await browser.page.keyboard.press("Escape")
    assert browser.blocked == [] and browser.problems == []


async def test_graphiql_sends_the_headers_editors_authorization_header(hub: Hub, browser: OfflineBrowser) -> None:
    token = await mint_token(hub, "catalogue:write", institution="NLC")
    await browser.open(
        'mutation { upsertCatalogueItems(input: { items: [{ sourceId: "nlc-rb-9001", kind: RARE_BOOK, '
        'titles: [{ lang: "zh", value: "開元錢譜" }] }] }) { items { title } errors { code message } } }'
    )
    await browser.page.get_by_text("Headers", exact=True).click()
    await browser.set_editor_text(SHOWN_TOOL_EDITOR, json.dumps(bearer(token)))
    await browser.page.click(".graphiql-execute-button")
    result = await browser.result_when('"upsertCatalogueItems"')
    assert result["data"]["upsertCatalogueItems"] == {"items": [{"title": "開元錢譜"}], "errors": []}
    assert browser.blocked == [] and browser.problems == []


async def test_graphiql_shows_subscription_events_over_websocket(
    hub: Hub, live_hub: LiveServer, browser: OfflineBrowser
) -> None:
    await browser.open('subscription { catalogueChanges(institutions: ["NLC"]) { kind item { title } } }')
    async with browser.page.expect_websocket() as opening:
        await browser.page.click(".graphiql-execute-button")
    websocket = await opening.value
    deadline = time.monotonic() + 15
    while hub.events.subscriber_count == 0 and time.monotonic() < deadline:  # the page has subscribed
        await asyncio.sleep(0.05)
    assert hub.events.subscriber_count == 1
    token = await mint_token(hub, "catalogue:write", institution="NLC")
    mutation = (
        'mutation { upsertCatalogueItems(input: { items: [{ sourceId: "nlc-rb-9002", kind: RARE_BOOK, '
        'titles: [{ lang: "zh", value: "西域圖記" }] }] }) { errors { code } } }'
    )
    async with httpx.AsyncClient(base_url=live_hub.url) as http:
        answer = await http.post("/graphql", json={"query": mutation}, headers=bearer(token))
    assert answer.json() == {"data": {"upsertCatalogueItems": {"errors": []}}}
    result = await browser.result_when("西域圖記")
    assert result["data"]["catalogueChanges"] == {"kind": "ADDED", "item": {"title": "西域圖記"}}
    assert websocket.url.startswith(live_hub.url.replace("http", "ws"))
    assert browser.blocked == [] and browser.problems == []
