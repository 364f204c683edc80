"""GET /audit/export: the bearer's own jurisdiction only, streamed, bad parameters answered 400."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from hub.app import Hub
from tests.auth_support import bearer, mint_token
from tests.hub.reports.support import MIXED, write_entries

TODAY = datetime.now(UTC).date().isoformat()
PERIOD = {"from": TODAY, "to": TODAY}
FORBIDDEN_CN = "an audit:read token of FR may not export the audit log of CN"


async def test_audit_export_streams_the_tokens_jurisdiction_as_json_lines(hub: Hub, client: httpx.AsyncClient) -> None:
    await write_entries(hub, MIXED)
    token = await mint_token(hub, "audit:read", None, "FR")
    async with client.stream("GET", "/audit/export", params=PERIOD | {"format": "jsonl"}, headers=bearer(token)) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/x-ndjson")
        assert "content-length" not in r.headers  # streamed, not built whole
        assert r.headers["content-disposition"] == f'attachment; filename="audit-FR-{TODAY}-{_next_day()}.jsonl"'
        lines = [line async for line in r.aiter_lines() if line]
    assert [json.loads(line)["seq"] for line in lines] == [2, 3]


async def test_audit_export_csv_for_china_holds_no_entry_of_other_jurisdictions(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    await write_entries(hub, MIXED)
    token = await mint_token(hub, "audit:read", None, "CN")
    response = await client.get("/audit/export", params=PERIOD, headers=bearer(token))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = response.text.splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == ["1", "3", "5"]
    assert all("DE" not in row for row in rows)


@pytest.mark.parametrize(
    ("scope", "jurisdiction", "params", "status", "named"),
    [
        ("audit:read", "FR", {"jurisdiction": "CN"}, 403, FORBIDDEN_CN),
        ("licence:issue", "CN", {}, 403, "the audit report needs the audit:read scope"),
        ("audit:read", "CN", {"format": "xlsx"}, 400, "format must be csv or jsonl, not 'xlsx'"),
        ("audit:read", "CN", {"to": "2020-01-01"}, 400, f"to (2020-01-01) must come after from ({TODAY})"),
    ],
)
async def test_audit_export_refuses_before_reading_a_row(
    hub: Hub, client: httpx.AsyncClient, scope: str, jurisdiction: str, params: dict[str, str], status: int, named: str
) -> None:
    await write_entries(hub, MIXED)
    token = await mint_token(hub, scope, None, jurisdiction)
    response = await client.get("/audit/export", params=PERIOD | params, headers=bearer(token))
    assert response.status_code == status
    assert response.json()["errors"][0]["message"] == named
    assert "seq" not in response.text


async def test_audit_export_without_a_token_is_unauthenticated(client: httpx.AsyncClient) -> None:
    response = await client.get("/audit/export", params=PERIOD)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    forged = await client.get("/audit/export", params=PERIOD, headers=bearer("not.a.jwt"))
    assert forged.status_code == 401


def _next_day() -> str:
    return (date.fromisoformat(TODAY) + timedelta(days=1)).isoformat()
