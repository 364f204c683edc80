from __future__ import annotations

import pytest

from hub.settings import Settings, SettingsError


def test_settings_defaults_to_sqlite_under_var() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite+aiosqlite:///var/hub.sqlite3"
    assert settings.sync_interval == 300
    assert settings.partner_urls == {}


def test_settings_reads_partner_urls_and_chains() -> None:
    settings = Settings.from_env(
        {
            "HUB_PARTNER_NLC_URL": "http://127.0.0.1:9001/oai/",
            "HUB_PARTNER_MNAA_URL": "http://127.0.0.1:9002",
            "HUB_CHAIN_RPC_URLS": "http://127.0.0.1:8545, http://127.0.0.1:8546",
        }
    )
    assert settings.partner_urls == {"NLC": "http://127.0.0.1:9001/oai", "MNAA": "http://127.0.0.1:9002"}
    assert settings.chain_rpc_urls == ("http://127.0.0.1:8545", "http://127.0.0.1:8546")


@pytest.mark.parametrize("value", ["soon", "0", "-5"])
def test_settings_refuses_bad_sync_interval_naming_it(value: str) -> None:
    with pytest.raises(SettingsError, match=repr(value)):
        Settings.from_env({"HUB_SYNC_INTERVAL": value})
