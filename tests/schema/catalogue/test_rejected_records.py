"""`rejectedRecords`: a bad record in the middle of a partner's page is set aside, the rest of the page is stored,
the partner's own catalogue:write token sees why, and the partner fixing it clears it; for every protocol."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import select

from hub.app import Hub
from hub.audit.models import AuditEntry
from hub.harvest.partners import PROTOCOLS
from tests.auth_support import bearer, mint_token
from tests.connectors.hostile.relics import RelicsPartner, relic
from tests.hub.harvest.partners import BAD_RECORD_PARTNERS, live_source_ids, partner_of, sync_state
from tests.support import graphql

REJECTED = """
query Rejected($institution: String, $first: Int, $after: String) {
  rejectedRecords(institution: $institution, first: $first, after: $after) {
    institution totalCount
    edges { cursor node { sourceId reason excerpt firstSeenAt lastSeenAt timesSeen } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def harvest_entries(hub: Hub, code: str) -> list[dict[str, list[object]]]:
    async with hub.sessions() as session:
        rows = await session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "catalogue.harvested", AuditEntry.subject == f"institution:{code}")
            .order_by(AuditEntry.seq)
        )
        return [json.loads(row.payload) for row in rows]


@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
async def test_rejected_record_is_set_aside_shown_to_its_partner_only_and_cleared_once_fixed(
    hub: Hub, client: httpx.AsyncClient, protocol: str
) -> None:
    partner = BAD_RECORD_PARTNERS[protocol]()
    async with partner_of(hub, partner.code, partner.app()):
        first = await hub.sync.sync_partner(partner.code)
        assert first.ok, first.error
        assert first.rejected == 1 and [r.source_id for r in first.first_rejections] == [partner.bad]
        assert await live_source_ids(hub, partner.code) == partner.good
        assert (await sync_state(hub, partner.code)).checkpoint

        own = await mint_token(hub, "catalogue:write", partner.code)
        body = await graphql(client, REJECTED, {}, **bearer(own))
        assert "errors" not in body, body
        page = body["data"]["rejectedRecords"]
        assert (page["institution"], page["totalCount"]) == (partner.code, 1)
        [edge] = page["edges"]
        assert edge["node"]["sourceId"] == partner.bad and edge["node"]["timesSeen"] == 1
        assert partner.reason in edge["node"]["reason"]
        assert partner.excerpt in edge["node"]["excerpt"]

        other_code = "NLC" if partner.code != "NLC" else "CRECC"
        other = await mint_token(hub, "catalogue:write", other_code)
        refused = await graphql(client, REJECTED, {"institution": partner.code}, **bearer(other))
        assert refused["data"] is None
        [error] = refused["errors"]
        assert error["extensions"] == {"code": "FORBIDDEN", "field": "institution"}
        assert error["message"] == (
            f"a catalogue:write token of {other_code} may not read the rejected records of {partner.code}"
        )
        own_page = (await graphql(client, REJECTED, {}, **bearer(other)))["data"]["rejectedRecords"]
        assert (own_page["institution"], own_page["edges"]) == (other_code, [])

        partner.fix()
        second = await hub.sync.sync_partner(partner.code)
        assert second.ok, second.error
        assert second.rejected == 0
        assert await live_source_ids(hub, partner.code) == partner.good | {partner.bad}
        cleared = (await graphql(client, REJECTED, {}, **bearer(own)))["data"]["rejectedRecords"]
        assert (cleared["totalCount"], cleared["edges"]) == (0, [])

    entries = await harvest_entries(hub, partner.code)
    assert [entry.get("rejected") for entry in entries] == [[partner.bad], None]
    assert [entry.get("cleared") for entry in entries] == [None, [partner.bad]]


async def test_rejected_records_page_forward_newest_first(hub: Hub, client: httpx.AsyncClient) -> None:
    partner = RelicsPartner([relic(f"R-{n}", year_from="abc") for n in range(3)], page_size=2)
    async with partner_of(hub, "CRECC", partner.make_app()):
        assert (await hub.sync.sync_partner("CRECC")).rejected == 3
    token = await mint_token(hub, "catalogue:write", "CRECC")
    first = (await graphql(client, REJECTED, {"first": 2}, **bearer(token)))["data"]["rejectedRecords"]
    assert [e["node"]["sourceId"] for e in first["edges"]] == ["R-2", "R-1"]
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"]
    after = first["pageInfo"]["endCursor"]
    rest = (await graphql(client, REJECTED, {"first": 2, "after": after}, **bearer(token)))["data"]["rejectedRecords"]
    assert [e["node"]["sourceId"] for e in rest["edges"]] == ["R-0"] and not rest["pageInfo"]["hasNextPage"]


async def test_rejected_records_need_the_catalogue_write_scope(hub: Hub, client: httpx.AsyncClient) -> None:
    anonymous = await graphql(client, REJECTED, {"institution": "CRECC"})
    reader = await mint_token(hub, "trade:read", "CRECC")
    for body in (anonymous, await graphql(client, REJECTED, {"institution": "CRECC"}, **bearer(reader))):
        assert body["data"] is None
        assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN", "scope": "catalogue:write"}
