"""The CRECC relics JSON API: its sandbox, and the connector harvesting it over loopback."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from connectors.errors import FatalSourceError, RetriableSourceError
from connectors.http import PartnerHttp
from connectors.records import CatalogueRecord, ItemKind, LocalizedText, Page, RelicGrade, Tombstone
from connectors.relics_api import RelicsApiSource
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import RunningServer, serve_app
from tests.connectors.support import FAST_RETRIES


@pytest.fixture
async def sandbox() -> AsyncIterator[tuple[CreccSandbox, str]]:
    partner = CreccSandbox()
    server = await serve_app(partner.make_app())
    yield partner, server.url
    await server.close()


def connector(session: aiohttp.ClientSession, url: str, limit: int = 10) -> RelicsApiSource:
    return RelicsApiSource("CRECC", url, PartnerHttp("CRECC", session, FAST_RETRIES), limit=limit)


async def harvest(source: RelicsApiSource, checkpoint: dict[str, Any] | None = None) -> list[Page]:
    return [page async for page in source.read(checkpoint)]


async def first_page_of(source: RelicsApiSource, checkpoint: dict[str, Any] | None = None) -> Page:
    """The first page of a harvest that then stops, as when the hub is interrupted."""
    pages = source.read(checkpoint)
    assert isinstance(pages, AsyncGenerator)
    async with contextlib.aclosing(pages):
        return await anext(pages)


def records_of(pages: list[Page]) -> list[CatalogueRecord | Tombstone]:
    return [record for page in pages for record in page.records]


def by_id(pages: list[Page]) -> dict[str, CatalogueRecord]:
    return {r.source_id: r for r in records_of(pages) if isinstance(r, CatalogueRecord)}


# --- hand-made partners -------------------------------------------------------------------

Answer = Callable[[dict[str, str]], web.Response]


def answer(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
    """A fresh response per request: JSON for dicts and lists, raw text for strings."""

    def respond(query: dict[str, str]) -> web.Response:
        if isinstance(body, str):
            return web.Response(text=body, status=status, headers=headers, content_type="application/json")
        return web.json_response(body, status=status, headers=headers)

    return respond


class HandMadePartner:
    """Answers the n-th request with the n-th answer (the last one repeats) and keeps every query."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = answers
        self.queries: list[dict[str, str]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.queries.append(dict(request.query))
        return self.answers[min(len(self.queries), len(self.answers)) - 1](dict(request.query))


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[HandMadePartner], Awaitable[str]]]:
    servers: list[RunningServer] = []

    async def start(partner: HandMadePartner) -> str:
        app = web.Application()
        app.router.add_get("/relics", partner.handle)
        servers.append(await serve_app(app))
        return servers[-1].url

    yield start
    for server in servers:
        await server.close()


def relic(object_id: str, **fields: Any) -> dict[str, Any]:
    item = {
        "id": object_id,
        "title": {"zh": "开元通宝", "en": "Kaiyuan tongbao coin"},
        "dynasty": "Tang",
        "year_from": 621,
        "year_to": 907,
        "material": "bronze",
        "grade": "general",
        "dimensions": "D 2.5 cm",
        "origin_country": "CN",
        "export_restricted": False,
        "images": [],
        "updated_at": "2024-03-01T08:00:00Z",
        "deleted": False,
        "category": "coin",
    }
    item.update(fields)
    return item


def one_page(*items: Any) -> Answer:
    return answer({"items": list(items), "next_page_token": None})


# --- the sandbox through the connector ----------------------------------------------------


