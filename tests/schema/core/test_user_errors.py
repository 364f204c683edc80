from __future__ import annotations

import httpx

from hub.core.user_errors import CommonErrorCode
from hub.harvest.errors import HarvestErrorCode
from hub.money.errors import MoneyErrorCode
from tests.support import graphql

CODES = '{ __type(name: "UserErrorCode") { enumValues { name } } }'


async def test_user_error_code_is_every_domains_codes_under_one_name(client: httpx.AsyncClient) -> None:
    body = await graphql(client, CODES)
    names = [value["name"] for value in body["data"]["__type"]["enumValues"]]
    assert names[:6] == [
        "FORBIDDEN",
        "NOT_FOUND",
        "INVALID_VALUE",
        "IDEMPOTENCY_KEY_REUSED",
        "NOT_HARVESTED",
        "SYNC_FAILED",
    ]
    assert names.count("FORBIDDEN") == 1  # shared by common and money codes: shown once
    for codes in (CommonErrorCode, HarvestErrorCode, MoneyErrorCode):
        assert {code.value for code in codes} <= set(names)
