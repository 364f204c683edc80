"""Fixtures for the chain tests: the embedded chain in a temporary directory and an anvil node on loopback."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from eth_account import Account

from hub.chain import ChainEndpoint, ChainTimeouts, Checkpoint, EmbeddedChain, embedded_endpoint, rpc_endpoint
from tests.hub.chain.anvil import ANVIL_KEYS, AnvilNode, require_anvil

# Short bounds so that a chain that is down is noticed at once.
TEST_TIMEOUTS = ChainTimeouts(request=3.0, receipt=10.0, operation=20.0)
LOG_ID = hashlib.sha256(b"silk-road-hub test audit log").digest()


def make_checkpoint(tree_size: int, label: str = "") -> Checkpoint:
    root = hashlib.sha256(f"checkpoint {label}{tree_size}".encode()).digest()
    return Checkpoint(root=root, tree_size=tree_size, log_id=LOG_ID)


async def funded_stranger(endpoint: ChainEndpoint) -> ChainEndpoint:
    """An endpoint on the same chain signing with a new account, which the hub's account pays 1 ether."""
    stranger = Account.create()
    web3 = endpoint.web3
    funding = {"to": stranger.address, "value": 10**18, "gas": 21000, "chainId": await web3.eth.chain_id}
    funding |= {"nonce": await web3.eth.get_transaction_count(endpoint.account.address, "pending")}
    funding |= {"maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9}
    tx_hash = await web3.eth.send_raw_transaction(endpoint.account.sign_transaction(funding).raw_transaction)
    await web3.eth.wait_for_transaction_receipt(tx_hash, timeout=10)
    assert await web3.eth.get_balance(stranger.address) == 10**18
    return ChainEndpoint(endpoint.name, web3.provider, stranger, TEST_TIMEOUTS)  # type: ignore[arg-type]


@pytest.fixture
def checkpoint() -> Callable[..., Checkpoint]:
    return make_checkpoint


@pytest.fixture
def embedded_chain(tmp_path: Path) -> Iterator[EmbeddedChain]:
    chain = EmbeddedChain(tmp_path / "chain")
    yield chain
    chain.close()


@pytest.fixture
def embedded(embedded_chain: EmbeddedChain) -> ChainEndpoint:
    return embedded_endpoint(embedded_chain, TEST_TIMEOUTS)


@pytest.fixture
def anvil(tmp_path: Path) -> Iterator[AnvilNode]:
    node = AnvilNode(require_anvil(), tmp_path / "anvil-state.json")
    node.start()
    yield node
    node.stop()


@pytest.fixture
async def anvil_endpoint(anvil: AnvilNode) -> AsyncIterator[ChainEndpoint]:
    endpoint = rpc_endpoint(anvil.url, ANVIL_KEYS[0], TEST_TIMEOUTS)
    yield endpoint
    await endpoint.close()