async def test_full_harvest_of_sandbox_yields_every_record_over_several_pages(
    session: aiohttp.ClientSession, sandbox: tuple[CreccSandbox, str]
) -> None:
    partner, url = sandbox
    pages = await harvest(connector(session, url, limit=10))

    live = {obj.id for obj in partner.store.ordered() if not obj.deleted}
    deleted = {obj.id for obj in partner.store.ordered() if obj.deleted}
    assert len(pages) == 4
    assert set(by_id(pages)) == live and len(live) >= 25
    assert {r.source_id for r in records_of(pages) if isinstance(r, Tombstone)} == deleted
    assert len(deleted) >= 3
    assert all("page_token" in page.checkpoint for page in pages[:-1])
    assert set(pages[-1].checkpoint) == {"cursor"}

    records = by_id(pages)
    groom = records["CRECC-SR2023-001"]
    assert (groom.kind, groom.relic_grade, groom.export_restricted) == (
        ItemKind.CERAMIC,
        RelicGrade.GRADE_2,
        True,
    )
    assert {t.lang for t in groom.titles} == {"zh", "en", "fr"}
    assert (groom.period, groom.earliest_year, groom.latest_year, groom.dimensions) == (
        "Tang",
        618,
        907,
        "H 42 cm",
    )
    assert groom.images[0].manifest_url and groom.images[0].image_url and groom.images[1].manifest_url is None
    cup = records["CRECC-SR2023-002"]
    assert (cup.relic_grade, cup.export_restricted, cup.kind) == (
        RelicGrade.GRADE_1,
        True,
        ItemKind.METALWORK,
    )
    assert LocalizedText("ru", "Позолоченная восьмигранная серебряная чаша в согдийском стиле") in cup.titles
    drachm = records["CRECC-SR2023-003"]
    assert (drachm.kind, drachm.origin_country, drachm.relic_grade) == (
        ItemKind.COIN,
        "IR",
        RelicGrade.GRADE_3,
    )
    assert records["CRECC-SR2023-004"].relic_grade is RelicGrade.GENERAL
    assert records["CRECC-SR2023-006"].relic_grade is RelicGrade.UNGRADED
    assert LocalizedText("und", "Kai yuan tong bao") in records["CRECC-SR2023-008"].titles
    assert records["CRECC-HAN2024-001"].kind is ItemKind.JADE  # no category: inferred from "nephrite"
    assert records["CRECC-SR2023-007"].kind is ItemKind.OTHER  # glass, no category
    assert records["CRECC-HAN2024-001"].earliest_year == -206
    assert any(t.lang == "ar" for r in records.values() for t in r.titles)


async def test_incremental_harvest_of_unchanged_sandbox_yields_nothing(
    session: aiohttp.ClientSession, sandbox: tuple[CreccSandbox, str]
) -> None:
    _, url = sandbox
    source = connector(session, url)
    first = await harvest(source)
    again = await harvest(source, first[-1].checkpoint)
    assert records_of(again) == []
    assert set(again[-1].checkpoint) == {"cursor"}


async def test_incremental_harvest_sees_an_update_and_a_delete(
    session: aiohttp.ClientSession, sandbox: tuple[CreccSandbox, str]
) -> None:
    partner, url = sandbox
    source = connector(session, url)
    first = await harvest(source)
    partner.store.update("CRECC-SR2023-005", grade="1", titles={"zh": "青瓷凤首龙柄壶", "en": "Phoenix-head ewer"})
    partner.store.delete("CRECC-SR2023-006")

    changes = records_of(await harvest(source, first[-1].checkpoint))
    assert len(changes) == 2
    ewer, buddha = changes
    assert isinstance(ewer, CatalogueRecord) and ewer.relic_grade is RelicGrade.GRADE_1
    assert LocalizedText("en", "Phoenix-head ewer") in ewer.titles
    assert isinstance(buddha, Tombstone) and buddha.source_id == "CRECC-SR2023-006"


async def test_harvest_resumed_from_mid_harvest_checkpoint_completes_the_catalogue(
    session: aiohttp.ClientSession, sandbox: tuple[CreccSandbox, str]
) -> None:
    partner, url = sandbox
    source = connector(session, url)
    first_page = await first_page_of(source)
    partner.store.update("CRECC-SR2023-001", dimensions="H 42.5 cm")  # moves behind the stored token

    rest = await harvest(source, first_page.checkpoint)
    seen = {r.source_id for r in first_page.records + records_of(rest)}
    assert seen == {obj.id for obj in partner.store.ordered()}
    assert by_id(rest)["CRECC-SR2023-001"].dimensions == "H 42.5 cm"
    assert rest[-1].checkpoint == {"cursor": first_page.checkpoint["harvest_started"]}


