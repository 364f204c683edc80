"""Jurisdiction isolation of every regulator view: an audit:read token of one country sees the entries touching it
and nothing else, in the graph, in the service behind it and in the report (HTTP and command line).

Entries (see tests/hub/reports/support.py): 1 CN, 2 FR, 3 CN+FR, 4 DE, 5 CN."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from hub.app import Hub
from hub.audit.log import read_entries
from hub.auth.principal import Principal
from hub.core.user_errors import Refused
from hub.reports.audit_export import ExportPeriod, export_rows, regulator_jurisdiction
from tests.auth_support import bearer, mint_token
from tests.hub.reports.support import MIXED, write_entries
from tests.support import graphql

AUDIT_LOG = """query($jurisdiction: String) {
  auditLog(jurisdiction: $jurisdiction, first: 100) { jurisdiction edges { node { seq jurisdictions } } }
}"""
PROOF = """query($seq: Int!) { auditProof(seq: $seq) { seq treeSize entry } }"""
TODAY = datetime.now(UTC).date().isoformat()
SEEN = {"CN": [1, 3, 5], "FR": [2, 3], "DE": [4], "US": []}


def regulator(country: str | None, scope: str = "audit:read") -> Principal:
    return Principal(client_id=f"customs-{country}", scopes=frozenset({scope}), jurisdiction=country)


@pytest.mark.parametrize("country", sorted(SEEN))
async def test_regulator_views_show_a_country_exactly_the_entries_touching_it(
    hub: Hub, client: httpx.AsyncClient, country: str
) -> None:
    await write_entries(hub, MIXED)
    token = await mint_token(hub, "audit:read", None, country)

    log = (await graphql(client, AUDIT_LOG, {}, **bearer(token)))["data"]["auditLog"]
    assert [e["node"]["seq"] for e in log["edges"]] == SEEN[country]
    assert all(country in e["node"]["jurisdictions"] for e in log["edges"])

    async with hub.sessions() as session:
        page = await read_entries(session, regulator(country), None, 100)
    assert [entry.seq for entry in page.entries] == SEEN[country]

    exported = await client.get("/audit/export", params={"from": TODAY, "to": TODAY}, headers=bearer(token))
    assert [int(row.split(",")[0]) for row in exported.text.splitlines()[1:]] == SEEN[country]

    await hub.checkpoints.checkpoint_now()
    for seq in range(1, len(MIXED) + 1):
        body = await graphql(client, PROOF, {"seq": seq}, **bearer(token))
        if seq in SEEN[country]:
            assert body["data"]["auditProof"]["seq"] == seq and country in body["data"]["auditProof"]["entry"]
        else:  # refused in the same words whether the entry exists or not
            assert body["data"] is None
            assert body["errors"][0]["message"] == f"No audit entry {seq} touches {country}."


@pytest.mark.parametrize("asked", ["FR", "DE", "US"])
async def test_regulator_views_refuse_another_country_everywhere(
    hub: Hub, client: httpx.AsyncClient, asked: str
) -> None:
    await write_entries(hub, MIXED)
    china = await mint_token(hub, "audit:read", None, "CN")

    body = await graphql(client, AUDIT_LOG, {"jurisdiction": asked}, **bearer(china))
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    with pytest.raises(Refused, match=f"may not read the audit log of {asked}"):
        async with hub.sessions() as session:
            await read_entries(session, regulator("CN"), asked)
    with pytest.raises(Refused, match=f"may not export the audit log of {asked}"):
        regulator_jurisdiction(regulator("CN"), asked)
    exported = await client.get(
        "/audit/export", params={"from": TODAY, "to": TODAY, "jurisdiction": asked}, headers=bearer(china)
    )
    assert exported.status_code == 403 and "seq" not in exported.text


async def test_regulator_views_refuse_tokens_without_a_jurisdiction_or_the_scope(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    await write_entries(hub, MIXED)
    customs = await mint_token(hub, "customs:clear", None, "CN")  # a regulator, but not of the audit log
    for token in (customs, await mint_token(hub, "catalogue:write", "NLC")):
        body = await graphql(client, AUDIT_LOG, {"jurisdiction": "CN"}, **bearer(token))
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        exported = await client.get("/audit/export", params={"from": TODAY, "to": TODAY}, headers=bearer(token))
        assert exported.status_code == 403
    with pytest.raises(Refused):
        async with hub.sessions() as session:
            await read_entries(session, regulator(None), "CN")
    with pytest.raises(Refused):
        regulator_jurisdiction(regulator("CN", "customs:clear"), "CN")
    # the operator's export (hub audit export) names the jurisdiction itself and still gets only its entries
    rows = [row async for row in export_rows(hub.sessions, "DE", ExportPeriod.parse(TODAY, TODAY))]
    assert [row["seq"] for row in rows] == [4]
