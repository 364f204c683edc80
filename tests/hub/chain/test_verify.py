"""Verification reads the anchor's transaction back from the chain and says exactly what does not hold."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from hub.chain import AuditRegistry, ChainEndpoint, ChainUnavailable, Checkpoint, MemoryDeployments, verify_anchor
from hub.chain.endpoints import rpc_endpoint
from tests.hub.chain.anvil import ANVIL_KEYS, free_port
from tests.hub.chain.conftest import funded_stranger


async def test_verify_anchor_pointing_at_a_transaction_holding_another_root_names_both_roots(
    embedded: ChainEndpoint, checkpoint: Callable[..., Checkpoint]
) -> None:
    registry = await AuditRegistry.open(embedded, MemoryDeployments())
    honest, other = checkpoint(4), checkpoint(5)
    await registry.anchor_checkpoint(honest)
    other_anchor = await registry.anchor_checkpoint(other)
    # An anchor record claiming the honest root, but pointing at the transaction that anchored another root.
    forged = replace(other_anchor, root=honest.root, tree_size=honest.tree_size)

    check = await verify_anchor(embedded.web3, forged, honest.root, honest.tree_size)

    assert not check.holds
    assert check.problem == (
        f"tx {other_anchor.tx_hash} on chain {other_anchor.chain_id} anchors root 0x{other.root.hex()}, "
        f"not 0x{honest.root.hex()}"
    )


async def test_verify_anchor_whose_record_differs_from_the_checkpoint_fails(
    embedded: ChainEndpoint, checkpoint: Callable[..., Checkpoint]
) -> None:
    registry = await AuditRegistry.open(embedded, MemoryDeployments())
    anchor = await registry.anchor_checkpoint(checkpoint(4))

    check = await verify_anchor(embedded.web3, anchor, anchor.root, 5)

    assert check.problem is not None
    assert f"records root 0x{anchor.root.hex()} of 4 entries, the checkpoint is root 0x{anchor.root.hex()} of 5" in (
        check.problem
    )


async def test_verify_anchor_with_wrong_block_missing_tx_or_other_contract_fails(
    embedded: ChainEndpoint, checkpoint: Callable[..., Checkpoint]
) -> None:
    registry = await AuditRegistry.open(embedded, MemoryDeployments())
    anchor = await registry.anchor_checkpoint(checkpoint(6))
    missing_tx = "0x" + "ab" * 32

    wrong_block = await verify_anchor(embedded.web3, replace(anchor, block_number=1), anchor.root, 6)
    missing = await verify_anchor(embedded.web3, replace(anchor, tx_hash=missing_tx), anchor.root, 6)
    elsewhere = await verify_anchor(embedded.web3, replace(anchor, contract="0x" + "22" * 20), anchor.root, 6)
    other_chain = await verify_anchor(embedded.web3, replace(anchor, chain_id=31337), anchor.root, 6)

    where = f"tx {anchor.tx_hash} on chain {anchor.chain_id}"
    assert wrong_block.problem == f"{where} is in block {anchor.block_number}, not 1"
    assert missing.problem == f"tx {missing_tx} on chain {anchor.chain_id} does not exist"
    assert elsewhere.problem is not None and f"was sent to {anchor.contract}" in elsewhere.problem
    assert other_chain.problem == f"the anchor is on chain 31337, this node serves chain {anchor.chain_id}"
    assert (await verify_anchor(embedded.web3, anchor, anchor.root, 6)).holds


async def test_verify_anchor_on_a_chain_that_does_not_answer_raises_unavailable(
    embedded: ChainEndpoint, checkpoint: Callable[..., Checkpoint]
) -> None:
    registry = await AuditRegistry.open(embedded, MemoryDeployments())
    anchor = await registry.anchor_checkpoint(checkpoint(7))
    nobody = rpc_endpoint(f"http://127.0.0.1:{free_port()}", ANVIL_KEYS[0])

    with pytest.raises(ChainUnavailable, match=f"did not answer while verifying tx {anchor.tx_hash}"):
        await verify_anchor(nobody.web3, anchor, anchor.root, 7)
    await nobody.close()


async def test_verify_anchor_in_a_copy_of_the_registry_owned_by_someone_else_fails_given_the_owner(
    embedded: ChainEndpoint, checkpoint: Callable[..., Checkpoint]
) -> None:
    copycat = await funded_stranger(embedded)
    copy = await AuditRegistry.open(copycat, MemoryDeployments())
    forged = await copy.anchor_checkpoint(checkpoint(8))

    check = await verify_anchor(embedded.web3, forged, forged.root, 8, owner=embedded.account.address)

    assert check.problem == (
        f"the registry {forged.contract} on chain {forged.chain_id} belongs to {copycat.account.address}, "
        f"not {embedded.account.address}"
    )
    hub_registry = await AuditRegistry.open(embedded, MemoryDeployments())
    honest = await hub_registry.anchor_checkpoint(checkpoint(8))
    assert (await verify_anchor(embedded.web3, honest, honest.root, 8, owner=embedded.account.address)).holds