async def test_harvest_resumed_against_restarted_sandbox_restarts_from_cursor(
    session: aiohttp.ClientSession, sandbox: tuple[CreccSandbox, str]
) -> None:
    _, url = sandbox
    first_page = await first_page_of(connector(session, url))
    restarted = CreccSandbox()
    server = await serve_app(restarted.make_app())
    try:
        rest = await harvest(connector(session, server.url), first_page.checkpoint)
    finally:
        await server.close()
    assert {r.source_id for r in records_of(rest)} == {obj.id for obj in restarted.store.ordered()}


async def test_sandbox_with_20000_synthetic_objects_harvests_completely(
    session: aiohttp.ClientSession,
) -> None:
    partner = CreccSandbox(synthetic=20_000)
    server = await serve_app(partner.make_app())
    try:
        pages = await harvest(connector(session, server.url, limit=500))
    finally:
        await server.close()
    assert len(records_of(pages)) == len(partner.store) == 20_000 + 31
    assert len(pages) == 41


# --- the sandbox's own answers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "status", "bad_value"),
    [
        ({"updated_since": "yesterday"}, 400, "yesterday"),
        ({"limit": "ten"}, 400, "ten"),
        ({"limit": "0"}, 400, "0"),
        ({"limit": "501"}, 400, "501"),
        ({"page_token": "not-a-token"}, 400, "not-a-token"),
        ({"page_token": "MjAyNC0wMS0wMVQwMDowMDowMCswMDowMHxY.c2lnbmF0dXJl"}, 410, "MjAyNC0wMS0wMVQw"),
    ],
)
async def test_sandbox_bad_parameter_is_refused_naming_the_value(
    session: aiohttp.ClientSession,
    sandbox: tuple[CreccSandbox, str],
    query: dict[str, str],
    status: int,
    bad_value: str,
) -> None:
    _, url = sandbox
    async with session.get(f"{url}/relics", params=query) as response:
        body = await response.json()
    assert response.status == status
    assert bad_value in body["message"] and body["parameter"] in query


async def test_sandbox_page_token_stays_valid_when_records_change_between_pages(
    session: aiohttp.ClientSession, sandbox: tuple[CreccSandbox, str]
) -> None:
    partner, url = sandbox
    async with session.get(f"{url}/relics", params={"limit": "10"}) as response:
        first = await response.json()
    partner.store.update("CRECC-SR2023-002", grade="2")
    partner.store.delete("CRECC-QING2024-001")
    async with session.get(f"{url}/relics", params={"limit": "100", "page_token": first["next_page_token"]}) as resp:
        rest = await resp.json()
    assert resp.status == 200 and rest["next_page_token"] is None
    ids = [item["id"] for item in rest["items"]]
    assert ids[-2:] == ["CRECC-SR2023-002", "CRECC-QING2024-001"]
    assert {item["id"] for item in first["items"]} | set(ids) == {obj.id for obj in partner.store.ordered()}


async def test_sandbox_updated_since_is_inclusive(
    session: aiohttp.ClientSession, sandbox: tuple[CreccSandbox, str]
) -> None:
    _, url = sandbox
    async with session.get(f"{url}/relics", params={"updated_since": "2024-08-30T04:10:00Z"}) as response:
        body = await response.json()
    assert [item["id"] for item in body["items"]] == ["CRECC-KUS2024-001", "CRECC-KUS2024-002"]


# --- the connector against hand-made partners ---------------------------------------------


