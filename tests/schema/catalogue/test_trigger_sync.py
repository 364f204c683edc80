"""`triggerSync`: a partner asks the hub to harvest it now and hears what changed."""

from __future__ import annotations

import httpx

from hub.app import Hub
from hub.sandbox.runner import RunningSandboxes
from tests.auth_support import bearer, mint_token
from tests.connectors.hostile.relics import RelicsPartner, relic
from tests.hub.harvest.partners import partner_of
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


async def test_trigger_sync_counts_the_records_set_aside(hub: Hub, client: httpx.AsyncClient) -> None:
    partner = RelicsPartner([relic("R-1"), relic("R-2", grade="priceless")])
    token = await mint_token(hub, "catalogue:write", "CRECC")
    query = "mutation { triggerSync(input: {}) { sync { ok added rejected } errors { code } } }"
    async with partner_of(hub, "CRECC", partner.make_app()):
        body = await graphql(client, query, **bearer(token))
    assert body["data"]["triggerSync"] == {"sync": {"ok": True, "added": 1, "rejected": 1}, "errors": []}
