"""IIIF Change Discovery connector against the TWMM sandbox and hand-made servers, over loopback."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from connectors.errors import FatalSourceError
from connectors.http import PartnerHttp
from connectors.iiif_discovery import IiifDiscoverySource
from connectors.linked_art import language_map_texts
from connectors.records import CatalogueRecord, ItemKind, LocalizedText, Page, RelicGrade, Tombstone
from hub.sandbox.runner import RunningServer, serve_app
from hub.sandbox.store import SampleObject
from hub.sandbox.twmm import TwmmSandbox
from tests.connectors.support import FAST_RETRIES


@pytest.fixture
async def sandbox() -> AsyncIterator[tuple[TwmmSandbox, RunningServer]]:
    partner = TwmmSandbox()
    server = await serve_app(partner.make_app())
    yield partner, server
    await server.close()


def source_for(url: str, session: aiohttp.ClientSession, concurrency: int = 8) -> IiifDiscoverySource:
    return IiifDiscoverySource("TWMM", url, PartnerHttp("TWMM", session, FAST_RETRIES), concurrency=concurrency)


async def crawl(source: IiifDiscoverySource, checkpoint: dict[str, Any] | None) -> list[Page]:
    return [page async for page in source.read(checkpoint)]


def harvested(pages: list[Page]) -> tuple[dict[str, CatalogueRecord], dict[str, Tombstone]]:
    items = [item for page in pages for item in page.records]
    assert len({item.source_id for item in items}) == len(items), "an object was harvested twice"
    records = {i.source_id: i for i in items if isinstance(i, CatalogueRecord)}
    return records, {i.source_id: i for i in items if isinstance(i, Tombstone)}


async def test_full_crawl_yields_every_live_object_and_tombstones(
    sandbox: tuple[TwmmSandbox, RunningServer], session: aiohttp.ClientSession
) -> None:
    partner, server = sandbox
    pages = await crawl(source_for(server.url, session), None)
    records, tombstones = harvested(pages)
    objects = partner.store.ordered()
    assert len(pages) >= 3
    assert set(records) == {o.id for o in objects if not o.deleted}
    assert set(tombstones) == {o.id for o in objects if o.deleted}
    assert len(tombstones) >= 3
    assert pages[-1].checkpoint["last_crawl"] == "2024-09-10T14:15:00Z"
    assert all(page.checkpoint == {} for page in pages[:-1])


async def test_full_crawl_keeps_every_title_language(
    sandbox: tuple[TwmmSandbox, RunningServer], session: aiohttp.ClientSession
) -> None:
    partner, server = sandbox
    records, _ = harvested(await crawl(source_for(server.url, session), None))
    for object_id, record in records.items():
        stored = partner.store.get(object_id)
        assert stored is not None
        expected = {LocalizedText(tag or "und", text) for tag, text in stored.titles.items()}
        assert set(record.titles) == expected, object_id
    kanishka = records["TWMM-2012-0009"]
    assert LocalizedText("und", "ÞAONANOÞAO KANHÞKI KOÞANO") in kanishka.titles
    assert {"zh", "en"} <= {title.lang for title in kanishka.titles}
    assert {"ar", "ru", "fr"} <= {title.lang for record in records.values() for title in record.titles}


async def test_sandbox_objects_write_aat_uris_in_all_three_spellings(
    sandbox: tuple[TwmmSandbox, RunningServer], session: aiohttp.ClientSession
) -> None:
    partner, server = sandbox
    records, _ = harvested(await crawl(source_for(server.url, session), None))
    for object_id, spelling in [
        ("TWMM-2009-0001", '"http://vocab.getty.edu/aat/300388113"'),
        ("TWMM-2009-0002", '"https://vocab.getty.edu/aat/300388113"'),
        ("TWMM-2010-0017", '"aat:300388113"'),
    ]:
        async with session.get(f"{server.url}/object/{object_id}") as response:
            assert spelling in await response.text()
        stored = partner.store.get(object_id)
        assert stored is not None
        assert LocalizedText("zh", stored.titles["zh"]) in records[object_id].titles
        assert LocalizedText("en", stored.titles["en"]) in records[object_id].titles


async def test_full_crawl_links_the_served_iiif_manifests(
    sandbox: tuple[TwmmSandbox, RunningServer], session: aiohttp.ClientSession
) -> None:
    _, server = sandbox
    records, _ = harvested(await crawl(source_for(server.url, session), None))
    coin = records["TWMM-2012-0010"]
    assert [image.manifest_url for image in coin.images] == [f"{server.url}/iiif/TWMM-2012-0010/manifest"]
    assert records["TWMM-2022-0002"].images == ()
    async with session.get(coin.images[0].manifest_url or "") as response:
        manifest = await response.json()
    assert manifest["type"] == "Manifest"
    assert manifest["items"][0]["items"][0]["items"][0]["motivation"] == "painting"
    assert LocalizedText("und", "ΒΑΣΙΛΕΩΣ ΜΕΓΑΛΟΥ ΑΡΣΑΚΟΥ") in language_map_texts(manifest["label"])


async def test_full_crawl_maps_kinds_years_and_measurements(
    sandbox: tuple[TwmmSandbox, RunningServer], session: aiohttp.ClientSession
) -> None:
    _, server = sandbox
    records, _ = harvested(await crawl(source_for(server.url, session), None))
    jue, horse, drachm = records["TWMM-2013-0044"], records["TWMM-2009-0002"], records["TWMM-2012-0010"]
    assert (jue.kind, jue.period, jue.earliest_year, jue.latest_year) == (ItemKind.METALWORK, "Shang", -1600, -1046)
    assert (horse.kind, horse.dimensions, horse.relic_grade) == (ItemKind.CERAMIC, "H 54 cm, L 50 cm", RelicGrade("2"))
    assert (drachm.kind, drachm.origin_country, drachm.earliest_year) == (ItemKind.COIN, "IR", -121)
    assert records["TWMM-2011-0105"].kind is ItemKind.EPITAPH
    assert records["TWMM-2011-0105"].earliest_year == records["TWMM-2011-0105"].latest_year == 735
    assert records["TWMM-2009-0001"].dimensions == "D 2.5 cm, 4.1 g"
    assert records["TWMM-2018-0030"].kind is ItemKind.OTHER
    assert {r.kind for r in records.values()} >= {
        ItemKind.JADE,
        ItemKind.TEXTILE,
        ItemKind.PAINTING,
        ItemKind.SCULPTURE,
    }


async def test_incremental_crawl_sees_nothing_when_nothing_changed(
    sandbox: tuple[TwmmSandbox, RunningServer], session: aiohttp.ClientSession
) -> None:
    _, server = sandbox
    checkpoint = (await crawl(source_for(server.url, session), None))[-1].checkpoint
    source = source_for(server.url, session)
    pages = await crawl(source, checkpoint)
    assert [page.records for page in pages] == [[]]
    assert pages[-1].checkpoint == checkpoint
    assert source.http.requests == 2  # the collection and its last page


async def test_incremental_crawl_sees_an_update_and_a_delete(
    sandbox: tuple[TwmmSandbox, RunningServer], session: aiohttp.ClientSession
) -> None:
    partner, server = sandbox
    checkpoint = (await crawl(source_for(server.url, session), None))[-1].checkpoint
    partner.store.update("TWMM-2011-0131", titles={"zh": "瑞兽葡萄镜", "en": "Lion-and-grape mirror"})
    partner.store.delete("TWMM-2009-0001")
    pages = await crawl(source_for(server.url, session), checkpoint)
    records, tombstones = harvested(pages)
    assert set(records) == {"TWMM-2011-0131"}
    assert LocalizedText("en", "Lion-and-grape mirror") in records["TWMM-2011-0131"].titles
    assert set(tombstones) == {"TWMM-2009-0001"}
    again = await crawl(source_for(server.url, session), pages[-1].checkpoint)
    assert harvested(again) == ({}, {})


async def test_update_then_delete_in_one_crawl_yields_only_the_tombstone(
    sandbox: tuple[TwmmSandbox, RunningServer], session: aiohttp.ClientSession
) -> None:
    partner, server = sandbox
    checkpoint = (await crawl(source_for(server.url, session), None))[-1].checkpoint
    partner.store.update("TWMM-2014-0019", dimensions="H 79 cm")
    partner.store.delete("TWMM-2014-0019")
    records, tombstones = harvested(await crawl(source_for(server.url, session), checkpoint))
    assert records == {}
    assert list(tombstones) == ["TWMM-2014-0019"]


async def test_object_deleted_then_added_again_comes_back_as_a_record(
    sandbox: tuple[TwmmSandbox, RunningServer], session: aiohttp.ClientSession
) -> None:
    partner, server = sandbox
    checkpoint = (await crawl(source_for(server.url, session), None))[-1].checkpoint
    partner.store.delete("TWMM-2020-0001")
    partner.store.add(SampleObject(id="TWMM-2020-0001", kind="JADE", titles={"en": "Jade belt hook"}))
    records, tombstones = harvested(await crawl(source_for(server.url, session), checkpoint))
    assert list(records) == ["TWMM-2020-0001"] and tombstones == {}


async def test_incremental_crawl_over_several_pages_keeps_the_old_checkpoint_until_the_end(
    sandbox: tuple[TwmmSandbox, RunningServer], session: aiohttp.ClientSession
) -> None:
    partner, server = sandbox
    checkpoint = (await crawl(source_for(server.url, session), None))[-1].checkpoint
    for number in range(25):
        partner.store.add(SampleObject(id=f"TWMM-2025-{number:04d}", kind="COIN", titles={"en": f"Coin {number}"}))
    pages = await crawl(source_for(server.url, session), checkpoint)
    records, _ = harvested(pages)
    assert set(records) == {f"TWMM-2025-{number:04d}" for number in range(25)}
    assert len(pages) >= 3
    assert all(page.checkpoint == checkpoint for page in pages[:-1])
    assert pages[-1].checkpoint["last_crawl"] > checkpoint["last_crawl"]


# --- hand-made servers for edge cases -------------------------------------------------------------------------


class ScriptedPartner:
    """Answers each path from a script of (status, body) replies; the last reply repeats. `{base}` is filled in."""

    def __init__(self, routes: dict[str, list[tuple[int, Any]]], object_delay: float = 0.0) -> None:
        self.routes = routes
        self.hits: Counter[str] = Counter()
        self.object_delay = object_delay
        self.in_flight = 0
        self.most_in_flight = 0

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.Response:
        self.hits[request.path] += 1
        script = self.routes.get(request.path)
        if not script:
            return web.Response(status=404, text=f"no {request.path}")
        status, body = script.pop(0) if len(script) > 1 else script[0]
        if request.path.startswith("/object/"):
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            await asyncio.sleep(self.object_delay)
            self.in_flight -= 1
        text = (body if isinstance(body, str) else json.dumps(body)).replace("{base}", str(request.url.origin()))
        headers = {"Retry-After": "0"} if status == 429 else {}
        return web.Response(status=status, text=text, content_type="application/json", headers=headers)


def feed(*pages: list[dict[str, Any]]) -> dict[str, list[tuple[int, Any]]]:
    """Routes for a collection whose pages hold these activities, oldest page first."""
    routes: dict[str, list[tuple[int, Any]]] = {
        "/activity/all-changes": [
            (200, {"type": "OrderedCollection", "last": {"id": f"{{base}}/page/{len(pages) - 1}"}})
        ]
    }
    for number, activities in enumerate(pages):
        page: dict[str, Any] = {"type": "OrderedCollectionPage", "orderedItems": activities}
        if number:
            page["prev"] = {"id": f"{{base}}/page/{number - 1}", "type": "OrderedCollectionPage"}
        routes[f"/page/{number}"] = [(200, page)]
    return routes


def activity(kind: str, object_id: str, end_time: str) -> dict[str, Any]:
    return {
        "type": kind,
        "object": {"id": f"{{base}}/object/{object_id}", "type": "HumanMadeObject"},
        "endTime": end_time,
    }


def linked_art(title: str) -> dict[str, Any]:
    return {
        "type": "HumanMadeObject",
        "identified_by": [{"type": "Name", "content": title, "language": [{"id": "aat:300388277"}]}],
    }


@pytest.fixture
async def scripted() -> AsyncIterator[list[RunningServer]]:
    servers: list[RunningServer] = []
    yield servers
    for server in servers:
        await server.close()


async def serve(partner: ScriptedPartner, servers: list[RunningServer]) -> str:
    server = await serve_app(partner.make_app())
    servers.append(server)
    return server.url


async def test_malformed_page_json_raises_fatal_error_naming_the_url(
    scripted: list[RunningServer], session: aiohttp.ClientSession
) -> None:
    routes = feed([])
    routes["/page/0"] = [(200, '{"type": "OrderedCollectionPage", "orderedItems": [')]
    url = await serve(ScriptedPartner(routes), scripted)
    with pytest.raises(FatalSourceError, match="malformed JSON") as raised:
        await crawl(source_for(url, session), None)
    assert raised.value.url == f"{url}/page/0"


async def test_page_of_another_type_raises_fatal_error(
    scripted: list[RunningServer], session: aiohttp.ClientSession
) -> None:
    routes = feed([])
    routes["/page/0"] = [(200, {"type": "OrderedCollection", "orderedItems": []})]
    url = await serve(ScriptedPartner(routes), scripted)
    problem = "expected an OrderedCollectionPage, got type 'OrderedCollection'"
    with pytest.raises(FatalSourceError, match=problem) as raised:
        await crawl(source_for(url, session), None)
    assert raised.value.url == f"{url}/page/0"


@pytest.mark.parametrize(
    ("broken", "source_id", "problem"),
    [
        ({"type": "Update", "object": {"id": "{base}/object/X1"}}, "X1", "has no endTime"),
        ({"type": "Like", "object": {"id": "{base}/object/X1"}, "endTime": "2024-01-01T00:00:00Z"}, "X1", "'Like'"),
        ({"type": "Update", "object": {"id": "{base}/object/X1"}, "endTime": "soon"}, "X1", "'soon'"),
        ({"type": "Create", "endTime": "2024-01-01T00:00:00Z"}, None, "names no object id"),
        ("Create", None, "not a JSON object"),
    ],
)
async def test_activity_breaking_the_protocol_is_rejected_and_the_page_goes_on(
    scripted: list[RunningServer],
    session: aiohttp.ClientSession,
    broken: Any,
    source_id: str | None,
    problem: str,
) -> None:
    routes = feed(
        [activity("Create", "A1", "2024-01-01T00:00:00Z"), broken, activity("Create", "A2", "2024-01-02T00:00:00Z")]
    )
    routes["/object/A1"] = [(200, linked_art("Mirror"))]
    routes["/object/A2"] = [(200, linked_art("Bowl"))]
    pages = await crawl(source_for(await serve(ScriptedPartner(routes), scripted), session), None)
    records, _ = harvested(pages)
    assert set(records) == {"A1", "A2"}
    [rejected] = pages[-1].rejected
    assert rejected.source_id == source_id and "activity 1: " in rejected.reason and problem in rejected.reason
    assert pages[-1].checkpoint["last_crawl"] == "2024-01-02T00:00:00Z"


async def test_object_that_is_not_a_human_made_object_is_rejected(
    scripted: list[RunningServer], session: aiohttp.ClientSession
) -> None:
    routes = feed([activity("Create", "P1", "2024-01-01T00:00:00Z"), activity("Create", "A1", "2024-01-02T00:00:00Z")])
    routes["/object/P1"] = [(200, {"type": "Person", "_label": "An Lushan"})]
    routes["/object/A1"] = [(200, linked_art("Mirror"))]
    url = await serve(ScriptedPartner(routes), scripted)
    pages = await crawl(source_for(url, session), None)
    records, _ = harvested(pages)
    assert set(records) == {"A1"}
    [rejected] = pages[-1].rejected
    assert rejected.source_id == "P1"
    assert rejected.reason == "expected a HumanMadeObject, got type 'Person'"
    assert rejected.excerpt == '{"type": "Person", "_label": "An Lushan"}'


async def test_server_error_and_rate_limit_are_retried(
    scripted: list[RunningServer], session: aiohttp.ClientSession
) -> None:
    routes = feed([activity("Create", "A1", "2024-01-01T00:00:00Z")])
    routes["/page/0"].insert(0, (500, "temporarily broken"))
    routes["/object/A1"] = [(429, "slow down"), (200, linked_art("Kaiyuan coin"))]
    partner = ScriptedPartner(routes)
    records, _ = harvested(await crawl(source_for(await serve(partner, scripted), session), None))
    assert records["A1"].titles == (LocalizedText("en", "Kaiyuan coin"),)
    assert partner.hits["/page/0"] == 2 and partner.hits["/object/A1"] == 2


async def test_gone_object_becomes_a_tombstone(scripted: list[RunningServer], session: aiohttp.ClientSession) -> None:
    routes = feed([activity("Create", "A1", "2024-01-01T00:00:00Z"), activity("Update", "A2", "2024-01-02T00:00:00Z")])
    routes["/object/A1"] = [(200, linked_art("Silk fragment"))]
    routes["/object/A2"] = [(410, "gone")]
    records, tombstones = harvested(
        await crawl(source_for(await serve(ScriptedPartner(routes), scripted), session), None)
    )
    assert set(records) == {"A1"} and set(tombstones) == {"A2"}


async def test_walk_stops_at_the_checkpoint_without_fetching_older_pages(
    scripted: list[RunningServer], session: aiohttp.ClientSession
) -> None:
    times = [f"2024-01-0{day}T00:00:00Z" for day in range(1, 9)]
    routes = feed(
        *[[activity("Update", f"A{i}", times[i]), activity("Update", f"A{i + 1}", times[i + 1])] for i in (0, 2, 4, 6)]
    )
    for i in range(8):
        routes[f"/object/A{i}"] = [(200, linked_art(f"Object {i}"))]
    partner = ScriptedPartner(routes)
    pages = await crawl(source_for(await serve(partner, scripted), session), {"last_crawl": times[5]})
    records, _ = harvested(pages)
    assert set(records) == {"A5", "A6", "A7"}  # the activity at the checkpoint itself is read again
    assert partner.hits["/page/3"] == partner.hits["/page/2"] == 1
    assert partner.hits["/page/1"] == partner.hits["/page/0"] == 0
    assert partner.hits["/object/A4"] == 0
    assert pages[-1].checkpoint["last_crawl"] == times[7]


async def test_change_sharing_the_checkpoint_time_is_not_missed(
    scripted: list[RunningServer], session: aiohttp.ClientSession
) -> None:
    moment = "2024-03-01T12:00:00Z"
    routes = feed([activity("Create", "A1", moment)])
    routes["/object/A1"] = [(200, linked_art("Mirror"))]
    routes["/object/A2"] = [(200, linked_art("Bowl"))]
    url = await serve(ScriptedPartner(routes), scripted)
    checkpoint = (await crawl(source_for(url, session), None))[-1].checkpoint
    routes["/page/0"][0][1]["orderedItems"].append(activity("Create", "A2", moment))
    records, _ = harvested(await crawl(source_for(url, session), checkpoint))
    assert set(records) == {"A2"}


async def test_object_requests_stay_within_the_concurrency_limit(
    scripted: list[RunningServer], session: aiohttp.ClientSession
) -> None:
    routes = feed([activity("Create", f"A{i}", f"2024-01-01T00:00:{i:02d}Z") for i in range(12)])
    for i in range(12):
        routes[f"/object/A{i}"] = [(200, linked_art(f"Figurine {i}"))]
    partner = ScriptedPartner(routes, object_delay=0.02)
    records, _ = harvested(await crawl(source_for(await serve(partner, scripted), session, concurrency=3), None))
    assert len(records) == 12
    assert 1 < partner.most_in_flight <= 3
