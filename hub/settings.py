"""Settings, read once from the environment into a typed object. Nothing else reads `os.environ`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_VAR_DIR = Path("var")
PARTNER_URL_PREFIX = "HUB_PARTNER_"
PARTNER_URL_SUFFIX = "_URL"


class SettingsError(ValueError):
    """An environment variable holds a value the hub cannot use."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    partner_urls: dict[str, str] = field(default_factory=dict)
    chain_rpc_urls: tuple[str, ...] = ()
    sync_interval: float = 300.0
    var_dir: Path = DEFAULT_VAR_DIR

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
        raw_interval = env.get("HUB_SYNC_INTERVAL", "300")
        try:
            interval = float(raw_interval)
        except ValueError:
            raise SettingsError(f"HUB_SYNC_INTERVAL must be a number of seconds, not {raw_interval!r}") from None
        if interval <= 0:
            raise SettingsError(f"HUB_SYNC_INTERVAL must be positive, not {raw_interval!r}")
        return cls(
            database_url=database_url,
            partner_urls=partner_urls,
            chain_rpc_urls=chains,
            sync_interval=interval,
            var_dir=var_dir,
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
