"""The OAI-PMH connector against the NLC sandbox and hand-made repositories, over loopback."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, cast

import aiohttp
import pytest
from aiohttp import web
from lxml import etree

from connectors.errors import FatalSourceError
from connectors.http import PartnerHttp
from connectors.oai_pmh import OaiPmhSource
from connectors.records import CatalogueRecord, ItemKind, LocalizedText, Page, Tombstone
from connectors.unimarc import parse_years
from hub.sandbox.nlc import NlcSandbox
from hub.sandbox.runner import serve_app
from tests.connectors.support import FAST_RETRIES
from tests.connectors.tracing import traced

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
MARC = "http://www.loc.gov/MARC21/slim"
NS = {"oai": OAI, "dc": "http://purl.org/dc/elements/1.1/"}
SECONDS = "YYYY-MM-DDThh:mm:ssZ"


@asynccontextmanager
async def served(app: web.Application) -> AsyncIterator[str]:
    server = await serve_app(app)
    try:
        yield server.url
    finally:
        await server.close()


@asynccontextmanager
async def oai_source(url: str, **options: Any) -> AsyncIterator[OaiPmhSource]:
    async with aiohttp.ClientSession() as session:
        yield OaiPmhSource("NLC", url, PartnerHttp("NLC", session, FAST_RETRIES), **options)


async def harvest(source: OaiPmhSource, checkpoint: dict[str, Any] | None = None) -> list[Page]:
    return [page async for page in source.read(checkpoint)]


def records_of(pages: list[Page]) -> dict[str, CatalogueRecord]:
    return {r.source_id: r for page in pages for r in page.records if isinstance(r, CatalogueRecord)}


def tombstones_of(pages: list[Page]) -> set[str]:
    return {r.source_id for page in pages for r in page.records if isinstance(r, Tombstone)}


@pytest.fixture
async def nlc() -> AsyncIterator[tuple[NlcSandbox, str]]:
    sandbox = NlcSandbox()
    async with served(sandbox.make_app()) as url:
        yield sandbox, url


async def get_xml(url: str, **params: str) -> etree._Element:
    async with aiohttp.ClientSession() as session, session.get(url, params=params) as response:
        assert response.status == 200
        return etree.fromstring(await response.read())


# The sandbox, harvested whole and incrementally


@pytest.mark.parametrize("prefix", [None, "oai_dc"])
async def test_full_harvest_yields_every_live_record_and_a_tombstone_per_deletion(
    nlc: tuple[NlcSandbox, str], prefix: str | None
) -> None:
    sandbox, url = nlc
    async with oai_source(url, metadata_prefix=prefix) as source:
        pages = await harvest(source)
    objects = sandbox.store.ordered()
    assert len(pages) == -(-len(objects) // 10) >= 3
    assert all("page_token" in page.checkpoint for page in pages[:-1])
    assert set(pages[-1].checkpoint) == {"cursor"}
    records, deleted = records_of(pages), tombstones_of(pages)
    assert set(records) == {f"oai:nlc.cn:{o.id}" for o in objects if not o.deleted}
    assert deleted == {f"oai:nlc.cn:{o.id}" for o in objects if o.deleted} and len(deleted) == 3
    west_market = records["oai:nlc.cn:nlc-bk-000101"]
    assert west_market.titles[:2] == (
        LocalizedText("zh", "长安西市出土墓志汇释"),
        LocalizedText("en", "Annotated Epitaphs Excavated at the Chang'an West Market"),
    )
    assert (west_market.kind, west_market.earliest_year, west_market.latest_year) == (ItemKind.BOOK, 2021, 2021)
    assert records["oai:nlc.cn:nlc-bk-000112"].titles == (LocalizedText("und", "Silk Road Numismatics Reader"),)
    assert LocalizedText("ar", "مصحف مخطوط من شمال غرب الصين") in records["oai:nlc.cn:nlc-ms-000303"].titles
    rubbing = records["oai:nlc.cn:nlc-rb-000201"]
    assert (rubbing.kind, rubbing.period, rubbing.dimensions) == (ItemKind.RUBBING, "Republic of China", "58 x 57 cm")
    assert (rubbing.earliest_year, rubbing.latest_year) == (1912, 1949)
    assert records["oai:nlc.cn:nlc-bk-000103"].origin_country == "GB"
    langs = {text.lang for record in records.values() for text in record.titles}
    assert {"zh", "en", "fr", "ar", "ru", "fa", "kk", "tr", "und"} <= langs
    assert not langs & {"chi", "eng", "fre", "ara", "rus"}


async def test_oai_dc_iso_639_2_title_tags_become_bcp47(nlc: tuple[NlcSandbox, str]) -> None:
    _, url = nlc
    raw = await get_xml(url, verb="GetRecord", identifier="oai:nlc.cn:nlc-ms-000301", metadataPrefix="oai_dc")
    tags = [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in raw.iterfind(".//dc:title", NS)]
    assert tags == ["chi", "eng"]
    async with oai_source(url, metadata_prefix="oai_dc") as source:
        record = records_of(await harvest(source))["oai:nlc.cn:nlc-ms-000301"]
    assert record.titles == (LocalizedText("zh", "開元錢譜"), LocalizedText("en", "Register of Kaiyuan Coinage"))
    assert record.extra["languages"] == ["zh"]


async def test_marc21_and_oai_dc_routes_give_the_same_facts(nlc: tuple[NlcSandbox, str]) -> None:
    _, url = nlc
    async with oai_source(url) as marc_source, oai_source(url, metadata_prefix="oai_dc") as dc_source:
        via_marc, via_dc = records_of(await harvest(marc_source)), records_of(await harvest(dc_source))
    assert marc_source.metadata_prefix == "marc21"
    assert via_marc.keys() == via_dc.keys()
    facts = "titles kind creators period earliest_year latest_year origin_country material dimensions images updated_at"
    for source_id, marc in via_marc.items():
        dc = via_dc[source_id]
        assert [getattr(marc, f) for f in facts.split()] == [getattr(dc, f) for f in facts.split()], source_id
        assert marc.extra.get("languages") == dc.extra.get("languages"), source_id


async def test_incremental_harvest_sees_only_changed_and_deleted_records(nlc: tuple[NlcSandbox, str]) -> None:
    sandbox, url = nlc
    async with oai_source(url) as source:
        checkpoint = (await harvest(source))[-1].checkpoint
        sandbox.store.update("nlc-rb-000203", titles={"zh": "多寶塔碑拓本", "en": "Duobao Pagoda Stele, Ming rubbing"})
        sandbox.store.delete("nlc-map-000502")
        pages = await harvest(source, checkpoint)
        unchanged = await harvest(source, pages[-1].checkpoint)
    records = records_of(pages)
    assert list(records) == ["oai:nlc.cn:nlc-rb-000203"]
    assert LocalizedText("en", "Duobao Pagoda Stele, Ming rubbing") in records["oai:nlc.cn:nlc-rb-000203"].titles
    assert tombstones_of(pages) == {"oai:nlc.cn:nlc-map-000502"}
    assert records_of(unchanged).keys() <= {"oai:nlc.cn:nlc-rb-000203"}  # same second: `from` is inclusive


async def test_expired_token_mid_harvest_restarts_from_the_cursor_and_completes(
    nlc: tuple[NlcSandbox, str],
) -> None:
    sandbox, url = nlc
    async with oai_source(url) as source:
        pages = cast(AsyncGenerator[Page, None], source.read(None))
        first = await anext(pages)
        await pages.aclose()
        sandbox.expire_tokens()
        rest = await harvest(source, first.checkpoint)
    assert "page_token" in first.checkpoint
    live = {f"oai:nlc.cn:{o.id}" for o in sandbox.store.ordered() if not o.deleted}
    assert records_of([first, *rest]).keys() == live
    assert set(rest[-1].checkpoint) == {"cursor"}


async def test_record_changed_during_harvest_is_not_skipped(nlc: tuple[NlcSandbox, str]) -> None:
    sandbox, url = nlc
    async with oai_source(url) as source:
        pages = cast(AsyncGenerator[Page, None], source.read(None))
        first = await anext(pages)
        sandbox.store.update("nlc-bk-000101", dimensions="30 cm")
        rest = [page async for page in pages]
    assert records_of(rest)["oai:nlc.cn:nlc-bk-000101"].dimensions == "30 cm"
    assert len(records_of([first, *rest])) == len([o for o in sandbox.store.ordered() if not o.deleted])


async def test_bad_from_argument_raises_fatal_error_naming_code_value_and_url(nlc: tuple[NlcSandbox, str]) -> None:
    _, url = nlc
    async with oai_source(url) as source:
        with pytest.raises(FatalSourceError) as caught:
            await harvest(source, {"cursor": "yesterday"})
    assert "badArgument" in str(caught.value) and "'yesterday'" in str(caught.value)
    assert caught.value.url.startswith(url) and "from=yesterday" in caught.value.url


async def test_sandbox_manifest_linked_from_a_record_is_a_iiif_manifest(nlc: tuple[NlcSandbox, str]) -> None:
    _, url = nlc
    async with oai_source(url) as source:
        record = records_of(await harvest(source))["oai:nlc.cn:nlc-rb-000201"]
    assert [image.manifest_url for image in record.images] == [f"{url}/iiif/nlc-rb-000201/manifest"]
    async with aiohttp.ClientSession() as session, session.get(f"{url}/iiif/nlc-rb-000201/manifest") as response:
        manifest = await response.json()
    assert manifest["type"] == "Manifest" and manifest["label"]["zh"] == ["唐故安府君墓誌銘拓片"]
    assert manifest["items"][0]["items"][0]["items"][0]["motivation"] == "painting"


async def test_sandbox_with_synthetic_records_harvests_them_all() -> None:
    sandbox = NlcSandbox(synthetic=1500, page_size=400)
    async with served(sandbox.make_app()) as url, oai_source(url) as source:
        pages = await harvest(source)
    assert len(pages) == 4
    assert len(records_of(pages)) + len(tombstones_of(pages)) == 1500 + 31


# The sandbox speaking the protocol


@pytest.mark.parametrize(
    ("params", "code", "named"),
    [
        ({"verb": "Harvest"}, "badVerb", "Harvest"),
        ({}, "badVerb", "missing"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-01"}, "badArgument", "2024-13-01"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "colour": "red"}, "badArgument", "colour"),
        ({"verb": "ListRecords"}, "badArgument", "metadataPrefix"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01", "until": "2024-02-01T00:00:00Z"},
         "badArgument", "granularity"),
        ({"verb": "ListRecords", "metadataPrefix": "mods"}, "cannotDisseminateFormat", "mods"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:nlc.cn:nope"}, "idDoesNotExist", "nope"),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken", "not-a-token"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2099-01-01"}, "noRecordsMatch", ""),
        ({"verb": "ListSets"}, "noSetHierarchy", ""),
    ],
)  # fmt: skip
async def test_sandbox_answers_oai_error_codes(
    nlc: tuple[NlcSandbox, str], params: dict[str, str], code: str, named: str
) -> None:
    _, url = nlc
    root = await get_xml(url, **params)
    errors = root.findall("oai:error", NS)
    assert [e.get("code") for e in errors] == [code]
    assert named in (errors[0].text or "")
    if code in ("badVerb", "badArgument"):
        assert not root.find("oai:request", NS).attrib  # type: ignore[union-attr]


async def test_sandbox_pages_carry_cursor_and_list_size_and_the_last_an_empty_token(
    nlc: tuple[NlcSandbox, str],
) -> None:
    sandbox, url = nlc
    root = await get_xml(url, verb="ListIdentifiers", metadataPrefix="marc21", until="2024-12-31")
    seen, cursors = [], []
    while True:
        seen += [h.findtext("oai:identifier", namespaces=NS) for h in root.iterfind(".//oai:header", NS)]
        token = root.find(".//oai:resumptionToken", NS)
        assert token is not None
        cursors.append(int(token.get("cursor", "-1")))
        assert int(token.get("completeListSize", "0")) == 28
        if not token.text:
            break
        root = await get_xml(url, verb="ListIdentifiers", resumptionToken=token.text)
    assert cursors == [0, 10, 20] and len(seen) == 28 == len(set(seen))
    deleted = await get_xml(url, verb="GetRecord", identifier="oai:nlc.cn:nlc-map-000504", metadataPrefix="oai_dc")
    assert deleted.find(".//oai:header", NS).get("status") == "deleted"  # type: ignore[union-attr]
    assert deleted.find(".//oai:metadata", NS) is None
    assert sandbox.store.get("nlc-map-000504").deleted  # type: ignore[union-attr]


# Hand-made repositories for the edge cases


def oai_document(body: str, response_date: str = "2025-05-01T12:00:00Z") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="{OAI}"><responseDate>{response_date}</responseDate>'
        f"<request>http://repository.test/</request>{body}</OAI-PMH>"
    ).encode()


def dc_record(identifier: str, title: str, lang: str | None = "en") -> str:
    lang_attr = f' xml:lang="{lang}"' if lang else ""
    return (
        f"<record><header><identifier>{identifier}</identifier><datestamp>2025-04-01T00:00:00Z</datestamp>"
        f'</header><metadata><oai_dc:dc xmlns:oai_dc="{OAI_DC}" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title{lang_attr}>{title}</dc:title><dc:type>Text</dc:type><dc:date>2018</dc:date>"
        "</oai_dc:dc></metadata></record>"
    )


def marc_record(identifier: str, fields: str, leader: str = "00000nam0 2200000   450 ") -> str:
    return (
        f"<record><header><identifier>{identifier}</identifier><datestamp>2025-04-01</datestamp></header>"
        f'<metadata><marc:record xmlns:marc="{MARC}"><marc:leader>{leader}</marc:leader>{fields}'
        "</marc:record></metadata></record>"
    )


def datafield(tag: str, *subfields: tuple[str, str]) -> str:
    subs = "".join(f'<marc:subfield code="{code}">{value}</marc:subfield>' for code, value in subfields)
    return f'<marc:datafield tag="{tag}" ind1=" " ind2=" ">{subs}</marc:datafield>'


ListRecords = Callable[[dict[str, str]], "str | web.Response"]


class HandMadeRepository:
    """Identify and ListMetadataFormats canned; ListRecords answered by `list_records`."""

    def __init__(self, list_records: ListRecords, granularity: str = SECONDS, formats: tuple[str, ...] = ("oai_dc",)):
        self.list_records = list_records
        self.granularity = granularity
        self.formats = formats
        self.requests: list[dict[str, str]] = []

    @property
    def list_requests(self) -> list[dict[str, str]]:
        return [r for r in self.requests if r.get("verb") == "ListRecords"]

    async def handle(self, request: web.Request) -> web.Response:
        params = dict(request.query)
        self.requests.append(params)
        if params.get("verb") == "Identify":
            body = (
                "<Identify><repositoryName>Hand-made</repositoryName><baseURL>http://repository.test/</baseURL>"
                "<protocolVersion>2.0</protocolVersion><adminEmail>a@b.invalid</adminEmail>"
                "<earliestDatestamp>2000-01-01</earliestDatestamp><deletedRecord>persistent</deletedRecord>"
                f"<granularity>{self.granularity}</granularity></Identify>"
            )
        elif params.get("verb") == "ListMetadataFormats":
            namespaces = {"oai_dc": OAI_DC, "marc21": MARC}
            body = "<ListMetadataFormats>" + "".join(
                f"<metadataFormat><metadataPrefix>{p}</metadataPrefix><schema>http://schema.test/{p}.xsd</schema>"
                f"<metadataNamespace>{namespaces[p]}</metadataNamespace></metadataFormat>"
                for p in self.formats
            )
            body += "</ListMetadataFormats>"
        else:
            answer = self.list_records(params)
            if isinstance(answer, web.Response):
                return answer
            body = answer
        return web.Response(body=oai_document(body), content_type="text/xml")

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self.handle)
        return app


@asynccontextmanager
async def repository(list_records: ListRecords, **options: Any) -> AsyncIterator[tuple[HandMadeRepository, str]]:
    repo = HandMadeRepository(list_records, **options)
    async with served(repo.app()) as url:
        yield repo, url


async def test_marc21_is_preferred_and_unimarc_200a_becomes_the_title() -> None:
    fields = (
        datafield("100", ("a", "20250401d2021       y0chiy50      ea"))
        + datafield("101", ("a", "chi"), ("g", "chi"))
        + datafield("200", ("a", "长安西市出土墓志汇释"), ("d", "Epitaphs of the West Market"), ("z", "eng"),
                    ("f", "胡明远"))
        + datafield("210", ("a", "西安"), ("c", "长安文献出版社"), ("d", "2021"))
        + datafield("215", ("a", "2册"), ("d", "29 cm"))
        + datafield("330", ("a", "收录西市出土唐代墓志。"))
    )  # fmt: skip

    def list_records(params: dict[str, str]) -> str:
        if params.get("metadataPrefix") == "marc21":
            return f"<ListRecords>{marc_record('oai:nlc.cn:1', fields)}</ListRecords>"
        return f"<ListRecords>{dc_record('oai:nlc.cn:1', 'Dublin Core title')}</ListRecords>"

    async with repository(list_records, formats=("oai_dc", "marc21")) as (repo, url), oai_source(url) as source:
        record = records_of(await harvest(source))["oai:nlc.cn:1"]
    assert repo.list_requests[0]["metadataPrefix"] == "marc21"
    assert record.titles == (
        LocalizedText("zh", "长安西市出土墓志汇释"),
        LocalizedText("en", "Epitaphs of the West Market"),
    )
    assert (record.kind, record.creators, record.earliest_year, record.dimensions) == (
        ItemKind.BOOK, ("胡明远",), 2021, "29 cm"
    )  # fmt: skip
    assert record.descriptions == (LocalizedText("zh", "收录西市出土唐代墓志。"),)
    assert record.extra == {"languages": ["zh"], "publisher": "长安文献出版社", "place_of_publication": "西安"}


async def test_marc_21_record_with_245_and_vernacular_880_is_mapped() -> None:
    fields = (
        '<marc:controlfield tag="008">250401s1936    cc            000 0 chi d</marc:controlfield>'
        + datafield("044", ("c", "CN"))
        + datafield("245", ("a", "Tang gu An fu jun mu zhi ming :"), ("b", "ta pian /"), ("c", "anonymous."))
        + datafield("880", ("6", "245-01"), ("a", "唐故安府君墓誌銘 :"), ("b", "拓片 /"))
        + datafield("242", ("a", "Epitaph of Mr An :"), ("b", "rubbing"), ("y", "eng"))
        + datafield("264", ("a", "[China] :"), ("c", "[1936]"))
        + datafield("300", ("a", "1 rubbing :"), ("c", "58 x 57 cm."))
        + datafield("651", ("a", "China"), ("x", "History"), ("y", "Tang dynasty, 618-907."))
        + datafield("655", ("a", "Rubbings."))
        + datafield("856", ("u", "https://images.nlc.test/iiif/rb-1/manifest"))
    )

    def list_records(params: dict[str, str]) -> str:
        return f"<ListRecords>{marc_record('oai:nlc.cn:rb-1', fields, '00000nkm a2200000 i 4500')}</ListRecords>"

    async with repository(list_records, formats=("marc21",)) as (_, url), oai_source(url) as source:
        record = records_of(await harvest(source))["oai:nlc.cn:rb-1"]
    assert record.titles == (
        LocalizedText("zh", "唐故安府君墓誌銘 : 拓片"),
        LocalizedText("zh-Latn", "Tang gu An fu jun mu zhi ming : ta pian"),
        LocalizedText("en", "Epitaph of Mr An : rubbing"),
    )
    assert (record.kind, record.earliest_year, record.dimensions) == (ItemKind.RUBBING, 1936, "58 x 57 cm")
    assert record.period == "Tang dynasty, 618-907"
    assert record.images[0].manifest_url == "https://images.nlc.test/iiif/rb-1/manifest"


async def test_no_records_match_is_an_empty_harvest_ending_in_the_final_checkpoint() -> None:
    def list_records(params: dict[str, str]) -> str:
        return '<error code="noRecordsMatch">nothing changed</error>'

    async with repository(list_records) as (_, url), oai_source(url) as source:
        pages = await harvest(source, {"cursor": "2025-04-30T00:00:00Z"})
    assert [(page.records, page.checkpoint) for page in pages] == [([], {"cursor": "2025-05-01T12:00:00Z"})]


async def test_empty_final_resumption_token_ends_the_harvest() -> None:
    def list_records(params: dict[str, str]) -> str:
        if "resumptionToken" not in params:
            body = dc_record("oai:x:1", "Sogdian Traders") + dc_record("oai:x:2", "西市", "zh")
            token = '<resumptionToken completeListSize="3" cursor="0">p2</resumptionToken>'
            return f"<ListRecords>{body}{token}</ListRecords>"
        untagged = dc_record("oai:x:3", "Untagged title", None)
        return f'<ListRecords>{untagged}<resumptionToken completeListSize="3" cursor="2"/></ListRecords>'

    async with repository(list_records) as (repo, url), oai_source(url) as source:
        pages = await harvest(source)
    assert len(pages) == 2 and len(repo.list_requests) == 2
    assert repo.list_requests[1] == {"verb": "ListRecords", "resumptionToken": "p2"}
    assert pages[0].checkpoint["page_token"] == "p2" and pages[1].checkpoint == {"cursor": "2025-05-01T12:00:00Z"}
    records = records_of(pages)
    assert records["oai:x:2"].titles == (LocalizedText("zh", "西市"),)
    assert records["oai:x:3"].titles == (LocalizedText("und", "Untagged title"),)


async def test_bad_resumption_token_in_a_checkpoint_restarts_from_its_cursor() -> None:
    def list_records(params: dict[str, str]) -> str:
        if "resumptionToken" in params:
            return '<error code="badResumptionToken">token stale has expired</error>'
        return f"<ListRecords>{dc_record('oai:x:1', 'Changed since the cursor')}</ListRecords>"

    checkpoint = {"cursor": "2025-04-01T00:00:00Z", "page_token": "stale", "harvest_started": "2025-04-30T00:00:00Z"}
    async with repository(list_records) as (repo, url), oai_source(url) as source:
        pages = await harvest(source, checkpoint)
    assert [r.get("resumptionToken") or r.get("from") for r in repo.list_requests] == ["stale", "2025-04-01T00:00:00Z"]
    assert list(records_of(pages)) == ["oai:x:1"]
    assert pages[-1].checkpoint == {"cursor": "2025-04-30T00:00:00Z"}


async def test_partner_forgetting_every_token_fails_instead_of_looping() -> None:
    def list_records(params: dict[str, str]) -> str:
        if "resumptionToken" in params:
            return '<error code="badResumptionToken">unknown token</error>'
        return f"<ListRecords>{dc_record('oai:x:1', 'One')}<resumptionToken>t</resumptionToken></ListRecords>"

    async with repository(list_records) as (repo, url), oai_source(url) as source:
        with pytest.raises(FatalSourceError, match="badResumptionToken"):
            await harvest(source)
    assert len(repo.list_requests) < 12


async def test_malformed_xml_raises_fatal_error() -> None:
    def list_records(params: dict[str, str]) -> str:
        return "<ListRecords><record><header>"

    async with repository(list_records) as (_, url), oai_source(url) as source:
        with pytest.raises(FatalSourceError, match="malformed XML"):
            await harvest(source)


async def test_external_entities_in_a_response_are_not_resolved(tmp_path: Any) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")

    async def handle(request: web.Request) -> web.Response:
        if request.query.get("verb") != "ListRecords":
            return await repo.handle(request)
        doctype = f'<!DOCTYPE OAI-PMH [<!ENTITY leak SYSTEM "file://{secret}">]>'
        body = oai_document(f"<ListRecords>{dc_record('oai:x:1', 'Title &amp; &leak;')}</ListRecords>")
        return web.Response(body=body.replace(b"?>", b"?>" + doctype.encode(), 1), content_type="text/xml")

    repo = HandMadeRepository(lambda params: "")
    app = web.Application()
    app.router.add_get("/", handle)
    async with served(app) as url, oai_source(url) as source:
        record = records_of(await harvest(source))["oai:x:1"]
    assert "TOP-SECRET" not in record.titles[0].value and record.titles[0].value.startswith("Title &")


async def test_entity_expansion_bomb_is_refused_unexpanded() -> None:
    laughs = "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n else "lol"}">' for n in range(10))

    async def handle(request: web.Request) -> web.Response:
        if request.query.get("verb") != "ListRecords":
            return await repo.handle(request)
        body = oai_document(f"<ListRecords>{dc_record('oai:x:1', 'Laughs &lol9;')}</ListRecords>")
        doctype = f"<!DOCTYPE OAI-PMH [{laughs}]>".encode()
        return web.Response(body=body.replace(b"?>", b"?>" + doctype, 1), content_type="text/xml")

    repo = HandMadeRepository(lambda params: "")
    app = web.Application()
    app.router.add_get("/", handle)
    with traced() as memory:
        async with served(app) as url, oai_source(url) as source:
            with pytest.raises(FatalSourceError, match="malformed XML: Maximum entity amplification"):
                await harvest(source)
    assert memory.peak_growth < 10 * 1024 * 1024


@pytest.mark.parametrize(("status", "headers"), [(500, {}), (429, {"Retry-After": "1"})])
async def test_transient_http_error_then_success_is_retried(status: int, headers: dict[str, str]) -> None:
    def list_records(params: dict[str, str]) -> str | web.Response:
        if len(repo.list_requests) == 1:
            return web.Response(status=status, headers=headers, text="busy")
        return f"<ListRecords>{dc_record('oai:x:1', 'After the retry')}</ListRecords>"

    async with repository(list_records) as (repo, url), oai_source(url) as source:
        pages = await harvest(source)
    assert len(repo.list_requests) == 2
    assert records_of(pages)["oai:x:1"].titles == (LocalizedText("en", "After the retry"),)


async def test_day_granularity_sends_from_as_a_date() -> None:
    def list_records(params: dict[str, str]) -> str:
        return f"<ListRecords>{dc_record('oai:x:1', 'Day')}</ListRecords>"

    async with repository(list_records, granularity="YYYY-MM-DD") as (repo, url), oai_source(url) as source:
        pages = await harvest(source, {"cursor": "2025-04-30T10:11:12Z"})
    assert repo.list_requests[0]["from"] == "2025-04-30"
    assert pages[-1].checkpoint == {"cursor": "2025-05-01"}


@pytest.mark.parametrize(
    ("statement", "years"),
    [("735", (735, 735)), ("[1936]", (1936, 1936)), ("1912/1949", (1912, 1949)), ("1644-1911", (1644, 1911)),
     ("2021-03-15", (2021, 2021)), ("206 BCE-9 CE", (-206, 9)), ("开元二十三年 (735)", (735, 735)),
     ("18--", (1800, 1899)), ("n.d.", (None, None))],
)  # fmt: skip
def test_parse_years_reads_date_statements(statement: str, years: tuple[int | None, int | None]) -> None:
    assert parse_years(statement) == years
