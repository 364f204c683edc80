"""`hub institutions add|list`."""

from __future__ import annotations

import json

import pytest

from hub.app import Hub
from hub.sandbox.crecc import CreccSandbox
from hub.sandbox.runner import serve_app
from tests.hub.cli.conftest import HubCli


async def test_institutions_add_then_list(hub_cli: HubCli) -> None:
    status, out, _ = await hub_cli(
        "institutions", "add", "mnaa", "--name", "Musée national des arts asiatiques", "--country", "fr"
    )
    assert status == 0
    assert json.loads(out)["code"] == "MNAA"
    status, out, _ = await hub_cli("institutions", "list", "--json")
    listed = {row["code"]: row for row in json.loads(out)}
    assert listed["MNAA"] == {
        "code": "MNAA",
        "country": "FR",
        "name": "Musée national des arts asiatiques",
        "protocol": None,
    }
    assert listed["NLC"]["protocol"] == "oai-pmh"
    assert {"NLC", "CRECC", "TWMM"} <= set(listed)


async def test_institutions_add_with_a_protocol_makes_a_harvested_partner(hub: Hub, hub_cli: HubCli) -> None:
    status, out, _ = await hub_cli(
        "institutions", "add", "SHM", "--name", "Shaanxi History Museum", "--country", "CN", "--protocol", "relics-json"
    )
    assert status == 0
    assert json.loads(out)["protocol"] == "relics-json"
    server = await serve_app(CreccSandbox().make_app())  # any server speaking the relics JSON API
    hub.sync.partner_urls["SHM"] = server.url
    try:
        [result] = await hub.sync.sync_all(["SHM"])
    finally:
        await server.close()
    assert result.ok, result.error
    assert len(result.changes.added) == 27


async def test_institutions_add_refuses_an_unknown_protocol(
    hub_cli: HubCli, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        await hub_cli(
            "institutions", "add", "SHM", "--name", "Shaanxi History Museum", "--country", "CN", "--protocol", "ftp"
        )
    assert exit_info.value.code == 2
    assert "invalid choice: 'ftp'" in capsys.readouterr().err


async def test_institutions_add_refuses_a_bad_country_naming_it(hub_cli: HubCli) -> None:
    status, out, err = await hub_cli("institutions", "add", "MNAA", "--name", "Guimet", "--country", "France")
    assert status == 1 and out == ""
    assert "'FRANCE'" in err


async def test_institutions_list_prints_a_table_with_a_header(hub_cli: HubCli) -> None:
    await hub_cli("institutions", "add", "MNAA", "--name", "Musée Guimet", "--country", "FR")
    status, out, _ = await hub_cli("institutions", "list")
    assert status == 0
    header, *rows = out.splitlines()
    assert header.split() == ["CODE", "NAME", "COUNTRY", "PROTOCOL"]
    assert [row.split()[0] for row in rows] == ["NLC", "CRECC", "TWMM", "MNAA"]
    assert rows[0].split()[-2:] == ["CN", "oai-pmh"] and rows[-1].split()[-2:] == ["FR", "-"]
