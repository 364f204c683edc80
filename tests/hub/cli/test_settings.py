"""`hub settings`: every setting with its effective value, where it comes from, secrets hidden."""

from __future__ import annotations

import json
import re

import pytest

from hub.cli.settings import SETTINGS, setting_names
from tests.hub.cli.conftest import HubCli
from tests.hub.cli.support import ROOT


async def test_settings_show_effective_values_and_their_source(
    hub_cli: HubCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_SYNC_INTERVAL", "60")
    status, out, _ = await hub_cli("settings", "--json")
    assert status == 0
    rows = {row["name"]: row for row in json.loads(out)}
    assert list(rows) == setting_names()
    assert (rows["HUB_SYNC_INTERVAL"]["value"], rows["HUB_SYNC_INTERVAL"]["source"]) == ("60", "environment")
    assert (rows["HUB_TOKEN_LIFETIME"]["value"], rows["HUB_TOKEN_LIFETIME"]["source"]) == ("3600", "default")


async def test_settings_table_has_a_header_and_a_row_per_setting(hub_cli: HubCli) -> None:
    status, out, _ = await hub_cli("settings")
    assert status == 0
    header, *rows = out.splitlines()
    assert header.split()[:3] == ["NAME", "VALUE", "SOURCE"]
    assert [row.split()[0] for row in rows] == setting_names()


async def test_settings_hide_passwords_keys_and_query_strings(hub_cli: HubCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_PARTNER_MNAA_URL", "https://harvester:pa55word@oai.example/oai?token=t0ken")
    monkeypatch.setenv("HUB_CHAIN_RPC_URLS", "https://rpc.example/v3/ap1key")
    monkeypatch.setenv("HUB_CHAIN_PRIVATE_KEY", "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
    status, out, _ = await hub_cli("settings")
    assert status == 0
    for secret in ("pa55word", "t0ken", "ap1key", "59c6995e998f97a5"):
        assert secret not in out
    assert "MNAA=https://harvester:***@oai.example/oai?***" in out
    assert "https://rpc.example/***" in out


async def test_settings_warn_about_a_hub_variable_the_hub_does_not_read(
    hub_cli: HubCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_SYNC_INTERVALL", "60")
    status, _, err = await hub_cli("settings")
    assert status == 0
    assert "HUB_SYNC_INTERVALL" in err and "typo" in err


def test_settings_every_variable_the_hub_reads_is_documented_here_and_in_the_readme() -> None:
    source = (ROOT / "hub" / "settings.py").read_text()
    read = {name for name in re.findall(r'"(HUB_[A-Z_]*)"', source) if not name.endswith("_")}  # not prefixes
    documented = set(setting_names())
    assert read - documented == set(), "add a row to SETTINGS in hub/cli/settings.py"
    readme = (ROOT / "README.md").read_text()
    configuration = readme[readme.index("## Configuration") :].split("\n## ", 1)[0]
    assert [doc.name for doc in SETTINGS if f"`{doc.name}`" not in configuration] == []
