"""Settings, read once from the environment into a typed object. Nothing else reads `os.environ`."""

from __future__ import annotations

import ipaddress
import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

DEFAULT_VAR_DIR = Path("var")
PARTNER_URL_PREFIX = "HUB_PARTNER_"
PARTNER_URL_SUFFIX = "_URL"


DEFAULT_ISSUER = "http://127.0.0.1:8000"
EMBEDDED_CHAIN = "embedded"
"""The entry of HUB_CHAIN_RPC_URLS that names the embedded development chain (beside JSON-RPC chains)."""
DEFAULT_SANDBOX_PORT = 8101
"""NLC's sandbox listens on it, CRECC's on the next port, TWMM's on the one after."""
HUB_CLAIMS = ("client_id", "scope", "institution", "jurisdiction")


N = TypeVar("N", int, float)


class SettingsError(ValueError):
    """An environment variable holds a value the hub cannot use."""


def _seconds(
    env: Mapping[str, str], name: str, default: str, kind: type[N], what: str, zero_allowed: bool = False
) -> N:
    raw = env.get(name, default)
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name} must be {what}, not {raw!r}") from None
    if value < 0 or (value == 0 and not zero_allowed):
        raise SettingsError(f"{name} must be positive, not {raw!r}")
    return value


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name) or str(default)
    try:
        port = int(raw)
    except ValueError:
        port = -1
    if not 0 <= port <= 65533:
        raise SettingsError(f"{name} must be a port number from 0 to 65533 (0: any free port), not {raw!r}")
    return port


def _origins(raw: str) -> tuple[str, ...]:
    origins = tuple(origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip())
    for origin in origins:
        if origin != "*" and not origin.startswith(("http://", "https://")):
            raise SettingsError(f"HUB_CORS_ORIGINS holds {origin!r}, not an origin like https://app.example")
    return origins


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name) or str(default)
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be positive, not {raw!r}")
    return value


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _networks(raw: str) -> tuple[IPNetwork, ...]:
    networks = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise SettingsError(
                f"HUB_TRUSTED_PROXIES holds {part!r}, not an address or network like 10.0.0.0/8"
            ) from None
    return tuple(networks)


def _redis_url(raw: str | None) -> str | None:
    if not raw:
        return None
    if not raw.startswith(("redis://", "rediss://", "async+redis://", "async+rediss://")):
        raise SettingsError(f"HUB_REDIS_URL must be a redis:// URL, not {raw!r}")
    return raw if raw.startswith("async+") else f"async+{raw}"


@dataclass(frozen=True)
class RateLimit:
    """At most `capacity` requests in any `period` seconds (a sliding window)."""

    capacity: int
    period: int

    @classmethod
    def parse(cls, name: str, value: str) -> RateLimit:
        count, _, period = value.partition("/")
        try:
            limit = cls(int(count), math.ceil(float(period or "1")))
        except ValueError:
            raise SettingsError(f"{name} must be REQUESTS/SECONDS like 20/60, not {value!r}") from None
        if limit.capacity <= 0 or limit.period <= 0:
            raise SettingsError(f"{name} must be positive REQUESTS/SECONDS like 20/60, not {value!r}")
        return limit


