"""`triggerSync`: a partner asks the hub to harvest it now and hears what changed."""

from __future__ import annotations

import httpx

from hub.app import Hub
from hub.sandbox.runner import RunningSandboxes
from tests.auth_support import bearer, mint_token
from tests.support import graphql

SYNC = """
mutation Sync($input: TriggerSyncInput!) {
  triggerSync(input: $input) { sync { institution ok added } errors { code field message } }
}
"""


async def test_trigger_sync_harvests_the_tokens_partner(
    hub: Hub, client: httpx.AsyncClient, sandboxes: RunningSandboxes
) -> None:
    token = await mint_token(hub, "catalogue:write", "CRECC")
    body = await graphql(client, SYNC, {"input": {}}, **bearer(token))
    result = body["data"]["triggerSync"]
    assert result["errors"] == [] and result["sync"]["institution"] == "CRECC" and result["sync"]["ok"]
    assert result["sync"]["added"] > 0


async def test_trigger_sync_reports_a_failed_harvest(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "catalogue:write", "CRECC")
    body = await graphql(client, SYNC, {"input": {}}, **bearer(token))
    (error,) = body["data"]["triggerSync"]["errors"]
    assert error["code"] == "SYNC_FAILED" and "HUB_PARTNER_CRECC_URL" in error["message"]
