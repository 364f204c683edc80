"""Chain endpoints: names without secrets, the embedded default, and what counts as a chain that is down."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hub.chain import (
    EMBEDDED_NAME,
    AuditRegistry,
    ChainUnavailable,
    Checkpoint,
    EmbeddedChain,
    EmbeddedChainBusy,
    MemoryDeployments,
    chain_name,
    open_endpoints,
    rpc_endpoint,
    verify_anchor,
)
from tests.hub.chain.anvil import ANVIL_KEYS, AnvilNode
from tests.support import start_live_server

from .conftest import TEST_TIMEOUTS


def test_chain_name_keeps_scheme_host_and_port_but_no_path_query_or_credentials() -> None:
    secret = "https://user:pw@mainnet.example.org/v3/0123456789abcdef?apikey=s3cret"

    assert chain_name("http://127.0.0.1:8545") == "http://127.0.0.1:8545"
    assert chain_name("wss://node.example.org/") == "wss://node.example.org"
    assert chain_name(secret).startswith("https://mainnet.example.org#")
    assert not {"user", "pw", "0123456789abcdef", "s3cret"} & set(chain_name(secret).replace("#", "/").split("/"))
    assert chain_name(secret) != chain_name(secret.replace("s3cret", "other"))


def test_rpc_endpoint_with_a_bad_key_or_scheme_says_so_without_echoing_the_key() -> None:
    with pytest.raises(ValueError, match="64 hex digits") as refused:
        rpc_endpoint("http://127.0.0.1:8545", "0xnot-a-key-but-a-secret")
    assert "not-a-key" not in str(refused.value)
    with pytest.raises(ValueError, match=re.escape("chain URL 'ftp://127.0.0.1#")):
        rpc_endpoint("ftp://127.0.0.1/path", ANVIL_KEYS[0])


async def test_open_endpoints_without_rpc_urls_is_the_embedded_chain_in_the_given_directory(tmp_path: Path) -> None:
    [endpoint] = open_endpoints([], None, tmp_path / "var" / "chain")

    assert endpoint.name == EMBEDDED_NAME
    assert await endpoint.web3.eth.block_number == 0
    assert (tmp_path / "var" / "chain" / "chain.sqlite3").exists()
    await endpoint.close()
    with pytest.raises(ValueError, match="HUB_CHAIN_PRIVATE_KEY"):
        open_endpoints(["http://127.0.0.1:8545"], None, tmp_path / "unused")


async def test_gateway_answering_503_makes_the_chain_unavailable_not_refused() -> None:
    async def overloaded(request: Request) -> JSONResponse:
        return JSONResponse({"error": "upstream node restarting"}, status_code=503)

    server = await start_live_server(Starlette(routes=[Route("/", overloaded, methods=["POST"])]))
    endpoint = rpc_endpoint(server.url, ANVIL_KEYS[0], TEST_TIMEOUTS)

    with pytest.raises(ChainUnavailable, match=r"reading the chain id on http://127\.0\.0\.1:\d+: 503"):
        await AuditRegistry.open(endpoint, MemoryDeployments())
    await endpoint.close()
    await server.stop()


async def test_websocket_endpoint_reconnects_after_the_node_restarts(
    anvil: AnvilNode, checkpoint: Callable[..., Checkpoint]
) -> None:
    endpoint = rpc_endpoint(anvil.ws_url, ANVIL_KEYS[0], TEST_TIMEOUTS)
    registry = await AuditRegistry.open(endpoint, MemoryDeployments())
    before = await registry.anchor_checkpoint(checkpoint(1))
    anvil.stop()

    with pytest.raises(ChainUnavailable):
        await registry.anchor_checkpoint(checkpoint(2))
    anvil.start()
    after = await registry.anchor_checkpoint(checkpoint(2))

    assert (await verify_anchor(endpoint.web3, before, before.root, 1)).holds
    assert (await verify_anchor(endpoint.web3, after, after.root, 2)).holds
    await endpoint.close()


def test_embedded_chain_held_by_another_handle_past_the_lock_timeout_is_busy(tmp_path: Path) -> None:
    holder = EmbeddedChain(tmp_path / "chain")
    waiter = EmbeddedChain(tmp_path / "chain", lock_timeout=0.2)
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        with holder._locked():
            locked.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    locked.wait(10)
    with pytest.raises(EmbeddedChainBusy, match=re.escape("stayed locked by another process for 0.2 s")):
        waiter.request("eth_blockNumber", [])
    release.set()
    thread.join()

    assert waiter.request("eth_blockNumber", [])["result"] == 0
    holder.close()
    waiter.close()
