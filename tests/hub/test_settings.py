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
            "HUB_CHAIN_PRIVATE_KEY": TEST_KEY,
        }
    )
    assert settings.partner_urls == {"NLC": "http://127.0.0.1:9001/oai", "MNAA": "http://127.0.0.1:9002"}
    assert settings.chain_rpc_urls == ("http://127.0.0.1:8545", "http://127.0.0.1:8546")


TEST_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"


@pytest.mark.parametrize("value", ["soon", "0", "-5"])
def test_settings_refuses_bad_sync_interval_naming_it(value: str) -> None:
    with pytest.raises(SettingsError, match=repr(value)):
        Settings.from_env({"HUB_SYNC_INTERVAL": value})


def test_settings_reads_token_issuer_lifetime_and_rate_limits() -> None:
    settings = Settings.from_env(
        {
            "HUB_ISSUER": "https://hub.example.org/",
            "HUB_TOKEN_LIFETIME": "600",
            "HUB_RATE_LIMIT_TOKEN": "5/60",
            "HUB_RATE_LIMIT_GRAPHQL": "100/1",
        }
    )
    assert settings.issuer == "https://hub.example.org"
    assert settings.audience == "https://hub.example.org"
    assert settings.token_lifetime == 600
    assert (settings.token_rate_limit.capacity, settings.token_rate_limit.period) == (5, 60)
    assert (settings.graphql_rate_limit.capacity, settings.graphql_rate_limit.period) == (100, 1)


