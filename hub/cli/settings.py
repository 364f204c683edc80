"""`hub settings [--json]`: every setting, its effective value (secrets hidden) and where the value comes from.

SETTINGS documents each environment variable `hub/settings.py` reads; a setting added there gets its row here
(tests/hub/cli/test_settings.py fails until it has one, and until the README's Configuration table names it).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from hub.cli.command import print_table, print_warning
from hub.cli.parser import add_json_option
from hub.settings import PARTNER_URL_PREFIX, PARTNER_URL_SUFFIX, RateLimit, Settings

HIDDEN = "***"


def hidden_url(url: str, hide_path: bool = False) -> str:
    """`url` with its password and query (and with `hide_path`, its path) replaced by ***."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return HIDDEN
    userinfo, at, hostport = parts.netloc.rpartition("@")
    hidden_password = at and ":" in userinfo
    path_hidden = hide_path and parts.path not in ("", "/")
    if not (hidden_password or path_hidden or parts.query or parts.fragment):
        return url  # as given: urlunsplit would turn sqlite:///file into sqlite:/file
    if hidden_password:
        userinfo = userinfo.split(":", 1)[0] + ":" + HIDDEN
    netloc = f"{userinfo}@{hostport}" if at else hostport
    path = "/" + HIDDEN if path_hidden else parts.path
    return urlunsplit((parts.scheme, netloc, path, HIDDEN if parts.query else "", ""))


def _rate(limit: RateLimit) -> str:
    return f"{limit.capacity}/{limit.period:g}"