async def test_malformed_json_is_fatal_naming_partner_and_url(
    session: aiohttp.ClientSession, serve: Callable[[HandMadePartner], Awaitable[str]]
) -> None:
    url = await serve(HandMadePartner(answer('{"items": [')))
    with pytest.raises(FatalSourceError) as caught:
        await harvest(connector(session, url))
    assert caught.value.partner == "CRECC" and f"{url}/relics" in str(caught.value)
    assert "malformed JSON" in str(caught.value)


async def test_unknown_grade_is_rejected_naming_value_and_field_and_the_page_goes_on(
    session: aiohttp.ClientSession, serve: Callable[[HandMadePartner], Awaitable[str]]
) -> None:
    url = await serve(HandMadePartner(one_page(relic("R-1"), relic("R-2", grade="first-class"), relic("R-3"))))
    pages = await harvest(connector(session, url))
    assert list(by_id(pages)) == ["R-1", "R-3"]
    [rejected] = pages[-1].rejected
    assert rejected.source_id == "R-2"
    assert "'first-class'" in rejected.reason and '"grade"' in rejected.reason
    assert '"id": "R-2"' in rejected.excerpt and '"first-class"' in rejected.excerpt
    assert set(pages[-1].checkpoint) == {"cursor"}


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ({"next_page_token": None}, '"items"'),
        ({"items": {"id": "R-1"}, "next_page_token": None}, '"items" must be a list'),
        ([relic("R-1")], "expected a JSON object, got list"),
        ({"items": [relic("R-1")], "next_page_token": 7}, '"next_page_token" must be a string or null, got 7'),
        ('{"items": [] "next_page_token": null}', "malformed JSON"),
    ],
)
async def test_page_that_cannot_be_read_is_fatal_naming_the_problem(
    session: aiohttp.ClientSession,
    serve: Callable[[HandMadePartner], Awaitable[str]],
    payload: Any,
    named: str,
) -> None:
    url = await serve(HandMadePartner(answer(payload)))
    with pytest.raises(FatalSourceError, match=named):
        await harvest(connector(session, url))


@pytest.mark.parametrize(
    ("item", "source_id", "named"),
    [
        ("R-1", None, "item must be an object"),
        ({"title": {"en": "x"}}, None, 'item has no "id"'),
        (relic("R-1", updated_at="01/03/2024"), "R-1", "'01/03/2024'"),
        (relic("R-1", year_from="abc"), "R-1", '"year_from" must be an integer year'),
        (relic("R-1", year_from="c. 620"), "R-1", "'c. 620'"),
        (relic("R-1", title="Coin"), "R-1", '"title"'),
        (relic("R-1", images=[{"label": "front"}]), "R-1", '"images"'),
        (relic("R-1", year_to=10**12), "R-1", "latest_year 1000000000000 is beyond"),
        (relic("R" * 300), None, "longer than the limit of 255"),
    ],
)
async def test_malformed_item_is_rejected_naming_the_field_and_its_neighbours_are_harvested(
    session: aiohttp.ClientSession,
    serve: Callable[[HandMadePartner], Awaitable[str]],
    item: Any,
    source_id: str | None,
    named: str,
) -> None:
    url = await serve(HandMadePartner(one_page(relic("before"), item, relic("after", deleted=True))))
    pages = await harvest(connector(session, url))
    assert [record.source_id for record in records_of(pages)] == ["before", "after"]
    [rejected] = pages[-1].rejected
    assert (rejected.source_id, named in rejected.reason) == (source_id, True), rejected.reason
    assert rejected.excerpt.startswith(("{", '"'))