@dataclass(frozen=True)
class ExternalIssuer:
    """An OAuth/OpenID issuer whose access tokens the hub trusts like its own.

    `claims` maps the hub's claim names (client_id, scope, institution, jurisdiction) to the issuer's.
    """

    issuer: str
    jwks_url: str
    audience: str
    claims: dict[str, str] = field(default_factory=dict)
    algorithms: tuple[str, ...] = ("RS256", "ES256", "EdDSA")

    def claim(self, name: str) -> str:
        return self.claims.get(name, name)

    @classmethod
    def parse_all(cls, value: str) -> tuple[ExternalIssuer, ...]:
        """HUB_EXTERNAL_ISSUERS: a JSON list of {"issuer", "jwks_url", "audience", "claims"?, "algorithms"?}."""
        name = "HUB_EXTERNAL_ISSUERS"
        try:
            entries = json.loads(value)
        except ValueError:
            raise SettingsError(f"{name} must be a JSON list, not {value!r}") from None
        if not isinstance(entries, list):
            raise SettingsError(f"{name} must be a JSON list of issuers, not {value!r}")
        return tuple(cls._parse_one(name, entry) for entry in entries)

    @classmethod
    def _parse_one(cls, name: str, entry: Any) -> ExternalIssuer:
        if not isinstance(entry, dict):
            raise SettingsError(f"{name}: each issuer must be a JSON object, not {entry!r}")
        missing = [key for key in ("issuer", "jwks_url", "audience") if not isinstance(entry.get(key), str)]
        if missing:
            raise SettingsError(f"{name}: issuer {entry!r} lacks {', '.join(missing)}")
        claims = entry.get("claims", {})
        if not isinstance(claims, dict) or not all(isinstance(v, str) for v in claims.values()):
            raise SettingsError(f"{name}: claims of {entry['issuer']!r} must map names to names, not {claims!r}")
        unknown = sorted(set(claims) - set(HUB_CLAIMS))
        if unknown:
            raise SettingsError(f"{name}: unknown claim {unknown[0]!r} for {entry['issuer']!r}; known: {HUB_CLAIMS}")
        algorithms = entry.get("algorithms", ["RS256", "ES256", "EdDSA"])
        if not isinstance(algorithms, list) or "none" in algorithms or not algorithms:
            raise SettingsError(f"{name}: algorithms of {entry['issuer']!r} must be a list, not {algorithms!r}")
        return cls(entry["issuer"], entry["jwks_url"], entry["audience"], dict(claims), tuple(algorithms))


def _rate_limit(env: Mapping[str, str], name: str, default: str) -> RateLimit:
    return RateLimit.parse(name, env.get(name) or default)


