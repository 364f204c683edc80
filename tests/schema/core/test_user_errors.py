from __future__ import annotations

import httpx

from hub.core.user_errors import CommonErrorCode
from hub.harvest.errors import HarvestErrorCode
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