async def test_category_gives_kind_and_material_fills_in_when_it_is_missing(
    session: aiohttp.ClientSession, serve: Callable[[HandMadePartner], Awaitable[str]]
) -> None:
    cases = {
        "coin": ("coin", "bronze", ItemKind.COIN),
        "silver": ("silver", None, ItemKind.METALWORK),
        "epitaph": ("Epitaph", "limestone", ItemKind.EPITAPH),
        "painting": ("painting", "ink on silk", ItemKind.PAINTING),
        "unknown-category": ("lacquerware", "gold", ItemKind.METALWORK),
        "from-porcelain": (None, "porcelain", ItemKind.CERAMIC),
        "from-jade": (None, "jade with gold mounts", ItemKind.JADE),
        "from-silk": (None, "silk brocade", ItemKind.TEXTILE),
        "not-obvious": (None, "lacquered wood", ItemKind.OTHER),
    }
    items = [relic(name, category=category, material=material) for name, (category, material, _) in cases.items()]
    url = await serve(HandMadePartner(one_page(*items)))
    records = by_id(await harvest(connector(session, url)))
    assert {name: record.kind for name, record in records.items()} == {n: c[2] for n, c in cases.items()}


async def test_http_404_is_fatal_and_not_retried(
    session: aiohttp.ClientSession, serve: Callable[[HandMadePartner], Awaitable[str]]
) -> None:
    partner = HandMadePartner(answer({"error": "not found"}, status=404))
    url = await serve(partner)
    with pytest.raises(FatalSourceError, match="HTTP 404"):
        await harvest(connector(session, url))
    assert len(partner.queries) == 1


async def test_http_500_then_success_is_retried(
    session: aiohttp.ClientSession, serve: Callable[[HandMadePartner], Awaitable[str]]
) -> None:
    partner = HandMadePartner(answer("oops", status=500), one_page(relic("R-1")))
    url = await serve(partner)
    assert list(by_id(await harvest(connector(session, url)))) == ["R-1"]
    assert len(partner.queries) == 2


async def test_http_429_with_retry_after_then_success_is_retried(
    session: aiohttp.ClientSession, serve: Callable[[HandMadePartner], Awaitable[str]]
) -> None:
    partner = HandMadePartner(
        answer({"error": "slow down"}, status=429, headers={"Retry-After": "1"}), one_page(relic("R-1"))
    )
    url = await serve(partner)
    assert list(by_id(await harvest(connector(session, url)))) == ["R-1"]
    assert len(partner.queries) == 2


async def test_http_500_storm_gives_up_after_the_policy_attempts(
    session: aiohttp.ClientSession, serve: Callable[[HandMadePartner], Awaitable[str]]
) -> None:
    partner = HandMadePartner(answer("down", status=503))
    url = await serve(partner)
    with pytest.raises(RetriableSourceError, match="gave up after 3 attempts"):
        await harvest(connector(session, url))
    assert len(partner.queries) == FAST_RETRIES.attempts


async def test_expired_page_token_on_resume_restarts_from_cursor_and_completes(
    session: aiohttp.ClientSession, serve: Callable[[HandMadePartner], Awaitable[str]]
) -> None:
    def respond(query: dict[str, str]) -> web.Response:
        token = query.get("page_token")
        if token == "stale":
            return web.json_response({"error": "expired_page_token", "parameter": "page_token"}, status=410)
        if token is None:
            return web.json_response({"items": [relic("R-1")], "next_page_token": "fresh"})
        return web.json_response({"items": [relic("R-2", deleted=True)], "next_page_token": None})

    partner = HandMadePartner(respond)
    url = await serve(partner)
    checkpoint = {
        "cursor": "2024-01-01T00:00:00Z",
        "page_token": "stale",
        "harvest_started": "2024-06-01T00:00:00Z",
    }
    pages = await harvest(connector(session, url), checkpoint)

    assert [r.source_id for r in records_of(pages)] == ["R-1", "R-2"]
    assert isinstance(records_of(pages)[1], Tombstone)
    assert pages[-1].checkpoint == {"cursor": "2024-06-01T00:00:00Z"}
    assert [q.get("page_token") for q in partner.queries] == ["stale", None, "fresh"]
    assert partner.queries[1]["updated_since"] == "2024-01-01T00:00:00Z"


def test_connector_limit_out_of_range_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match="501"):
        RelicsApiSource("CRECC", "http://127.0.0.1:1", PartnerHttp("CRECC", None, FAST_RETRIES), limit=501)  # type: ignore[arg-type]
