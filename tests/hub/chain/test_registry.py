"""The audit registry on the embedded chain: deployed where missing, anchored, read back, written by the hub only."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hub.chain import (
    AuditRegistry,
    ChainEndpoint,
    ChainRejected,
    Checkpoint,
    MemoryDeployments,
    ProvenanceRecord,
    verify_anchor,
    verify_provenance,
)
from hub.chain.artifact import registry_artifact
from hub.chain.registry import chain_operation, registry_contract, transact

from .conftest import funded_stranger


async def test_registry_deploys_anchors_and_verifies_on_the_embedded_chain(
    embedded: ChainEndpoint, checkpoint: Callable[..., Checkpoint]
) -> None:
    deployments = MemoryDeployments()
    registry = await AuditRegistry.open(embedded, deployments)
    first = checkpoint(8)

    anchor = await registry.anchor_checkpoint(first)

    assert anchor.chain_id == await embedded.web3.eth.chain_id
    assert anchor.contract == registry.deployment.contract
    assert (anchor.root, anchor.tree_size) == (first.root, 8)
    assert anchor.block_number > registry.deployment.block_number
    assert await registry.anchored(first.root) == (8, anchor.block_number, first.log_id)
    check = await verify_anchor(embedded.web3, anchor, first.root, 8)
    assert check.holds, check.problem
    assert bytes(await embedded.web3.eth.get_code(anchor.contract)) == registry_artifact().deployed_bytecode


async def test_registry_open_reuses_the_known_contract_and_redeploys_a_missing_one(embedded: ChainEndpoint) -> None:
    deployments = MemoryDeployments()
    first = await AuditRegistry.open(embedded, deployments)
    again = await AuditRegistry.open(embedded, deployments)
    assert again.deployment == first.deployment

    # A deployment record pointing where there is no registry (a chain reset under the hub): deploy anew.
    chain_id = first.chain_id
    stale = first.deployment.__class__(chain_id, "0x" + "11" * 20, first.deployment.tx_hash, 1)
    await deployments.put(stale)
    fresh = await AuditRegistry.open(embedded, deployments)

    assert fresh.deployment.contract not in (stale.contract, first.deployment.contract)
    assert await deployments.get(chain_id) == fresh.deployment


async def test_anchor_checkpoint_twice_returns_the_first_anchor_without_a_new_transaction(
    embedded: ChainEndpoint, checkpoint: Callable[..., Checkpoint]
) -> None:
    registry = await AuditRegistry.open(embedded, MemoryDeployments())
    first = await registry.anchor_checkpoint(checkpoint(3))
    height = await embedded.web3.eth.block_number

    retried = await registry.anchor_checkpoint(checkpoint(3))

    assert retried == first
    assert await embedded.web3.eth.block_number == height


async def test_anchor_checkpoint_same_root_other_size_is_refused(
    embedded: ChainEndpoint, checkpoint: Callable[..., Checkpoint]
) -> None:
    registry = await AuditRegistry.open(embedded, MemoryDeployments())
    anchored = checkpoint(3)
    await registry.anchor_checkpoint(anchored)

    with pytest.raises(ChainRejected, match="with tree size 3, not 4"):
        await registry.anchor_checkpoint(Checkpoint(anchored.root, 4, anchored.log_id))


async def test_registry_write_from_another_account_reverts_naming_it(
    embedded: ChainEndpoint, checkpoint: Callable[..., Checkpoint]
) -> None:
    registry = await AuditRegistry.open(embedded, MemoryDeployments())
    intruder = await funded_stranger(embedded)
    stranger = intruder.account
    forged = checkpoint(5, "forged")
    contract = registry_contract(intruder.web3, registry.deployment.contract)

    anchoring = contract.functions.anchorCheckpoint(forged.root, 5, forged.log_id)
    registering = contract.functions.registerProvenance(forged.root, forged.root)

    for call in (anchoring, registering):
        with pytest.raises(ChainRejected, match=f"reverted with NotOwner\\({stranger.address}\\)"):
            async with chain_operation(intruder, "writing as a stranger"):
                await transact(intruder, registry.chain_id, call)

    assert await registry.anchored(forged.root) == (0, 0, b"\0" * 32)


async def test_register_provenance_twice_returns_the_first_registration_and_verifies(embedded: ChainEndpoint) -> None:
    registry = await AuditRegistry.open(embedded, MemoryDeployments())
    item, record, other = b"\x01" * 32, b"\x02" * 32, b"\x03" * 32

    registration = await registry.register_provenance(ProvenanceRecord(item, record))
    height = await embedded.web3.eth.block_number
    again = await registry.register_provenance(ProvenanceRecord(item, record))

    assert again == registration
    assert await embedded.web3.eth.block_number == height
    assert await registry.registered(ProvenanceRecord(item, record)) == registration.block_number
    assert (await verify_provenance(embedded.web3, registration, item, record)).holds
    check = await verify_provenance(embedded.web3, registration, item, other)
    assert check.problem == (
        f"tx {registration.tx_hash} on chain {registration.chain_id} registers 0x{record.hex()} for item "
        f"0x{item.hex()}, not 0x{other.hex()} for item 0x{item.hex()}"
    )


async def test_registry_contract_refuses_to_rewrite_a_record_even_for_its_owner(
    embedded: ChainEndpoint, checkpoint: Callable[..., Checkpoint]
) -> None:
    registry = await AuditRegistry.open(embedded, MemoryDeployments())
    anchor = await registry.anchor_checkpoint(checkpoint(2))
    registration = await registry.register_provenance(ProvenanceRecord(b"\x04" * 32, b"\x05" * 32))
    functions = registry.contract.functions

    with pytest.raises(ChainRejected, match=f"AlreadyAnchored\\(0x{anchor.root.hex()}, {anchor.block_number}\\)"):
        async with chain_operation(embedded, "anchoring again"):
            await transact(embedded, registry.chain_id, functions.anchorCheckpoint(anchor.root, 9, anchor.root))
    with pytest.raises(ChainRejected, match=f"AlreadyRegistered\\(.*, {registration.block_number}\\)"):
        async with chain_operation(embedded, "registering again"):
            await transact(embedded, registry.chain_id, functions.registerProvenance(b"\x04" * 32, b"\x05" * 32))
    with pytest.raises(ChainRejected, match="EmptyCheckpoint"):
        async with chain_operation(embedded, "anchoring an empty tree"):
            await transact(embedded, registry.chain_id, functions.anchorCheckpoint(b"\x06" * 32, 0, anchor.root))

    assert await registry.anchored(anchor.root) == (2, anchor.block_number, checkpoint(2).log_id)
