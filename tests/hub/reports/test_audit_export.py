"""The audit report: the entries of one jurisdiction in a bounded period, read in batches."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from hub.app import Hub
from hub.audit.documents import chain_hash, entry_document
from hub.auth.principal import Principal
from hub.core.user_errors import InvalidArgumentError, Refused
from hub.reports.audit_export import (
    ExportFormat,
    ExportPeriod,
    export_lines,
    export_rows,
    operator_jurisdiction,
    regulator_jurisdiction,
)
from tests.hub.reports.support import MIXED, write_entries

TODAY = datetime.now(UTC).date().isoformat()


async def collect(hub: Hub, jurisdiction: str, period: ExportPeriod, batch: int = 500) -> list[dict[str, object]]:
    return [row async for row in export_rows(hub.sessions, jurisdiction, period, batch)]


async def test_export_rows_hold_only_the_jurisdictions_entries_across_batches(hub: Hub) -> None:
    await write_entries(hub, MIXED)
    period = ExportPeriod.parse(TODAY, TODAY)

    assert [r["seq"] for r in await collect(hub, "CN", period, batch=2)] == [1, 3, 5]
    assert [r["seq"] for r in await collect(hub, "FR", period, batch=1)] == [2, 3]
    assert [r["seq"] for r in await collect(hub, "US", period)] == []


async def test_export_rows_keep_what_the_hash_covers_so_a_regulator_can_recompute_it(hub: Hub) -> None:
    await write_entries(hub, MIXED)
    rows = await collect(hub, "FR", ExportPeriod.parse(TODAY, TODAY))
    for row in rows:
        document = entry_document(
            row["format"],  # type: ignore[arg-type]
            row["seq"],  # type: ignore[arg-type]
            datetime.fromisoformat(str(row["at"])),
            str(row["actor"]),
            str(row["action"]),
            str(row["subject"]),
            row["jurisdictions"],  # type: ignore[arg-type]
            str(row["payload"]),
        )
        assert chain_hash(str(row["prev_hash"]), document) == row["hash"]


async def test_export_period_excludes_entries_before_its_start(hub: Hub) -> None:
    await write_entries(hub, MIXED[:2])
    middle = datetime.now(UTC).isoformat()
    await write_entries(hub, MIXED[2:])
    rows = await collect(hub, "CN", ExportPeriod.parse(middle, f"{TODAY}"))
    assert [r["seq"] for r in rows] == [3, 5]
    assert await collect(hub, "CN", ExportPeriod.parse("2020-01-01", "2020-12-31")) == []


async def test_export_lines_as_csv_and_json_lines(hub: Hub) -> None:
    await write_entries(hub, MIXED)
    period = ExportPeriod.parse(TODAY, TODAY)
    csv_text = "".join([line async for line in export_lines(export_rows(hub.sessions, "FR", period), ExportFormat.CSV)])
    header, first, second = csv_text.splitlines()
    assert header == "seq,format,at,actor,action,subject,jurisdictions,payload,prev_hash,hash"
    assert first.startswith("2,2,") and ',FR,"{""n"":1,""to"":[""FR""]}",' in first
    assert second.startswith("3,2,") and ",CN FR," in second
    lines = [line async for line in export_lines(export_rows(hub.sessions, "FR", period), ExportFormat.JSONL)]
    assert [json.loads(line)["jurisdictions"] for line in lines] == [["FR"], ["CN", "FR"]]
    assert all(line.endswith("\n") for line in lines)


@pytest.mark.parametrize(
    ("start", "end", "field", "named"),
    [
        ("", "2026-01-31", "from", "from is required"),
        ("2026-13-01", "2026-12-31", "from", "'2026-13-01'"),
        ("2026-02-01", "2026-01-31", "to", "to (2026-01-31) must come after from (2026-02-01)"),
        ("2024-01-01", "2026-01-01", "to", "longer than 366 days"),
    ],
)
def test_export_period_refuses_a_bad_or_unbounded_period_naming_it(
    start: str, end: str, field: str, named: str
) -> None:
    with pytest.raises(InvalidArgumentError, match=named.replace("(", r"\(").replace(")", r"\)")) as refused:
        ExportPeriod.parse(start, end)
    assert refused.value.field == field


def test_export_period_of_dates_covers_whole_days_in_utc() -> None:
    january = ExportPeriod.parse("2026-01-01", "2026-01-31")
    assert (january.start, january.end) == (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC))
    beijing = ExportPeriod.parse("2026-01-01T08:00:00+08:00", "2026-01-01T12:00")
    assert beijing.start == datetime(2026, 1, 1, 0, tzinfo=UTC) and beijing.end == datetime(2026, 1, 1, 12, tzinfo=UTC)


def test_export_jurisdiction_of_a_regulator_is_its_own_only() -> None:
    china = Principal(client_id="gacc", scopes=frozenset({"audit:read"}), jurisdiction="CN")
    assert regulator_jurisdiction(china, None) == "CN"
    assert regulator_jurisdiction(china, "cn") == "CN"
    with pytest.raises(Refused, match="an audit:read token of CN may not export the audit log of FR"):
        regulator_jurisdiction(china, "FR")
    trader = Principal(client_id="nlc", scopes=frozenset({"trade:read"}), institution="NLC")
    with pytest.raises(Refused, match="may not export the audit log of no jurisdiction"):
        regulator_jurisdiction(trader, None)
    assert operator_jurisdiction(" fr ") == "FR"
    with pytest.raises(InvalidArgumentError, match="'China'"):
        operator_jurisdiction("China")
