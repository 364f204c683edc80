"""Fixtures for the chain tests: the embedded chain in a temporary directory and an anvil node on loopback."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from hub.chain import ChainEndpoint, ChainTimeouts, Checkpoint, EmbeddedChain, embedded_endpoint, rpc_endpoint
from tests.hub.chain.anvil import ANVIL_KEYS, AnvilNode, require_anvil

# Short bounds so that a chain that is down is noticed at once.
TEST_TIMEOUTS = ChainTimeouts(request=3.0, receipt=10.0, operation=20.0)
LOG_ID = hashlib.sha256(b"silk-road-hub test audit log").digest()


def make_checkpoint(tree_size: int, label: str = "") -> Checkpoint:
    root = hashlib.sha256(f"checkpoint {label}{tree_size}".encode()).digest()
    return Checkpoint(root=root, tree_size=tree_size, log_id=LOG_ID)


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
