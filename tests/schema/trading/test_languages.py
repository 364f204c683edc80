"""Trading refusals in the caller's language (Accept-Language): French, Chinese, Arabic, Russian; the code and
the field never change with the language."""

from __future__ import annotations

import re

import httpx

from hub.app import Hub
from tests.auth_support import mint_token
from tests.schema.trading.market_state import market_state
from tests.schema.trading.support import in_hours, money, mutate

SCRIPTS = {
    "zh-CN,zh;q=0.9": re.compile(r"[\u4e00-\u9fff]"),
    "ar-AE": re.compile(r"[\u0600-\u06ff]"),
    "ru-RU": re.compile(r"[\u0400-\u04ff]"),
}


async def test_languages_of_refusals_change_the_message_not_the_code(hub: Hub, client: httpx.AsyncClient) -> None:
    state = await market_state(hub, client)
    nobody = await mint_token(hub, "trade:read trade:write", client_id="no-institution-app")
    refusals = [
        ("placeOffer", {"listingId": state.listing, "amount": money("10", "EUR"), "expiresAt": in_hours(1)}, "TWMM"),
        ("acceptOffer", {"offerId": state.expired_offer}, "TWMM"),
        ("cancelTransfer", {"transferId": state.cancelled_transfer}, "DXBG"),
        ("withdrawListing", {"listingId": state.listing}, nobody),
        (
            "placeOffer",
            {"listingId": state.listing, "amount": money("10.001", "EUR"), "expiresAt": in_hours(1)},
            "DXBG",
        ),
        ("createListing", {"itemId": state.mirror, "askingPrice": money("10", "XAU")}, "TWMM"),
        ("acceptOffer", {"offerId": state.listing}, "TWMM"),  # a listing's id where an offer's belongs
    ]
    for operation, input, who in refusals:
        token = state.tokens.get(who, who)
        english = (await mutate(client, operation, input, token, "en"))["errors"]
        texts = {"en": english[0]["message"]}
        for language in ("fr-FR", *SCRIPTS):
            errors = (await mutate(client, operation, input, token, language))["errors"]
            assert [(e["code"], e["field"]) for e in errors] == [(e["code"], e["field"]) for e in english]
            texts[language] = errors[0]["message"]
            if language in SCRIPTS:
                assert SCRIPTS[language].search(texts[language]), (operation, language, texts[language])
        assert len(set(texts.values())) == len(texts), (operation, texts)