def _guard_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The bounds on what clients may ask (request size, cost, time, rate) and where rate limits are kept."""
    return {
        "max_body_bytes": _count(env, "HUB_MAX_BODY_BYTES", 256 * 1024),
        "max_query_cost": _count(env, "HUB_MAX_QUERY_COST", 5000),
        "request_timeout": _seconds(env, "HUB_REQUEST_TIMEOUT", "10", float, "a number of seconds"),
        "statement_timeout": _seconds(
            env, "HUB_STATEMENT_TIMEOUT", "10", float, "a number of seconds", zero_allowed=True
        ),
        "anonymous_rate_limit": _rate_limit(env, "HUB_RATE_LIMIT_ANONYMOUS", "300/60"),
        "token_address_rate_limit": _rate_limit(env, "HUB_RATE_LIMIT_TOKEN_ADDRESS", "60/60"),
        "auth_failure_rate_limit": _rate_limit(env, "HUB_RATE_LIMIT_AUTH_FAILURES", "10/300"),
        "redis_url": _redis_url(env.get("HUB_REDIS_URL")),
        "rate_limit_prefix": env.get("HUB_RATE_LIMIT_PREFIX") or "hub",
        "trusted_proxies": _networks(env.get("HUB_TRUSTED_PROXIES", "")),
        "response_cache_max_bytes": _count(env, "HUB_RESPONSE_CACHE_MAX_BYTES", 32 * 1024 * 1024),
        "ws_token_check_interval": _seconds(env, "HUB_WS_TOKEN_CHECK_INTERVAL", "5", float, "a number of seconds"),
    }


def _audit_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """When the serving hub makes an audit checkpoint: after so many entries, or so many seconds after an entry."""
    return {
        "audit_checkpoint_entries": _count(env, "HUB_AUDIT_CHECKPOINT_ENTRIES", 1000),
        "audit_checkpoint_seconds": _seconds(env, "HUB_AUDIT_CHECKPOINT_SECONDS", "60", float, "a number of seconds"),
    }


@dataclass(frozen=True)
class Settings:
    database_url: str
    partner_urls: dict[str, str] = field(default_factory=dict)
    chain_rpc_urls: tuple[str, ...] = ()
    """JSON-RPC URLs of the chains to anchor on, or `embedded` for the embedded chain; none: the embedded chain."""
    chain_private_key: str | None = field(default=None, repr=False)
    """The hub's account on the JSON-RPC chains (hex); a secret, never shown."""
    audit_export_max_days: int = 366
    """The longest period one audit report covers."""
    sync_interval: float = 300.0
    var_dir: Path = DEFAULT_VAR_DIR
    issuer: str = DEFAULT_ISSUER
    """The `iss` of the hub's access tokens; the public base URL of its OAuth endpoints."""
    token_audience: str | None = None
    """The `aud` of the hub's access tokens (the resource server); the issuer when unset."""
    token_lifetime: int = 3600
    external_issuers: tuple[ExternalIssuer, ...] = ()
    token_rate_limit: RateLimit = RateLimit(20, 60)
    """Per client id claimed on the OAuth endpoints."""
    graphql_rate_limit: RateLimit = RateLimit(600, 60)
    """Per authenticated client on /graphql."""
    response_cache_ttl: float = 5.0
    """How long an anonymous query's answer may be served from cache (0: no cache); any committed change ends it."""
    cors_origins: tuple[str, ...] = ()
    """Browser origins allowed to call the hub (`*` for any); none by default."""
    partner_max_response_bytes: int = 32 * 1024 * 1024
    """The largest partner answer, in decoded bytes; reading stops there."""
    harvest_max_pages: int = 100_000
    """Pages one harvest run of a partner reads; the next run resumes where it stopped."""
    harvest_max_seconds: float = 3600.0
    """Seconds one harvest run of a partner lasts at most; the next run resumes where it stopped."""
    max_body_bytes: int = 256 * 1024
    """Largest request body; a larger one is answered 413 before anything reads it."""
    max_query_cost: int = 5000
    """Largest estimated cost of a GraphQL operation (see schema.core.limits)."""
    request_timeout: float = 10.0
    """Seconds a GraphQL request may take before it is cancelled."""
    statement_timeout: float = 10.0
    """Seconds one SQL statement may run (0: no limit)."""
    anonymous_rate_limit: RateLimit = RateLimit(300, 60)
    """Per client address on /graphql, for requests without a token."""
    token_address_rate_limit: RateLimit = RateLimit(60, 60)
    """Per client address on the OAuth endpoints, whatever client id it claims."""
    auth_failure_rate_limit: RateLimit = RateLimit(10, 300)
    """Failed client authentications per client address; past it the address is refused before any hashing."""
    redis_url: str | None = None
    """Where rate limits are counted, shared by every hub process (`async+redis://...`); None: in memory."""
    rate_limit_prefix: str = "hub"
    """Prefix of the rate limit keys in Redis (hubs sharing a Redis keep apart by it)."""
    trusted_proxies: tuple[IPNetwork, ...] = ()
    """Proxies whose X-Forwarded-For names the client address; none by default."""
    response_cache_max_bytes: int = 32 * 1024 * 1024
    ws_token_check_interval: float = 5.0
    """Seconds between checks that the tokens of open websockets are not revoked."""
    compiled_reads: bool = True
    """Whether queries the plan compiler covers run as compiled plans (else every query runs the resolvers)."""
    sandbox_port: int = DEFAULT_SANDBOX_PORT
    """First loopback port of the sandbox partners, each on a fixed port from it (0: any free ports)."""
    audit_checkpoint_entries: int = 1000
    """Entries after which the serving hub makes an audit checkpoint."""
    audit_checkpoint_seconds: float = 60.0
    """Seconds after which the serving hub checkpoints entries not yet covered, however few."""
    environment_names: frozenset[str] = frozenset()
    """The HUB_* variables the settings were read from (the others have their defaults)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        var_dir = Path(env.get("HUB_VAR_DIR", str(DEFAULT_VAR_DIR)))
        database_url = env.get("HUB_DATABASE_URL") or f"sqlite+aiosqlite:///{var_dir / 'hub.sqlite3'}"
        partner_urls = {
            name[len(PARTNER_URL_PREFIX) : -len(PARTNER_URL_SUFFIX)].upper(): value.rstrip("/")
            for name, value in env.items()
            if name.startswith(PARTNER_URL_PREFIX) and name.endswith(PARTNER_URL_SUFFIX) and value
        }
        chains = tuple(url.strip() for url in env.get("HUB_CHAIN_RPC_URLS", "").split(",") if url.strip())
        for chain in chains:
            if chain != EMBEDDED_CHAIN and not chain.startswith(("http://", "https://", "ws://", "wss://")):
                raise SettingsError(
                    f"HUB_CHAIN_RPC_URLS holds {chain!r}, not an http(s) or ws(s) JSON-RPC URL nor {EMBEDDED_CHAIN!r}"
                )
        private_key = env.get("HUB_CHAIN_PRIVATE_KEY") or None
        if any(chain != EMBEDDED_CHAIN for chain in chains) and private_key is None:
            raise SettingsError(
                "HUB_CHAIN_RPC_URLS names JSON-RPC chains: set HUB_CHAIN_PRIVATE_KEY, the hub's key there"
            )
        export_days = _count(env, "HUB_AUDIT_EXPORT_MAX_DAYS", 366)
        interval = _seconds(env, "HUB_SYNC_INTERVAL", "300", float, "a number of seconds")
        lifetime = _seconds(env, "HUB_TOKEN_LIFETIME", "3600", int, "whole seconds")
        cache_ttl = _seconds(env, "HUB_RESPONSE_CACHE_TTL", "5", float, "a number of seconds", zero_allowed=True)
        max_response = _seconds(env, "HUB_PARTNER_MAX_RESPONSE_BYTES", "33554432", int, "a whole number of bytes")
        max_pages = _seconds(env, "HUB_HARVEST_MAX_PAGES", "100000", int, "a whole number of pages")
        max_seconds = _seconds(env, "HUB_HARVEST_MAX_SECONDS", "3600", float, "a number of seconds")
        compiled_reads = env.get("HUB_COMPILED_READS", "1")
        if compiled_reads not in ("0", "1"):
            raise SettingsError(f"HUB_COMPILED_READS must be 1 (on) or 0 (off), not {compiled_reads!r}")
        sandbox_port = _port(env, "HUB_SANDBOX_PORT", DEFAULT_SANDBOX_PORT)
        return cls(
            database_url=database_url,
            partner_urls=partner_urls,
            chain_rpc_urls=chains,
            chain_private_key=private_key,
            audit_export_max_days=export_days,
            sync_interval=interval,
            var_dir=var_dir,
            issuer=(env.get("HUB_ISSUER") or DEFAULT_ISSUER).rstrip("/"),
            token_audience=env.get("HUB_TOKEN_AUDIENCE") or None,
            token_lifetime=lifetime,
            external_issuers=ExternalIssuer.parse_all(env.get("HUB_EXTERNAL_ISSUERS") or "[]"),
            token_rate_limit=RateLimit.parse("HUB_RATE_LIMIT_TOKEN", env.get("HUB_RATE_LIMIT_TOKEN") or "20/60"),
            graphql_rate_limit=RateLimit.parse("HUB_RATE_LIMIT_GRAPHQL", env.get("HUB_RATE_LIMIT_GRAPHQL") or "600/60"),
            response_cache_ttl=cache_ttl,
            cors_origins=_origins(env.get("HUB_CORS_ORIGINS", "")),
            partner_max_response_bytes=max_response,
            harvest_max_pages=max_pages,
            harvest_max_seconds=max_seconds,
            sandbox_port=sandbox_port,
            environment_names=frozenset(name for name, value in env.items() if name.startswith("HUB_") and value),
            **_guard_settings(env),
            **_audit_settings(env),
            compiled_reads=compiled_reads == "1",
        )

    @property
    def audience(self) -> str:
        return self.token_audience or self.issuer

    @property
    def anchor_chains(self) -> tuple[str, ...]:
        """The chains to anchor on: the configured ones, or the embedded chain alone."""
        return self.chain_rpc_urls or (EMBEDDED_CHAIN,)

    @property
    def audit_origin(self) -> str:
        """The origin line of the audit log's checkpoints (and its key's name): the issuer without its scheme."""
        return self.issuer.split("://", 1)[-1].rstrip("/") + "/audit"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
