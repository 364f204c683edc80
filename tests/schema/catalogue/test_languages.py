from __future__ import annotations

import httpx

from hub.app import Hub
from tests.records import store
from tests.support import graphql

GROOM = '{ catalogue(query: "camel") { edges { node { title titles { lang value } } } } }'


async def first_title(client: httpx.AsyncClient, query: str = GROOM, **headers: str) -> str:
    body = await graphql(client, query, **headers)
    assert "errors" not in body, body
    title: str = body["data"]["catalogue"]["edges"][0]["node"]["title"]
    return title


async def test_title_lang_argument_wins_over_accept_language(catalogue: Hub, client: httpx.AsyncClient) -> None:
    query = '{ catalogue(query: "camel") { edges { node { title(lang: "fr") } } } }'
    title = await first_title(client, query, **{"Accept-Language": "en"})
    assert title == "Palefrenier étranger menant un chameau"


async def test_title_follows_accept_language_q_values(catalogue: Hub, client: httpx.AsyncClient) -> None:
    assert await first_title(client, **{"Accept-Language": "de;q=0.9, en;q=0.5, fr;q=0.7"}) == (
        "Palefrenier étranger menant un chameau"
    )
    assert await first_title(client, **{"Accept-Language": "en-GB, zh;q=0.1"}) == (
        "Sancai foreign groom leading a camel"
    )


async def test_title_falls_back_to_the_items_own_language(catalogue: Hub, client: httpx.AsyncClient) -> None:
    assert await first_title(client, **{"Accept-Language": "ar"}) == "三彩胡人牵骆驼俑"
    assert await first_title(client) == "三彩胡人牵骆驼俑"


async def test_title_regional_request_matches_language(catalogue: Hub, client: httpx.AsyncClient) -> None:
    assert await first_title(client, **{"Accept-Language": "fr-CA"}) == "Palefrenier étranger menant un chameau"


async def test_titles_lists_every_language(catalogue: Hub, client: httpx.AsyncClient) -> None:
    body = await graphql(client, GROOM)
    titles = body["data"]["catalogue"]["edges"][0]["node"]["titles"]
    assert [t["lang"] for t in titles] == ["zh", "en", "fr"]


async def test_title_unknown_lang_argument_is_refused(catalogue: Hub, client: httpx.AsyncClient) -> None:
    body = await graphql(client, '{ catalogue { edges { node { title(lang: "qq-ZZ") } } } }')
    assert "unknown language tag 'qq-ZZ'" in body["errors"][0]["message"]


async def test_title_english_only_item_falls_back_to_english(hub: Hub, client: httpx.AsyncClient) -> None:
    from connectors.records import CatalogueRecord, ItemKind, LocalizedText
    from tests.records import STAMP

    await store(
        hub,
        "NLC",
        [
            CatalogueRecord(
                "NLC-EN", ItemKind.BOOK, (LocalizedText("und", "Untagged"), LocalizedText("en", "Sogdians")), STAMP
            )
        ],
    )
    body = await graphql(client, "{ catalogue { edges { node { title } } } }", **{"Accept-Language": "ru"})
    assert body["data"]["catalogue"]["edges"][0]["node"]["title"] == "Sogdians"


async def test_institution_name_is_negotiated(catalogue: Hub, client: httpx.AsyncClient) -> None:
    body = await graphql(client, "{ institutions { code name } }", **{"Accept-Language": "zh-CN"})
    names = {i["code"]: i["name"] for i in body["data"]["institutions"]}
    assert names["TWMM"] == "大唐西市博物馆"
    body = await graphql(client, '{ institutions { code name(lang: "en") } }')
    assert {i["code"]: i["name"] for i in body["data"]["institutions"]}["NLC"] == "National Library of China"