def test_settings_reads_external_issuers_with_claim_mapping() -> None:
    settings = Settings.from_env(
        {
            "HUB_EXTERNAL_ISSUERS": '[{"issuer": "https://idp.example", "jwks_url": "https://idp.example/jwks",'
            ' "audience": "https://hub.example", "claims": {"institution": "org", "scope": "scp"}}]'
        }
    )
    (issuer,) = settings.external_issuers
    assert issuer.claim("institution") == "org" and issuer.claim("jurisdiction") == "jurisdiction"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HUB_TOKEN_LIFETIME", "1h"),
        ("HUB_TOKEN_LIFETIME", "0"),
        ("HUB_RATE_LIMIT_TOKEN", "many"),
        ("HUB_RATE_LIMIT_GRAPHQL", "0/60"),
        ("HUB_EXTERNAL_ISSUERS", "{not json"),
        ("HUB_EXTERNAL_ISSUERS", '[{"issuer": "https://idp.example"}]'),
        ("HUB_EXTERNAL_ISSUERS", '[{"issuer": "i", "jwks_url": "j", "audience": "a", "claims": {"role": "x"}}]'),
    ],
)
def test_settings_refuses_bad_auth_values_naming_them(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_settings_anchor_on_the_embedded_chain_by_default_or_beside_json_rpc_chains() -> None:
    assert Settings.from_env({}).anchor_chains == ("embedded",)
    both = Settings.from_env({"HUB_CHAIN_RPC_URLS": "embedded,ws://127.0.0.1:8545", "HUB_CHAIN_PRIVATE_KEY": TEST_KEY})
    assert both.anchor_chains == ("embedded", "ws://127.0.0.1:8545")
    assert TEST_KEY not in repr(both)


def test_settings_refuse_json_rpc_chains_without_the_hubs_key() -> None:
    with pytest.raises(SettingsError, match="HUB_CHAIN_PRIVATE_KEY"):
        Settings.from_env({"HUB_CHAIN_RPC_URLS": "http://127.0.0.1:8545"})
    assert Settings.from_env({"HUB_CHAIN_RPC_URLS": "embedded"}).chain_private_key is None


def test_settings_refuses_a_chain_url_that_is_not_json_rpc_naming_it() -> None:
    with pytest.raises(SettingsError, match="'localhost:8545'"):
        Settings.from_env({"HUB_CHAIN_RPC_URLS": "http://127.0.0.1:8545,localhost:8545"})


def test_settings_reads_cors_origins_and_refuses_a_bad_one() -> None:
    settings = Settings.from_env({"HUB_CORS_ORIGINS": "https://app.example/, http://127.0.0.1:5173"})
    assert settings.cors_origins == ("https://app.example", "http://127.0.0.1:5173")
    with pytest.raises(SettingsError, match=r"'app\.example'"):
        Settings.from_env({"HUB_CORS_ORIGINS": "app.example"})


def test_settings_reads_harvest_bounds_with_their_defaults() -> None:
    defaults = Settings.from_env({})
    assert (defaults.partner_max_response_bytes, defaults.harvest_max_pages, defaults.harvest_max_seconds) == (
        32 * 1024 * 1024,
        100_000,
        3600.0,
    )
    settings = Settings.from_env(
        {
            "HUB_PARTNER_MAX_RESPONSE_BYTES": "1048576",
            "HUB_HARVEST_MAX_PAGES": "50",
            "HUB_HARVEST_MAX_SECONDS": "2.5",
        }
    )
    assert (settings.partner_max_response_bytes, settings.harvest_max_pages, settings.harvest_max_seconds) == (
        1_048_576,
        50,
        2.5,
    )


def test_settings_read_the_request_guards() -> None:
    settings = Settings.from_env(
        {
            "HUB_MAX_BODY_BYTES": "1024",
            "HUB_MAX_QUERY_COST": "300",
            "HUB_REQUEST_TIMEOUT": "2.5",
            "HUB_STATEMENT_TIMEOUT": "0",
            "HUB_RATE_LIMIT_ANONYMOUS": "10/1.5",
            "HUB_REDIS_URL": "redis://127.0.0.1:6379/2",
            "HUB_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.1",
            "HUB_RESPONSE_CACHE_MAX_BYTES": "4096",
        }
    )
    assert (settings.max_body_bytes, settings.max_query_cost) == (1024, 300)
    assert (settings.request_timeout, settings.statement_timeout) == (2.5, 0)
    assert (settings.anonymous_rate_limit.capacity, settings.anonymous_rate_limit.period) == (10, 2)
    assert settings.redis_url == "async+redis://127.0.0.1:6379/2"
    assert [str(network) for network in settings.trusted_proxies] == ["10.0.0.0/8", "192.0.2.1/32"]
    assert settings.response_cache_max_bytes == 4096
    assert Settings.from_env({}).redis_url is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HUB_PARTNER_MAX_RESPONSE_BYTES", "32MB"),
        ("HUB_PARTNER_MAX_RESPONSE_BYTES", "0"),
        ("HUB_HARVEST_MAX_PAGES", "1.5"),
        ("HUB_HARVEST_MAX_PAGES", "-1"),
        ("HUB_HARVEST_MAX_SECONDS", "an hour"),
        ("HUB_HARVEST_MAX_SECONDS", "0"),
    ],
)
def test_settings_refuses_a_bad_harvest_bound_naming_it(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"{name} must be .*{value!r}"):
        Settings.from_env({name: value})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HUB_MAX_BODY_BYTES", "1MB"),
        ("HUB_MAX_QUERY_COST", "0"),
        ("HUB_REQUEST_TIMEOUT", "0"),
        ("HUB_REDIS_URL", "127.0.0.1:6379"),
        ("HUB_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local"),
        ("HUB_RATE_LIMIT_AUTH_FAILURES", "ten/60"),
    ],
)
def test_settings_refuse_bad_guard_values_naming_them(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_settings_compiled_reads_are_on_unless_turned_off() -> None:
    assert Settings.from_env({}).compiled_reads is True
    assert Settings.from_env({"HUB_COMPILED_READS": "0"}).compiled_reads is False
    with pytest.raises(SettingsError, match="'yes'"):
        Settings.from_env({"HUB_COMPILED_READS": "yes"})
