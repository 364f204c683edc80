"""Two hubs on one database: the one under test (compiled reads on) and the reference (the standard executor
answers everything), each with its HTTP client and no response cache."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from hub.app import Hub
from hub.settings import Settings
from hub.web.app import create_app
from schema.app import schema
from schema.compiled.plans import PlanCache, plans_of
from tests.auth_support import mint_token
from tests.schema.compiled.corpus import store_variety


@dataclass
class Pair:
    compiled: httpx.AsyncClient
    standard: httpx.AsyncClient
    hub: Hub
    plans: PlanCache
    tokens: dict[str, str]


def client_of(hub: Hub) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(hub)), base_url="http://hub.test")


@pytest.fixture
async def pair(hub: Hub, database_url: str, tmp_path: Path) -> AsyncIterator[Pair]:
    await store_variety(hub)
    compiled = Hub.create(Settings(database_url=database_url, var_dir=tmp_path / "var", response_cache_ttl=0))
    standard = Hub.create(
        Settings(database_url=database_url, var_dir=tmp_path / "var", response_cache_ttl=0, compiled_reads=False)
    )
    assert compiled.pages is not None and standard.pages is None
    async with client_of(compiled) as compiled_client, client_of(standard) as standard_client:
        tokens = {
            "audit": await mint_token(hub, "audit:read", jurisdiction="CN"),
            "push": await mint_token(hub, "catalogue:write", institution="NLC"),
            "bad": "not-a-token",
        }
        yield Pair(compiled_client, standard_client, hub, plans_of(schema._schema), tokens)
    await compiled.close()
    await standard.close()
