"""`hub audit export`: an operator's report of one jurisdiction, as CSV or JSON Lines, to stdout or a file."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from hub.app import Hub
from tests.hub.cli.conftest import HubCli
from tests.hub.reports.support import MIXED, write_entries

TODAY = datetime.now(UTC).date().isoformat()


async def test_audit_export_writes_csv_of_the_jurisdiction_only(hub: Hub, hub_cli: HubCli) -> None:
    await write_entries(hub, MIXED)
    status, out, _ = await hub_cli("audit", "export", "--jurisdiction", "cn", "--from", TODAY, "--to", TODAY)
    assert status == 0
    header, *rows = out.splitlines()
    assert header.startswith("seq,format,at,actor,action,subject,jurisdictions,payload")
    assert [row.split(",")[0] for row in rows] == ["1", "3", "5"]


async def test_audit_export_writes_json_lines_to_a_file(hub: Hub, hub_cli: HubCli, tmp_path: Path) -> None:
    await write_entries(hub, MIXED)
    report = tmp_path / "de.jsonl"
    argv = ["--jurisdiction", "DE", "--from", TODAY, "--to", TODAY, "--format", "jsonl", "--output", str(report)]
    status, out, _ = await hub_cli("audit", "export", *argv)
    assert (status, out) == (0, "")
    [line] = report.read_text().splitlines()
    assert json.loads(line)["seq"] == 4 and json.loads(line)["subject"] == "transfer:T3"


async def test_audit_export_refuses_a_bad_period_naming_it(hub: Hub, hub_cli: HubCli) -> None:
    status, out, err = await hub_cli("audit", "export", "--jurisdiction", "CN", "--from", "2026-02-30", "--to", TODAY)
    assert (status, out) == (2, "")
    assert "'2026-02-30'" in err
