from __future__ import annotations

import httpx
import pytest

from hub.app import Hub
from hub.core.user_errors import CommonErrorCode
from hub.harvest.errors import HarvestErrorCode
from tests.auth_support import bearer, mint_token
from tests.support import graphql

CODES = '{ __type(name: "UserErrorCode") { enumValues { name } } }'


async def test_user_error_code_is_every_domains_codes_under_one_name(client: httpx.AsyncClient) -> None:
    body = await graphql(client, CODES)
    names = [value["name"] for value in body["data"]["__type"]["enumValues"]]
    assert names == [code.value for codes in (CommonErrorCode, HarvestErrorCode) for code in codes]
    assert names == [
        "FORBIDDEN",
        "NOT_FOUND",
        "INVALID_VALUE",
        "IDEMPOTENCY_KEY_REUSED",
        "NOT_HARVESTED",
        "SYNC_FAILED",
    ]


DELETE = """mutation($input: DeleteCatalogueItemsInput!) {
  deleteCatalogueItems(input: $input) { deletedIds errors { code field message } }
}"""


@pytest.mark.parametrize(
    ("accept_language", "message"),
    [
        ("fr-FR,fr;q=0.9", "Un jeton catalogue:write de NLC ne peut pas agir pour TWMM."),
        ("de;q=0.9, zh-CN;q=0.8", "NLC 的 catalogue:write 令牌无权代表 TWMM 执行此操作。"),
        ("ja", "a catalogue:write token of NLC may not write the catalogue of TWMM"),
    ],
)
async def test_user_error_message_is_in_the_callers_language_and_the_code_is_not(
    hub: Hub, client: httpx.AsyncClient, accept_language: str, message: str
) -> None:
    token = await mint_token(hub, "catalogue:write", "NLC")
    variables = {"input": {"sourceIds": ["x"], "institution": "TWMM"}}
    body = await graphql(client, DELETE, variables, **bearer(token), **{"Accept-Language": accept_language})
    payload = body["data"]["deleteCatalogueItems"]
    assert payload["errors"] == [{"code": "FORBIDDEN", "field": "institution", "message": message}]