def _seconds(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class SettingDoc:
    name: str
    meaning: str
    default: str
    value: Callable[[Settings], str]


SETTINGS: tuple[SettingDoc, ...] = (
    SettingDoc(
        "HUB_DATABASE_URL",
        "SQLAlchemy async URL of the database (sqlite+aiosqlite:///... or postgresql+asyncpg://...)",
        "sqlite+aiosqlite:///var/hub.sqlite3 (under HUB_VAR_DIR)",
        lambda s: hidden_url(s.database_url),
    ),
    SettingDoc("HUB_VAR_DIR", "where the hub keeps its files", "./var", lambda s: str(s.var_dir)),
    SettingDoc(
        "HUB_PARTNER_<CODE>_URL",
        "base URL of partner CODE's endpoint (NLC, CRECC, TWMM, or one added with `hub institutions add`)",
        "unset: the built-in sandbox of that partner",
        lambda s: ", ".join(f"{code}={hidden_url(url)}" for code, url in sorted(s.partner_urls.items())) or "-",
    ),
    SettingDoc(
        "HUB_SANDBOX_PORT",
        "first loopback port of the sandbox partners: NLC on it, CRECC on the next, TWMM on the one after "
        "(0: any free ports, which changes the stored IIIF links at every start)",
        "8101",
        lambda s: str(s.sandbox_port),
    ),
    SettingDoc(
        "HUB_SYNC_INTERVAL",
        "seconds between background syncs while serving",
        "300",
        lambda s: _seconds(s.sync_interval),
    ),
    SettingDoc(
        "HUB_CHAIN_RPC_URLS",
        "comma-separated EVM JSON-RPC URLs (http(s), ws(s)) to anchor audit checkpoints on; `embedded` names the "
        "embedded development chain beside them",
        "embedded (the embedded chain, its state in var/chain/)",
        lambda s: ", ".join(hidden_url(url, hide_path=True) for url in s.anchor_chains),
    ),
    SettingDoc(
        "HUB_CHAIN_PRIVATE_KEY",
        "hex private key of the hub's account on the JSON-RPC chains (deploys and owns the registry, pays for anchors)",
        "none; required with JSON-RPC URLs in HUB_CHAIN_RPC_URLS",
        lambda s: HIDDEN if s.chain_private_key else "-",
    ),
    SettingDoc(
        "HUB_AUDIT_EXPORT_MAX_DAYS",
        "the longest period, in days, of one audit report (hub audit export, GET /audit/export)",
        "366",
        lambda s: str(s.audit_export_max_days),
    ),
    SettingDoc(
        "HUB_AUDIT_CHECKPOINT_ENTRIES",
        "entries after which the serving hub makes a signed audit checkpoint (Merkle root)",
        "1000",
        lambda s: str(s.audit_checkpoint_entries),
    ),
    SettingDoc(
        "HUB_AUDIT_CHECKPOINT_SECONDS",
        "seconds after which the serving hub checkpoints audit entries not yet covered, however few",
        "60",
        lambda s: _seconds(s.audit_checkpoint_seconds),
    ),
    SettingDoc(
        "HUB_ISSUER",
        "public base URL of the hub: the tokens' iss and the URLs in the OAuth metadata",
        "http://127.0.0.1:8000",
        lambda s: s.issuer,
    ),
    SettingDoc("HUB_TOKEN_AUDIENCE", "the tokens' aud", "the issuer", lambda s: s.audience),
    SettingDoc("HUB_TOKEN_LIFETIME", "access token lifetime in seconds", "3600", lambda s: str(s.token_lifetime)),
    SettingDoc(
        "HUB_RATE_LIMIT_TOKEN",
        "per client on /oauth/token, /oauth/introspect, /oauth/revoke, as REQUESTS/SECONDS",
        "20/60",
        lambda s: _rate(s.token_rate_limit),
    ),
    SettingDoc(
        "HUB_RATE_LIMIT_GRAPHQL",
        "per authenticated client on /graphql, as REQUESTS/SECONDS",
        "600/60",
        lambda s: _rate(s.graphql_rate_limit),
    ),
    SettingDoc(
        "HUB_EXTERNAL_ISSUERS",
        'JSON list of trusted external token issuers: [{"issuer", "jwks_url", "audience", "claims"?, "algorithms"?}]',
        "none",
        lambda s: ", ".join(issuer.issuer for issuer in s.external_issuers) or "-",
    ),
    SettingDoc(
        "HUB_CORS_ORIGINS",
        "comma-separated browser origins allowed to call the hub (* for any)",
        "none",
        lambda s: ", ".join(s.cors_origins) or "-",
    ),
    SettingDoc(
        "HUB_RESPONSE_CACHE_TTL",
        "seconds an anonymous query's answer may be served from cache (0: no cache)",
        "5",
        lambda s: _seconds(s.response_cache_ttl),
    ),
    SettingDoc(
        "HUB_PARTNER_MAX_RESPONSE_BYTES",
        "largest partner answer, in decoded bytes; reading stops there",
        "33554432 (32 MiB)",
        lambda s: str(s.partner_max_response_bytes),
    ),
    SettingDoc(
        "HUB_HARVEST_MAX_PAGES",
        "pages one harvest run of a partner reads; the next run resumes there",
        "100000",
        lambda s: str(s.harvest_max_pages),
    ),
    SettingDoc(
        "HUB_HARVEST_MAX_SECONDS",
        "seconds one harvest run of a partner lasts at most; the next run resumes there",
        "3600",
        lambda s: _seconds(s.harvest_max_seconds),
    ),
    SettingDoc(
        "HUB_MAX_BODY_BYTES",
        "largest request body in bytes; a larger one is answered 413 before it is read",
        "262144",
        lambda s: str(s.max_body_bytes),
    ),
    SettingDoc(
        "HUB_MAX_QUERY_COST",
        "largest estimated cost of a GraphQL operation",
        "5000",
        lambda s: str(s.max_query_cost),
    ),
    SettingDoc(
        "HUB_REQUEST_TIMEOUT",
        "seconds a GraphQL request over HTTP may take before it is cancelled",
        "10",
        lambda s: _seconds(s.request_timeout),
    ),
    SettingDoc(
        "HUB_STATEMENT_TIMEOUT",
        "seconds one SQL statement may run (0: no limit)",
        "10",
        lambda s: _seconds(s.statement_timeout),
    ),
    SettingDoc(
        "HUB_RATE_LIMIT_ANONYMOUS",
        "per client address on /graphql for requests without a token, as REQUESTS/SECONDS",
        "300/60",
        lambda s: _rate(s.anonymous_rate_limit),
    ),
    SettingDoc(
        "HUB_RATE_LIMIT_TOKEN_ADDRESS",
        "per client address on the OAuth endpoints, as REQUESTS/SECONDS",
        "60/60",
        lambda s: _rate(s.token_address_rate_limit),
    ),
    SettingDoc(
        "HUB_RATE_LIMIT_AUTH_FAILURES",
        "failed client authentications per address, as FAILURES/SECONDS",
        "10/300",
        lambda s: _rate(s.auth_failure_rate_limit),
    ),
    SettingDoc(
        "HUB_REDIS_URL",
        "Redis for the rate limits, shared by every hub process",
        "none: each process counts alone",
        lambda s: hidden_url(s.redis_url) if s.redis_url else "-",
    ),
    SettingDoc(
        "HUB_RATE_LIMIT_PREFIX",
        "prefix of the rate limit keys in Redis",
        "hub",
        lambda s: s.rate_limit_prefix,
    ),
    SettingDoc(
        "HUB_TRUSTED_PROXIES",
        "comma-separated addresses or networks of proxies whose X-Forwarded-For names the client",
        "none",
        lambda s: ", ".join(str(network) for network in s.trusted_proxies) or "-",
    ),
    SettingDoc(
        "HUB_RESPONSE_CACHE_MAX_BYTES",
        "bytes of answers the response cache keeps",
        "33554432",
        lambda s: str(s.response_cache_max_bytes),
    ),
    SettingDoc(
        "HUB_WS_TOKEN_CHECK_INTERVAL",
        "seconds between checks that open websockets' tokens are not revoked",
        "5",
        lambda s: _seconds(s.ws_token_check_interval),
    ),
    SettingDoc(
        "HUB_COMPILED_READS",
        "1: queries the plan compiler covers (catalogue pages) run as compiled plans; 0: every query runs resolvers",
        "1",
        lambda s: "1" if s.compiled_reads else "0",
    ),
)


def setting_names() -> list[str]:
    return [doc.name for doc in SETTINGS]


def settings_epilog() -> str:
    width = max(len(name) for name in setting_names())
    lines = [f"  {doc.name:<{width}}  default: {doc.default}" for doc in SETTINGS]
    return "settings, from environment variables (`hub settings` shows their effective values):\n" + "\n".join(lines)


def add_parser(commands: Any) -> None:
    settings = commands.add_parser(
        "settings",
        help="list the settings: effective values (secrets hidden) and where they come from",
        description="Lists every setting the hub reads from the environment with its effective value "
        "(passwords, keys and query strings hidden as ***), whether it comes from the environment or is "
        "the default, and what it means.",
    )
    add_json_option(settings)
    settings.set_defaults(migrate_first=False, handler=settings_command)


def _source(doc: SettingDoc, settings: Settings) -> str:
    if doc.name == "HUB_PARTNER_<CODE>_URL":
        return "environment" if settings.partner_urls else "default"
    return "environment" if doc.name in settings.environment_names else "default"


def _is_partner_url(name: str) -> bool:
    return name.startswith(PARTNER_URL_PREFIX) and name.endswith(PARTNER_URL_SUFFIX)


def settings_command(args: argparse.Namespace, settings: Settings) -> int:
    rows = [
        {
            "name": doc.name,
            "value": doc.value(settings),
            "source": _source(doc, settings),
            "default": doc.default,
            "meaning": doc.meaning,
        }
        for doc in SETTINGS
    ]
    print_table(rows, args.json)
    known = set(setting_names())
    unknown = sorted(name for name in settings.environment_names if name not in known and not _is_partner_url(name))
    if unknown:
        print_warning(f"set in the environment but not read by the hub (a typo?): {', '.join(unknown)}")
    return 0
