"""The same registry code on a JSON-RPC node: anvil on loopback, over HTTP and over WebSocket."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from hub.chain import (
    AuditRegistry,
    ChainEndpoint,
    ChainRejected,
    ChainUnavailable,
    Checkpoint,
    MemoryDeployments,
    rpc_endpoint,
    verify_anchor,
)
from hub.chain.registry import chain_operation, registry_contract, transact
from tests.hub.chain.anvil import ANVIL_CHAIN_ID, ANVIL_KEYS, AnvilNode

from .conftest import TEST_TIMEOUTS


async def test_anvil_registry_deploys_anchors_and_verifies(
    anvil_endpoint: ChainEndpoint, checkpoint: Callable[..., Checkpoint]
) -> None:
    registry = await AuditRegistry.open(anvil_endpoint, MemoryDeployments())

    anchor = await registry.anchor_checkpoint(checkpoint(9))

    assert anchor.chain_id == ANVIL_CHAIN_ID
    assert (await verify_anchor(anvil_endpoint.web3, anchor, checkpoint(9).root, 9)).holds
    other = await registry.anchor_checkpoint(checkpoint(10))
    forged = await verify_anchor(anvil_endpoint.web3, other, checkpoint(9).root, 9)
    assert forged.problem is not None and "records root" in forged.problem


async def test_anvil_registry_over_websocket_anchors_and_verifies(
    anvil: AnvilNode, checkpoint: Callable[..., Checkpoint]
) -> None:
    endpoint = rpc_endpoint(anvil.ws_url, ANVIL_KEYS[0], TEST_TIMEOUTS)
    registry = await AuditRegistry.open(endpoint, MemoryDeployments())

    anchor = await registry.anchor_checkpoint(checkpoint(11))

    assert (await verify_anchor(endpoint.web3, anchor, anchor.root, 11)).holds
    await endpoint.close()


async def test_anvil_registry_write_from_another_dev_account_reverts(
    anvil: AnvilNode, anvil_endpoint: ChainEndpoint, checkpoint: Callable[..., Checkpoint]
) -> None:
    registry = await AuditRegistry.open(anvil_endpoint, MemoryDeployments())
    intruder = rpc_endpoint(anvil.url, ANVIL_KEYS[1], TEST_TIMEOUTS)
    forged = checkpoint(1, "forged")
    contract = registry_contract(intruder.web3, registry.deployment.contract)

    with pytest.raises(ChainRejected, match=f"NotOwner\\({intruder.account.address}\\)"):
        async with chain_operation(intruder, "anchoring as a stranger"):
            await transact(intruder, ANVIL_CHAIN_ID, contract.functions.anchorCheckpoint(forged.root, 1, forged.log_id))

    assert await registry.anchored(forged.root) == (0, 0, b"\0" * 32)
    await intruder.close()


async def test_anvil_stopped_makes_anchoring_unavailable_and_restarted_keeps_the_registry(
    anvil: AnvilNode, anvil_endpoint: ChainEndpoint, checkpoint: Callable[..., Checkpoint]
) -> None:
    deployments = MemoryDeployments()
    registry = await AuditRegistry.open(anvil_endpoint, deployments)
    before = await registry.anchor_checkpoint(checkpoint(1))
    anvil.stop()

    with pytest.raises(ChainUnavailable, match=re.escape(f"on {anvil_endpoint.name}: ")):
        await registry.anchor_checkpoint(checkpoint(2))

    anvil.start()
    assert (await AuditRegistry.open(anvil_endpoint, deployments)).deployment == registry.deployment
    assert (await verify_anchor(anvil_endpoint.web3, before, before.root, 1)).holds
    after = await registry.anchor_checkpoint(checkpoint(2))
    assert after.block_number > before.block_number
